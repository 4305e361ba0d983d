"""Review queue: place annotations a corrected re-import could not place; restore deleted ones."""

import streamlit as st

from annotations.documents import get_document, list_documents
from annotations.notes import review_queue
from ui.annotate import author_name, show_flash
from ui.review import (
    deleted_annotations,
    deleted_list,
    pick_item,
    review_item,
    undo_last_button,
)
from ui.session import open_store

store = open_store()
st.title("Review queue")
author = author_name()
show_flash()
undo_last_button(store, author)

titles = {d.id: d.title for d in list_documents(store)}
items = review_queue(store)
deleted = deleted_annotations(store)
to_review, recover = st.tabs([f"To place ({len(items)})", f"Deleted annotations ({len(deleted)})"])

with to_review:
    if not items:
        st.success("Nothing waits for review. After a corrected re-import (Sources page), "
                   "annotations that could not be placed with confidence appear here.")
    else:
        item = pick_item(items, titles)
        review_item(store, item, get_document(store, item.document_id), author)

with recover:
    deleted_list(store, deleted, titles, author)
