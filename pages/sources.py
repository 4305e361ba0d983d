"""Sources: import documents with their metadata, list them, read, edit, re-import, delete."""

import streamlit as st

from annotations.documents import (
    delete_document,
    get_document,
    import_document,
    list_documents,
    reimport_document,
    update_metadata,
)
from sources.errors import DuplicateDocument, PalimpsestError
from ui.documents import documents_table, pick_document
from ui.session import open_store
from ui.sources import MAX_UPLOAD_MB, metadata_fields, passages_table
from ui.text import escape_markdown

store = open_store()
st.title("Sources")
st.caption(
    "Plain text (any encoding), Markdown, HTML, DOCX, PDF (with its pages) and TEI XML, "
    "up to 50 MB each. A file that cannot be read is refused and nothing is stored."
)

documents = list_documents(store)
with st.expander("Import documents", expanded=not documents):
    with st.form("import", clear_on_submit=True):
        files = st.file_uploader("Files", accept_multiple_files=True, key="import_files",
                                 max_upload_size=MAX_UPLOAD_MB)
        meta = metadata_fields(key="import")
        submitted = st.form_submit_button("Import", type="primary")
    for upload in (files or []) if submitted else []:
        name = escape_markdown(upload.name)
        try:
            new_id = import_document(store, upload.getvalue(), upload.name, **meta)
        except DuplicateDocument as error:
            st.error(f"{name}: {escape_markdown(str(error))}")
            st.session_state["open_document"] = error.existing_id
        except PalimpsestError as error:
            st.error(f"{name}: not imported. {escape_markdown(str(error))}")
        else:
            st.success(f"{name}: imported.")
            st.session_state["open_document"] = new_id
    if submitted and files:
        documents = list_documents(store)

if not documents:
    st.info("No documents yet: import a draft, a final text, an annex or a translation above.")
    st.stop()

documents_table(documents)
doc = pick_document(documents, label="Open a document", key="open_document_choice",
                    default_id=st.session_state.get("open_document"))
read, edit, reimport, delete = st.tabs(["Read", "Edit metadata", "Re-import corrected", "Delete"])

with read:
    stored = get_document(store, doc.id)
    st.page_link("pages/read.py", label="Open in Read & annotate", icon="🖍️",
                 query_params={"doc": str(doc.id)})
    passages_table(stored)

with edit, st.form(f"edit_{doc.id}"):
    title = st.text_input("Title", value=doc.title)
    changes = metadata_fields(key=f"edit_{doc.id}", current=doc)
    if st.form_submit_button("Save metadata"):
        try:
            update_metadata(store, doc.id, title=title, **changes)
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
        else:
            st.success("Metadata saved.")
            st.rerun()

with reimport:
    st.write(
        "Import a corrected file of this document. The old version is kept; its "
        "annotations are carried over to the new text, and those that cannot be placed "
        "with confidence wait in the review queue."
    )
    corrected = st.file_uploader("Corrected file", key=f"reimport_{doc.id}",
                                 max_upload_size=MAX_UPLOAD_MB)
    go = st.button("Import as the new version", key=f"reimport_go_{doc.id}")
    if corrected is not None and go:
        try:
            new_id, report = reimport_document(store, doc.id, corrected.getvalue(), corrected.name)
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
        else:
            st.success(
                f"Imported as document {new_id}: {report.get('anchored', 0)} annotations "
                f"carried over, {report.get('review', 0)} waiting for review."
            )

with delete:
    st.warning(
        f"Deleting “{escape_markdown(doc.title)}” also deletes its pages, passages, alignments and "
        "annotations. This cannot be undone (make a backup first)."
    )
    sure = st.checkbox("Yes, delete this document and everything attached to it",
                       key=f"confirm_delete_{doc.id}")
    if st.button("Delete", disabled=not sure, key=f"delete_{doc.id}"):
        delete_document(store, doc.id)
        st.session_state.pop("open_document", None)
        st.rerun()

