"""Pulling the plug: a writer killed with SIGKILL in the middle of its work loses nothing it
reported as saved and leaves no half-written document, alignment or annotation.

``tests/fault_worker.py`` runs in its own process and announces each transaction
(``begin``/``commit``) and each committed change. The test waits for the N-th
``begin`` (N and a delay of a few milliseconds drawn from a seeded generator, so
every run kills at the same kind of moment), sends SIGKILL, and then opens the
database as the next session would.

A failed migration is covered in ``tests/test_store.py``; here the process dies
*during* a migration, which must leave the previous schema and data in place.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from annotations.collation import compare
from annotations.store import Store
from tests import fault_worker
from tests.conftest import ROOT

WORKER = Path(__file__).with_name("fault_worker.py")
STARTUP_TIMEOUT_S = 60


@dataclass
class Killed:
    """What a killed worker said before it died."""

    lines: list[str] = field(default_factory=list)
    inside_transaction: bool = False

    def ids(self, event: str) -> list[str]:
        return [line.split(" ", 2)[1] for line in self.lines if line.startswith(event + " ")]

    def edits(self) -> dict[str, str]:
        return {parts[1]: parts[2] for parts in
                (line.split(" ", 2) for line in self.lines if line.startswith("edited "))}


def complete_lines(stream: Iterable[str]) -> Iterator[str]:
    """The lines of ``stream`` without their newline; a last line the kill cut short is dropped."""
    for line in stream:
        if line.endswith("\n"):
            yield line[:-1]


class Reader:
    """Reads the worker's stdout in a thread, so the test can wait for a line with a timeout."""

    def __init__(self, stream: Iterable[str]):
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream: Iterable[str]) -> None:
        for line in complete_lines(stream):
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_for(self, line: str, count: int = 1, timeout: float = STARTUP_TIMEOUT_S) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.lines.count(line) >= count, timeout)


def start_worker(mode: str, db: Path, seed: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, str(db), str(seed)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        start_new_session=True,
    )


def run_and_kill(mode: str, db: Path, seed: int) -> Killed:
    """Start the worker, kill it after a seeded number of transactions plus a few ms."""
    generator = random.Random(seed)
    transactions, delay = generator.randint(2, 6), generator.uniform(0.0, 0.02)
    process = start_worker(mode, db, seed)
    reader = Reader(process.stdout)
    try:
        started = reader.wait_for("started")
        if not started:
            pytest.fail(f"the worker did not start: {process.stderr.read()[-3000:]}")
        if mode != "migrate":  # transactions of the writing loop, not of its set-up
            set_up = reader.lines[:reader.lines.index("started")].count("begin")
            assert reader.wait_for("begin", set_up + transactions), "the worker stopped writing"
        threading.Event().wait(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    reader.thread.join(timeout=10)
    assert process.returncode == -signal.SIGKILL, process.stderr.read()[-3000:]
    stderr = process.stderr.read()
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = reader.lines
    last_begin = max((i for i, line in enumerate(lines) if line == "begin"), default=-1)
    return Killed(lines, "commit" not in lines[last_begin:])


# ---------------------------------------------------------------- the worker's lines

def test_a_line_cut_short_by_the_kill_is_not_read():
    """The kill can land while a line is being written: only whole lines count."""
    said = "started\nbegin\ncommit\nsaved 3f2a\nedited 3f2a edi"
    reader = Reader(io.StringIO(said))
    reader.thread.join(timeout=10)
    assert reader.lines == ["started", "begin", "commit", "saved 3f2a"]
    assert list(complete_lines(io.StringIO("saved 3f2a\nsaved"))) == ["saved 3f2a"]
    assert Killed(reader.lines).ids("edited") == [] and Killed(reader.lines).edits() == {}


def test_the_worker_writes_each_event_in_one_write(monkeypatch):
    writes = []

    class Stdout:
        def write(self, text: str) -> None:
            writes.append(text)

        def flush(self) -> None:
            writes.append("<flush>")

    monkeypatch.setattr(sys, "stdout", Stdout())
    fault_worker.emit("edited", "3f2a", "edited 5")
    fault_worker.emit("begin")
    assert writes == ["edited 3f2a edited 5\n", "<flush>", "begin\n", "<flush>"]


# ---------------------------------------------------------------- what the survivor checks

ORPHANS = {
    "documents without passages":
        "select count(*) from documents d where not exists "
        "(select 1 from passages p where p.document_id = d.id)",
    "documents with a gap in their passages":
        "select count(*) from (select document_id from passages group by document_id "
        "having max(seq) - min(seq) + 1 != count(*))",
    "alignment runs without links":
        "select count(*) from alignment_runs r where not exists "
        "(select 1 from alignment_links l where l.run_id = r.id)",
    "annotations without their creation in the history":
        "select count(*) from annotations a where not exists (select 1 from annotation_history h "
        "where h.annotation_id = a.id and h.action = 'create')",
    "history rows of annotations that are not there":
        "select count(*) from annotation_history h where not exists "
        "(select 1 from annotations a where a.id = h.annotation_id)",
}


def assert_consistent(db: Path) -> Store:
    """Open the database as the next session would; everything in it must hang together."""
    store = Store(db)
    assert store.integrity_ok()
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in ("documents_fts", "annotations_fts"):
        store.db.execute(f"insert into {table}({table}) values ('integrity-check')")
    found = {name: store.db.execute(sql).fetchone()[0] for name, sql in ORPHANS.items()}
    assert found == dict.fromkeys(ORPHANS, 0)
    return store


SEEDS = [1986, 2024]


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_importing_large_documents(tmp_path, seed):
    db = tmp_path / "w.db"
    killed = run_and_kill("import", db, seed)
    # An import holds the lock for 100 ms or more; a kill 0-20 ms after "begin" lands inside.
    assert killed.inside_transaction, "the kill fell between two transactions"
    with assert_consistent(db) as store:
        stored = {str(row[0]) for row in store.db.execute("select id from documents")}
        assert set(killed.ids("imported")) <= stored
        assert len(stored) - len(killed.ids("imported")) <= 1  # committed, not yet announced
        fts = store.db.execute("select count(*) from documents_fts").fetchone()[0]
        assert fts == len(stored)


def test_killed_while_saving_an_alignment(tmp_path):
    db = tmp_path / "w.db"
    killed = run_and_kill("compare", db, SEEDS[0])
    with assert_consistent(db) as store:
        assert store.count("documents") == 2
        runs = [row[0] for row in store.db.execute("select id from alignment_runs")]
        assert len(runs) <= 1, "a refreshed comparison replaces the pair's run"
        if announced := killed.ids("run"):  # the last one announced, or one saved after it
            assert runs and runs[0] >= int(announced[-1])
        if not runs:  # killed while saving the first run: nothing of it is stored
            assert killed.inside_transaction and store.count("alignment_links") == 0
            return
        stored = store.count("alignment_links")
        compare(store, 1, [2], refresh=True)  # the same pair aligned again, undisturbed
        assert stored == store.count("alignment_links") > 0, "the stored run is whole"


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_while_annotating(tmp_path, seed):
    db = tmp_path / "w.db"
    killed = run_and_kill("annotate", db, seed)
    with assert_consistent(db) as store:
        rows = {row[0]: row for row in store.db.execute(
            "select id, note, deleted_at from annotations")}
        saved = killed.ids("saved")
        assert saved, "the worker was killed before it saved anything"
        assert set(saved) <= set(rows)
        assert len(rows) - len(saved) <= 1  # committed, not yet announced
        for annotation_id, note in killed.edits().items():
            assert rows[annotation_id][1].startswith("edited ")
            assert int(rows[annotation_id][1].split()[1]) >= int(note.split()[1])
        for annotation_id in killed.ids("deleted"):
            assert datetime.fromisoformat(rows[annotation_id][2]).utcoffset() == timedelta(0)


def test_killed_during_a_migration_leaves_the_previous_schema(tmp_path):
    db = tmp_path / "w.db"
    with Store(db) as store, store.transaction() as writing:
        writing["projects"].insert({"name": "kept"})
        applied = store.applied_migrations()
    run_and_kill("migrate", db, 7)
    with assert_consistent(db) as store:
        assert store.applied_migrations() == applied
        assert "colour" not in store.db["projects"].columns_dict
        assert [row["name"] for row in store.db["projects"].rows] == ["kept"]
    backup = db.with_name("w.db.before-m999_slow.bak")
    with Store(backup) as copy:  # the automatic backup made before the upgrade is whole
        assert copy.integrity_ok()
        assert [row["name"] for row in copy.db["projects"].rows] == ["kept"]

