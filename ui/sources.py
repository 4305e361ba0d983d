"""Widgets of the Sources page: the import table, metadata fields and the passage table."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import streamlit as st

from annotations.documents import (
    DEFAULT_PROJECT,
    DocumentSummary,
    StoredDocument,
)
from annotations.projects import get_project, project_of_document
from annotations.store import Store
from sources.ingest import MAX_IMPORT_BYTES
from sources.model import KINDS
from sources.ocr import missing as missing_ocr
from ui.documents import KIND_LABELS
from ui.import_job import JOB_KEY, ImportJob, ImportOutcome, Upload, find_job, forget_job
from ui.projects import set_current_project
from ui.text import escape_markdown

MAX_UPLOAD_MB = MAX_IMPORT_BYTES // (1024 * 1024)
# Words of a file name that say what the file is (a word counts when it starts with one).
KIND_HINTS = {
    "draft": ("draft", "projet", "brouillon"),
    "final": ("final",),
    "annex": ("annex",),  # annex, annexe, annexes
    "translation": ("translation", "traduction"),
    "edition": ("edition", "édition"),
}
BATCH_KEY = "import_batch"  # a new number gives a new, empty uploader
DONE_KEY = "imported_uploads"  # upload id -> ImportOutcome: a double click imports nothing twice
OUTCOME_KEY = "import_outcome"  # shown until the next import


def guess_kind(filename: str) -> str | None:
    """The kind a file's name announces, if any (the first telling word wins).

    >>> guess_kind("Projet_de_rapport.pdf"), guess_kind("rapport-final.docx")
    ('draft', 'final')
    >>> guess_kind("Annexe 2.txt"), guess_kind("notes.txt")
    ('annex', None)
    """
    for word in re.split(r"[\W_]+", file_stem(filename).casefold()):
        for kind, hints in KIND_HINTS.items():
            if word.startswith(hints):
                return kind
    return None


def default_kinds(filenames: Sequence[str], *, project_has_draft: bool) -> list[str]:
    """The kinds proposed for an upload: what each name announces; for a name that says
    nothing, the draft if neither the project nor the upload has one yet, else a final text.

    >>> default_kinds(["a.txt", "b.txt", "annex.txt"], project_has_draft=False)
    ['draft', 'final', 'annex']
    >>> default_kinds(["a.txt", "projet.txt"], project_has_draft=False)
    ['final', 'draft']
    """
    guessed = [guess_kind(name) for name in filenames]
    has_draft = project_has_draft or "draft" in guessed
    kinds = []
    for kind in guessed:
        kinds.append(kind or ("final" if has_draft else "draft"))
        has_draft = has_draft or kinds[-1] == "draft"
    return kinds


def file_stem(filename: str) -> str:
    """A file's name without its folder and extension.

    >>> file_stem("C:\\\\reports\\\\Rapport final.v2.pdf")
    'Rapport final.v2'
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def upload_key() -> str:
    """The key of the import uploader; it changes after each import, which empties it."""
    return f"import_files_{st.session_state.get(BATCH_KEY, 0)}"


def import_table(files: Sequence, *, project_has_draft: bool) -> list[dict]:
    """One editable row per uploaded file: title, kind, language, date and issuer.

    An empty cell means "from the file": the title the document carries (DOCX or
    HTML title, first line...) else its file name, the language detected, the
    date and author in its metadata. The editor's key names the files, so its
    edits never move to another upload.
    """
    kinds = default_kinds([f.name for f in files], project_has_draft=project_has_draft)
    rows = [{"file": f.name, "title": "", "kind": kind, "language": "", "date": "", "issuer": ""}
            for f, kind in zip(files, kinds, strict=True)]
    ids = hashlib.sha256("\n".join(f.file_id for f in files).encode()).hexdigest()[:16]
    return st.data_editor(
        rows, key=f"import_table_{ids}", hide_index=True, width="stretch", num_rows="fixed",
        disabled=["file"],
        column_config={
            "file": st.column_config.TextColumn("File"),
            "title": st.column_config.TextColumn(
                "Title", help="Empty: the title inside the file, else the file's name"),
            "kind": st.column_config.SelectboxColumn("Kind", options=KINDS, required=True,
                                                     format_func=KIND_LABELS.get),
            "language": st.column_config.TextColumn(
                "Language", max_chars=8, help="ISO code (fr, en, de...). Empty: detected"),
            "date": st.column_config.TextColumn("Date", help="Empty: the file's own, if any"),
            "issuer": st.column_config.TextColumn("Issuer",
                                                  help="Empty: the file's author, if any"),
        },
    )


def import_form(store: Store, project_id: int | None,
                documents: list[DocumentSummary]) -> None:
    """The uploader, a table of the files chosen and the Import button.

    Files go into the current project; into "My project" (created if missing)
    when there is none yet or when the current one is the demo, which is an
    example and stays as it was built.
    """
    project = get_project(store, project_id) if project_id else None
    target = project if project and not project.is_demo else None
    name = escape_markdown(target.name if target else DEFAULT_PROJECT)
    demo_note = " (the demo stays as it is)" if project and project.is_demo else ""
    st.caption(f"Files go into the project “{name}”{demo_note}.")
    files = st.file_uploader("Files", accept_multiple_files=True, key=upload_key(),
                             max_upload_size=MAX_UPLOAD_MB)
    if not files:
        return
    st.caption("Check each file's kind (draft, final, annex...); give a title, language, date "
               "or issuer where the file's own are missing or wrong (click a cell to edit it).")
    rows = import_table(files, project_has_draft=bool(target) and any(
        d.kind == "draft" for d in documents))
    ocr = ocr_choice()
    running = find_job(st.session_state.get(JOB_KEY))
    if st.button("Import", type="primary", key="import_go", disabled=running is not None):
        # None: "My project", created by the first file imported (a refused file creates nothing)
        uploads = [Upload(f.file_id, f.name, f.getvalue()) for f in files]
        job = ImportJob(store.path, uploads, rows, project_id=target.id if target else None,
                        done=st.session_state.setdefault(DONE_KEY, {}), ocr=ocr).start()
        st.session_state[JOB_KEY] = job.id
        wait_for_import(store, job)


OCR_CHOICES = {
    "auto": "Scans only (images, PDF pages without text)",
    "always": "Every page, even with a text layer",
    "never": "Never (refuse scans)",
}


def ocr_choice() -> str:
    """How scans are read: the OCR mode, and one sentence when Tesseract is missing."""
    absent = missing_ocr()
    if absent:
        st.info(escape_markdown(absent), icon=":material/document_scanner:")
    return st.radio("Read scanned pages (OCR)", list(OCR_CHOICES), format_func=OCR_CHOICES.get,
                    horizontal=True, key="import_ocr",
                    help="Tesseract reads page images and PDF pages that have no text, in the "
                         "language given in the table (else French and English). Each word "
                         "keeps its confidence; uncertain words are marked on the Read page.")


def wait_for_import(store: Store, job: ImportJob) -> None:
    """In the run that started ``job``: a progress bar until it ends, then its outcome.
    If the scholar goes to another page meanwhile, the import goes on
    (:func:`follow_import` picks it up on the next visit)."""
    bar = _progress_panel(job)
    while not job.finished.wait(0.25):
        bar.progress(job.fraction(), text=escape_markdown(job.status()))
    _finish_job(store, job)


def follow_import(store: Store) -> None:
    """On a visit to Sources: follow this session's import still going on, or show how the
    one that ended while the scholar was elsewhere went."""
    job = find_job(st.session_state.get(JOB_KEY))
    if job is None:
        return
    if job.finished.is_set():
        _finish_job(store, job)

    @st.fragment(run_every=1.0)
    def watch() -> None:
        if job.finished.is_set():
            st.rerun()
        _progress_panel(job)

    watch()


def _progress_panel(job: ImportJob):
    """The Cancel button and the progress bar (returned, to be moved on)."""
    if st.button("Cancel import", key=f"cancel_{job.id}", icon=":material/cancel:"):
        job.cancel.set()
    st.caption("The import goes on if you open another page; come back here to see it end.")
    return st.progress(job.fraction(), text=escape_markdown(job.status()))


def _finish_job(store: Store, job: ImportJob) -> None:
    forget_job(job.id)
    st.session_state.pop(JOB_KEY, None)
    if job.failure:
        st.session_state[OUTCOME_KEY] = [ImportOutcome(False, escape_markdown(job.failure))]
        st.rerun()
    finish_import(store, job.outcomes or [])


def viewer_key(project_id: int | None) -> str:
    """The key of the Sources page's document choice; one per project, whose lists differ."""
    return f"open_document_choice_{project_id}"


def finish_import(store: Store, outcomes: list[ImportOutcome]) -> None:
    """Keep the outcome for the next runs, open the last document imported (in its
    project, which becomes current), and empty the uploader."""
    st.session_state[OUTCOME_KEY] = outcomes
    imported = [o.document_id for o in outcomes if o.imported]
    opened = imported or [o.document_id for o in outcomes if o.document_id]  # duplicates' originals
    if opened and (project_id := project_of_document(store, opened[-1])):
        set_current_project(project_id)
        st.session_state["open_document"] = opened[-1]
        st.session_state[viewer_key(project_id)] = opened[-1]  # not drawn yet in this run
    st.session_state[BATCH_KEY] = st.session_state.get(BATCH_KEY, 0) + 1
    st.rerun()


def show_import_outcome() -> None:
    """One line per file of the last import, on every run until the next import."""
    for outcome in st.session_state.get(OUTCOME_KEY, []):
        (st.success if outcome.imported else st.error)(outcome.message)
        for note in outcome.notes:
            st.info(note, icon=":material/info:")


def metadata_fields(*, key: str, current: DocumentSummary) -> dict:
    """Kind, language, date and issuer inputs for a stored document; returns what
    :func:`update_metadata` takes (an empty language means "unknown")."""
    fields = {}
    columns = st.columns(4)
    fields["kind"] = columns[0].selectbox("Kind", KINDS, index=KINDS.index(current.kind),
                                          key=f"{key}_kind", format_func=KIND_LABELS.get)
    fields["language"] = columns[1].text_input(
        "Language (ISO code)", value=current.language or "", key=f"{key}_language",
        max_chars=8).strip().lower() or None
    fields["date"] = columns[2].text_input(
        "Date", value=current.date or "", key=f"{key}_date").strip() or None
    fields["issuer"] = columns[3].text_input(
        "Issuer", value=current.issuer or "", key=f"{key}_issuer").strip() or None
    return fields


def passages_table(doc: StoredDocument, notes: Sequence[str] = (),
                   confidences: dict[int, float] | None = None) -> None:
    """The document as passages with their page and label, as plain-text cells; above
    them what its import noted (``notes``); for a scan, each passage's OCR confidence."""
    pages = len(doc.pages) or "no"
    st.caption(f"{len(doc.passages)} passages, {pages} pages, {doc.chars:,} characters")
    for note in notes:
        st.info(f"At import: {escape_markdown(note)}", icon=":material/info:")
    rows = [
        {
            "§": p.seq,
            "page": doc.page_label(p.start) or "",
            "label": p.label or "",
            **({"OCR confidence": confidences.get(p.seq)} if confidences else {}),
            "text": doc.text[p.start : p.end],
        }
        for p in doc.passages
    ]
    st.dataframe(rows, hide_index=True, width="stretch", height=420, column_config={
        "OCR confidence": st.column_config.NumberColumn(
            format="%.0f %%", help="The mean confidence of the passage's words as Tesseract "
                                   "read them (0-100); check low ones against the page")})
