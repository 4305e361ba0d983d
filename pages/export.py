"""Export & backup: annotations out (CSV, JSON-LD, TEI) and in; the whole project saved."""

from datetime import date

import streamlit as st

from annotations.documents import list_documents
from annotations.store import default_db_path
from sources.errors import PalimpsestError
from ui.annotate import author_name, flash, show_flash
from ui.export import (
    backup_file,
    count_review,
    download,
    export_section,
    flash_restored,
    holdings,
    import_annotations,
    import_report,
    next_upload_round,
    restore_backup,
    upload_key,
    upload_limit_note,
)
from ui.projects import current_project_id
from ui.session import open_store
from ui.text import escape_markdown

store = open_store()
st.title("Export & backup")
author = author_name()
show_flash()
documents = list_documents(store, current_project_id(store))
export_tab, import_tab, backup_tab = st.tabs(
    ["Export annotations", "Import annotations", "Backup & restore"]
)

with export_tab:
    if documents:
        export_section(documents)
    else:
        st.info("No documents yet: import one on the Sources page first.")

with import_tab:
    st.write("Add annotations from a CSV or JSON-LD file exported by Palimpsest, or W3C Web "
             "Annotations from another tool. The documents they belong to must be here "
             "already; annotations already in the workbench are skipped. A file with one "
             "wrong row is refused whole, and nothing is imported.")
    upload = st.file_uploader("CSV or JSON-LD file", type=["csv", "json", "jsonld"],
                              max_upload_size=50,
                              key=upload_key("import_file"))
    if st.button("Import annotations", disabled=upload is None, key="import_go"):
        waiting = count_review(store)
        try:
            imported = import_annotations(store, upload.name, upload.getvalue(), author=author)
        except PalimpsestError as error:
            st.error(f"{escape_markdown(upload.name)}: {escape_markdown(str(error))}")
        else:
            flash(import_report(imported, count_review(store) - waiting))
            next_upload_round()
            st.rerun()

with backup_tab:
    st.write(f"This workbench holds {holdings(store)}. A backup keeps everything: documents "
             "with their original files, annotations with their history, alignments.")
    download(backup_file(default_db_path(), date.today()), key="backup_download", primary=True)
    st.divider()
    st.subheader("Restore from a backup", anchor=False)
    st.warning("Restoring replaces every document, annotation and alignment in this workbench "
               "with those of the backup. The current database is first copied beside it, "
               "so the restore can be undone by hand; anyone else working in this workbench "
               "should reload the page afterwards.")
    backup = st.file_uploader("Backup file (.sqlite)", key=upload_key("restore_file"))
    st.caption(upload_limit_note())
    sure = st.checkbox("I understand: replace the current database with this backup",
                       key=upload_key("restore_confirm"))
    if st.button("Restore this backup", disabled=backup is None or not sure, key="restore_go"):
        try:
            kept = restore_backup(store, backup.getvalue())
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
        else:
            flash_restored(kept)
            next_upload_round()
            st.rerun()
