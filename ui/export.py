"""Streamlit helpers of the Export & backup page: downloads, imports, backup and restore.

Downloads are *deferred*: a file is made only when its button is clicked (on a
thread of its own, with its own database connection), so opening the page costs
nothing however large the project is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from annotations.backup import backup_bytes, restore
from annotations.documents import DocumentSummary, list_documents
from annotations.export import export_csv, export_jsonld, export_tei, import_csv, import_jsonld
from annotations.notes import list_annotations, review_queue
from annotations.store import Store, default_db_path
from sources.errors import InvalidInput
from ui.annotate import escape_markdown, flash
from ui.documents import document_labels

ROUND_KEY = "export_upload_round"
JSON_STARTS = ("{", "[")


@dataclass(frozen=True)
class ExportFile:
    """A file offered for download; ``make`` builds its bytes when the button is clicked."""

    label: str
    file_name: str
    mime: str
    make: Callable[[], bytes]


def annotation_files(db_path: Path, document_ids: Sequence[int] | None,
                     today: date) -> list[ExportFile]:
    """The annotations (of ``document_ids``, or all) as CSV and as W3C Web Annotation JSON-LD."""
    ids = list(document_ids) if document_ids else None
    stem = f"palimpsest-annotations-{today.isoformat()}"

    def csv() -> bytes:
        with Store(db_path) as store:
            return export_csv(store, ids)

    def jsonld() -> bytes:
        with Store(db_path) as store:
            return export_jsonld(store, ids).encode("utf-8")

    return [ExportFile("Annotations as CSV (Excel-safe)", f"{stem}.csv", "text/csv", csv),
            ExportFile("Annotations as JSON-LD (W3C Web Annotation)", f"{stem}.jsonld",
                       "application/ld+json", jsonld)]


def tei_file(db_path: Path, document_id: int) -> ExportFile:
    """One document as TEI with its annotations stand-off.

    Named ``doc-<id>.xml`` because links into other documents point at files of that name.
    """
    def tei() -> bytes:
        with Store(db_path) as store:
            return export_tei(store, document_id).encode("utf-8")

    return ExportFile("Document as TEI XML", f"doc-{document_id}.xml", "application/tei+xml", tei)


def backup_file(db_path: Path, today: date) -> ExportFile:
    """The whole database (documents, annotations, alignments, history) as one SQLite file."""
    def whole() -> bytes:
        with Store(db_path) as store:
            return backup_bytes(store)

    return ExportFile("Download a full backup", f"palimpsest-backup-{today.isoformat()}.sqlite",
                      "application/vnd.sqlite3", whole)


def download(file: ExportFile, *, key: str, primary: bool = False) -> None:
    """A download button that builds ``file`` on click and does not rerun the page."""
    st.download_button(file.label, data=file.make, file_name=file.file_name, mime=file.mime,
                       key=key, on_click="ignore", type="primary" if primary else "secondary",
                       icon=":material/download:")


# ---------------------------------------------------------------- export

def export_section(documents: Sequence[DocumentSummary]) -> None:
    """Scope, then the CSV and JSON-LD buttons; a document choice and its TEI button."""
    labels = document_labels(list(documents))
    chosen = st.multiselect("Only these documents (leave empty for every document)", list(labels),
                            key="export_scope", format_func=labels.get)
    st.caption("CSV: one row per annotation with its quote, offsets, page, passage, note, tags "
               "and grading; UTF-8 with a byte order mark so Excel reads accents, and cells a "
               "spreadsheet would take for formulas begin with an apostrophe.")
    csv, jsonld = annotation_files(default_db_path(), chosen, date.today())
    left, right = st.columns(2)
    with left:
        download(csv, key="export_csv", primary=True)
    with right:
        download(jsonld, key="export_jsonld")
    st.divider()
    document_id = st.selectbox("Document for TEI", list(labels), key="export_tei_document",
                               format_func=labels.get)
    download(tei_file(default_db_path(), document_id), key="export_tei")


# ---------------------------------------------------------------- import

def upload_key(name: str) -> str:
    """A widget key that changes after each success, so the uploader empties itself."""
    return f"{name}_{st.session_state.get(ROUND_KEY, 0)}"


def next_upload_round() -> None:
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1


def import_annotations(store: Store, file_name: str, data: bytes, *, author: str) -> int:
    """Import a CSV or a JSON-LD file (told apart by name, else by content); returns the count."""
    name = file_name.lower()
    if name.endswith(".csv"):
        return import_csv(store, data, author=author)
    text = _as_text(data)
    if name.endswith((".json", ".jsonld")) or text.lstrip().startswith(JSON_STARTS):
        return import_jsonld(store, text, author=author)
    return import_csv(store, data, author=author)


def _as_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("This file is not UTF-8 text: export it again as CSV or JSON-LD "
                           "(UTF-8) and import that.") from None


def import_report(imported: int, review: int) -> str:
    """The sentence shown after an import."""
    if imported == 0:
        return ("No new annotations: the file holds none, or all of them are already in the "
                "workbench.")
    said = f"{imported} annotation{'s' if imported != 1 else ''} imported."
    if review:
        said += (f" {review} of them could not be placed where the file said and wait in the "
                 "Review queue.")
    return said


def count_review(store: Store) -> int:
    return len(review_queue(store))


# ---------------------------------------------------------------- backup and restore

def holdings(store: Store) -> str:
    """What the workbench holds, in one line ("3 documents and 12 annotations")."""
    documents, annotations = len(list_documents(store)), len(list_annotations(store))
    return (f"{documents} document{'s' if documents != 1 else ''} and {annotations} "
            f"annotation{'s' if annotations != 1 else ''}")


def upload_limit_note() -> str:
    """Why a large backup is refused here, and what to do instead.

    The server refuses any upload above ``server.maxUploadSize`` (a per-widget
    limit cannot raise it), and a backup holds every imported file.
    """
    limit = st.get_option("server.maxUploadSize")
    return (f"The workbench accepts files up to {limit} MB. Restore a larger backup from a "
            "terminal with: palimpsest restore <backup file>")


def restore_backup(store: Store, data: bytes) -> Path:
    """Replace the workbench's database with ``data``; returns where the old one was kept.

    ``store`` (this run's connection) is closed first, so that nothing of this
    session reads the file while it is replaced.
    """
    store.close()
    return restore(default_db_path(), data)


def restored_message(kept: Path) -> str:
    with Store(default_db_path()) as store:
        now = holdings(store)
    return (f"Backup restored: the workbench now holds {now}. The previous database was "
            f"kept as {escape_markdown(str(kept))}")


def flash_restored(kept: Path) -> None:
    flash(restored_message(kept))
