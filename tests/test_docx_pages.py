"""A Word file's pages come from its page breaks, so a passage found in it has a page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.ingest import parse_file
from sources.segment import page_at
from tests import journey_samples, make_samples
from tests.test_ingest import assert_well_formed, passage_texts


def test_annex_has_a_page_for_each_page_break():
    document = parse_file(journey_samples.annex_docx(), "annex.docx")
    assert passage_texts(document) == list(journey_samples.ANNEX_PASSAGES)
    assert [page.label for page in document.pages] == ["1", "2", "3", "4", "5"]
    starts = tuple(page_at(p.start, document.pages).label for p in document.passages)
    assert starts == journey_samples.ANNEX_START_PAGES
    assert_well_formed(document)


def test_page_breaks_inside_a_passage_fall_inside_it_and_leave_no_line_break():
    document = parse_file(journey_samples.annex_docx(), "annex.docx")
    assert "\n" not in document.text.replace("\n\n", "")
    for index in (15, 27):  # a rendered break, then an explicit one, halfway through
        passage = document.passages[index]
        words = journey_samples.ANNEX_PASSAGES[index].split()
        second_half = " ".join(words[len(words) // 2 :])
        page = page_at(passage.end - 1, document.pages)
        assert page.start == passage.end - len(second_half)
        assert page_at(passage.start, document.pages).seq == page.seq - 1


def test_rendered_break_right_after_an_explicit_one_is_the_same_break():
    data = journey_samples.docx_with_breaks(["One.", "Two.", "Three."], {1: "explicit"})
    document = parse_file(data, "two-pages.docx")
    assert [(page.label, document.text[page.start : page.end]) for page in document.pages] == [
        ("1", "One.\n\n"),
        ("2", "Two.\n\nThree."),
    ]


def test_rendered_breaks_alone_make_pages_and_no_break_makes_none():
    data = journey_samples.docx_with_breaks(["One two three four.", "Five."], {0: "rendered"})
    document = parse_file(data, "rendered.docx")
    assert [(page.label, document.text[page.start : page.end]) for page in document.pages] == [
        ("1", "One two "),
        ("2", "three four.\n\nFive."),
    ]
    assert parse_file(make_samples.docx(), "treaty.docx").pages == ()


def test_a_table_running_over_a_page_break_has_the_page_in_its_row():
    import io

    import docx as python_docx
    from docx.oxml import OxmlElement

    document = python_docx.Document()
    document.add_paragraph("Quotas.")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, (("Hake", "12 t"), ("Cod", "3 t")), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    run = table.rows[1].cells[1].paragraphs[0].runs[0]
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_file(buffer.getvalue(), "table.docx")
    assert parsed.text == "Quotas.\n\nHake | 12 t\n\nCod | 3 t"
    assert [(page.label, parsed.text[page.start : page.end]) for page in parsed.pages] == [
        ("1", "Quotas.\n\nHake | 12 t\n\nCod | "),
        ("2", "3 t"),
    ]


_BREAK = st.sampled_from(["explicit", "before", "rendered", "explicit-inside"])
_PARAGRAPH = st.lists(
    st.text(alphabet="abcdefghij", min_size=1, max_size=8), min_size=1, max_size=6
).map(lambda words: " ".join(words) + ".")


@settings(max_examples=40, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=8), st.data())
def test_any_page_breaks_give_pages_that_cover_the_text_in_order(paragraphs, data):
    breaks = data.draw(st.dictionaries(st.integers(0, len(paragraphs) - 1), _BREAK))
    breaks = {
        number: kind
        for number, kind in breaks.items()
        if kind in ("explicit", "before") or len(paragraphs[number].split()) > 1
    }  # a break inside a paragraph needs words on both sides
    document = parse_file(journey_samples.docx_with_breaks(paragraphs, breaks), "any.docx")
    assert passage_texts(document) == paragraphs
    if breaks.get(0) in ("explicit", "before"):
        del breaks[0]  # a break before any text opens no page: the first page begins there
    if not breaks:
        assert document.pages == ()
        return
    expected = journey_samples.docx_start_pages(len(paragraphs), breaks)
    assert [page.label for page in document.pages] == [str(n) for n in range(1, len(breaks) + 2)]
    assert tuple(page_at(p.start, document.pages).label for p in document.passages) == expected
    assert_well_formed(document)
