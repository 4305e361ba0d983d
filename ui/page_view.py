"""The page image beside the text: the scholar checks what was read against the page."""

from __future__ import annotations

import streamlit as st

from annotations.documents import (
    StoredDocument,
    page_image,
    passage_confidences,
    uncertain_words,
)
from annotations.store import Store
from sources.errors import PalimpsestError
from sources.ocr import LOW_CONFIDENCE
from sources.page_image import has_pages
from sources.segment import page_at
from ui.selection import Highlight, Selection
from ui.text import escape_markdown


def uncertain_highlights(store: Store, document_id: int) -> list[Highlight]:
    """The words OCR was unsure of, to underline (wavy, with a "?") with their confidence."""
    return [Highlight(w.start, w.end, "uncertain",
                      f"Uncertain OCR reading (confidence {w.confidence:.0f} %): check it "
                      "against the page image")
            for w in uncertain_words(store, document_id)]


def ocr_caption(store: Store, doc: StoredDocument, uncertain: int) -> None:
    """One line for a document read by OCR: its confidence and how uncertain words look."""
    confidences = passage_confidences(store, doc.id)
    if not confidences:
        return
    lowest = min(confidences, key=confidences.get)
    mean = sum(confidences.values()) / len(confidences)
    marked = (f"{uncertain:,} uncertain {'word is' if uncertain == 1 else 'words are'} "
              f"(under {LOW_CONFIDENCE:.0f} %) underlined with a wavy line and marked “?”"
              if uncertain else f"no word under {LOW_CONFIDENCE:.0f} %")
    st.caption(f"Read by OCR: mean passage confidence {mean:.0f} %, lowest "
               f"{confidences[lowest]:.0f} % (§ {lowest}); {marked}. Show the page image to "
               "check a reading.")


def page_beside(store: Store, doc: StoredDocument, selection: Selection | None, *,
                key: str | None = None, label: str = "Show the page image") -> None:
    """A toggle; when on, the image of the page holding the selection (else a page the
    scholar picks), the selection's words outlined on it."""
    if not has_pages(doc.media_type) or not doc.pages:
        return
    if not st.toggle(label, key=key or f"page_image_{doc.id}",
                     help="The page as it was scanned or printed, to check the text against."):
        return
    # The image comes first, the page choice under it: the image keeps its place whether
    # or not the choice is shown, so a new selection redraws it where it was (drawn one
    # place lower, the old image could stay beside the new one after the run).
    labels = {p.seq: p.label for p in doc.pages}
    choice_key = f"page_image_choice_{doc.id}"
    page = page_at(selection.start, doc.pages) if selection else None
    pick = page is None
    if pick:
        chosen = st.session_state.get(choice_key)
        page = doc.pages[(chosen if chosen in labels else doc.pages[0].seq) - 1]
    span = (selection.start, selection.end) if selection else None
    try:
        image, boxes = _cached_page(store.path, doc.id, doc.imported_at, page.seq, span)
    except PalimpsestError as error:
        st.error(escape_markdown(str(error)))
    except Exception:  # noqa: BLE001 - a page that cannot be drawn must not break Read
        st.error("This page could not be drawn from the original file.")
    else:
        st.image(image, caption=_caption(page.label, len(doc.pages), selection, boxes),
                 width="stretch")
    if pick:
        st.selectbox("Page", list(labels), format_func=lambda s: f"p. {labels[s]}",
                     key=choice_key)


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_page(db_path: str, document_id: int, imported_at: str | None, seq: int,
                 span: tuple[int, int] | None) -> tuple[bytes, int]:
    # A document's original and text never change (a correction is a new document), so a
    # page with a selection is drawn once; the import time tells a reused id apart.
    with Store(db_path) as store:
        return page_image(store, document_id, seq, span=span)


def _caption(label: str, pages: int, selection: Selection | None, boxes: int) -> str:
    where = f"Page {label} ({pages} in all)"
    if selection is None:
        return f"{where}. Select text to see where it is on the page."
    if not boxes:
        return f"{where}. The selection could not be found on the page image."
    return f"{where}: the selection is outlined in red ({boxes} boxes)."
