"""OCR of scans the tests make themselves (issue 13): text found, each word's confidence
and box kept, pages and paragraphs as printed, progress, cancel, and the files that must
be refused. Needs Tesseract (``tesseract`` fixture); the refusals that do not are below."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.documents import (
    import_document,
    passage_confidences,
    stored_import_notes,
    word_boxes,
)
from sources import ocr
from sources.errors import ImportRefused
from sources.formats import image as image_format
from sources.ingest import parse_file
from sources.model import Page
from sources.ocr import OcrOptions, OcrWord
from sources.sandbox import CANCELLED, parse_bounded
from tests import hostile
from tests.scans import (
    character_error_rate,
    degraded,
    image_bytes,
    scanned_pdf,
    typed_page,
)

REPORT = [
    "RAPPORT SUR LA SITUATION DES DROITS DE L'HOMME EN AFGHANISTAN",
    "Le Rapporteur spécial a reçu des informations selon lesquelles 1 200 civils auraient "
    "été tués dans la province de Kunar en septembre 1985. Les témoins ont déclaré que les "
    "villages n'avaient pas été avertis avant les bombardements.",
    "Le Gouvernement n'a pas autorisé le Rapporteur spécial à se rendre dans le pays. Il "
    "recommande que l'Assemblée générale demande la libération des prisonniers politiques.",
]
ANNEX = [
    "The Special Rapporteur received reports that 1,200 civilians were killed in Kunar "
    "province in September 1985.",
    "Witnesses stated that the villages had not been warned before the bombing.",
]


@pytest.fixture(scope="module")
def report_page():
    return typed_page(REPORT)


def test_a_typed_page_is_read_with_its_paragraphs_boxes_and_confidences(tesseract,
                                                                          report_page):
    document = parse_file(image_bytes(report_page.image), "page.png")

    assert character_error_rate(document.text, "\n\n".join(REPORT)) < 0.02
    assert [document.text[p.start:p.end][:20] for p in document.passages] == [
        p[:20] for p in REPORT]
    assert document.media_type == "image/png" and document.language == "fr"
    assert document.ocr["languages"] == "fra+eng" and document.ocr["pages"] == ["1"]
    assert len(document.words) >= 0.95 * len(report_page.words)
    width, height = report_page.image.size
    drawn, matched = list(report_page.words), 0
    for word in document.words:
        assert 0 <= word.left < word.right <= 1 and 0 <= word.top < word.bottom <= 1
        assert 0 <= word.confidence <= 100
        text = document.text[word.start:word.end]
        typed = next((i for i, (t, _) in enumerate(drawn[:3]) if t == text), None)
        if typed is None:
            continue
        (_, (left, top, right, bottom)), drawn = drawn[typed], drawn[typed + 1:]
        matched += 1  # the box Tesseract gives is where the word was typed
        assert abs(word.left * width - left) < 12 and abs(word.right * width - right) < 12
        assert abs(word.top * height - top) < 20 and abs(word.bottom * height - bottom) < 20
    assert matched >= 0.9 * len(report_page.words)


def test_pages_of_a_tiff_and_a_scanned_pdf_keep_their_page_numbers(tesseract):
    first, second = typed_page(REPORT[:2]).image, typed_page(REPORT[2:]).image
    reports: list[tuple[int, int]] = []
    options = OcrOptions(progress=lambda done, total: reports.append((done, total)))
    for data, name in ((image_bytes(first, second, kind="TIFF"), "scan.tif"),
                       (scanned_pdf(first, second), "scan.pdf")):
        reports.clear()
        document = parse_file(data, name, ocr=options)
        assert reports == [(0, 2), (1, 2), (2, 2)]
        assert [page.label for page in document.pages] == ["1", "2"]
        second_page = document.pages[1]
        assert document.text[second_page.start:].startswith("Le Gouvernement")
        for word in document.words:  # each word is on the page whose span holds it
            page = document.pages[word.page - 1]
            assert page.start <= word.start < page.end


def test_only_the_scanned_page_of_a_mixed_pdf_is_read_by_ocr(tesseract):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, " ".join([ANNEX[0], ANNEX[1]] * 3))
    pdf.add_page()
    pdf.image(typed_page(REPORT[1:2]).image, x=0, y=0, w=210, h=297)
    document = parse_file(bytes(pdf.output()), "mixed.pdf")

    assert document.ocr["pages"] == ["2"]
    first = document.passages[0]
    assert document.text[first.start:first.end] == " ".join([ANNEX[0], ANNEX[1]] * 3)
    assert "province de Kunar" in document.text
    assert {word.page for word in document.words} == {2}
    assert all(word.start >= document.pages[1].start for word in document.words)


def test_a_page_scanned_upside_down_or_sideways_keeps_its_paragraphs(tesseract, report_page):
    for turned in (report_page.image.rotate(180), report_page.image.rotate(90, expand=True)):
        document = parse_file(image_bytes(turned), "turned.png")
        assert len(document.passages) == 3
        assert character_error_rate(document.text, "\n\n".join(REPORT)) < 0.03


def test_a_worn_copy_is_read_within_five_percent(tesseract, report_page):
    document = parse_file(image_bytes(degraded(report_page.image)), "worn.png")
    assert character_error_rate(document.text, "\n\n".join(REPORT)) < 0.05


def test_ocr_always_reads_a_text_pdf_and_never_refuses_a_scan(tesseract, report_page):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.multi_cell(0, 10, ANNEX[1])
    text_pdf = bytes(pdf.output())
    assert parse_file(text_pdf, "annex.pdf").ocr == {}
    read = parse_file(text_pdf, "annex.pdf", ocr=OcrOptions("always"))
    assert read.ocr["pages"] == ["1"] and "villages" in read.text and read.words

    with pytest.raises(ImportRefused, match="no text layer; it looks like a scan"):
        parse_file(scanned_pdf(report_page.image), "scan.pdf", ocr=OcrOptions("never"))
    with pytest.raises(ImportRefused, match="OCR, which was turned off"):
        parse_file(image_bytes(report_page.image), "scan.png", ocr=OcrOptions("never"))


def test_import_stores_confidence_and_boxes_and_says_how_it_was_read(tesseract, store,
                                                                    report_page):
    document_id = import_document(store, image_bytes(report_page.image, kind="JPEG"),
                                  "report.jpg", kind="draft")
    boxes = word_boxes(store, document_id)
    text = store.db.execute("select text from documents").fetchone()[0]
    assert len(boxes) >= 0.95 * len(report_page.words)
    assert [text[b.start:b.end] for b in boxes[:3]] == ["RAPPORT", "SUR", "LA"]
    confidences = passage_confidences(store, document_id)
    assert sorted(confidences) == [1, 2, 3] and all(80 < c <= 100 for c in confidences.values())
    (note,) = stored_import_notes(store, document_id)
    assert note.startswith("Read by OCR (Tesseract 5") and "French and English): page 1" in note


def test_a_cancelled_ocr_leaves_the_database_as_it_was(tesseract, store, report_page):
    before = store.db.execute("select count(*) from documents").fetchone()
    cancel = threading.Event()
    pages = [report_page.image] * 4
    with pytest.raises(ImportRefused, match=CANCELLED):
        import_document(store, scanned_pdf(*pages), "long.pdf",
                        progress=lambda done, total: done and cancel.set(), cancel=cancel)
    assert store.db.execute("select count(*) from documents").fetchone() == before
    assert store.db.execute("select count(*) from word_boxes").fetchone() == (0,)


def test_an_image_without_text_is_refused(tesseract):
    blank = typed_page([]).image
    with pytest.raises(ImportRefused, match="OCR found no text"):
        parse_bounded(image_bytes(blank), "blank.png")


# -- hostile images: refused before Tesseract runs, so these need no Tesseract ----------------


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    with pytest.raises(ImportRefused, match="million pixels"):
        parse_bounded(hostile.png_bomb(), "scan.png")


def test_a_truncated_or_corrupt_tiff_is_refused():
    for data in (hostile.truncated_tiff(), b"II*\x00" + b"\xff" * 500):
        with pytest.raises(ImportRefused, match="image is damaged or incomplete"):
            parse_bounded(data, "scan.tif")


def test_a_pdf_of_2000_image_pages_is_refused_at_once(tesseract):
    with pytest.raises(ImportRefused, match="2,000 pages; Palimpsest reads at most 500"):
        parse_bounded(hostile.image_pdf(2000), "scan.pdf")


def test_without_tesseract_a_scan_gets_one_sentence_on_how_to_install_it(monkeypatch,
                                                                          report_page):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr.version.cache_clear()
    ocr.installed_languages.cache_clear()
    try:
        assert ocr.missing() == ocr.INSTALL
        with pytest.raises(ImportRefused, match="apt-get install tesseract-ocr tesseract-ocr-fra"):
            parse_file(image_bytes(report_page.image), "scan.png")
        assert parse_file(b"Plain text still imports.\n", "a.txt").text
    finally:
        ocr.version.cache_clear()
        ocr.installed_languages.cache_clear()


def test_a_tiny_image_is_not_a_page():
    with pytest.raises(ImportRefused, match="too small to hold a page"):
        image_format.parse(hostile.png())


# -- placing OCR words in the reflowed text ----------------------------------------------------

WORD = st.text(alphabet="abcdeéfghijklmnopqrstuvwxyz", min_size=1, max_size=12)


class _Line:
    def __init__(self, words):
        self.words = words


class _Page:
    def __init__(self, lines):
        self.lines = lines


@given(st.lists(st.lists(WORD, min_size=1, max_size=8), min_size=1, max_size=10), st.data())
def test_every_word_is_placed_on_itself_even_when_hyphenated(lines, data):
    """The reflow joins lines and "pre-" + "vious"; each OCR word is found where it is."""
    ocr_lines, text = [], ""
    for number, line in enumerate(lines):
        words = [OcrWord(w, 90.0, (0, 0, 1, 1), (1, 1, number)) for w in line]
        hyphenate = number < len(lines) - 1 and data.draw(st.booleans())
        if hyphenate:  # the last word broken over the line end: "pre-" here, joined in the text
            last = words[-1]
            words[-1] = OcrWord(last.text + "-", 90.0, last.box, last.line)
        ocr_lines.append(_Line(words))
        text += " ".join(line) + ("" if hyphenate else " ")
    placed = ocr.place_words(text, [_Page(ocr_lines)], [(10, 10)], [Page(1, "1", 0, len(text))])
    assert len(placed) == sum(len(line) for line in lines)
    flat = [w for line in lines for w in line]
    assert [text[p.start:p.end] for p in placed] == flat
    assert all(a.end <= b.start for a, b in zip(placed, placed[1:], strict=False))


def test_the_command_reads_a_scan_with_progress_and_refuses_it_without_ocr(tesseract,
                                                                           tmp_path):
    from click.testing import CliRunner

    from palimpsest.cli import main

    scan = tmp_path / "report.pdf"
    scan.write_bytes(scanned_pdf(typed_page(REPORT[:2]).image, typed_page(REPORT[2:]).image))
    runner = CliRunner()
    refused = runner.invoke(main, ["import", "--db", str(tmp_path / "w.db"), "--ocr", "never",
                                   str(scan)])
    assert refused.exit_code == 1 and "no text layer; it looks like a scan" in refused.output
    result = runner.invoke(main, ["import", "--db", str(tmp_path / "w.db"), str(scan)])
    assert result.exit_code == 0, result.output
    assert f"{scan}: reading 2 pages by OCR" in result.stderr
    assert f"{scan}: OCR page 1 of 2 (about" in result.stderr
    assert f"{scan}: OCR page 2 of 2" in result.stderr
    assert f"{scan}: imported as document 1, “report” (fr, 2 pages, 3 passages)" in result.stdout
    assert "note: Read by OCR (Tesseract 5" in result.stdout


# -- comparing a scan with a born-digital text: OCR confusions on uncertain words -------------


def test_a_confusion_on_an_uncertain_word_is_a_possible_misreading_not_a_change():
    from sources.collate import Witness, collate
    from sources.model import Span

    final = ("The modern building of the office counted 1986 victims in the province.\n\n"
             "The mission was not allowed to enter.\n")
    scanned = ("The modem building of the oﬃce counted l986 victims in the province.\n\n"
               "The mission was now allowed to enter.\n")
    uncertain = tuple(Span(scanned.index(w), scanned.index(w) + len(w))
                      for w in ("modem", "oﬃce", "l986", "now"))

    def variants(words: tuple) -> dict[str, str]:
        links = collate(Witness("scan", scanned, "en", uncertain=words),
                        [Witness("final", final, "en")])
        return {v.old: v.type for link in links for v in link.variants}

    # (a ligature is already a difference of form; "now"/"not" is no OCR confusion)
    assert variants(uncertain) == {"modem": "misreading", "oﬃce": "formal",
                                   "l986": "misreading", "now": "negation"}
    # Read with confidence, the same differences are changes of the text.
    assert variants(()) == {"modem": "lexical", "oﬃce": "formal", "l986": "date",
                            "now": "negation"}


def test_the_import_note_counts_uncertain_words_in_good_english():
    from annotations.documents import ocr_note
    from sources.model import ParsedDocument, WordBox

    def note(confidences):
        words = tuple(WordBox(i, i + 1, 1, 0, 0, 1, 1, c) for i, c in enumerate(confidences))
        return ocr_note(ParsedDocument("abc", "image/png", words=words, ocr={
            "engine": "Tesseract 5.3.0", "languages": "fra+eng", "pages": ["1"]}))

    assert note([90, 40, 95]).endswith("; 1 word below 60 % is marked “uncertain” on the Read "
                                       "page: check it against the scan.")
    assert "; 2 words below 60 % are marked “uncertain” on the Read page: check them" in note(
        [30, 40, 95])
    assert note([90, 95, 95]) == ("Read by OCR (Tesseract 5.3.0, French and English): page 1; "
                                  "mean word confidence 93 %.")
