"""Correcting a passage's text on the Read page makes a new version (issue 13): the text
outside the passage, the pages, passages and OCR word boxes move with it, annotations
and ledger decisions are carried over, the correction is listed and can be undone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.corrections import (
    BLANK_LINE,
    EMPTY,
    UNCHANGED,
    correct_passage,
    corrected,
    corrections_of,
    reimport_document,
    undo_correction,
)
from annotations.documents import (
    get_document,
    import_document,
    list_documents,
    original_bytes,
    passage_confidences,
    uncertain_words,
    word_boxes,
)
from annotations.notes import create_annotation, list_annotations
from sources.errors import InvalidInput
from sources.model import Page, Passage, WordBox
from tests.scans import scanned_pdf, smudged, typed_page
from tests.test_ocr import REPORT

TEXT = ("Article 1\n\nThe delegates met in Genva on 3 May 1986.\n\n"
        "Article 2\n\nThe report was adopted without a vote.\n")


def test_a_correction_makes_a_new_version_and_keeps_every_annotation(store):
    first = import_document(store, TEXT.encode(), "minutes.txt", kind="draft", language="en")
    doc = get_document(store, first)
    before = doc.text
    note = create_annotation(store, first, before.index("adopted"), before.index("adopted") + 7,
                             note="Unanimous?", author="Ada")
    on_typo = create_annotation(store, first, before.index("Genva"), before.index("Genva") + 5,
                                note="Which city?", author="Ada")

    second, report = correct_passage(store, first, 2,
                                     "The delegates met in Geneva on 3 May 1986.", author="Ada")

    new = get_document(store, second)
    assert new.text == before.replace("Genva", "Geneva")
    assert new.supersedes == first and new.title == doc.title and new.kind == "draft"
    assert get_document(store, first).text == before  # the old version stays as it was
    assert [new.text[p.start:p.end] for p in new.passages] == [
        "Article 1", "The delegates met in Geneva on 3 May 1986.", "Article 2",
        "The report was adopted without a vote."]
    assert report["anchored"] + report["review"] == 2  # none dropped
    carried = {a.note: a for a in list_annotations(store, second)}
    assert new.text[carried["Unanimous?"].start:carried["Unanimous?"].end] == "adopted"
    assert carried["Which city?"].anchor_status in ("anchored", "review")
    assert {note.id, on_typo.id}.isdisjoint(carried[n].id for n in carried)
    (correction,) = corrections_of(store, second)
    assert (correction.passage_seq, correction.author) == (2, "Ada")
    assert correction.before.endswith("Genva on 3 May 1986.")
    assert original_bytes(store, second) == ("minutes.txt", TEXT.encode())


def test_undo_puts_the_text_back_as_a_new_version(store):
    first = import_document(store, TEXT.encode(), "minutes.txt", language="en")
    second, _ = correct_passage(store, first, 4, "The report was adopted by a vote.")
    with pytest.raises(InvalidInput, match="corrected or re-imported since"):
        correct_passage(store, first, 4, "Something else.")
    (correction,) = corrections_of(store, second)
    third, _ = undo_correction(store, correction.id, author="Bo")
    assert get_document(store, third).text == get_document(store, first).text
    assert [c.undoes for c in corrections_of(store, first)] == [correction.id, None]
    assert len(list_documents(store)) == 3


@pytest.mark.parametrize(("text", "message"), [
    ("   ", EMPTY), ("Article 1\n\nAnother", BLANK_LINE),
    ("The report was adopted without a vote.", UNCHANGED)])
def test_corrections_that_cannot_be_made_say_why_and_change_nothing(store, text, message):
    first = import_document(store, TEXT.encode(), "minutes.txt", language="en")
    with pytest.raises(InvalidInput, match=message[:30]):
        correct_passage(store, first, 4, text)
    assert [d.id for d in list_documents(store)] == [first]
    assert store.db.execute("select count(*) from corrections").fetchone() == (0,)


def test_correcting_a_misreading_drops_its_uncertain_box_and_moves_the_others(store,
                                                                              tesseract):
    scan = scanned_pdf(smudged(typed_page(REPORT), {"Kunar"}))
    first = import_document(store, scan, "scan.pdf")
    doc = get_document(store, first)
    (misread,) = [w for w in uncertain_words(store, first) if w.start > doc.passages[1].start]
    wrong = doc.text[misread.start:misread.end]
    passage = doc.passages[1]
    fixed = doc.text[passage.start:misread.start] + "Kunar" + doc.text[misread.end:passage.end]

    second, _ = correct_passage(store, first, 2, fixed)

    new = get_document(store, second)
    assert all(w.start != misread.start for w in uncertain_words(store, second))
    old_words = [doc.text[w.start:w.end] for w in word_boxes(store, first)]
    new_words = [new.text[w.start:w.end] for w in word_boxes(store, second)]
    assert new_words == [w for w in old_words if w != wrong]
    assert passage_confidences(store, second)[2] > passage_confidences(store, first)[2]


WORDS = st.lists(st.text(alphabet="abcdé", min_size=1, max_size=6), min_size=1, max_size=6)


@settings(max_examples=60)
@given(st.lists(WORDS, min_size=2, max_size=6), st.data())
def test_outside_the_passage_everything_keeps_its_text(paragraphs, data):
    """Pages, passages and word boxes after a correction still cover the same text."""
    blocks = [" ".join(words) for words in paragraphs]
    text = "\n\n".join(blocks)
    passages, words, start = [], [], 0
    for seq, (block, block_words) in enumerate(zip(blocks, paragraphs, strict=True), 1):
        passages.append(Passage(seq, start, start + len(block)))
        at = start
        for word in block_words:
            words.append(WordBox(at, at + len(word), 1, 0, 0, 1, 1, 50.0))
            at += len(word) + 1
        start += len(block) + 2
    chosen = data.draw(st.sampled_from(passages))
    replacement = data.draw(st.text(alphabet="xyzé ", min_size=1, max_size=30)).strip() or "x"
    middle = passages[len(passages) // 2].start
    pages = (Page(1, "1", 0, middle), Page(2, "2", middle, len(text)))

    class Doc:
        pass

    doc = Doc()
    doc.text, doc.pages, doc.passages = text, pages, tuple(passages)
    doc.media_type, doc.language = "text/plain", "en"
    result = corrected(doc, words, chosen, replacement)

    assert result.text == text[:chosen.start] + replacement + text[chosen.end:]
    for old, new in zip(passages, result.passages, strict=True):
        expected = replacement if old.seq == chosen.seq else text[old.start:old.end]
        assert result.text[new.start:new.end] == expected
    assert result.pages[0].start == 0 and result.pages[-1].end == len(result.text)
    assert result.pages[0].end == result.pages[1].start
    outside = [w for w in words if w.end <= chosen.start or w.start >= chosen.end]
    moved = [w for w in result.words if w.end <= chosen.start
             or w.start >= chosen.start + len(replacement)]
    assert [result.text[w.start:w.end] for w in moved] == [text[w.start:w.end] for w in outside]


def test_the_demo_scan_shows_ocr_and_its_correction_on_the_read_page(db_path, tesseract):
    from annotations.demo import load_scan_demo
    from annotations.store import Store
    from tests.test_projects_page import open_page

    with Store(db_path) as store:
        ids = load_scan_demo(store)
        assert load_scan_demo(store) == ids  # loaded once
        scan = get_document(store, ids["scan"])
        assert scan.media_type == "image/png" and uncertain_words(store, ids["scan"])
    at = open_page("pages/read.py", doc=ids["corrected"])
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Read by OCR: mean passage confidence") for c in captions)
    assert [e.label for e in at.expander if e.label.startswith("Corrections")] == [
        "Corrections (1)"]
    assert any("Constitution" in c for c in captions)  # the change, in the list
    assert at.toggle(key=f"page_image_{ids['corrected']}").value is False


def test_compare_shows_a_removed_passage_of_a_scan_on_its_page(db_path, tesseract):
    from annotations.store import Store
    from tests.test_compare_new import open_compare

    final = "\n\n".join([REPORT[0], REPORT[2]]) + "\n"
    with Store(db_path) as store:
        draft = import_document(store, scanned_pdf(typed_page(REPORT).image), "draft.pdf",
                                kind="draft")
        kept = import_document(store, final.encode(), "final.txt", kind="final",
                               language="fr")
    at = open_compare("Omission ledger", base=draft, others=kept)
    assert not at.exception, at.exception
    toggle = at.toggle(key=f"ledger_page_image_{draft}")
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    (image,) = at.get("image")  # the removed paragraph, each of its words outlined
    assert image.proto.imgs[0].caption == (
        f"Page 1 (1 in all): the selection is outlined in red ({len(REPORT[1].split())} boxes).")


def test_a_selection_in_a_born_digital_pdf_is_found_on_its_page(store):
    """No OCR: the boxes come from the PDF's own text layer (pdfium's search)."""
    from fpdf import FPDF

    from annotations.documents import selection_boxes

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.set_xy(20, 30)
    pdf.cell(0, 10, "The delegates met in Geneva on 3 May 1986.")
    pdf.set_xy(20, 150)
    pdf.cell(0, 10, "The report was adopted without a vote.")
    document = import_document(store, bytes(pdf.output()), "minutes.pdf", language="en")
    text = get_document(store, document).text
    start = text.index("adopted without")
    (box,) = selection_boxes(store, document, 1, start, start + len("adopted without"))
    assert box.confidence is None
    assert 0.12 < box.left < box.right < 0.7  # to the right of "The report was", at 20 mm
    assert 150 / 297 < box.top < box.bottom < 160 / 297  # the line set at 150 mm


def test_a_ledger_decision_survives_a_correction(store):
    from annotations.collation import compare, decide
    from sources.model import Span

    draft = import_document(store, TEXT.encode(), "draft.txt", kind="draft", language="en")
    final_text = "Article 1\n\nThe delegates met in Genva on 3 May 1986.\n"
    final = import_document(store, final_text.encode(), "final.txt", kind="final",
                            language="en")
    cut = get_document(store, draft).passages[3]
    decide(store, draft, Span(cut.start, cut.end), "not-found", author="Ada")

    corrected_id, report = correct_passage(store, draft, 2,
                                           "The delegates met in Geneva on 3 May 1986.")

    assert (report["carried"], report["left"]) == (1, 0)
    comparison = compare(store, corrected_id, [final])
    (row,) = [r for r in comparison.ledger() if "adopted" in r.passage.text]
    assert row.status == "not found"  # as the scholar decided on the version before


def test_a_decision_on_a_repeated_passage_follows_its_own_place(store):
    """A quote that occurs twice: the decision is carried to the occurrence with the same
    words around it, not to the one nearest its old offset (it used to be)."""
    from annotations.collation import decide
    from sources.model import Span

    repeated = "The same standard clause appears here."
    old = ("Preamble.\n\n" + repeated + "\n\nSchedule of the annex, part two, follows.\n\n"
           + repeated + "\n")
    new = ("A long new introduction was added at the top of the corrected version, "
           "pushing everything down by a good many characters indeed.\n\n" + old)
    draft = import_document(store, old.encode(), "draft.txt", kind="draft", language="en")
    second = old.rindex(repeated)
    decide(store, draft, Span(second, second + len(repeated)), "not-found", author="Ada")

    new_id, report = reimport_document(store, draft, new.encode(), "draft-v2.txt")

    assert report["carried"] == 1
    (row,) = store.db.execute("select a_start from alignment_decisions where a_document_id = ?",
                              [new_id]).fetchall()
    assert row[0] == new.rindex(repeated)


def test_the_read_page_corrects_a_passage_and_undoes_it(db_path):
    from annotations.store import Store
    from tests.test_projects_page import open_page

    with Store(db_path) as store:
        first = import_document(store, TEXT.encode(), "minutes.txt", language="en")
    start = TEXT.index("Genva")
    at = open_page("pages/read.py", doc=first, start=start, end=start + 5)
    at.sidebar.text_input(key=at.sidebar.text_input[0].key).set_value("Ada").run()
    (box,) = [t for t in at.text_area if t.key == f"correction_{first}_2"]
    box.set_value("The delegates met in Geneva on 3 May 1986.").run()
    at.button(key=f"correction_{first}_2_save").click().run()
    assert [s.value for s in at.success] == [
        "Corrected § 2: the corrected text is document 2, a new version; "
        "0 annotations carried over."]
    assert at.selectbox(key="read_document").value == 2
    at.button(key="undo_correction_1").click().run()
    assert [s.value for s in at.success] == [
        "Correction undone: the text as it was is document 3, a new version; "
        "0 annotations carried over."]
    with Store(db_path) as store:
        assert get_document(store, 3).text == get_document(store, first).text
        assert [c.author for c in corrections_of(store, 3)] == ["Ada", "Ada"]
