"""Long PDFs as they come from an office: running heads and "Page N" are not text,
paragraphs and hyphenated words run on over page breaks, and every page is kept."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sources.formats import pdf
from sources.ingest import parse_file
from sources.segment import page_at
from tests import journey_samples
from tests.journey_samples import Geometry
from tests.test_ingest import assert_well_formed, passage_texts

SAMPLES = {
    "draft": (journey_samples.draft_typeset, journey_samples.DRAFT_RUNNING_HEAD),
    "final": (journey_samples.final_typeset, journey_samples.FINAL_RUNNING_HEAD),
}


@functools.cache
def imported(name: str):
    """The typeset sample and what the import path makes of it (built once per session)."""
    typeset = SAMPLES[name][0]()
    return typeset, parse_file(typeset.data, f"{name}.pdf")


@pytest.mark.parametrize("name", SAMPLES)
def test_long_pdf_gives_back_exactly_the_paragraphs_typeset(name):
    typeset, document = imported(name)
    expected = {"draft": journey_samples.DRAFT_PASSAGES, "final": journey_samples.FINAL_PASSAGES}
    assert passage_texts(document) == list(expected[name])
    pages = {"draft": journey_samples.DRAFT_PAGES, "final": journey_samples.FINAL_PAGES}
    assert typeset.pages == pages[name]
    assert [page.label for page in document.pages] == [str(n) for n in range(1, pages[name] + 1)]
    assert_well_formed(document)


@pytest.mark.parametrize("name", SAMPLES)
def test_running_head_and_page_numbers_leave_the_text_and_stay_in_the_page_map(name):
    typeset, document = imported(name)
    running_head = SAMPLES[name][1]
    assert running_head not in document.text
    assert not re.search(r"Page \d", document.text)
    expected = [
        (str(n), line)
        for n in range(1, typeset.pages + 1)
        for line in (running_head, journey_samples.FOOTER.format(n))
    ]
    assert sorted(document.furniture) == sorted(expected)


@pytest.mark.parametrize("name", SAMPLES)
def test_words_hyphenated_across_a_page_break_are_whole_again(name):
    typeset, document = imported(name)
    assert typeset.broken_at_page_end  # the sample does break words over pages
    words_at_page_starts = [
        document.text[page.start - 9 : page.start + 9] for page in document.pages[1:]
    ]
    for head, tail in typeset.broken_at_page_end:
        assert f"{head[:-1]}Page" not in document.text
        assert not re.search(rf"\b{re.escape(head)}", document.text)
        around = head[-9:-1] + tail[:9]  # the page begins inside the word, where it did
        assert any(around in text for text in words_at_page_starts), (head, tail)


def test_known_passages_start_on_their_page():
    for name, known in (
        ("draft", journey_samples.DRAFT_START_PAGES),
        ("final", journey_samples.FINAL_START_PAGES),
    ):
        typeset, document = imported(name)
        starts = [page_at(p.start, document.pages).label for p in document.passages]
        assert tuple(starts) == typeset.start_pages
        texts = passage_texts(document)
        for passage, label in known.items():
            assert starts[texts.index(passage)] == label, (name, passage[:40])


def test_draft_and_final_compare_as_their_plain_texts_do():
    """The comparison's known answer: Part II cut (21 removed), 3 reworded, 1 moved."""
    from collections import Counter

    from sources.align import align_versions

    (_, draft), (_, final) = imported("draft"), imported("final")
    links = align_versions(draft.text, final.text, draft.passages, final.passages)
    assert Counter(link.kind for link in links) == journey_samples.DRAFT_FINAL_LINKS


def test_the_scholar_is_told_in_one_sentence_what_left_the_text():
    _, document = imported("draft")
    sentence = (
        f"Removed the running line “{journey_samples.DRAFT_RUNNING_HEAD}” and page numbers "
        f"(“Page 1”) from {journey_samples.DRAFT_PAGES} pages."
    )
    assert pdf.describe_furniture(document.furniture) == sentence
    assert document.warnings == (sentence,)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè", min_size=1, max_size=14)
_PARAGRAPH = st.lists(_WORD, min_size=20, max_size=120).map(lambda words: " ".join(words) + ".")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(_PARAGRAPH, min_size=2, max_size=12),
    st.floats(min_value=7, max_value=16),
    st.booleans(),
)
def test_any_paragraphs_on_any_number_of_pages_come_back_whole(
    paragraphs, line_height, break_at_page_end
):
    geometry = Geometry(line_height=line_height, paragraph_gap=line_height / 2)
    typeset = journey_samples.typeset(
        paragraphs, journey_samples.DRAFT_RUNNING_HEAD, geometry, break_at_page_end
    )
    assume(typeset.pages > 1)  # a running line is known by its recurrence
    document = parse_file(typeset.data, "any.pdf")
    assert passage_texts(document) == paragraphs
    assert "Page" not in document.text and "Projet" not in document.text
    assert [page.label for page in document.pages] == [str(n) for n in range(1, typeset.pages + 1)]
    starts = tuple(page_at(p.start, document.pages).label for p in document.passages)
    assert starts == typeset.start_pages
    assert_well_formed(document)


# ---------------------------------------------------------------- right-to-left text

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def printed_pdf(*lines: str) -> bytes:
    """A PDF whose lines are printed as a reader sees them: right-to-left runs laid out in
    display order by the Unicode bidi algorithm (fpdf2's), as a word processor would."""
    from fpdf import FPDF
    from fpdf.bidi import BidiParagraph

    document = FPDF()
    document.add_page()
    document.add_font("dejavu", "", DEJAVU)
    document.set_font("dejavu", size=12)
    for number, line in enumerate(lines):
        document.text(30, 30 + 12 * number, BidiParagraph(line).get_reordered_string())
    return bytes(document.output())


def test_hebrew_and_arabic_come_back_in_reading_order_with_a_warning():
    data = printed_pdf("שלום עולם, זהו הדוח", "مرحبا بالعالم", "The delegates met.")
    document = pdf.parse(data)
    assert document.text == "שלום עולם, זהו הדוח مرحبا بالعالم The delegates met."
    assert document.warnings == (
        "2 lines are written in Arabic and Hebrew, right-to-left scripts: PDF text in such "
        "scripts can come out with its punctuation and numbers misplaced, or reversed when the "
        "PDF was made without right-to-left support; check it against the PDF.",
    )


def test_a_pdf_without_right_to_left_text_says_nothing_of_it():
    assert pdf.parse(printed_pdf("The delegates met.", "Les délégués, 1986.")).warnings == ()


def _typed(lines_per_page: list[list[tuple[str, bool]]]) -> list:
    """Pages of a typescript as the reflow sees them: (text, blank line after it) per line;
    12 pt spacing, a full page of 10 lines from y=800 down, every line full width."""
    from sources.formats.pdf import Line, PdfPage

    pages = []
    for number, lines in enumerate(lines_per_page, 1):
        placed, y = [], 800.0
        for text, blank_after in lines:
            placed.append(Line(text, top=y, end_top=y, left=72.0, right=520.0))
            y -= 24.0 if blank_after else 12.0
        pages.append(PdfPage(str(number), 842.0, tuple(placed)))
    return pages


def test_a_paragraph_ending_a_line_above_the_foot_of_a_page_ends_there():
    """A typescript leaves the blank line between paragraphs at the foot of the page: the
    text stops one line early, and the next page opens a new paragraph (it used to join)."""
    from sources.formats.pdf import reflow

    body = [(f"line {n} of a paragraph that runs on", False) for n in range(9)]
    full = [*body, ("and the last line of a full page with no", False)]
    early = [*body[:8], ("the end of a paragraph, a full line.", True)]
    pages = _typed([full, early, [("A new paragraph opens the page.", False), *body[:9]],
                    full])
    text, passages, _ = reflow(pages).build()
    assert [text[p.start:p.end].split(" ", 3)[:3] for p in passages] == [
        ["line", "0", "of"], ["A", "new", "paragraph"]]
