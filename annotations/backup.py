"""Whole-project backups: a consistent copy of the database, and restoring one.

Copies use SQLite's online backup API, so they are consistent even while the
workbench is writing (a plain file copy of a live WAL database is not).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from annotations.store import Store, utcnow
from sources.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"


def backup_bytes(store: Store) -> bytes:
    """The whole database as the bytes of a standalone SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        target = store.backup_to(Path(folder) / "backup.db")
        return target.read_bytes()


def check_backup(path: Path) -> dict[str, int]:
    """Refuse anything that is not a sound Palimpsest database; return its row counts."""
    if path.read_bytes()[:16] != SQLITE_MAGIC:
        raise InvalidInput("This file is not a Palimpsest backup (it is not an SQLite database).")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise InvalidInput("This backup is damaged (SQLite's integrity check failed).")
            tables = {row[0] for row in connection.execute(
                "select name from sqlite_master where type = 'table'")}
            if not {"_migrations", "documents", "annotations"} <= tables:
                raise InvalidInput("This SQLite file is not a Palimpsest backup.")
            return {name: connection.execute(f'select count(*) from "{name}"').fetchone()[0]
                    for name in ("documents", "annotations", "alignment_runs")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"This backup cannot be read ({error}).") from error


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
