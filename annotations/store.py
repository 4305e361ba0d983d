"""The one way to touch a Palimpsest database: :class:`Store`.

A store is one SQLite file the scholar owns. Opening it applies pending
migrations; every write goes through :meth:`Store.transaction`, which takes the
write lock up front (``BEGIN IMMEDIATE``) so that concurrent sessions wait for
each other (busy timeout) instead of failing half-way with "database is locked".

Open one store per thread (in Streamlit: per script run); opening costs well
under a millisecond.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from annotations.migrations import MIGRATIONS
from sources.errors import PalimpsestError

BUSY_TIMEOUT_MS = 30_000
DEFAULT_DB = Path.home() / ".palimpsest" / "workbench.db"


class MigrationFailed(PalimpsestError):
    """A schema upgrade failed; the file was left as it was before the upgrade."""


def default_db_path() -> Path:
    """Where the workbench keeps its database unless told otherwise (``PALIMPSEST_DB``)."""
    return Path(os.environ.get("PALIMPSEST_DB") or DEFAULT_DB)


def utcnow() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """One open Palimpsest database.

    >>> store = Store(":memory:")
    >>> with store.transaction() as db:
    ...     _ = db["projects"].insert({"name": "Afghanistan 1986"})
    >>> store.count("projects")
    1
    """

    def __init__(self, path: str | os.PathLike = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All-or-nothing writes: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

        Nested use joins the outer transaction (sqlite-utils turns inner
        ``atomic`` blocks into savepoints).
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        if not self.db["_migrations"].exists():
            return []
        return [row["name"] for row in self.db["_migrations"].rows_where(order_by="id")]

    def migrate(self) -> list[str]:
        """Apply pending migrations in one transaction; return the names applied."""
        done = set(self.applied_migrations())
        pending = [(name, step) for name, step in MIGRATIONS if name not in done]
        if not pending:
            return []
        if done:
            self.backup_to(self.backup_path(f"before-{pending[0][0]}"))
        try:
            with self.transaction() as db:
                if not db["_migrations"].exists():
                    db["_migrations"].create(
                        {"id": int, "name": str, "applied_at": str}, pk="id", not_null={"name"}
                    )
                for name, step in pending:
                    step(db)
                    db["_migrations"].insert({"name": name, "applied_at": utcnow()})
        except Exception as error:
            raise MigrationFailed(
                f"Upgrading the database {self.path} failed ({error}); it was left unchanged."
            ) from error
        return [name for name, _ in pending]

    def backup_path(self, tag: str) -> Path:
        """Where an automatic backup tagged ``tag`` goes: beside the database file."""
        path = Path(self.path)
        return path.with_name(f"{path.name}.{tag}.bak")

    def backup_to(self, target: str | os.PathLike) -> Path:
        """A consistent copy of the whole database (SQLite online backup, WAL-safe)."""
        target = Path(target)
        if self.path == ":memory:" and str(target) == ":memory:":
            raise ValueError("cannot back up into memory")
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = sqlite3.connect(target)
        try:
            self.db.conn.backup(destination)
        finally:
            destination.close()
        return target

    def count(self, table: str) -> int:
        return self.db[table].count

    def row_counts(self) -> dict[str, int]:
        """Rows per table, FTS shadow tables left out: a cheap fingerprint of the contents."""
        return {
            name: self.db[name].count
            for name in self.db.table_names()
            if "_fts" not in name
        }

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
