"""Streamlit helpers of the Review queue page: place re-imported annotations, restore deleted ones.

A review item is an annotation carried to a corrected version of its document
that could not be placed with confidence: its quote is the one of the older
version, its offsets only a proposal (``0, 0`` when nothing plausible was found).
Quotes and document text are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from annotations.documents import StoredDocument
from annotations.model import Annotation
from annotations.notes import (
    list_annotations,
    place_annotation,
    restore_annotation,
    undo_last,
)
from annotations.store import Store
from sources.errors import PalimpsestError
from ui.annotate import escape_markdown, flash, short_quote
from ui.selection import Highlight, clear_selection, text_selector
from ui.text import note_markdown

CURRENT_KEY = "review_current"
DELETED_SHOWN = 50


def has_proposal(item: Annotation) -> bool:
    """True when re-anchoring proposed a place (a non-empty span) for the item."""
    return item.end > item.start


def deleted_annotations(store: Store) -> list[Annotation]:
    """Deleted annotations, most recently deleted first."""
    deleted = [a for a in list_annotations(store, include_deleted=True) if a.is_deleted]
    return sorted(deleted, key=lambda a: (a.deleted_at or "", a.id), reverse=True)


def undo_last_button(store: Store, author: str) -> None:
    """Undo the latest change by this author (anyone's when no name is given)."""
    if st.button("↶ Undo last change", key="review_undo",
                 help="Undoes your latest create, edit, delete, restore or placing."):
        flash(undo_last(store, author=author or None), "info")
        st.rerun()


# ---------------------------------------------------------------- the queue

def pick_item(items: Sequence[Annotation], titles: dict[int, str]) -> Annotation:
    """A select box over the queue (in document and text order)."""
    by_id = {item.id: item for item in items}
    chosen = st.selectbox(
        "Annotation to place", list(by_id), key="review_choice",
        format_func=lambda i: _item_label(by_id[i], titles),
    )
    return by_id[chosen]


def _item_label(item: Annotation, titles: dict[int, str]) -> str:
    title = titles.get(item.document_id, f"document {item.document_id}")
    return f"{title}: “{short_quote(item.exact, 70)}”"


def review_item(store: Store, item: Annotation, doc: StoredDocument, author: str) -> None:
    """The old quote, the proposal in context, and the two ways to resolve the item."""
    key = f"review_text_{doc.id}"
    if st.session_state.get(CURRENT_KEY) != item.id:  # a selection made for another item
        clear_selection(key)
        st.session_state[CURRENT_KEY] = item.id
    _item_facts(item, doc)
    left, right = st.columns([3, 2], gap="large")
    with left:
        selection = text_selector(
            doc.text, highlights=_proposal(item), passages=doc.passages, pages=doc.pages,
            key=key, height=480, focus=(item.start, item.end) if has_proposal(item) else None,
        )
    with right:
        _accept_button(store, item, doc, author, key)
        st.divider()
        _place_by_hand(store, item, selection, author, key)


def _item_facts(item: Annotation, doc: StoredDocument) -> None:
    st.markdown("**Quote in the earlier version**")
    st.text(short_quote(item.exact, 400))
    if item.note:
        st.markdown("**Note**")
        st.markdown(note_markdown(item.note))  # raw HTML shown as text, no images
    if has_proposal(item):
        st.markdown("**Proposed place in this version**")
        st.text(short_quote(doc.text[item.start : item.end], 400))
        st.caption(f"Confidence {item.anchor_confidence:.0%} · characters {item.start}–"
                   f"{item.end} · marked with an orange outline in the text below")
    else:
        st.warning("No likely place was found in this version: select the right words "
                   "in the text below, or leave it in the queue.")


def _proposal(item: Annotation) -> list[Highlight]:
    if not has_proposal(item):
        return []
    return [Highlight(item.start, item.end, "match", "Proposed place", id=item.id)]


def _accept_button(store: Store, item: Annotation, doc: StoredDocument, author: str,
                   key: str) -> None:
    if st.button("Accept proposal", type="primary", key="review_accept",
                 disabled=not has_proposal(item)):
        quote = doc.text[item.start : item.end]
        _resolve(store, item, (item.start, item.end), author, key,
                 f"Annotation placed on the proposed “{short_quote(quote, 60)}”.")


def _place_by_hand(store: Store, item: Annotation, selection, author: str, key: str) -> None:
    if selection is None:
        st.caption("Or select the right words in the text with the mouse, then place it there.")
    else:
        st.markdown("**Your selection**")
        st.text(short_quote(selection.text))
    if st.button("Place here", key="review_place", disabled=selection is None):
        _resolve(store, item, (selection.start, selection.end), author, key,
                 f"Annotation placed on “{short_quote(selection.text, 60)}”.")


def _resolve(store: Store, item: Annotation, span: tuple[int, int], author: str, key: str,
             message: str) -> None:
    try:
        place_annotation(store, item.id, *span, author=author)
    except PalimpsestError as error:
        st.error(escape_markdown(str(error)))
        return
    clear_selection(key)
    flash(message + " “Undo last change” puts it back in the queue.")
    st.session_state.pop(CURRENT_KEY, None)
    st.rerun()


# ---------------------------------------------------------------- deleted annotations

def deleted_list(store: Store, deleted: Sequence[Annotation], titles: dict[int, str],
                 author: str) -> None:
    """The most recently deleted annotations, each with a Restore button."""
    if not deleted:
        st.caption("No deleted annotations.")
        return
    if len(deleted) > DELETED_SHOWN:
        st.caption(f"The {DELETED_SHOWN} most recently deleted of {len(deleted)}.")
    for annotation in deleted[:DELETED_SHOWN]:
        with st.container(border=True, key=f"deleted_{annotation.id}"):
            _deleted_card(store, annotation, titles, author)


def _deleted_card(store: Store, annotation: Annotation, titles: dict[int, str],
                  author: str) -> None:
    text, button = st.columns([5, 1])
    title = titles.get(annotation.document_id, f"document {annotation.document_id}")
    text.markdown("> " + escape_markdown(short_quote(annotation.exact)))
    facts = [title, f"by {annotation.author or 'unknown'}",
             f"deleted {(annotation.deleted_at or '')[:16].replace('T', ' ')}"]
    if annotation.note:
        facts.insert(1, f"note: {short_quote(annotation.note, 80)}")
    text.caption(escape_markdown(" · ".join(facts)))
    if button.button("Restore", key=f"restore_{annotation.id}"):
        try:
            restore_annotation(store, annotation.id, author=author)
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
            return
        flash(f"Annotation on “{short_quote(annotation.exact, 60)}” restored.")
        st.rerun()
