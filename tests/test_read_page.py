"""The Read & annotate page under AppTest, and the offset conversion its text selector uses.

AppTest cannot drag a mouse, so selections come in through the page's deep link
(``?doc=&start=&end=``), which marks a span exactly as a selection does; the
browser side is covered by ``tests/e2e``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_
from streamlit.testing.v1 import AppTest

from annotations.documents import import_document
from annotations.notes import create_annotation, list_annotations
from annotations.store import Store
from sources.text import codepoint_to_utf16, utf16_to_codepoint
from ui.annotate import escape_markdown
from ui.selection import OffsetTable, _trimmed

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "read.py")
TEXT_A = (
    "Article 1. Le café est servi à l'été.\n\n"
    "Article 2. Le ministre 😀 décide <script>alert(1)</script> sans délai.\n"
)
TEXT_B = "Section 1. The second document.\n\nSection 2. Its last words.\n"


@pytest.fixture
def docs(db_path):
    """Two documents in the database the page will open (``PALIMPSEST_DB``)."""
    with Store(db_path) as store:
        a = import_document(store, TEXT_A.encode(), "a.txt", title="Décret *A*", kind="draft",
                            language="fr")
        b = import_document(store, TEXT_B.encode(), "b.txt", title="Decree B", kind="final",
                            language="en")
    return {"a": a, "b": b, "path": db_path}


def run_page(**params) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=30)
    for name, value in params.items():
        app.query_params[name] = str(value)
    app.run()
    assert not app.exception, app.exception
    return app


def annotations_in(db_path, document_id: int):
    with Store(db_path) as store:
        return list_annotations(store, document_id)


def button(app: AppTest, label: str, occurrence: int = 0):
    return [b for b in app.button if b.label == label][occurrence]


def test_without_documents_the_page_says_where_to_import(db_path):
    app = run_page()
    assert "Sources page" in app.info[0].value


def test_a_document_link_opens_that_document(docs):
    app = run_page(doc=docs["b"])
    assert app.selectbox(key="read_document").value == docs["b"]
    assert app.subheader[0].value == "Decree B"
    assert app.query_params["doc"] == str(docs["b"])


def test_choosing_another_document_updates_the_link(docs):
    app = run_page(doc=docs["a"])
    assert app.subheader[0].value == escape_markdown("Décret *A*")
    app.selectbox(key="read_document").set_value(docs["b"]).run()
    assert app.subheader[0].value == "Decree B"
    assert app.query_params["doc"] == str(docs["b"])


def test_a_span_link_opens_the_annotation_form_on_that_span(docs):
    start = TEXT_A.index("café est")
    app = run_page(doc=docs["a"], start=start, end=start + 8)
    assert [t.value for t in app.text] == ["café est"]
    assert button(app, "Save annotation").disabled  # no author yet


def test_malformed_links_are_ignored(docs):
    app = run_page(doc="x", start="-3", end="abc")
    assert app.selectbox(key="read_document").value == docs["a"]
    assert not [b for b in app.button if b.label == "Save annotation"]


def test_saving_stores_the_annotation_with_its_offsets(docs):
    start = TEXT_A.index("décide")
    app = run_page(doc=docs["a"], start=start, end=start + 6)
    app.sidebar.text_input[0].input("Ada").run()
    app.text_area(key=f"new_{docs['a']}_note").input("Voir *l'annexe*.")
    app.text_input(key=f"new_{docs['a']}_tags").input("ministre; délai")
    app.selectbox(key=f"new_{docs['a']}_reliability").set_value("B")
    app.selectbox(key=f"new_{docs['a']}_credibility").set_value(2)
    button(app, "Save annotation").click().run()
    assert not app.exception
    [saved] = annotations_in(docs["path"], docs["a"])
    assert (saved.start, saved.end, saved.exact) == (start, start + 6, "décide")
    assert (saved.note, saved.author) == ("Voir *l'annexe*.", "Ada")
    assert saved.tags == ("ministre", "délai")
    assert (saved.reliability, saved.credibility) == ("B", 2)
    assert app.success[0].value.startswith("Annotation saved")
    assert not [b for b in app.button if b.label == "Save annotation"]  # selection forgotten


def test_list_shows_note_markdown_without_html(docs):
    with Store(docs["path"]) as store:
        create_annotation(store, docs["a"], 0, 9, note="**sic** <img src=x onerror=alert(1)>",
                          tags=["a*b"], author="Ada")
    app = run_page(doc=docs["a"])
    note = [m for m in app.markdown if "sic" in m.value][0]
    assert note.value == "**sic** <img src=x onerror=alert(1)>"
    assert note.proto.allow_html is False
    assert any(m.value == "> " + escape_markdown("Article 1") for m in app.markdown)
    assert "a\\*b" in app.caption[-1].value


def test_delete_then_undo_go_through_to_the_database(docs):
    with Store(docs["path"]) as store:
        create_annotation(store, docs["a"], 0, 9, note="first", author="Ada")
    app = run_page(doc=docs["a"])
    app.sidebar.text_input[0].input("Ada").run()
    button(app, "Delete").click().run()
    assert annotations_in(docs["path"], docs["a"]) == []
    assert "deleted" in app.info[0].value
    button(app, "↶ Undo my last change").click().run()
    assert [a.note for a in annotations_in(docs["path"], docs["a"])] == ["first"]
    assert "Brought back" in app.info[0].value


def test_edit_changes_the_note(docs):
    with Store(docs["path"]) as store:
        made = create_annotation(store, docs["a"], 0, 9, note="first", author="Ada")
    app = run_page(doc=docs["a"])
    app.sidebar.text_input[0].input("Bea").run()
    button(app, "Edit").click().run()
    app.text_area(key=f"edit_{made.id}_note").input("second")
    [b for b in app.button if b.label == "Save changes"][0].click().run()
    [edited] = annotations_in(docs["path"], docs["a"])
    assert (edited.note, edited.author) == ("second", "Ada")


def test_author_is_remembered_across_reruns(docs):
    app = run_page(doc=docs["a"])
    app.sidebar.text_input[0].input("Ada").run()
    app.selectbox(key="read_document").set_value(docs["b"]).run()
    assert app.sidebar.text_input[0].value == "Ada"
    assert app.session_state["palimpsest_author"] == "Ada"


# ---------------------------------------------------------------- offsets at the browser edge

TEXTS = st_.text(
    alphabet=st_.sampled_from(list("ae é\n") + ["😀", "\u0301", "🇨", "\u200d", "𝔸"]), max_size=40
)


@settings(max_examples=80, deadline=None)
@given(TEXTS, st_.integers(0, 45))
def test_offset_table_agrees_with_sources_text(text, offset):
    table = OffsetTable(text)
    cp = min(offset, len(text))
    assert table.to_utf16(cp) == codepoint_to_utf16(text, cp)
    units = min(offset, len(text.encode("utf-16-le")) // 2)
    assert table.to_codepoint(units) == utf16_to_codepoint(text, units)


@settings(max_examples=80, deadline=None)
@given(TEXTS, st_.data())
def test_offsets_round_trip_through_utf16(text, data):
    table = OffsetTable(text)
    start = data.draw(st_.integers(0, len(text)))
    assert table.to_codepoint(table.to_utf16(start)) == start


def test_long_lists_are_paged_and_filtered(docs):
    with Store(docs["path"]) as store:
        for n in range(30):
            create_annotation(store, docs["a"], n, n + 5, note=f"note {n}",
                              tags=["rare"] if n == 27 else [], author="Ada")
    app = run_page(doc=docs["a"])
    assert len([b for b in app.button if b.label == "Delete"]) == 25
    app.number_input(key="read_list_page").set_value(2).run()
    notes = [m.value for m in app.markdown if m.value.startswith("note ")]
    assert notes == [f"note {n}" for n in range(25, 30)]
    app.text_input(key="read_list_filter").input("RARE").run()
    assert [m.value for m in app.markdown if m.value.startswith("note ")] == ["note 27"]
    assert not app.exception


@settings(max_examples=80, deadline=None)
@given(TEXTS, st_.integers(0, 90), st_.integers(0, 90))
def test_any_browser_range_becomes_a_selection_that_slices_the_text(text, a, b):
    table = OffsetTable(text)
    start, end = sorted((table.to_codepoint(a), table.to_codepoint(b)))
    selection = _trimmed(text, start, end)
    if not text[start:end].strip():
        assert selection is None  # only spaces selected: nothing to annotate
        return
    assert text[selection.start : selection.end] == selection.text
    assert selection.text == text[start:end].strip()
    assert start <= selection.start < selection.end <= end
