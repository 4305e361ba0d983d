"""Variants stored with a comparison, the scholar's re-typings and project rules
(annotations.meaning through annotations.collation), and the "What matters" view
on a comparison computed in the test (AppTest, fresh database)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from annotations.collation import compare
from annotations.documents import import_document
from annotations.meaning import add_rule, decide_variant, describe_counts, list_rules
from annotations.store import Store
from sources.errors import InvalidInput
from tests.conftest import ROOT

DRAFT = (
    "Article 1. Le ministre doit publier le rapport dans un délai de 30 jours.\n\n"
    "Article 2. Le conseil se réunit à Genève le 1er mars 1986.\n\n"
    "Article 3. L’État peut transférer les fonds au Conseil.\n\n"
    "Article 4. Ce paragraphe reste tel quel dans les deux versions du texte.\n"
)
FINAL = (
    "Article 1. Le ministre peut publier le rapport dans un délai de 60 jours.\n\n"
    "Article 2. Le conseil se réunit à Genève le 1er avril 1986.\n\n"
    "Article 3. L'État ne peut pas transférer les fonds au Conseil.\n\n"
    "Article 4. Ce paragraphe reste tel quel dans les deux versions du texte.\n"
)


@pytest.fixture
def pair(tmp_path):
    path = tmp_path / "meaning.db"
    with Store(path) as store:
        draft = import_document(store, DRAFT.encode(), "draft.txt", language="fr", kind="draft")
        final = import_document(store, FINAL.encode(), "final.txt", language="fr", kind="final")
        yield store, draft, final, path


def flagged(store, draft, final, **options):
    comparison = compare(store, draft, [final], **options)
    return [(v.type, v.old, v.new) for _, v in comparison.flagged()]


def test_a_comparison_stores_typed_variants_and_lists_the_meaningful_ones(pair):
    store, draft, final, _ = pair
    assert flagged(store, draft, final) == [
        ("modality", "doit", "peut"), ("number", "30", "60"),
        ("date", "1er mars 1986", "1er avril 1986"), ("negation", "peut", "ne peut pas"),
    ]
    comparison = compare(store, draft, [final])
    formal = [(v.old, v.new) for _, v in comparison.variants() if v.type == "formal"]
    assert formal == [("L’État", "L'État")]  # typed, stored, not flagged


def test_a_retyped_variant_keeps_its_type_when_the_aligner_runs_again(pair):
    store, draft, final, _ = pair
    comparison = compare(store, draft, [final])
    [(link, negation)] = [(k, v) for k, v in comparison.flagged() if v.type == "negation"]
    decide_variant(store, draft, final, negation.variant, type="lexical", author="Ada")
    [(_, date)] = [(k, v) for k, v in comparison.flagged() if v.type == "date"]
    decide_variant(store, draft, final, date.variant, significant=False, author="Ada")
    again = compare(store, draft, [final], refresh=True)  # a new run, decisions kept apart
    assert [(v.type, v.old) for _, v in again.flagged()] == [("modality", "doit"),
                                                            ("number", "30")]
    retyped = {v.old: v for _, v in again.variants()}
    assert (retyped["peut"].type, retyped["peut"].engine_type, retyped["peut"].decided_by) == (
        "lexical", "negation", "Ada")
    assert (retyped["1er mars 1986"].type, retyped["1er mars 1986"].significant) == ("date", False)


def test_the_latest_decision_wins(pair):
    store, draft, final, _ = pair
    [(_, figure)] = [(k, v) for k, v in compare(store, draft, [final]).flagged()
                     if v.type == "number"]
    decide_variant(store, draft, final, figure.variant, type="lexical")
    decide_variant(store, draft, final, figure.variant, type="number")
    assert ("number", "30", "60") in flagged(store, draft, final)


def test_a_project_rule_types_every_variant_it_describes(pair):
    store, draft, final, _ = pair
    project = store.db.execute("select project_id from documents where id = ?",
                               [draft]).fetchone()[0]
    add_rule(store, project, "doit", "peut", type="lexical", author="Ada")
    result = compare(store, draft, [final])
    rule_typed = {v.old: v for _, v in result.variants()}["doit"]
    assert (rule_typed.type, rule_typed.rule) == ("lexical", "doit = peut (wording)")
    assert ("modality", "doit", "peut") not in flagged(store, draft, final)
    assert [r["old"] for r in list_rules(store, project)] == ["doit"]


@pytest.mark.parametrize("old, new, kind", [("", "x", "formal"), ("a", "a", "formal"),
                                            ("a", "b", "nonsense"), ("a" * 201, "b", "formal")])
def test_a_rule_that_means_nothing_is_refused_and_nothing_is_stored(pair, old, new, kind):
    store, draft, *_ = pair
    with pytest.raises(InvalidInput):
        add_rule(store, 1, old, new, type=kind)
    assert store.db["variant_rules"].count == 0


def test_an_unknown_type_is_refused(pair):
    store, draft, final, _ = pair
    [(_, figure), *_] = compare(store, draft, [final]).flagged()
    with pytest.raises(InvalidInput, match="Unknown variant type"):
        decide_variant(store, draft, final, figure.variant, type="important")
    assert store.db["variant_decisions"].count == 0


def test_counts_read_as_a_sentence():
    from collections import Counter

    assert describe_counts(Counter(number=3, negation=2, modality=1)) == (
        "3 figures changed, 2 negations, 1 change of obligation")
    assert describe_counts(Counter()) == ""


# --- the page, on a comparison nobody computed before ----------------------------------------

def open_compare(path, monkeypatch, draft, final) -> AppTest:
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/compare.py")
    at.query_params["base"], at.query_params["others"] = str(draft), str(final)
    at.run()
    assert not at.exception, at.exception
    return at


def meaning_rows(at):
    return next(f.value for f in at.dataframe if "type" in f.value.columns)


def test_what_matters_on_a_fresh_comparison_and_a_retyping_from_the_page(pair, monkeypatch):
    store, draft, final, path = pair
    at = open_compare(path, monkeypatch, draft, final)
    rows = meaning_rows(at)
    assert list(zip(rows["type"], rows["old"], rows["new"], strict=True)) == [
        ("figure", "30", "60"), ("date", "1er mars 1986", "1er avril 1986"),
        ("negation", "peut", "ne peut pas"), ("obligation", "doit", "peut")]
    assert rows["context"][0].endswith(f"base={draft}&others={final}&p=1")
    # only negations
    at.multiselect(key="meaning_types").set_value(["negation"]).run()
    assert list(meaning_rows(at)["old"]) == ["peut"]
    # re-type it as wording: it leaves the list of meaningful changes, and stays so
    at.text_input(key="palimpsest_author_input").set_value("Ada").run()
    at.selectbox(key="meaning_type_1").set_value("lexical").run()
    at.button(key="meaning_save").click().run()
    assert not at.exception
    assert any("is now wording" in s.value for s in at.success)
    again = open_compare(path, monkeypatch, draft, final)
    rows = meaning_rows(again)
    assert "peut" not in list(rows["old"])
    again.multiselect(key="meaning_types").set_value(["lexical"]).run()
    assert list(meaning_rows(again)["type"]) == ["wording (found as negation)"]
    assert list(meaning_rows(again)["decided"]) == ["Ada"]
