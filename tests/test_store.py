"""The store: migrations, transactions, concurrency, integrity."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from annotations import migrations
from annotations.store import MigrationFailed, Store


def test_open_applies_every_migration_once(tmp_path):
    path = tmp_path / "a.db"
    with Store(path) as first:
        applied = first.applied_migrations()
    assert applied == [name for name, _ in migrations.MIGRATIONS]
    with Store(path) as second:
        assert second.migrate() == []
        assert second.applied_migrations() == applied


def test_file_store_uses_wal_foreign_keys_and_busy_timeout(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_failed_transaction_leaves_nothing(store):
    before = store.row_counts()
    with pytest.raises(RuntimeError), store.transaction() as db:
        db["projects"].insert({"name": "half"})
        raise RuntimeError("boom")
    assert store.row_counts() == before


def test_nested_transaction_joins_outer_and_rolls_back_with_it(store):
    with pytest.raises(RuntimeError), store.transaction() as db:
        db["projects"].insert({"name": "outer"})
        with store.transaction() as inner:
            inner["projects"].insert({"name": "inner"})
        raise RuntimeError("boom")
    assert store.count("projects") == 0


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as db:
        db["pages"].insert({"document_id": 999, "seq": 1, "label": "1", "start": 0, "end": 1})
    assert store.count("pages") == 0


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    path = tmp_path / "c.db"
    Store(path).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Store(path) as own:
                for i in range(50):
                    with own.transaction() as db:
                        count = db.execute("select count(*) from projects").fetchone()[0]
                        db["projects"].insert({"name": f"w{n}-{i}-{count}"})
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(path) as check:
        assert check.count("projects") == 400
        assert check.integrity_ok()


def test_failed_migration_leaves_the_previous_database_usable(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    with Store(path) as first, first.transaction() as db:
        db["projects"].insert({"name": "kept"})

    def m999_broken(db):
        db["projects"].add_column("extra", str)
        raise sqlite3.OperationalError("simulated failure half-way")

    broken = [*migrations.MIGRATIONS, ("m999_broken", m999_broken)]
    monkeypatch.setattr("annotations.store.MIGRATIONS", broken)
    with pytest.raises(MigrationFailed, match="left unchanged"):
        Store(path)
    monkeypatch.undo()
    backup = path.with_name("m.db.before-m999_broken.bak")
    with Store(backup) as copy:
        assert [r["name"] for r in copy.db["projects"].rows] == ["kept"]
    with Store(path) as again:
        assert "m999_broken" not in again.applied_migrations()
        assert "extra" not in again.db["projects"].columns_dict
        assert [r["name"] for r in again.db["projects"].rows] == ["kept"]
        assert again.integrity_ok()
