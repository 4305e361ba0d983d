"""A database that cannot take a change says why, and what to do, in one sentence."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from annotations import store as store_module
from annotations.documents import import_document
from annotations.store import Store
from palimpsest.cli import main


def test_a_database_held_by_another_program_is_a_sentence_after_the_wait(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    with Store(db) as store:
        import_document(store, b"First.\n", "first.txt")
    source = tmp_path / "second.txt"
    source.write_bytes(b"Second.\n")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)  # the real wait is 30 s
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(main, ["import", "--db", str(db), str(source)])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.output == (
        f"{source}: not imported. The database refused this change (database is locked); "
        "nothing was saved. Another program or session kept the database busy for over "
        "30 seconds; close it (or wait for it) and try again.\n"
    )
    with Store(db) as store:
        assert store.count("documents") == 1
