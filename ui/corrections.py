"""Correcting the text on the Read page: the passage under the selection, edited in place;
the list of corrections with their author and date, each one undoable."""

from __future__ import annotations

import streamlit as st

from annotations.corrections import correct_passage, corrections_of, undo_correction
from annotations.documents import StoredDocument
from annotations.store import Store, default_db_path
from sources.errors import PalimpsestError
from sources.segment import passage_at
from ui.annotate import choose_document, flash
from ui.selection import Selection
from ui.text import escape_markdown

ERROR_KEY = "_palimpsest_correction_error"


def correction_form(doc: StoredDocument, selection: Selection, author: str) -> None:
    """An expander with the text of the passage holding the selection, ready to correct."""
    passage = passage_at(doc.passages, selection.start)
    if passage is None:
        return
    with st.expander(f"Correct the text of § {passage.seq} (an OCR error, a running head "
                     "left in, a broken word)"):
        if doc.superseded_by:
            st.info(f"This version has been corrected since: open document "
                    f"{doc.superseded_by} to correct it further.")
            return
        key = f"correction_{doc.id}_{passage.seq}"
        st.text_area("Text of the passage", value=doc.text[passage.start:passage.end],
                     key=key, height=160)
        st.caption("Saving makes a new version of the document; the annotations and ledger "
                   "decisions are carried over, and the old version is kept.")
        st.button("Save correction", key=f"{key}_save", type="primary", on_click=_save,
                  args=(doc.id, passage.seq, key, author or None))
    _show_error()


def corrections_list(doc: StoredDocument, author: str) -> None:
    """Every correction of this document's versions, newest first, with Undo (recorded as
    ``author``'s)."""
    with Store(default_db_path()) as store:
        found = corrections_of(store, doc.id)
    if not found:
        return
    with st.expander(f"Corrections ({len(found)})"):
        for correction in found:
            who = escape_markdown(correction.author or "someone")
            what = "Undid a correction" if correction.undoes else "Corrected"
            st.markdown(f"**{what} of § {correction.passage_seq}** by {who}, "
                        f"{correction.created_at[:16].replace('T', ' ')} UTC "
                        f"(version of document {correction.document_id})")
            st.caption(escape_markdown(_change(correction.before, correction.after)))
            st.button("Undo", key=f"undo_correction_{correction.id}", on_click=_undo,
                      args=(correction.id, author or None))
    _show_error()


def _save(document_id: int, seq: int, key: str, author: str | None) -> None:
    _new_version(lambda store: correct_passage(store, document_id, seq, st.session_state[key],
                                               author=author),
                 f"Corrected § {seq}: the corrected text is document {{new_id}}, a new version")


def _undo(correction_id: int, author: str | None) -> None:
    _new_version(lambda store: undo_correction(store, correction_id, author=author),
                 "Correction undone: the text as it was is document {new_id}, a new version")


def _new_version(make, done: str) -> None:
    """Run ``make(store) -> (new id, report)`` in a button's callback; open the new version
    and say so, or keep the refusal for the form to show."""
    try:
        with Store(default_db_path()) as store:
            new_id, report = make(store)
    except PalimpsestError as error:
        st.session_state[ERROR_KEY] = str(error)
        return
    choose_document(new_id)
    flash(f"{done.format(new_id=new_id)}; {_carried(report)}")


def _carried(report: dict) -> str:
    anchored, review = report.get("anchored", 0), report.get("review", 0)
    return (f"{anchored} annotation{'s' if anchored != 1 else ''} carried over"
            + (f", {review} waiting in the Review queue." if review else "."))


def _show_error() -> None:
    message = st.session_state.pop(ERROR_KEY, None)
    if message:
        st.error(escape_markdown(f"Not corrected: {message}"))


def _change(before: str, after: str) -> str:
    """The words that differ, with a little context: "… de «Kusæss» → «Kunar» en …"."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while (end < min(len(before), len(after)) - start
           and before[-1 - end] == after[-1 - end]):
        end += 1
    left = before[max(0, start - 30):start].split(" ", 1)[-1] if start > 30 else before[:start]
    old, new = before[start:len(before) - end], after[start:len(after) - end]
    return f"…{left}«{old}» → «{new}»…"
