"""Imports that go on while the scholar reads elsewhere.

A scan read by OCR takes seconds a page, minutes for a report. Streamlit stops a
page's script when the scholar moves to another page, so the import runs in a
thread of its own (:class:`ImportJob`, with its own connection to the database)
that outlives the script run which started it. The Sources page follows it:
the run that started it waits and draws a progress bar (pages read, time left);
a later visit to the page finds it in the session and follows it in a fragment
that refreshes itself; when it is over, its outcome is shown as any import's.
A cancelled import raises in the reader and stores nothing.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotations.documents import import_document, list_documents, stored_import_notes
from annotations.store import Store
from sources.errors import DuplicateDocument, PalimpsestError
from ui.documents import document_label
from ui.text import escape_markdown

log = logging.getLogger(__name__)
JOB_KEY = "import_job"  # session state: the id of this session's running import
KEEP_FINISHED = 3600.0  # seconds a finished import waits for its session to come back
_JOBS: dict[str, ImportJob] = {}
_JOBS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Upload:
    """A copy of an uploaded file: the bytes outlive the uploader widget."""

    file_id: str
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one uploaded file; ``message`` is Markdown with every name escaped.

    ``document_id`` is the new document, or the earlier copy of a duplicate file.
    """

    imported: bool
    message: str
    document_id: int | None = None
    notes: tuple[str, ...] = ()  # what the import says about how the file was read


def import_uploads(store: Store, files: Sequence, rows: Sequence[dict], *, project_id: int | None,
                   done: dict, on_file: Callable[[int], None] | None = None,
                   **reading) -> list[ImportOutcome]:
    """Import each file with its row's metadata into the project (``None``: "My project");
    one outcome per file. ``on_file`` is told the index of each file as it begins;
    ``reading`` (ocr, progress, cancel) goes to :func:`import_document`.

    A file already in ``done`` (by its upload id) is not imported again: a double
    click sends the same upload twice, and the second run must report the first
    run's success, not a duplicate. Nothing here calls Streamlit, so a rerun
    cannot interrupt the loop between an import and its record in ``done``.
    """
    for index, (upload, row) in enumerate(zip(files, rows, strict=True)):
        if on_file is not None:
            on_file(index)
        if upload.file_id not in done:
            done[upload.file_id] = _import_one(store, upload, row, project_id, reading)
    return [done[upload.file_id] for upload in files]


def _import_one(store: Store, upload, row: dict, project_id: int | None,
                reading: dict) -> ImportOutcome:
    name = escape_markdown(upload.name)
    try:
        new_id = import_document(store, upload.getvalue(), upload.name, project_id=project_id,
                                 **row_metadata(row), **reading)
    except DuplicateDocument as error:
        return ImportOutcome(False, f"{name}: {escape_markdown(str(error))}", error.existing_id)
    except PalimpsestError as error:
        return ImportOutcome(False, f"{name}: not imported. {escape_markdown(str(error))}")
    (doc,) = [d for d in list_documents(store, project_id) if d.id == new_id]
    label = escape_markdown(document_label(doc))
    notes = stored_import_notes(store, new_id)
    return ImportOutcome(True, f"{name}: imported. It is listed as {label}.", new_id,
                         tuple(escape_markdown(note) for note in notes))


def row_metadata(row: dict) -> dict:
    """A row of the import table as :func:`import_document` takes it (blank cells: ``None``).

    >>> row_metadata({"file": "a.txt", "title": " A ", "kind": "final", "language": "FR",
    ...               "date": "", "issuer": None})
    {'title': 'A', 'kind': 'final', 'language': 'fr', 'date': None, 'issuer': None}
    """
    def cell(name: str) -> str | None:
        value = row.get(name)
        return str(value).strip() or None if isinstance(value, str) else None

    language = cell("language")
    return {"title": cell("title"), "kind": row.get("kind"),
            "language": language.lower() if language else None,
            "date": cell("date"), "issuer": cell("issuer")}


class ImportJob:
    """Files imported one after another in a background thread; progress readable any time."""

    def __init__(self, db_path: str, uploads: Sequence[Upload], rows: Sequence[dict], *,
                 project_id: int | None, done: dict, ocr: str = "auto"):
        self.id = uuid.uuid4().hex
        self.db_path, self.uploads, self.rows = db_path, list(uploads), list(rows)
        self.project_id, self.done, self.ocr = project_id, done, ocr
        self.cancel = threading.Event()
        self.finished = threading.Event()
        self.outcomes: list | None = None
        self.failure: str | None = None
        self.file_index, self.pages, self.ocr_started, self.finished_at = 0, (0, 0), 0.0, 0.0
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"palimpsest-import-{self.id[:8]}")

    def start(self) -> ImportJob:
        with _JOBS_LOCK:
            for old in [j for j in _JOBS.values() if j.stale()]:  # their session never came back
                del _JOBS[old.id]
            _JOBS[self.id] = self
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            with Store(self.db_path) as store:
                self.outcomes = import_uploads(
                    store, self.uploads, self.rows, project_id=self.project_id, done=self.done,
                    ocr=self.ocr, progress=self._page_read, cancel=self.cancel,
                    on_file=self._next_file)
        except Exception as error:  # noqa: BLE001 - reported to the page, never lost
            log.exception("background import failed")
            self.failure = f"The import stopped on an internal error ({error}); see the log."
        finally:
            self.finished_at = time.monotonic()
            self.finished.set()

    def stale(self, after: float = KEEP_FINISHED) -> bool:
        """Finished long ago: its outcome (and the files' bytes) need not be kept."""
        return self.finished.is_set() and time.monotonic() - self.finished_at > after

    def _next_file(self, index: int) -> None:
        self.file_index, self.pages = index, (0, 0)

    def _page_read(self, done: int, total: int) -> None:
        if done == 0:
            self.ocr_started = time.monotonic()
        self.pages = (done, total)

    def fraction(self) -> float:
        """How much of the whole import is done, 0 to 1 (a file being read by OCR counts
        its pages)."""
        if self.finished.is_set():
            return 1.0
        done, total = self.pages
        within = done / total if total else 0.0
        return min((self.file_index + within) / max(len(self.uploads), 1), 1.0)

    def status(self) -> str:
        """One line: the file being read, and for a scan the page and the time left."""
        name = self.uploads[self.file_index].name if self.uploads else ""
        count = f" (file {self.file_index + 1} of {len(self.uploads)})" if len(
            self.uploads) > 1 else ""
        done, total = self.pages
        if not total:
            return f"Reading {name}{count}…"
        status = f"{name}{count}: OCR, page {min(done + 1, total)} of {total}"
        if done:
            left = (time.monotonic() - self.ocr_started) / done * (total - done)
            status += f" · about {_duration(left)} left"
        return status


def find_job(job_id: str | None) -> ImportJob | None:
    with _JOBS_LOCK:
        return _JOBS.get(job_id or "")


def forget_job(job_id: str) -> None:
    with _JOBS_LOCK:
        _JOBS.pop(job_id, None)


def _duration(seconds: float) -> str:
    """
    >>> _duration(42), _duration(170)
    ('42 s', '3 min')
    """
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
