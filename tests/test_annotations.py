"""Annotations: creation and validation, history, soft delete, undo, review, safe Markdown."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.model import AnnotationLink, clean_tags, render_note_markdown
from annotations.notes import (
    annotation_history,
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    place_annotation,
    restore_annotation,
    review_queue,
    undo_last,
    update_annotation,
)
from annotations.store import Store
from sources.errors import InvalidInput, NotFound

TEXT = (
    "The Soviet delegation declared that all troops would withdraw within nine months. "
    "The Afghan side reserved its position on the border question. "
    "Both parties agreed to meet again in Geneva."
)


def add_document(store: Store, text: str, *, title: str = "Report", kind: str = "final",
                 language: str | None = "en", pages=(), passages=(),
                 project: str = "Test project") -> int:
    """Insert a document (and its pages/passages) the way the importer would; returns its id.

    ``pages``: ``(label, start, end)``; ``passages``: ``(label, start, end)``.
    """
    with store.transaction() as db:
        found = db.execute("select id from projects where name = ?", [project]).fetchone()
        project_id = found[0] if found else db["projects"].insert({"name": project}).last_pk
        digest = hashlib.sha256(f"{title}\0{text}\0{uuid.uuid4()}".encode()).hexdigest()
        document_id = db["documents"].insert({
            "project_id": project_id, "title": title, "kind": kind, "language": language,
            "text": text, "sha256": digest,
        }).last_pk
        db["pages"].insert_all(
            {"document_id": document_id, "seq": seq, "label": label, "start": start, "end": end}
            for seq, (label, start, end) in enumerate(pages, start=1)
        )
        db["passages"].insert_all(
            {"document_id": document_id, "seq": seq, "label": label, "start": start, "end": end}
            for seq, (label, start, end) in enumerate(passages, start=1)
        )
    return document_id


@pytest.fixture
def store():
    with Store(":memory:") as opened:
        yield opened


@pytest.fixture
def doc(store):
    return add_document(store, TEXT)


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


# ---------------------------------------------------------------- creation

def test_create_quotes_the_stored_text_with_context(store, doc):
    start, end = span_of(TEXT, "nine months")
    made = create_annotation(store, doc, start, end, note="Compare the draft.",
                             tags=[" withdrawal ", "Withdrawal", "timetable"], reliability="b",
                             credibility="2", author="  Ada Lovelace ")
    assert made.exact == "nine months"
    assert made.prefix == TEXT[start - 32 : start] and made.suffix == TEXT[end : end + 32]
    assert made.tags == ("withdrawal", "timetable")
    assert (made.reliability, made.credibility, made.author) == ("B", 2, "Ada Lovelace")
    assert made.anchor_status == "anchored" and made.anchor_confidence == 1.0
    assert made.created_at.endswith("+00:00") and made.created_at == made.modified_at
    assert get_annotation(store, made.id) == made
    uuid.UUID(made.id)


def test_a_bare_highlight_is_allowed(store, doc):
    made = create_annotation(store, doc, 0, 3)
    assert (made.note, made.tags, made.reliability, made.credibility, made.links) == (
        "", (), None, None, ())


def test_context_is_cut_at_the_edges_of_the_text(store, doc):
    made = create_annotation(store, doc, 0, 3)
    assert made.prefix == ""
    last = create_annotation(store, doc, len(TEXT) - 7, len(TEXT))
    assert last.suffix == "" and last.exact == "Geneva."


@pytest.mark.parametrize("start, end, words", [
    (5, 5, "empty"), (7, 3, "outside"), (-1, 4, "outside"), (0, len(TEXT) + 1, "outside"),
    (0.0, 4, "whole-number"), (True, 4, "whole-number"),
])
def test_bad_spans_are_refused_in_plain_words(store, doc, start, end, words):
    with pytest.raises(InvalidInput, match=words):
        create_annotation(store, doc, start, end)
    assert store.count("annotations") == 0


@pytest.mark.parametrize("fields, words", [
    ({"reliability": "G"}, "A to F"),
    ({"credibility": 7}, "1 to 6"),
    ({"credibility": "high"}, "1 to 6"),
    ({"credibility": 2.5}, "1 to 6"),
    ({"links": [AnnotationLink("copies", 1)]}, "Unknown link type"),
    ({"links": [{"link_type": "quotes"}]}, "document or to another annotation"),
    ({"links": [AnnotationLink("quotes", 1, 3, None)]}, "start and its end"),
    ({"links": [AnnotationLink("quotes", 1, 3, 10_000)]}, "outside"),
    ({"target": (1, 4)}, "document, start and end"),
])
def test_bad_fields_are_refused(store, doc, fields, words):
    with pytest.raises(InvalidInput, match=words):
        create_annotation(store, doc, 0, 3, **fields)
    assert store.count("annotations") == 0 and store.count("annotation_history") == 0


def test_missing_documents_and_annotations_are_not_found(store, doc):
    with pytest.raises(NotFound, match="Document 99"):
        create_annotation(store, 99, 0, 3)
    with pytest.raises(NotFound, match="Document 99"):
        create_annotation(store, doc, 0, 3, links=[AnnotationLink("quotes", 99)])
    with pytest.raises(NotFound, match="no annotation"):
        create_annotation(store, doc, 0, 3,
                          links=[AnnotationLink("quotes", target_annotation_id="nope")])
    with pytest.raises(NotFound):
        get_annotation(store, "nope")


def test_links_and_second_span_are_stored(store, doc):
    other = add_document(store, "Texte français du rapport.", title="Rapport", language="fr")
    first = create_annotation(store, doc, 0, 3)
    made = create_annotation(
        store, doc, 4, 10, target=(other, 0, 5),
        links=[AnnotationLink("translation-of", other, 0, 5),
               {"link_type": "corroborates", "target_annotation_id": first.id}],
    )
    again = get_annotation(store, made.id)
    assert again.links == (AnnotationLink("translation-of", other, 0, 5, None),
                           AnnotationLink("corroborates", None, None, None, first.id))
    assert (again.target_document_id, again.target_start, again.target_end) == (other, 0, 5)


def test_notes_are_stored_as_typed_with_newlines_normalised(store, doc):
    note = "**Draft** says <script>alert(1)</script>\r\nsee [x](javascript:alert(1))"
    made = create_annotation(store, doc, 0, 3, note=note)
    assert made.note == note.replace("\r\n", "\n")


# ---------------------------------------------------------------- Markdown rendering

@pytest.mark.parametrize("note", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
])
def test_render_note_markdown_never_passes_html_or_script_links(note):
    html = render_note_markdown(note)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert 'href="javascript' not in html.lower()


def test_render_note_markdown_keeps_ordinary_markdown():
    html = render_note_markdown("**sic** and [source](https://example.org/a?b=1&c=2)")
    assert "<strong>sic</strong>" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">source</a>' in html


def test_clean_tags_splits_on_the_csv_separator_and_deduplicates():
    assert clean_tags(["a;b", " B ", "c  d", "", "  "]) == ("a", "b", "c d")
    assert clean_tags("single") == ("single",)


# ---------------------------------------------------------------- edit, delete, history

def test_edit_records_before_and_after(store, doc):
    made = create_annotation(store, doc, 0, 3, note="first", author="Ada")
    edited = update_annotation(store, made.id, author="Bob", note="second", tags=["x"],
                               reliability="C", credibility=3, rationale="one witness")
    assert (edited.note, edited.tags, edited.author) == ("second", ("x",), "Ada")
    history = annotation_history(store, made.id)
    assert [(h["action"], h["author"]) for h in history] == [("create", "Ada"), ("edit", "Bob")]
    assert history[0]["before"] is None and history[0]["after"]["note"] == "first"
    assert history[1]["before"]["note"] == "first" and history[1]["after"]["note"] == "second"


def test_an_edit_that_changes_nothing_records_nothing(store, doc):
    made = create_annotation(store, doc, 0, 3, note="same")
    assert update_annotation(store, made.id, author="Ada", note="same") == made
    assert len(annotation_history(store, made.id)) == 1


def test_moving_the_span_requotes(store, doc):
    made = create_annotation(store, doc, 0, 3)
    start, end = span_of(TEXT, "Geneva")
    moved = update_annotation(store, made.id, author="Ada", start=start, end=end)
    assert moved.exact == "Geneva" and moved.suffix == "."


def test_unknown_fields_are_a_programming_error(store, doc):
    made = create_annotation(store, doc, 0, 3)
    with pytest.raises(TypeError):
        update_annotation(store, made.id, author="Ada", document_id=2)


def test_delete_is_soft_and_restore_brings_it_back(store, doc):
    made = create_annotation(store, doc, 0, 3, note="keep me")
    delete_annotation(store, made.id, author="Ada")
    assert list_annotations(store, doc) == []
    assert [a.id for a in list_annotations(store, doc, include_deleted=True)] == [made.id]
    assert get_annotation(store, made.id).deleted_at >= made.modified_at  # a timestamp, after
    with pytest.raises(InvalidInput, match="restore it"):
        update_annotation(store, made.id, author="Ada", note="changed")
    restored = restore_annotation(store, made.id, author="Ada")
    assert restored.deleted_at is None and restored.note == "keep me"
    actions = [h["action"] for h in annotation_history(store, made.id)]
    assert actions == ["create", "delete", "restore"]


def test_list_is_in_text_order_and_filters_by_document_and_status(store, doc):
    other = add_document(store, "Another text entirely.", title="Other")
    late = create_annotation(store, doc, 20, 30)
    early = create_annotation(store, doc, 0, 5)
    elsewhere = create_annotation(store, other, 0, 7)
    assert [a.id for a in list_annotations(store, doc)] == [early.id, late.id]
    assert [a.id for a in list_annotations(store)] == [early.id, late.id, elsewhere.id]
    assert list_annotations(store, status="review") == []
    with pytest.raises(InvalidInput):
        list_annotations(store, status="lost")


# ---------------------------------------------------------------- undo

def test_undo_create_deletes_softly(store, doc):
    made = create_annotation(store, doc, 0, 3, author="Ada")
    message = undo_last(store, author="Ada")
    assert "Removed the annotation on “The”" in message and "restored" in message
    assert list_annotations(store) == [] and get_annotation(store, made.id).deleted_at


def test_undo_edit_restores_the_previous_values(store, doc):
    made = create_annotation(store, doc, 0, 3, note="first", tags=["a"], author="Ada")
    update_annotation(store, made.id, author="Ada", note="second", tags=["b"], credibility=4)
    assert "Ada's edit" in undo_last(store)
    back = get_annotation(store, made.id)
    assert (back.note, back.tags, back.credibility) == ("first", ("a",), None)


def test_undo_delete_recovers(store, doc):
    made = create_annotation(store, doc, 0, 3, author="Ada")
    delete_annotation(store, made.id, author="Ada")
    assert "Brought back" in undo_last(store, author="Ada")
    assert [a.id for a in list_annotations(store)] == [made.id]


def test_undo_goes_back_step_by_step_and_then_says_so(store, doc):
    made = create_annotation(store, doc, 0, 3, note="v1", author="Ada")
    update_annotation(store, made.id, author="Ada", note="v2")
    update_annotation(store, made.id, author="Ada", note="v3")
    undo_last(store, author="Ada")
    assert get_annotation(store, made.id).note == "v2"
    undo_last(store, author="Ada")
    assert get_annotation(store, made.id).note == "v1"
    undo_last(store, author="Ada")
    assert get_annotation(store, made.id).deleted_at >= made.modified_at
    assert undo_last(store, author="Ada") == "There is nothing to undo."


def test_undo_by_author_leaves_other_peoples_later_changes(store, doc):
    made = create_annotation(store, doc, 0, 3, note="first", tags=["a"], author="Ada")
    update_annotation(store, made.id, author="Ada", note="Ada's note")
    update_annotation(store, made.id, author="Bob", tags=["bob"])
    undo_last(store, author="Ada")
    back = get_annotation(store, made.id)
    assert (back.note, back.tags) == ("first", ("bob",))
    history = annotation_history(store, made.id)
    assert history[-1]["action"] == "undo" and history[-1]["undoes"] == history[1]["id"]


def test_undo_placing_puts_the_annotation_back(store, doc):
    made = create_annotation(store, doc, 0, 3, author="Ada")
    place_annotation(store, made.id, 4, 10, author="Ada")
    assert "back where it was" in undo_last(store, author="Ada")
    back = get_annotation(store, made.id)
    assert (back.start, back.end, back.exact) == (0, 3, "The")


# ---------------------------------------------------------------- review queue

def test_review_queue_and_placing_by_hand(store, doc):
    made = create_annotation(store, doc, 0, 3)
    with store.transaction() as db:
        db["annotations"].update(made.id, {"anchor_status": "review", "anchor_confidence": 0.3})
    assert [a.id for a in review_queue(store)] == [made.id]
    start, end = span_of(TEXT, "Geneva")
    placed = place_annotation(store, made.id, start, end, author="Ada")
    assert (placed.exact, placed.anchor_status, placed.anchor_confidence) == (
        "Geneva", "anchored", 1.0)
    assert review_queue(store) == []
    assert annotation_history(store, made.id)[-1]["action"] == "place"


# ---------------------------------------------------------------- properties

PIECES = [*"abc XYZ\n.,é", "e\u0301", "😀", "\u4e2d", "ß", "\u0301"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=80).map(
    lambda pieces: unicodedata.normalize("NFC", "".join(pieces))
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, data=st.data())
def test_created_offsets_always_slice_the_quote(store, text, data):
    document_id = add_document(store, text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    made = create_annotation(store, document_id, start, end)
    assert text[made.start : made.end] == made.exact
    assert text[: made.start].endswith(made.prefix) and text[made.end :].startswith(made.suffix)
    assert get_annotation(store, made.id).exact == text[start:end]


def test_undo_finds_what_is_left_to_undo_through_an_index(store):
    """Undo looks up 'has this change been undone?' by the undoes column's index (m010),
    not by reading every undo's JSON."""
    from annotations.notes import _latest_undoable

    plan = " ".join(row[3] for row in store.db.execute(
        "explain query plan select * from annotation_history h where action in ('edit') and "
        "not exists (select 1 from annotation_history u where u.undoes = h.id) "
        "order by id desc limit 1"))
    assert "idx_annotation_history_undoes" in plan
    assert _latest_undoable(store.db, None) is None
