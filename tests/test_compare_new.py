"""The Compare page on documents it has never seen: nothing is computed before the page runs.

Every test here starts from a fresh database, imports documents the test writes
itself, and opens Compare through the router the way a scholar does (the
sidebar's defaults, or a deep link), so the alignment runs inside the page.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from annotations.documents import import_document
from annotations.store import Store
from tests.conftest import ROOT

DRAFT = """Rapport sur la situation

1. Le Comité s'est réuni à Genève du 3 au 14 mars.

2. Les délégations ont examiné les témoignages recueillis dans les camps.

3. Treize pages de témoignages décrivent des exécutions sommaires dans trois provinces.

4. Le Comité recommande la poursuite de l'enquête.
"""
FINAL = """Rapport sur la situation

1. Le Comité s'est réuni à Genève du 3 au 14 mars.

2. Les délégations ont examiné brièvement les témoignages recueillis.

4. Le Comité recommande la poursuite de l'enquête.
"""


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A new database with a draft and a final imported, and no comparison stored."""
    path = tmp_path / "fresh.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    with Store(path) as store:
        draft = import_document(store, DRAFT.encode(), "draft.txt", kind="draft", language="fr",
                                title="Draft report")
        final = import_document(store, FINAL.encode(), "final.txt", kind="final", language="fr",
                                title="Final report")
        assert store.count("alignment_runs") == 0
    return path, draft, final


def open_compare(tab: str | None = None, **params) -> AppTest:
    """The Compare page through the router, with ``params`` in its URL and ``tab`` open
    (only the open tab is drawn; the first, "What matters", by default)."""
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/compare.py")
    for name, value in params.items():
        at.query_params[name] = str(value)
    if tab:
        at.session_state["compare_tab"] = tab
    at.run()
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Open another tab of the Compare page, as a click on it does (a rerun)."""
    at.session_state["compare_tab"] = tab
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_new_comparison_from_the_sidebar_defaults_shows_its_counts(fresh):
    path, _, _ = fresh
    at = open_compare()
    assert not at.exception, at.exception
    counts = metrics(at)
    assert counts["Removed"] == "1"
    assert counts["Changed"] == "1"
    assert counts["Equal"] == "3"
    with Store(path) as store:
        assert store.count("alignment_runs") == 1


def test_a_new_comparison_from_a_deep_link_shows_the_removed_passage(fresh):
    _, draft, final = fresh
    at = open_compare("Side by side", base=draft, others=final)
    assert not at.exception, at.exception
    assert metrics(at)["Removed"] == "1"
    view = next(e for e in at.main if getattr(e, "key", None) == "collation")
    payload = json.loads(view.proto.json)
    removed = [row for row in payload["rows"] if row["kind"] == "removed"]
    assert len(removed) == 1
    assert "exécutions sommaires" in "".join(text for _, text in removed[0]["a"]["segments"])
    # The empty right-hand cell of a removed passage names the version it is missing from.
    assert removed[0]["b"] is None
    assert payload["absent"] == {"a": "not in “Draft report”", "b": "not in “Final report”"}


LEDGER_DRAFT = (
    "Report\n\nThe committee met in Geneva in March.\n\f\n"
    "Thirteen pages of testimony describe summary executions in three provinces and run\n"
    "\fonto the next page of the draft.\n\n"
    "A paragraph that nobody kept anywhere at all.\n\n"
    "The committee recommends that the inquiry continue.\n"
)
LEDGER_FINAL = "Report\n\nThe committee met in Geneva in March.\n\n" \
    "The committee recommends that the inquiry continue.\n"
LEDGER_ANNEX = (
    "Annex\n\f\nThirteen pages of testimony describe summary executions in three provinces and "
    "run onto the next page of the draft.\n"
)


def test_the_ledger_export_carries_full_texts_pages_and_the_review(store):
    from annotations.collation import compare, decide
    from sources.model import Span
    from ui.compare import ledger_export

    draft = import_document(store, LEDGER_DRAFT.encode(), "draft.txt", language="en",
                            title="Draft")
    final = import_document(store, LEDGER_FINAL.encode(), "final.txt", language="en",
                            title="Final")
    annex = import_document(store, LEDGER_ANNEX.encode(), "annex.txt", language="en",
                            title="Annex")
    cut = compare(store, draft, [final, annex]).ledger()[0]
    decide(store, draft, Span(cut.passage.start, cut.passage.end), "confirmed", other_id=annex,
           b=Span(cut.destinations[0].b.start, cut.destinations[0].b.end), author="Ada",
           note="same words")

    moved, lost = ledger_export(compare(store, draft, [final, annex]))

    assert moved["removed text"] == (
        "Thirteen pages of testimony describe summary executions "
        "in three provinces and run\n\fonto the next page of the draft.")
    assert moved["pages"] == "pp. 2–3"
    assert moved["went to"] == "Annex"
    assert moved["destination pages"] == "p. 2"
    assert moved["destination text"].startswith("Thirteen pages of testimony")
    assert (moved["status"], moved["reviewed by"], moved["review note"]) == (
        "confirmed", "Ada", "same words")
    assert moved["reviewed on"][:4].isdecimal()
    assert lost["removed text"] == "A paragraph that nobody kept anywhere at all."
    assert (lost["went to"], lost["destination text"], lost["status"], lost["reviewed by"]) == (
        "not found anywhere", "", "unreviewed", "")
