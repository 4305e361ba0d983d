"""Full-text search: notes and texts, accent folding, filters, and hostile queries."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.model import AnnotationLink
from annotations.notes import (
    create_annotation,
    delete_annotation,
    list_annotations,
    update_annotation,
)
from annotations.search import SearchHit, fts_query, search
from annotations.store import Store
from sources.errors import InvalidInput
from tests.test_annotations import add_document

TEXT_EN = ("The delegation questioned the credibility of the report. "
           "Withdrawal was promised within nine months.")
TEXT_FR = ("La délégation met en doute la crédibilité du rapport. "
           "Le retrait fut promis dans les neuf mois.")


@pytest.fixture(scope="module")
def searchable():
    """One store for the whole module (search never writes)."""
    store = Store(":memory:")
    en = add_document(store, TEXT_EN, title="Report (EN)")
    fr = add_document(store, TEXT_FR, title="Rapport (FR)", language="fr")
    made = {
        "sceptic": create_annotation(store, en, 4, 14, note="The envoy sounds *sceptical* here.",
                                     tags=["tone", "Soviet", "Égypte"], reliability="B",
                                     credibility=2,
                                     author="Ada"),
        "months": create_annotation(store, en, TEXT_EN.index("nine"), len(TEXT_EN) - 1,
                                    note="Timetable (see annex)", author="Bob", tags=["timetable"],
                                    links=[AnnotationLink("translation-of", fr, 0, 10)]),
        "fr": create_annotation(store, fr, 3, 13, note="Une remarque sur la crédibilité.",
                                rationale="témoin unique", author="Zoë", reliability="E"),
    }
    gone = create_annotation(store, en, 0, 3, note="sceptical but deleted", author="Ada")
    delete_annotation(store, gone.id, author="Ada")
    yield store, en, fr, made
    store.close()


def ids(hits: list[SearchHit]) -> list[str | None]:
    return [hit.annotation_id for hit in hits if hit.kind == "annotation"]


def test_a_word_of_a_note_finds_the_annotation(searchable):
    store, en, _, made = searchable
    hits = search(store, "sceptical")
    assert ids(hits) == [made["sceptic"].id]
    hit = hits[0]
    assert (hit.document_id, hit.title, hit.start, hit.end) == (en, "Report (EN)", 4, 14)
    assert "sceptical" in hit.snippet


def test_deleted_annotations_are_not_found(searchable):
    store, *_, made = searchable
    hits = search(store, "sceptical")  # the deleted note "sceptical but deleted" matches too
    assert [(hit.kind, hit.annotation_id) for hit in hits] == [("annotation", made["sceptic"].id)]
    assert "deleted" not in hits[0].snippet


def test_accents_are_folded_both_ways(searchable):
    store, en, fr, made = searchable
    assert made["fr"].id in ids(search(store, "credibilite"))
    assert made["fr"].id in ids(search(store, "temoin"))
    documents = [h.document_id for h in search(store, "CRÉDIBILITÉ") if h.kind == "document"]
    assert documents == [fr]  # folding removes accents; it does not translate
    fr_hit = next(h for h in search(store, "credibilite") if h.kind == "document")
    assert TEXT_FR[fr_hit.start : fr_hit.end] == "crédibilité"


def test_document_hits_give_the_span_of_the_first_match(searchable):
    store, en, *_ = searchable
    hit = next(h for h in search(store, "nine months") if h.kind == "document")
    assert hit.document_id == en and TEXT_EN[hit.start : hit.end] == "nine"
    phrase = next(h for h in search(store, '"nine months"') if h.kind == "document")
    assert TEXT_EN[phrase.start : phrase.end] == "nine months"


def test_title_only_matches_point_at_the_start(searchable):
    store, _, fr, _ = searchable
    hit = next(h for h in search(store, "rapport") if h.kind == "document" and h.document_id == fr)
    assert (TEXT_FR[hit.start : hit.end]) == "rapport"
    title_only = [h for h in search(store, "FR") if h.kind == "document"]
    assert title_only and (title_only[0].start, title_only[0].end) == (0, 0)


def test_prefix_search(searchable):
    store, *_, made = searchable
    assert made["months"].id in ids(search(store, "timeta*"))


def test_annotations_come_first_and_limit_is_respected(searchable):
    store, *_ = searchable
    hits = search(store, "credibilite")
    kinds = [hit.kind for hit in hits]
    assert kinds == sorted(kinds, key=lambda kind: kind != "annotation")
    assert len(search(store, "credibilite", limit=1)) == 1
    with pytest.raises(InvalidInput):
        search(store, "x", limit=0)


@pytest.mark.parametrize("filters, expected", [
    ({"tag": "soviet"}, ["sceptic"]),
    ({"tag": " égypte "}, ["sceptic"]),
    ({"author": " Zoë "}, ["fr"]),
    ({"reliability": "b"}, ["sceptic"]),
    ({"credibility": 2}, ["sceptic"]),
    ({"link_type": "translation-of"}, ["months"]),
    ({"reliability": "E", "tag": "tone"}, []),
])
def test_filters_without_words_list_matching_annotations(searchable, filters, expected):
    store, *_, made = searchable
    assert sorted(ids(search(store, "", **filters))) == sorted(made[k].id for k in expected)


def test_filters_narrow_a_word_search_and_leave_documents_out(searchable):
    store, en, fr, made = searchable
    hits = search(store, "credibilite", author="Zoë")
    assert [(h.kind, h.annotation_id) for h in hits] == [("annotation", made["fr"].id)]
    assert ids(search(store, "credibilite", document_id=en)) == []
    assert {h.document_id for h in search(store, "credibilite", document_id=fr)} == {fr}


def test_bad_filter_values_are_refused(searchable):
    store, *_ = searchable
    with pytest.raises(InvalidInput, match="A to F"):
        search(store, "x", reliability="Z")
    with pytest.raises(InvalidInput, match="link type"):
        search(store, "x", link_type="sibling")


def test_nothing_asked_nothing_found(searchable):
    store, *_ = searchable
    assert search(store, "") == [] and search(store, '  " * ( ') == []


def described(hits: list[SearchHit], made: dict) -> list[str]:
    names = {annotation.id: name for name, annotation in made.items()}
    return [names[hit.annotation_id] if hit.kind == "annotation" else f"document {hit.title}"
            for hit in hits]


@pytest.mark.parametrize("query", [
    '"', '""', '"unbalanced', "(", ")", "a)", "AND", "OR NOT", "nine AND", "NEAR(", "NEAR(a b",
    "*", "**", "a*b", "-", "^", "col:val", "title:nine", "{a}", "'", "\\", "\x00", "nine months)",
    'sceptical" OR "1"="1', "%", "_", "'; DROP TABLE annotations; --",
])
def test_hostile_queries_are_searched_as_their_words(searchable, query):
    store, *_, made = searchable
    found = described(search(store, query), made)
    # Operators are words here ("AND" must be in the text), so only the plain words match.
    assert found == (["months", "document Report (EN)"] if query == "nine months)" else [])
    assert store.count("annotations") == 4


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_query_is_safe(searchable, query):
    store, *_ = searchable
    hits = search(store, query)
    if not fts_query(query):
        assert hits == []
    kinds = [hit.kind for hit in hits]
    assert kinds == sorted(kinds, key=lambda kind: kind != "annotation")
    live = {a.id: (a.document_id, a.start, a.end) for a in list_annotations(store)}
    for hit in hits:
        if hit.kind == "annotation":
            assert live[hit.annotation_id] == (hit.document_id, hit.start, hit.end)
        else:
            assert 0 <= hit.start <= hit.end


def test_fts_query_quotes_every_word():
    assert fts_query('nine AND "nine months" NEAR( x*') == '"nine" "AND" "nine months" "NEAR" "x"*'
    assert fts_query('"') == "" and fts_query("l'état") == '"l état"'


def test_edits_are_searchable_at_once(tmp_path):
    with Store(tmp_path / "s.db") as store:
        doc = add_document(store, TEXT_EN)
        made = create_annotation(store, doc, 0, 3, note="alpha")
        update_annotation(store, made.id, author="Ada", note="omega")
        assert ids(search(store, "alpha")) == [] and ids(search(store, "omega")) == [made.id]
