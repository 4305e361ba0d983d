"""Sources: import documents with their metadata, list them, read, edit, re-import, delete."""

import streamlit as st

from annotations.corrections import reimport_document
from annotations.documents import (
    delete_document,
    get_document,
    list_documents,
    passage_confidences,
    stored_import_notes,
    update_metadata,
)
from sources.errors import PalimpsestError
from ui.annotate import flash, show_flash
from ui.documents import documents_table, pick_document
from ui.projects import current_project_id, project_forms
from ui.session import open_store
from ui.sources import (
    MAX_UPLOAD_MB,
    follow_import,
    import_form,
    metadata_fields,
    passages_table,
    show_import_outcome,
    viewer_key,
)
from ui.text import escape_markdown

store = open_store()
project_id = current_project_id(store)
st.title("Sources")
show_flash()
st.caption(
    "Plain text (any encoding), Markdown, HTML, DOCX, PDF (with its pages), TEI XML and "
    "scans (PNG, JPEG, TIFF, image-only PDF: read by OCR), up to 50 MB each. A file that "
    "cannot be read is refused and nothing is stored. "
    "Files go into the current project, chosen in the sidebar."
)
with st.expander("Projects: create, rename"):
    project_forms(store, project_id)

documents = list_documents(store, project_id) if project_id else []
with st.expander("Import documents", expanded=not documents):
    import_form(store, project_id, documents)
follow_import(store)
show_import_outcome()

if not documents:
    st.info("No documents yet: import a draft, a final text, an annex or a translation above.")
    st.stop()

documents_table(documents)
doc = pick_document(documents, label="Open a document", key=viewer_key(project_id),
                    default_id=st.session_state.get("open_document"))
read, edit, reimport, delete = st.tabs(["Read", "Edit metadata", "Re-import corrected", "Delete"])

with read:
    stored = get_document(store, doc.id)
    st.page_link("pages/read.py", label="Open in Read & annotate", icon="🖍️",
                 query_params={"doc": str(doc.id)})
    passages_table(stored, stored_import_notes(store, doc.id),
                   passage_confidences(store, doc.id))

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
        try:
            delete_document(store, doc.id)
        except PalimpsestError as error:
            st.error(f"Not deleted: {escape_markdown(str(error))} Nothing was changed.")
        else:
            st.session_state.pop("open_document", None)
            st.session_state.pop(viewer_key(project_id), None)
            flash(f"Deleted “{escape_markdown(doc.title)}” (document {doc.id}) and everything "
                  "attached to it.")
            st.rerun()

