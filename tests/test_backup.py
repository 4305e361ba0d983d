"""Backup and restore give back the same documents, alignments and annotations."""

from __future__ import annotations

import pytest

from annotations.backup import backup_bytes, restore
from annotations.documents import import_document, list_documents
from annotations.store import Store
from sources.errors import InvalidInput


def fingerprint(store: Store) -> dict:
    return {
        "counts": store.row_counts(),
        "documents": [(d.title, d.chars, d.passages) for d in list_documents(store)],
    }


def test_backup_then_restore_gives_back_the_same_project(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as store:
        import_document(store, b"Premier.\n\nSecond.\n", "a.txt", kind="draft")
        saved = backup_bytes(store)
        expected = fingerprint(store)
        import_document(store, b"Added after the backup.\n", "b.txt")
    safety = restore(path, saved)
    with Store(path) as store:
        assert fingerprint(store) == expected
        assert store.integrity_ok()
    with Store(safety) as before_restore:
        assert len(list_documents(before_restore)) == 2


NOT_BACKUPS = [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 50]


@pytest.mark.parametrize("data", NOT_BACKUPS)
def test_restore_refuses_what_is_not_a_backup(tmp_path, data):
    path = tmp_path / "w.db"
    with Store(path) as store:
        import_document(store, b"Kept.\n", "kept.txt")
    with pytest.raises(InvalidInput):
        restore(path, data)
    with Store(path) as store:
        assert [d.title for d in list_documents(store)] == ["kept"]
