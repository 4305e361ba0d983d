"""Several processes annotating one database file at once: nothing lost, nothing corrupted.

The workers are started with ``spawn`` (a fresh interpreter each, as separate
Streamlit sessions or command-line runs would be); most of the test's time is
their start-up (importing sqlite-utils), not the 800 writes.
"""

from __future__ import annotations

import multiprocessing
import traceback

from annotations.notes import create_annotation, list_annotations
from annotations.store import Store

TEXT = "The parties agree to a ceasefire and to the exchange of prisoners within thirty days."

WORKERS = 8
PER_WORKER = 100


def annotate_many(path: str, document_id: int, worker: int) -> str | None:
    """Write ``PER_WORKER`` annotations, one transaction each; returns a traceback on failure."""
    try:
        with Store(path) as store:
            for number in range(PER_WORKER):
                start = (worker * 7 + number) % (len(TEXT) - 10)
                create_annotation(store, document_id, start, start + 10, author=f"worker {worker}",
                                  note=f"note {number}", tags=[f"w{worker}"])
    except BaseException:  # reported to the parent, which fails the test with it
        return traceback.format_exc()
    return None


def test_eight_processes_writing_at_once(tmp_path):
    from tests.test_annotations import add_document  # not in the workers: keeps them light

    path = tmp_path / "shared.db"
    with Store(path) as store:
        document_id = add_document(store, TEXT)
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        errors = pool.starmap(annotate_many,
                              [(str(path), document_id, worker) for worker in range(WORKERS)])
    assert [error for error in errors if error] == []
    with Store(path) as store:
        assert store.count("annotations") == WORKERS * PER_WORKER
        assert store.count("annotation_history") == WORKERS * PER_WORKER
        assert store.integrity_ok()
        authors = {a.author for a in list_annotations(store)}
        assert authors == {f"worker {worker}" for worker in range(WORKERS)}
        fts_rows = store.db.execute("select count(*) from annotations_fts").fetchone()[0]
        assert fts_rows == WORKERS * PER_WORKER
