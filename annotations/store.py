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
import time
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


class StoreError(PalimpsestError, sqlite3.DatabaseError):
    """SQLite refused a change or could not open the file; the message is for people.

    The SQLite error is chained (``__cause__``). Being also a ``sqlite3`` error,
    it is still caught by code that catches SQLite's own exceptions.
    """


class StoreIntegrityError(StoreError, sqlite3.IntegrityError):
    """A change broke a rule of the schema (a missing document, a duplicate...)."""


class StoreOperationalError(StoreError, sqlite3.OperationalError):
    """SQLite could not carry a change out (locked too long, disk full, read-only file...)."""


def refused(error: sqlite3.Error) -> StoreError:
    """The error a user sees for ``error`` raised inside a transaction: nothing was saved."""
    kind = {sqlite3.IntegrityError: StoreIntegrityError,
            sqlite3.OperationalError: StoreOperationalError}.get(type(error), StoreError)
    said = f"The database refused this change ({error}); nothing was saved."
    refusal = kind(said + _advice(error))
    refusal.sqlite_errorcode = getattr(error, "sqlite_errorcode", None)
    refusal.sqlite_errorname = getattr(error, "sqlite_errorname", None)
    return refusal


_ADVICE = (
    (("locked", "busy"), " Another program or session kept the database busy for over "
     f"{BUSY_TIMEOUT_MS // 1000} seconds; close it (or wait for it) and try again."),
    (("readonly", "read-only"), " The database file is read-only: copy it somewhere you may "
     "write, or change its permissions."),
    (("full", "disk i/o"), " Check that the disk has room and that the file is still there."),
)


def _advice(error: sqlite3.Error) -> str:
    """What a scholar can do about ``error``, as one more sentence; "" if nothing is known.

    >>> _advice(sqlite3.OperationalError("database is locked"))[:39]
    ' Another program or session kept the da'
    """
    message = str(error).lower()
    return next((said for words, said in _ADVICE if any(w in message for w in words)), "")


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
        conn = None
        try:
            conn = self._connect()
            self.db = sqlite_utils.Database(conn)
            self.migrate()
        except (sqlite3.Error, OSError) as error:
            _close(conn)
            raise StoreError(
                f"Palimpsest cannot open the database {self.path} ({error}); check that it is "
                "a Palimpsest database file and that you may write to it."
            ) from error
        except BaseException:
            _close(conn)
            raise

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            _switch_to_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

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
        ``atomic`` blocks into savepoints). An error of SQLite's becomes a
        :class:`StoreError` saying that nothing was saved.
        """
        conn = self.db.conn
        try:
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            if isinstance(error, StoreError):
                raise
            raise refused(error) from error

    def applied_migrations(self) -> list[str]:
        if not self.db["_migrations"].exists():
            return []
        return [row["name"] for row in self.db["_migrations"].rows_where(order_by="id")]

    def migrate(self) -> list[str]:
        """Apply pending migrations in one transaction; return the names applied.

        An existing file is first copied beside itself (:meth:`backup_path`).
        Migrations that rebuild tables run with foreign keys off (a pragma that
        cannot change inside a transaction); every key is checked before commit.
        """
        pending = self._pending()
        if not pending:
            return []
        rebuilds = any(getattr(step, "rebuilds_tables", False) for _, step in pending)
        try:
            with self._foreign_keys_off(rebuilds), self.transaction() as db:
                pending = self._pending()  # another session may have upgraded it meanwhile
                if pending and self.applied_migrations():
                    self._copy_before(pending[0][0])
                self._apply(db, pending)
                if rebuilds:
                    _check_foreign_keys(db)
        except Exception as error:
            cause = error.__cause__ if isinstance(error, StoreError) else error
            raise MigrationFailed(
                f"Upgrading the database {self.path} failed ({cause}); it was left unchanged."
            ) from error
        return [name for name, _ in pending]

    def _pending(self) -> list:
        done = set(self.applied_migrations())
        return [(name, step) for name, step in MIGRATIONS if name not in done]

    @contextlib.contextmanager
    def _foreign_keys_off(self, off: bool) -> Iterator[None]:
        if off:
            self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            if off:
                self.db.execute("PRAGMA foreign_keys = ON")

    def _copy_before(self, migration: str) -> None:
        """Back the file up under the write lock, through a second connection.

        (SQLite's backup from the connection holding the lock would wait for
        itself.) Readers still see the last commit, so the copy is the file as it
        was before this upgrade, even if another session opened it at the same time.
        """
        if self.path == ":memory:":
            return
        reader = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            _copy(reader, self.backup_path(f"before-{migration}"))
        finally:
            reader.close()

    @staticmethod
    def _apply(db: sqlite_utils.Database, pending) -> None:
        if not db["_migrations"].exists():
            db["_migrations"].create(
                {"id": int, "name": str, "applied_at": str}, pk="id", not_null={"name"}
            )
        for name, step in pending:
            step(db)
            db["_migrations"].insert({"name": name, "applied_at": utcnow()})

    def backup_path(self, tag: str) -> Path:
        """Where an automatic backup tagged ``tag`` goes: beside the database file."""
        path = Path(self.path)
        return path.with_name(f"{path.name}.{tag}.bak")

    def backup_to(self, target: str | os.PathLike) -> Path:
        """A consistent copy of the whole database (SQLite online backup, WAL-safe)."""
        target = Path(target)
        if self.path == ":memory:" and str(target) == ":memory:":
            raise ValueError("cannot back up into memory")
        return _copy(self.db.conn, target)

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


def _check_foreign_keys(db: sqlite_utils.Database) -> None:
    """Refuse to commit rows that point at rows that do not exist (checked with keys off)."""
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise sqlite3.IntegrityError(
            f"{len(broken)} rows point at rows that do not exist, in {', '.join(tables)}")


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode, waiting as for any lock while another process does the same.

    SQLite answers "database is locked" at once, without its busy timeout, when two
    connections switch a fresh file's journal mode together; so wait here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


def _copy(source: sqlite3.Connection, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
    return target
