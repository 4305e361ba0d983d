"""The Review queue page through the router (AppTest): proposals, placing by hand, restore, undo."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from annotations.corrections import reimport_document
from annotations.documents import import_document
from annotations.export import import_csv
from annotations.notes import (
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    review_queue,
)
from annotations.safe_csv import csv_bytes
from annotations.store import Store
from tests.conftest import ROOT
from ui.selection import _STATE_PREFIX, _text_sig

OLD = (
    "Article 1. The parties agree to the following terms.\n\n"
    "Article 2. The treaty was signed at Geneva by the ministers of foreign affairs.\n\n"
    "Article 3. Witnesses remain doubtful.\n"
)
NEW = (
    "Article 1. The parties agree to the following terms.\n\n"
    "Article 2. The accord was concluded in Lausanne by the deputies for external relations.\n\n"
    "Article 3. Witnesses remain doubtful.\n"
)
GENEVA = "signed at Geneva by the ministers"


def annotate(store, document_id: int, text: str, quote: str, **fields):
    start = text.index(quote)
    return create_annotation(store, document_id, start, start + len(quote), **fields)


@pytest.fixture
def project(db_path):
    """A corrected re-import: one annotation carried over surely, one waiting for review."""
    with Store(db_path) as store:
        old = import_document(store, OLD.encode(), "treaty.txt", title="Treaty", kind="draft")
        annotate(store, old, OLD, GENEVA, note="Where was it *signed*?", author="Ada")
        annotate(store, old, OLD, "Witnesses remain doubtful", note="Sure.", author="Ada")
        new, report = reimport_document(store, old, NEW.encode(), "treaty-corrected.txt")
        [item] = review_queue(store)
    assert report["review"] == 1 and item.exact == GENEVA
    return {"old": old, "new": new, "item": item, "path": db_path}


def open_review(name: str = "Eve") -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/review.py")
    at.run()
    at.sidebar.text_input[0].input(name).run()
    assert not at.exception, at.exception
    return at


def selector_payload(at: AppTest, key: str) -> dict:
    return json.loads(_find(at.main, key).proto.json)


def _find(node, key):
    if getattr(node, "key", None) == key:
        return node
    for child in getattr(node, "children", {}).values():
        if (found := _find(child, key)) is not None:
            return found
    return None


def button(at: AppTest, key: str):
    return at.button(key=key)


def test_an_item_shows_the_old_quote_and_the_proposal_in_context(project):
    at = open_review()
    item = project["item"]
    texts = [t.value for t in at.text]
    assert texts[0] == GENEVA
    assert texts[1] == NEW[item.start : item.end]
    assert f"Confidence {item.anchor_confidence:.0%}" in at.caption[0].value
    payload = selector_payload(at, f"review_text_{project['new']}")
    assert payload["text"] == NEW
    assert payload["highlights"] == [[item.start, item.end, "match", "Proposed place", item.id]]
    assert payload["focus"] == [item.start, item.end]
    assert at.tabs[0].label == "To place (1)"
    assert button(at, "review_place").disabled  # nothing selected yet


def test_accept_places_the_annotation_on_the_proposal_and_empties_the_queue(project):
    at = open_review()
    button(at, "review_accept").click().run()
    assert not at.exception
    item = project["item"]
    with Store(project["path"]) as store:
        placed = get_annotation(store, item.id)
        assert review_queue(store) == []
    assert (placed.start, placed.end, placed.anchor_status) == (item.start, item.end, "anchored")
    assert placed.exact == NEW[item.start : item.end]
    assert at.success[0].value.startswith("Annotation placed on the proposed")
    assert at.tabs[0].label == "To place (0)"
    assert "Nothing waits for review" in at.success[1].value


def test_place_by_hand_uses_the_selected_words(project):
    at = open_review()
    key = f"review_text_{project['new']}"
    start = NEW.index("concluded in Lausanne")
    end = start + len("concluded in Lausanne")
    at.session_state[_STATE_PREFIX + key] = {"cp": [start, end], "sig": _text_sig(NEW)}
    at.run()
    assert "concluded in Lausanne" in [t.value for t in at.text]
    button(at, "review_place").click().run()
    with Store(project["path"]) as store:
        placed = get_annotation(store, project["item"].id)
    assert (placed.start, placed.end, placed.exact) == (start, end, "concluded in Lausanne")
    assert placed.anchor_status == "anchored"
    assert at.success[0].value.startswith("Annotation placed on “concluded in Lausanne”")


def test_undo_puts_a_placed_annotation_back_in_the_queue(project):
    at = open_review()
    button(at, "review_accept").click().run()
    button(at, "review_undo").click().run()
    assert at.info[0].value.startswith("Put the annotation on “concluded in Lausanne")
    with Store(project["path"]) as store:
        [back] = review_queue(store)
    assert back.id == project["item"].id and back.exact == GENEVA


def test_an_item_without_proposal_cannot_be_accepted(db_path):
    with Store(db_path) as store:
        document = import_document(store, NEW.encode(), "n.txt", title="New")
        rows = [{"document_id": document, "start": 0, "end": 0, "exact": "lost words",
                 "anchor_status": "review", "anchor_confidence": 0, "note": "n"}]
        assert import_csv(store, csv_bytes(rows), author="Ada") == 1
    at = open_review()
    assert "No likely place was found" in at.warning[0].value
    assert button(at, "review_accept").disabled
    assert selector_payload(at, f"review_text_{document}")["highlights"] == []


def test_a_deleted_annotation_is_listed_and_restored(project):
    with Store(project["path"]) as store:
        kept = list_annotations(store, project["old"])[1]
        delete_annotation(store, kept.id, author="Ada")
    at = open_review()
    assert at.tabs[1].label == "Deleted annotations (1)"
    button(at, f"restore_{kept.id}").click().run()
    assert not at.exception
    with Store(project["path"]) as store:
        restored = get_annotation(store, kept.id)
        assert kept.id in {a.id for a in list_annotations(store, project["old"])}
    assert not restored.is_deleted
    assert at.success[0].value.startswith("Annotation on “Witnesses remain doubtful” restored")
    assert at.tabs[1].label == "Deleted annotations (0)"


def test_an_empty_queue_says_where_items_come_from(db_path):
    with Store(db_path) as store:
        import_document(store, OLD.encode(), "o.txt", title="Old")
    at = open_review()
    assert "corrected re-import" in at.success[0].value
    assert "No deleted annotations." in [c.value for c in at.caption]


def test_after_placing_one_item_the_next_one_is_shown(project):
    with Store(project["path"]) as store:
        text = OLD.replace("Article 1", "Art. 1")
        second = import_document(store, text.encode(), "second.txt", title="Second")
        annotate(store, second, text, "The treaty was", note="two", author="Ada")
        reimport_document(store, second, NEW.replace("accord", "pact").encode(), "second2.txt")
        assert len(review_queue(store)) == 2
    at = open_review()
    assert at.tabs[0].label == "To place (2)"
    first = at.selectbox(key="review_choice").value
    button(at, "review_accept").click().run()
    assert not at.exception
    assert at.tabs[0].label == "To place (1)"
    assert at.selectbox(key="review_choice").value != first
