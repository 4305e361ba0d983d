"""Whole-project backups: a consistent copy of the database, and restoring one.

Copies use SQLite's online backup API, so they are consistent even while the
workbench is writing (a plain file copy of a live WAL database is not).

A file to restore is trusted no more than any other file: it must be a
Palimpsest database whose migrations this version knows, whose schema is
exactly the one those migrations make (same tables and columns; no trigger,
view, index or table of its own, since a planted trigger would run in every
later session), and which passes SQLite's integrity and foreign-key checks.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import sqlite_utils

from annotations.migrations import MIGRATIONS
from annotations.store import Store, utcnow
from sources.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_bytes(store: Store) -> bytes:
    """The whole database as the bytes of a standalone SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        target = store.backup_to(Path(folder) / "backup.db")
        return target.read_bytes()


def write_backup(store: Store, output: Path, *, replace: bool = False) -> int:
    """Write a backup of ``store`` to ``output``; return its size in bytes.

    Written beside ``output`` under a temporary name, flushed to disk, then renamed
    over it: a crash or a full disk never leaves half a backup where a good one was.
    An existing file is replaced only when ``replace`` is given.
    """
    output = Path(output)
    if output.is_dir():
        raise InvalidInput(f"{output} is a folder; give the backup a file name, e.g. "
                           f"{output / 'palimpsest-backup.db'}.")
    if not output.parent.is_dir():
        raise InvalidInput(f"There is no folder {output.parent} to write the backup into.")
    if output.exists() and not replace:
        raise InvalidInput(f"{output} already exists; choose another name, or replace it "
                           "on purpose (--force).")
    partial = output.with_name(f".{output.name}.partial")
    try:
        store.backup_to(partial)
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, output)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise InvalidInput(
            f"The backup could not be written to {output} ({_reason(error)}); "
            f"{'the file there is unchanged' if output.exists() else 'nothing was written'}. "
            "Check that the disk has room and that you may write there."
        ) from error
    return output.stat().st_size


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error)


def check_backup(path: Path) -> dict[str, int]:
    """Refuse anything that is not a sound Palimpsest database; return its row counts."""
    if path.read_bytes()[:16] != SQLITE_MAGIC:
        raise InvalidInput("This file is not a Palimpsest backup (it is not an SQLite database).")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _checked(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"This backup cannot be read ({error}).") from error


def _checked(connection: sqlite3.Connection) -> dict[str, int]:
    if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise InvalidInput("This backup is damaged (SQLite's integrity check failed).")
    tables = {row[0] for row in connection.execute(
        "select name from sqlite_master where type = 'table'")}
    if not {"_migrations", "documents", "annotations"} <= tables:
        raise InvalidInput("This SQLite file is not a Palimpsest backup.")
    applied = [row[0] for row in connection.execute("select name from _migrations order by id")]
    known = [name for name, _ in MIGRATIONS]
    if applied != known[: len(applied)]:
        raise InvalidInput(
            "This backup was made by a newer or different version of Palimpsest (its schema "
            "has upgrades this version does not know); update Palimpsest, then restore it."
        )
    extra = _schema_differences(connection, _expected(len(applied)))
    if extra:
        raise InvalidInput(
            f"This backup's database differs from Palimpsest's own ({extra}), so it is not "
            "restored: a changed schema could break the workbench or run code of its own."
        )
    if connection.execute("PRAGMA foreign_key_check").fetchone():
        raise InvalidInput("This backup is damaged (rows point at rows that do not exist).")
    return {name: connection.execute(f'select count(*) from "{name}"').fetchone()[0]
            for name in ("documents", "annotations", "alignment_runs")}


def _expected(level: int) -> sqlite3.Connection:
    """An empty database migrated exactly as far as the backup was."""
    db = sqlite_utils.Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    Store._apply(db, MIGRATIONS[:level])
    return db.conn


def _schema(connection: sqlite3.Connection) -> dict[tuple[str, str], object]:
    """Every schema object, by (type, name): a table's columns, another object's SQL."""
    found = {}
    for kind, name, sql in connection.execute(
        "select type, name, sql from sqlite_master where name not like 'sqlite_%'"
    ):
        if kind == "table":
            found[kind, name] = [tuple(row[1:6]) for row in
                                 connection.execute(f'PRAGMA table_info("{name}")')]
        else:
            found[kind, name] = re.sub(r"\s+", " ", sql or "").strip()
    return found


def _schema_differences(connection: sqlite3.Connection, expected: sqlite3.Connection) -> str:
    """What ``connection`` has that ``expected`` has not, or has otherwise; "" if nothing."""
    theirs, ours = _schema(connection), _schema(expected)
    expected.close()
    unknown = sorted(f"{kind} {name}" for kind, name in theirs.keys() - ours.keys())
    missing = sorted(f"{kind} {name}" for kind, name in ours.keys() - theirs.keys())
    changed = sorted(f"{kind} {name}" for key in theirs.keys() & ours.keys()
                     if theirs[key] != ours[key] for kind, name in [key])
    said = [f"{label}: {', '.join(names[:5])}" for label, names in
            (("its own", unknown), ("missing", missing), ("changed", changed)) if names]
    return "; ".join(said)


def restore(db_path: Path, data: bytes) -> Path:
    """Replace the database at ``db_path`` with the backup ``data``.

    The current database is first copied beside itself
    (``<name>.before-restore-<time>.bak``), so a restore can be undone. Returns
    the path of that copy. Other open sessions must reopen the file.
    """
    db_path = Path(db_path)
    with tempfile.TemporaryDirectory() as folder:
        incoming = Path(folder) / "incoming.db"
        incoming.write_bytes(data)
        check_backup(incoming)
        Store(incoming).close()  # bring an older backup up to the current schema
        safety = db_path.with_name(
            f"{db_path.name}.before-restore-{utcnow().replace(':', '')}.bak")
        if db_path.exists():
            with Store(db_path) as current:
                current.backup_to(safety)
        _replace_contents(incoming, db_path)
    return safety


def _replace_contents(source: Path, db_path: Path) -> None:
    """Write ``source`` into ``db_path`` through SQLite, so WAL and open readers stay sane."""
    if not db_path.exists():
        shutil.copyfile(source, db_path)
        return
    source_connection = sqlite3.connect(source)
    target_connection = sqlite3.connect(db_path, timeout=30)
    try:
        source_connection.backup(target_connection)
    finally:
        source_connection.close()
        target_connection.close()
