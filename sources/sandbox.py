"""Read an untrusted file in a separate process, within a memory and a time limit.

A file of a few kilobytes can ask for gigabytes or hours: a PDF whose drawings
each draw the next one twice (2**24 copies of one line from 3 KB), a compressed
content stream, millions of empty paragraphs. :func:`parse_bounded` runs
:func:`sources.ingest.parse_file` in a child process whose address space is
capped (``MEMORY_LIMIT``) and which is killed after ``TIME_LIMIT`` seconds, so
such a file is refused with a sentence and the workbench (or the command) goes on.

Children are forked from a small server process that has the readers already
imported (multiprocessing's "forkserver"), so each file costs milliseconds of
start-up, not a new interpreter, and forking never copies the threads of a
running web server. One child per file: a child that was killed leaves nothing behind.
A one-shot command with no threads of its own (``palimpsest align``) asks for
``fork=True``: the child is a copy of the command itself, which saves starting the
server and loading the readers and the language model a second time.

A multiprocessing child normally runs the program's main module again; under
Streamlit that module is the page being shown, so our children are started
without it (:func:`_without_main`): they need only :mod:`sources`.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.spawn
import resource
import threading
import time
import uuid
from collections.abc import Callable

from sources.errors import ImportRefused
from sources.model import ParsedDocument

MEMORY_LIMIT = 2 * 1024**3  # bytes of address space for reading one file
TIME_LIMIT = 120.0  # seconds to read one file

TOO_BIG = (
    "Reading this file needs more than {memory} of memory, so Palimpsest stopped; the file "
    "may be built to exhaust the computer (a 'bomb'). If it is a real document, split it "
    "into parts or save it again from the program that made it."
)
TOO_SLOW = (
    "Reading this file took longer than {minutes}, so Palimpsest stopped; the file may be "
    "built to exhaust the computer (a 'bomb'). If it is a real document, split it into "
    "parts or save it again from the program that made it."
)
CANCELLED = "The import was cancelled; nothing was imported."
FAILED = (
    "Palimpsest could not read this file (an internal error, logged as {reference}); "
    "nothing was imported."
)

READER = "palimpsest-reader"  # the name of our child processes
log = logging.getLogger(__name__)
_start_lock = threading.Lock()
_context: multiprocessing.context.ForkServerContext | None = None


def parse_bounded(
    data: bytes,
    filename: str,
    *,
    memory_limit: int = MEMORY_LIMIT,
    time_limit: float = TIME_LIMIT,
    language: str | None = None,
    fork: bool = False,
    ocr: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ParsedDocument:
    """:func:`sources.ingest.parse_file` in a child process within the limits.

    Returns what it returns and raises the ImportRefused it raises; running out of
    memory or time, dying or being cancelled (``cancel`` set) is an ImportRefused
    saying so. ``language`` is passed on (a known language is not guessed); ``ocr``
    is the OCR mode ("auto", "always", "never") and ``progress`` is told
    ``(pages read, pages to read)`` as OCR goes on; ``fork``: see the module doc.
    """
    if fork:
        import sources.ingest  # noqa: F401 - imported once here, inherited by every child
    context = multiprocessing.get_context("fork") if fork else _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read, args=(sender, data, filename, memory_limit, language, fork, ocr),
        daemon=True, name=READER,
    )
    child.start()
    sender.close()
    try:
        outcome = _wait(receiver, time_limit, progress, cancel)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:  # a signal (pdfium aborts when an allocation fails), or it never started
        outcome = ("memory",) if child.exitcode < 0 else ("failed", f"exit {child.exitcode}")
    return _result(outcome, memory_limit, time_limit, filename)


def _wait(receiver, time_limit: float, progress, cancel) -> tuple | None:
    """The child's outcome; progress reports are passed on and restart the clock."""
    deadline = time.monotonic() + time_limit
    try:
        while True:
            if cancel is not None and cancel.is_set():
                return ("cancelled",)
            left = deadline - time.monotonic()
            if left <= 0:
                return ("slow",)
            if not receiver.poll(min(left, 0.2) if cancel is not None else left):
                continue
            message = receiver.recv()
            if message[0] != "progress":
                return message
            deadline = time.monotonic() + time_limit
            if progress is not None:
                progress(*message[1:])
    except EOFError:  # the child died before it could answer
        return None


def _result(outcome: tuple, memory_limit: int, time_limit: float, filename: str):
    kind = outcome[0]
    if kind == "read":
        return outcome[1]
    if kind == "refused":
        raise ImportRefused(outcome[1])
    if kind == "memory":
        raise ImportRefused(TOO_BIG.format(memory=_gigabytes(memory_limit)))
    if kind == "slow":
        raise ImportRefused(TOO_SLOW.format(minutes=_minutes(time_limit)))
    if kind == "cancelled":
        raise ImportRefused(CANCELLED)
    reference = uuid.uuid4().hex[:8]
    log.error("reading %r failed (%s):\n%s", filename, reference, outcome[1])
    raise ImportRefused(FAILED.format(reference=reference))


def _read(sender, data: bytes, filename: str, memory_limit: int,
          language: str | None = None, forked: bool = False, ocr: str = "auto") -> None:
    """In the child: cap the address space, read, send back one outcome.

    A child forked from a command starts with the command's address space, so it
    gets ``memory_limit`` on top of that: the file has the same room either way.
    """
    import traceback

    from sources.ingest import parse_file
    from sources.ocr import OcrOptions

    limit = memory_limit + (_address_space() if forked else 0)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # Tesseract, run from here, inherits it
    options = OcrOptions(ocr, progress=lambda done, total: sender.send(("progress", done, total)))
    try:
        outcome = ("read", parse_file(data, filename, language=language, ocr=options))
    except ImportRefused as refusal:
        outcome = ("refused", str(refusal))
    except MemoryError:
        outcome = ("memory",)
    except Exception:  # noqa: BLE001 - any other failure becomes a logged sentence
        outcome = ("failed", traceback.format_exc())
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory",))
    sender.close()


def _address_space() -> int:
    """Bytes of address space this process holds now (Linux; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _forkserver() -> multiprocessing.context.ForkServerContext:
    global _context
    with _start_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["sources.ingest"])
            multiprocessing.spawn.get_preparation_data = _without_main(
                multiprocessing.spawn.get_preparation_data
            )
            _context = context
    return _context


def _without_main(get_preparation_data):
    """multiprocessing's preparation of a child, minus re-running ``__main__`` for readers."""

    def prepare(name: str) -> dict:
        data = get_preparation_data(name)
        if name == READER:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    return prepare


def _gigabytes(size: int) -> str:
    return f"{size / 1024**3:g} GB"


def _minutes(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"
