"""Import of every format on real samples, and refusal of every hostile file."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.errors import ImportRefused
from sources.ingest import MAX_IMPORT_BYTES, detect_format, parse_file
from sources.segment import block_spans, page_at
from tests import hostile, make_samples


def passage_texts(document) -> list[str]:
    return [document.text[p.start : p.end] for p in document.passages]


def page_of(document, word: str) -> str:
    return page_at(document.text.index(word), document.pages).label


def assert_well_formed(document) -> None:
    """The shape every ParsedDocument promises, whatever the format."""
    text = document.text
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text
    assert [p.seq for p in document.passages] == list(range(1, len(document.passages) + 1))
    assert [(p.start, p.end) for p in document.passages] == list(block_spans(text))
    if document.pages:
        assert document.pages[0].start == 0 and document.pages[-1].end == len(text)
        for before, after in zip(document.pages, document.pages[1:], strict=False):
            assert before.end == after.start and before.start <= before.end


# --- plain text ----------------------------------------------------------------------------


def test_utf8_plain_text_is_kept_byte_for_byte():
    data = make_samples.text_utf8()
    document = parse_file(data, "loi.txt")
    assert document.text.encode("utf-8") == data
    assert tuple(passage_texts(document)) == make_samples.TEXT_FR_PASSAGES
    assert [p.label for p in document.passages] == [None, "1", "a)", "2 (1)"]
    assert document.media_type == "text/plain"
    assert document.language == "fr"
    assert document.pages == ()
    assert document.metadata["title"] == "Loi sur les langues officielles"
    assert_well_formed(document)


def test_form_feeds_make_pages():
    document = parse_file(make_samples.text_paged(), "paged.txt")
    assert document.text == make_samples.TEXT_PAGED
    assert [page.label for page in document.pages] == ["1", "2", "3"]
    assert page_of(document, "A sentence") == "1"
    assert page_of(document, "onto page two") == "2"
    assert page_of(document, "Page three") == "3"
    assert passage_texts(document) == [
        "Page one, first paragraph.",
        "A sentence that runs\n\fonto page two.",
        "Page three on its own.",
    ]
    assert_well_formed(document)


@pytest.mark.parametrize(
    ("build", "expected", "encoding"),
    [
        (make_samples.text_latin1, make_samples.TEXT_FR.replace("’", "'"), "cp1252"),
        (make_samples.text_cp1252, make_samples.TEXT_FR + "Le cœur… “enfin”.\n", "cp1252"),
        (make_samples.text_utf16, make_samples.TEXT_FR, "utf-16-le"),
    ],
)
def test_legacy_encodings_are_decoded_with_a_warning(build, expected, encoding):
    document = parse_file(build(), "loi.txt")
    assert document.text == expected
    assert document.metadata["encoding"] == encoding
    assert any("not in UTF-8" in warning for warning in document.warnings)
    assert_well_formed(document)


def test_utf8_byte_order_mark_is_dropped_silently():
    document = parse_file(make_samples.text_utf8_bom(), "loi.txt")
    assert document.text == make_samples.TEXT_FR
    assert document.warnings == ()


def test_crlf_and_decomposed_accents_are_normalised():
    document = parse_file("Cafe\u0301\r\nfin\r\rend".encode(), "x.txt")
    assert document.text == "Café\nfin\n\nend"


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<\ufeff")
        | st.sampled_from("\n\n\t\f  "),
        min_size=1,
        max_size=200,
    )
)
def test_any_utf8_nfc_lf_text_is_kept_exactly(text):
    """The external contract: decoding is the only change to a UTF-8, NFC, LF file."""
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return
    assert parse_file(text.encode("utf-8"), "any.txt").text == text


# --- structured formats --------------------------------------------------------------------


def test_markdown_becomes_reading_text():
    document = parse_file(make_samples.markdown(), "convention.md")
    assert document.text == make_samples.MARKDOWN_TEXT
    kinds = {document.text[p.start : p.end]: p.kind for p in document.passages}
    assert kinds["Draft Convention"] == kinds["Article 1"] == "heading"
    assert [p.label for p in document.passages][3:5] == ["1.", "2."]
    assert document.metadata == {
        "title": "Draft Convention",
        "author": "Secretariat",
        "date": "1986-03-12",
        "encoding": "utf-8",
    }
    assert "alert" not in document.text
    assert_well_formed(document)


def test_html_keeps_block_text_and_drops_scripts_navigation_and_head():
    document = parse_file(make_samples.html(), "press.html")
    assert document.text == make_samples.HTML_TEXT
    for unwanted in ("secret", "injected", "Home", "color", "editor's comment"):
        assert unwanted not in document.text
    assert document.passages[0].kind == "heading"
    assert [p.label for p in document.passages][2:4] == ["(a)", "(b)"]
    assert document.metadata["title"] == "Press release, 12 March 1986"
    assert document.metadata["author"] == "Ministry of Foreign Affairs"
    assert document.language == "en"
    assert_well_formed(document)


def test_docx_paragraphs_headings_table_rows_and_footnotes():
    document = parse_file(make_samples.docx(), "treaty.docx")
    assert document.text == make_samples.DOCX_TEXT
    headings = tuple(
        document.text[p.start : p.end] for p in document.passages if p.kind == "heading"
    )
    assert headings == make_samples.DOCX_HEADINGS
    assert "secret" not in document.text  # a tracked deletion is not text
    assert document.metadata["title"] == "Draft Treaty"
    assert document.metadata["author"] == "Secretariat"
    assert_well_formed(document)


def test_pdf_pages_headers_hyphenation_and_paragraph_over_a_page_break():
    document = parse_file(make_samples.pdf(), "report.pdf")
    assert [page.label for page in document.pages] == ["1", "2", "3"]
    for word, label in make_samples.PDF_PAGE_WORDS.items():
        assert page_of(document, word) == label
    assert make_samples.PDF_RUNNING_HEAD not in document.text
    assert not any(text.strip() in {"1", "2", "3"} for text in passage_texts(document))
    first, second, joined = make_samples.PDF_HYPHENATED
    assert f"{joined} draft" in document.text and first not in document.text
    running = next(
        p for p in document.passages if "After a long exchange" in document.text[p.start : p.end]
    )
    assert document.text[running.start : running.end].endswith(make_samples.PDF_CONTINUED)
    assert page_at(running.start, document.pages).label == "1"
    assert page_at(running.end - 1, document.pages).label == "2"
    assert passage_texts(document)[0] == "Report on the Negotiations of 1986."
    assert len(document.passages) == 7
    assert document.metadata["title"] == "Draft Report"
    assert document.warnings == ()
    assert_well_formed(document)


def test_pdf_page_labels_come_from_the_pdf():
    document = parse_file(make_samples.pdf(labels=True), "report.pdf")
    assert [page.label for page in document.pages] == ["i", "1", "2"]
    assert page_of(document, "Cartagena") == "1"


def test_pdf_with_some_pages_scanned_imports_the_rest_with_a_warning():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Only this page has text in it.")
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    document = parse_file(bytes(pdf.output()), "mixed.pdf")
    assert document.text == "Only this page has text in it."
    assert [(page.label, page.start, page.end) for page in document.pages] == [
        ("1", 0, 30),
        ("2", 30, 30),
    ]
    assert "1 of 2 pages have no text layer" in document.warnings[0]


def test_tei_text_pages_notes_choices_and_header_metadata():
    document = parse_file(make_samples.tei(), "letter.xml")
    assert document.text == make_samples.TEI_TEXT
    assert [page.label for page in document.pages] == ["41", "42"]
    assert page_of(document, "Dear Minister") == "41"
    assert page_of(document, "to you tomorrow") == "42"
    assert "Correspondence" not in document.text  # <fw> running head
    assert "never" not in document.text and "Minster" not in document.text
    assert document.passages[0].kind == "heading"
    assert document.metadata == {
        "title": "Letter to the Minister",
        "author": "A. Diplomat",
        "date": "1986-03-12",
        "language": "en",
    }
    assert_well_formed(document)


def test_format_is_recognised_by_content_before_extension():
    assert detect_format(make_samples.pdf(), "report.txt") == "pdf"
    assert detect_format(make_samples.tei(), "letter.txt") == "tei"
    assert detect_format(make_samples.docx(), "treaty.bin") == "docx"
    assert detect_format(make_samples.html(), "page") == "html"
    assert detect_format(make_samples.markdown(), "notes.md") == "markdown"
    assert detect_format(b"A note about %PDF-1.4 and <TEI> tags.", "note.txt") == "text"
    assert detect_format(b"Plain words.", "data.csv") == "text"


# --- hostile files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "filename", "fragment"),
    hostile.REFUSED,
    ids=[build.__name__ for build, _, _ in hostile.REFUSED],
)
def test_hostile_file_is_refused_with_one_plain_sentence(build, filename, fragment):
    with pytest.raises(ImportRefused) as refusal:
        parse_file(build(), filename)
    message = str(refusal.value)
    assert fragment in message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message


def test_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(ImportRefused, match="more than the 50 MB"):
        parse_file(hostile.oversized(MAX_IMPORT_BYTES), "huge.txt")


def test_external_entity_never_reads_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = hostile.external_entity().replace(b"file:///etc/passwd", secret.as_uri().encode())
    with pytest.raises(ImportRefused, match="declares entities"):
        parse_file(data, "letter.xml")


def test_html_scripts_are_dropped_and_prose_kept():
    document = parse_file(hostile.html_with_scripts(), "page.html")
    assert document.text == "Visible prose.\n\nMore prose."


def test_huge_single_line_imports_whole():
    data = hostile.huge_single_line()
    document = parse_file(data, "line.txt")
    assert document.text == data.decode()
    assert len(document.passages) == 1
    passage = document.passages[0]
    assert document.text[passage.start : passage.end] == document.text.strip()


def test_unicode_heavy_text_keeps_offsets_right():
    document = parse_file(hostile.unicode_heavy(), "unicode.txt")
    assert document.text == unicodedata.normalize("NFC", hostile.UNICODE_HEAVY)
    texts = passage_texts(document)
    assert texts[0].startswith("Arabic: الجمعية") and texts[0].endswith("ההחלטה.")
    assert texts[1] == "Combining: Café crème, Å, ñ, Źródlo."
    assert texts[2] == "Emoji: 👩🏽\u200d⚖️ signed 📜 at 12:00 🇨🇭; flags 🏳️\u200d🌈."
    emoji = document.text.index("📜")
    assert document.text[emoji : emoji + 1] == "📜"
    assert texts[3].startswith("Astral: 𐌰𐌱𐌲")
    assert_well_formed(document)


def test_text_that_is_only_whitespace_is_refused():
    with pytest.raises(ImportRefused, match="no text"):
        parse_file(b" \n\f\n\t ", "blank.txt")
    with pytest.raises(ImportRefused, match="no text"):
        parse_file(b"<html><body><script>x()</script></body></html>", "blank.html")


def test_long_pdf_gives_back_every_paragraph_and_page():
    data, paragraphs = make_samples.pdf_pages(12)
    document = parse_file(data, "book.pdf")
    assert passage_texts(document) == paragraphs
    assert [page.label for page in document.pages] == [str(n) for n in range(1, 13)]
    assert "A long report" not in document.text
    assert_well_formed(document)


def test_long_pdf_page_spans_start_with_words_printed_on_that_page():
    import pypdfium2

    data, _ = make_samples.pdf_pages(6)
    document = parse_file(data, "book.pdf")
    pdf = pypdfium2.PdfDocument(data)
    for index, page in enumerate(document.pages):
        printed = " ".join(pdf[index].get_textpage().get_text_range().split())
        opening = " ".join(document.text[page.start : page.end].split()[:4])
        assert opening in printed, (page.label, opening)
    pdf.close()


# --- less common paths ---------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ab \n\t\u00a0é", max_size=12), min_size=1, max_size=6))
def test_page_breaks_follow_their_word_through_whitespace_tidying(pieces):
    """A page break written before a word starts the page exactly at that word."""
    from sources.formats.reading import InlineWriter, ReadingText

    reading, writer = ReadingText(), InlineWriter()
    for number, piece in enumerate(pieces):
        writer.page_break(str(number + 1))
        writer.write(piece)
    reading.add(*writer.take())
    text, _, pages = reading.build()
    raw = "".join(pieces)
    assert text == " ".join(raw.split())
    if not text:
        return
    offset = 0
    for page, piece in zip(pages, pieces, strict=True):
        word = next((i for i in range(offset, len(raw)) if not raw[i].isspace()), None)
        before = " ".join(raw[:word].split()) if word is not None else text
        expected = len(before) + (1 if before and word and raw[word - 1].isspace() else 0)
        assert page.start == (0 if page.seq == 1 else expected)
        offset += len(piece)


def test_cyrillic_in_a_windows_code_page_is_recognised():
    text = "Генеральная Ассамблея приняла резолюцию о статусе официальных языков."
    document = parse_file(text.encode("cp1251"), "rezolyuciya.txt")
    assert document.text == text
    assert document.language == "ru"
    assert "cp1251" in document.warnings[0]


def test_html_meta_charset_is_honoured():
    data = '<html><head><meta charset="windows-1252"></head><body><p>Été – œuvre</p></body></html>'
    assert parse_file(data.encode("cp1252"), "page.html").text == "Été – œuvre"


def test_tei_line_breaks_inside_words_and_corpora():
    data = (
        b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><TEI><text><body>'
        b'<p>The nego<lb break="no"/>tiations<lb/>went on.</p></body></text></TEI>'
        b"<TEI><text><body><p>Second text.</p></body></text></TEI></teiCorpus>"
    )
    document = parse_file(data, "corpus.xml")
    assert document.text == "The negotiations went on.\n\nSecond text."


def test_docx_content_controls_are_opened():
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(make_samples.docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                control = (
                    b"<w:sdt><w:sdtContent><w:p><w:r><w:t>Inside a control.</w:t></w:r></w:p>"
                    b"</w:sdtContent></w:sdt><w:sectPr"
                )
                content = content.replace(b"<w:sectPr", control, 1)
            archive.writestr(info.filename, content)
    document = parse_file(buffer.getvalue(), "treaty.docx")
    assert "(a) This Treaty enters into force on signature.\n\nInside a control." in document.text


def test_every_corpus_text_file_is_kept_byte_for_byte(corpora):
    paths = [path for path in corpora.rglob("*.txt") if "scripts" not in path.parts]
    assert paths
    for path in paths:
        data = path.read_bytes()
        assert parse_file(data, path.name).text == data.decode("utf-8"), path
