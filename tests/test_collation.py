"""Alignments as data: cached runs, decisions that survive re-runs and corrected re-imports."""

from __future__ import annotations

import pytest

from annotations.collation import compare, decide
from annotations.corrections import reimport_document
from annotations.documents import import_document
from sources.errors import InvalidInput
from sources.model import Span

DRAFT = (
    "Preamble of the report.\n\n"
    "The mission visited the northern provinces in March.\n\n"
    "Witnesses described the destruction of three villages near the river.\n\n"
    "The report ends with recommendations.\n"
)
FINAL = (
    "Preamble of the report.\n\n"
    "The mission visited the northern provinces in March.\n\n"
    "The report ends with recommendations.\n"
)
ANNEX = "Annex.\n\nWitnesses described the destruction of three villages near the river.\n"


@pytest.fixture
def trio(store):
    ids = [import_document(store, text.encode(), name, kind=kind, language="en")
           for text, name, kind in ((DRAFT, "draft.txt", "draft"), (FINAL, "final.txt", "final"),
                                    (ANNEX, "annex.txt", "annex"))]
    return store, ids


def test_removed_passage_is_found_in_the_annex_and_the_run_is_cached(trio):
    store, (draft, final, annex) = trio
    first = compare(store, draft, [final, annex])
    (row,) = first.ledger()
    assert row.passage.text.startswith("Witnesses described")
    assert row.destinations[0].b_document_id == annex
    assert row.destinations[0].b.text == row.passage.text
    again = compare(store, draft, [final, annex])
    assert again.run_id == first.run_id
    assert store.count("alignment_runs") == 1


def test_rejection_survives_rerunning_the_aligner(trio):
    store, (draft, final, annex) = trio
    row = compare(store, draft, [final, annex]).ledger()[0]
    dest = row.destinations[0]
    decide(store, draft, Span(row.passage.start, row.passage.end), "rejected", other_id=annex,
           b=Span(dest.b.start, dest.b.end))
    rerun = compare(store, draft, [final, annex], refresh=True)
    assert store.count("alignment_runs") == 1  # the new run replaced the old one
    (row,) = rerun.ledger()
    assert row.status == "wrong link" and row.destinations == ()


def test_manual_link_and_unlink(trio):
    store, (draft, final, annex) = trio
    ledger = compare(store, draft, [final, annex]).ledger()
    passage = ledger[0].passage
    heading = Span(0, len("Annex."))
    decide(store, draft, Span(passage.start, passage.end), "linked", other_id=annex, b=heading)
    (row,) = compare(store, draft, [final, annex]).ledger()
    assert row.status == "relinked"
    assert any(d.method == "manual" and d.b.text == "Annex." for d in row.destinations)
    with pytest.raises(InvalidInput):
        decide(store, draft, Span(passage.start, passage.end), "linked")


def test_decisions_follow_a_corrected_reimport_of_the_base(trio):
    store, (draft, final, annex) = trio
    row = compare(store, draft, [final, annex]).ledger()[0]
    dest = row.destinations[0]
    decide(store, draft, Span(row.passage.start, row.passage.end), "confirmed", other_id=annex,
           b=Span(dest.b.start, dest.b.end))
    corrected = DRAFT.replace("Preamble of the report.", "Preamble of the (corrected) report.")
    new_id, report = reimport_document(store, draft, corrected.encode(), "draft-v2.txt")
    assert report["carried"] == 1 and report["left"] == 0
    (row,) = compare(store, new_id, [final, annex]).ledger()
    assert row.status == "confirmed"


def test_compare_needs_two_different_documents(trio):
    store, (draft, _, _) = trio
    with pytest.raises(InvalidInput):
        compare(store, draft, [draft])
    with pytest.raises(InvalidInput):
        compare(store, draft, [])


def test_a_link_by_hand_uses_the_engines_rule_for_the_same_language(store):
    """en-GB and en are one language for the aligner; a link made by hand between them is a
    move, not a translation (it used to compare the codes as written)."""
    from annotations.collation import compare, decide
    from annotations.documents import get_document, import_document
    from sources.model import Span

    draft = import_document(store, b"Kept.\n\nCut here.\n", "d.txt", language="en-GB")
    final = import_document(store, b"Kept.\n", "f.txt", language="en-GB")
    annex = import_document(store, b"Elsewhere, reworded entirely.\n", "a.txt", language="en")
    cut = get_document(store, draft).passages[1]
    annex_passage = get_document(store, annex).passages[0]
    decide(store, draft, Span(cut.start, cut.end), "linked", other_id=annex,
           b=Span(annex_passage.start, annex_passage.end))
    (row,) = compare(store, draft, [final, annex]).ledger()
    assert [link.kind for link in row.destinations] == ["moved"]
