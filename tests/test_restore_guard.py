"""A backup to restore is trusted no more than any file: the wrong ones are refused.

Before issue 11, restore accepted a file with the right table names but other
columns (every command then crashed), a backup from a newer schema, and a backup
carrying its own trigger, which then rewrote document titles in normal use.
Each hostile backup is made here from a real one; the current database must be
byte-identical after the refusal.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

import pytest

from annotations.backup import backup_bytes, restore
from annotations.documents import import_document, list_documents
from annotations.store import Store
from sources.errors import InvalidInput

DIFFERS = (
    ", so it is not restored: a changed schema could break the workbench or run code of its own."
)


def tampered(tmp_path, *statements: str, foreign_keys: bool = True) -> bytes:
    """A real backup of one document, changed by ``statements``."""
    path = tmp_path / "backup.db"
    with Store(path) as store:
        import_document(store, b"The delegates met.\n\nThey agreed.\n", "a.txt", title="Minutes")
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    return path.read_bytes()


@pytest.fixture
def current(tmp_path):
    path = tmp_path / "current" / "w.db"
    with Store(path) as store:
        import_document(store, b"Kept.\n", "kept.txt")
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


CASES = {
    "other columns": (
        ["ALTER TABLE documents DROP COLUMN import_notes"],
        "This backup's database differs from Palimpsest's own (changed: table documents)" + DIFFERS,
    ),
    "a migration from the future": (
        ["INSERT INTO _migrations (name, applied_at) VALUES ('m999_future', '2030-01-01')"],
        "This backup was made by a newer or different version of Palimpsest (its schema has "
        "upgrades this version does not know); update Palimpsest, then restore it.",
    ),
    "a trigger of its own": (
        ["CREATE TRIGGER rename AFTER INSERT ON annotations BEGIN "
         "UPDATE documents SET title = 'pwned'; END"],
        "This backup's database differs from Palimpsest's own (its own: trigger rename)" + DIFFERS,
    ),
    "a view and a table of its own": (
        ["CREATE VIEW spy AS SELECT title FROM documents", "CREATE TABLE extra (x)"],
        "This backup's database differs from Palimpsest's own (its own: table extra, view spy)"
        + DIFFERS,
    ),
    "a trigger of ours rewritten": (
        ["DROP TRIGGER alignment_runs_witness_gone",
         "CREATE TRIGGER alignment_runs_witness_gone AFTER DELETE ON documents "
         "BEGIN UPDATE documents SET title = 'pwned'; END"],
        "This backup's database differs from Palimpsest's own "
        "(changed: trigger alignment_runs_witness_gone)" + DIFFERS,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_tampered_backup_is_refused_and_nothing_changes(tmp_path, current, case):
    statements, sentence = CASES[case]
    data = tampered(tmp_path, *statements)
    before = digest(current)
    with pytest.raises(InvalidInput) as refusal:
        restore(current, data)
    assert str(refusal.value) == sentence
    assert digest(current) == before
    assert sorted(p.name for p in current.parent.iterdir()) == ["w.db"]  # no safety copy either


def test_rows_pointing_nowhere_are_refused(tmp_path, current):
    data = tampered(
        tmp_path, "UPDATE passages SET document_id = 999", foreign_keys=False
    )
    with pytest.raises(InvalidInput) as refusal:
        restore(current, data)
    assert str(refusal.value) == "This backup is damaged (rows point at rows that do not exist)."


def test_a_sound_backup_still_restores(tmp_path, current):
    data = tampered(tmp_path)  # no change at all
    restore(current, data)
    with Store(current) as store:
        assert [d.title for d in list_documents(store)] == ["Minutes"]


def test_a_backup_made_by_this_store_restores(tmp_path, current):
    with Store(tmp_path / "other.db") as store:
        import_document(store, b"Other.\n", "other.txt", title="Other")
        data = backup_bytes(store)
    restore(current, data)
    with Store(current) as store:
        assert [d.title for d in list_documents(store)] == ["Other"]


# ---------------------------------------------------------------- backups never destroy one

def palimpsest(*args: str, fsize: int | None = None) -> subprocess.CompletedProcess:
    """The command in its own process; ``fsize`` caps the size of any file it writes."""
    prelude = ""
    if fsize is not None:  # a full disk: writes beyond fsize fail (EFBIG) instead of killing
        prelude = (
            "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({fsize}, {fsize})); "
        )
    code = prelude + "import sys; from palimpsest.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def big_db(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as store:
        text = "\n\n".join(f"Paragraph {n} of the long report, with words." for n in range(3000))
        import_document(store, text.encode(), "long.txt")
    return path


def test_backup_refuses_to_overwrite_without_force(tmp_path, big_db):
    existing = tmp_path / "b.db"
    existing.write_bytes(b"an older backup")
    done = palimpsest("backup", "--db", str(big_db), str(existing))
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {existing} already exists; choose another name, or replace it on purpose "
        "(--force).\n"
    )
    assert existing.read_bytes() == b"an older backup"
    assert palimpsest("backup", "--db", str(big_db), "--force", str(existing)).returncode == 0
    with Store(existing) as copy:
        assert len(list_documents(copy)) == 1


def test_a_full_disk_leaves_the_old_backup_whole(tmp_path, big_db):
    existing = tmp_path / "b.db"
    with Store(big_db) as store:
        store.backup_to(existing)
    before = digest(existing)
    done = palimpsest("backup", "--db", str(big_db), "--force", str(existing), fsize=200_000)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: The backup could not be written to {existing} (")
    assert done.stderr.endswith(
        "); the file there is unchanged. Check that the disk has room and that you may write "
        "there.\n"
    )
    assert "Traceback" not in done.stderr
    assert digest(existing) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("where", ["folder", "missing parent"])
def test_backup_into_a_folder_or_nowhere_is_one_sentence(tmp_path, big_db, where):
    output = tmp_path if where == "folder" else tmp_path / "absent" / "b.db"
    done = palimpsest("backup", "--db", str(big_db), str(output))
    assert done.returncode == 1
    expected = (
        f"Error: {tmp_path} is a folder; give the backup a file name, e.g. "
        f"{tmp_path / 'palimpsest-backup.db'}.\n"
        if where == "folder"
        else f"Error: There is no folder {tmp_path / 'absent'} to write the backup into.\n"
    )
    assert done.stderr == expected
