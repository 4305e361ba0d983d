"""Stored comparisons are recomputed when the engine that made them has changed."""

from __future__ import annotations

import json

import pytest

from annotations.collation import compare, decide
from annotations.documents import import_document
from sources import collate
from sources.collate import engine_fingerprint
from sources.model import Span

DRAFT = "Title\n\nFirst paragraph stays.\n\nSecond paragraph is cut from the final.\n\nThird one.\n"
FINAL = "Title\n\nFirst paragraph stays.\n\nThird one.\n"


@pytest.fixture
def pair(store):
    draft = import_document(store, DRAFT.encode(), "draft.txt", kind="draft", language="en")
    final = import_document(store, FINAL.encode(), "final.txt", kind="final", language="en")
    return draft, final


@pytest.fixture
def fresh_fingerprint():
    engine_fingerprint.cache_clear()
    yield
    engine_fingerprint.cache_clear()


def test_a_run_records_the_engine_that_made_it(store, pair):
    draft, final = pair
    compare(store, draft, [final])
    run = next(store.db["alignment_runs"].rows)
    assert run["method"] == engine_fingerprint()
    assert json.loads(run["params"]) == {"engine": engine_fingerprint(), "others": [final]}


def test_a_run_of_an_older_engine_is_recomputed_and_replaced(store, pair):
    draft, final = pair
    compare(store, draft, [final])
    with store.transaction() as db:  # what the first release stored: a hand-bumped name
        db.execute("update alignment_runs set params = ?, method = 'collate-1'",
                   [json.dumps({"engine": "collate-1", "others": [final]})])
        db.execute("delete from alignment_links where kind = 'removed'")  # its output differed
    removed = Span(DRAFT.index("Second"), DRAFT.index(" from the final.") + 16)
    decide(store, draft, removed, "not-found", author="Ada")

    again = compare(store, draft, [final])

    run = next(store.db["alignment_runs"].rows)
    assert store.count("alignment_runs") == 1
    assert json.loads(run["params"])["engine"] == engine_fingerprint() != "collate-1"
    assert [row.passage.text for row in again.ledger()] == [
        "Second paragraph is cut from the final."]
    assert again.ledger()[0].status == "not found"  # the scholar's decision survives


def test_the_same_engine_reads_the_stored_run(store, pair):
    draft, final = pair
    first = compare(store, draft, [final])
    assert compare(store, draft, [final]).run_id == first.run_id


def test_the_fingerprint_follows_library_versions(monkeypatch, fresh_fingerprint):
    before = engine_fingerprint()
    engine_fingerprint.cache_clear()
    monkeypatch.setattr(collate, "_version", lambda library: "999")
    assert engine_fingerprint() != before


def test_the_fingerprint_follows_the_engine_code(tmp_path, monkeypatch, fresh_fingerprint):
    module = tmp_path / "engine_part.py"
    module.write_text("THRESHOLD = 0.85\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(collate, "ENGINE_MODULES", (*collate.ENGINE_MODULES, "engine_part"))
    before = engine_fingerprint()
    module.write_text("THRESHOLD = 0.80\n")
    engine_fingerprint.cache_clear()
    assert engine_fingerprint() != before
