"""Read & annotate: one document, its passages and pages, the scholar's annotations on it.

Deep links: ``?doc=<id>`` opens a document, ``&start=<n>&end=<m>`` (code points)
also marks that span and scrolls to it, ready to be annotated.
"""

import streamlit as st

from annotations.documents import get_document, list_documents
from annotations.notes import list_annotations
from ui.annotate import (
    CURRENT_KEY,
    DOCUMENT_KEY,
    annotation_form,
    annotation_highlights,
    annotation_list,
    author_name,
    choose_document,
    document_header,
    keep_choice,
    link_is_new,
    read_link,
    set_url,
    show_flash,
    take_focus,
    undo_button,
)
from ui.corrections import correction_form, corrections_list
from ui.documents import pick_document
from ui.login import require_login
from ui.page_view import ocr_caption, page_beside, uncertain_highlights
from ui.projects import current_project_id
from ui.selection import opened_highlights, set_selection, text_selector
from ui.session import open_store

require_login()  # again: Streamlit runs files in pages/ directly when opened by their URL
store = open_store()
st.title("Read & annotate")
author = author_name()
documents = list_documents(store, current_project_id(store))
if not documents:
    st.info("No documents yet: import one on the Sources page first.")
    st.stop()

link_doc, link_span = read_link()
follow = link_is_new(link_doc, link_span)
known = {d.id for d in documents}
if link_doc in known and (follow or CURRENT_KEY not in st.session_state):
    choose_document(link_doc)
elif follow:
    st.warning(f"Document {link_doc} is not in this workbench (any more).")
summary = pick_document(documents, label="Document", key=DOCUMENT_KEY,
                        default_id=st.session_state.get(CURRENT_KEY), on_change=keep_choice)
doc = get_document(store, summary.id)
selector_key = f"read_text_{doc.id}"
focus = take_focus()
if follow and link_doc == doc.id and link_span:
    focus = set_selection(selector_key, doc.text, *link_span)
    focus = (focus.start, focus.end)
set_url(doc.id, link_span if link_doc == doc.id else None)

show_flash()
document_header(doc)
annotations = list_annotations(store, doc.id)
uncertain = uncertain_highlights(store, doc.id)
ocr_caption(store, doc, len(uncertain))
# The text takes two thirds of the page; the notes, the form and the page image the rest.
text_column, side_column = st.columns([2, 1], gap="medium")
with text_column:
    selection = text_selector(
        doc.text,
        highlights=annotation_highlights(annotations) + uncertain,
        passages=doc.passages,
        pages=doc.pages,
        key=selector_key,
        height=640,
        focus=focus,
    )
with side_column:
    page_beside(store, doc, selection)
    if selection:
        annotation_form(doc.id, selection, documents, selector_key=selector_key)
        correction_form(doc, selection, author)
    else:
        st.caption("Mark a passage in the text with the mouse, or from the keyboard (Tab "
                   "to the text, Shift+arrows, P for a paragraph), to annotate it. Click a "
                   "highlight to open its annotation.")
    st.divider()
    st.markdown(f"**Annotations ({len(annotations)})**")
    undo_button(author)
    corrections_list(doc, author)
    opened, token = opened_highlights(selector_key)
    annotation_list(annotations, documents, author=author, opened=opened, opened_token=token)
