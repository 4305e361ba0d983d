"""Multi-witness collation: alignment with same-language witnesses, search for removed text."""

from __future__ import annotations

import sys
import types

import pytest

from sources.collate import Witness, collate, same_language
from sources.model import Passage

DRAFT = [
    "The committee shall meet at least twice a year in the capital.",
    "Members are appointed for a term of four years, renewable once.",
    "The secretariat keeps the minutes and sends them to every member within a month.",
    "The chair may invite experts to any meeting without the right to vote.",
]
FINAL = [DRAFT[0], DRAFT[1].replace("four", "five"), DRAFT[3]]  # DRAFT[2] is cut
ANNEX = [  # the cut passage survives inside a longer one, after a passage that stayed
    DRAFT[3],
    "On procedure. Minutes are written in both languages. " + DRAFT[2]
    + " Members may ask for corrections at the next meeting, which the chair decides.",
]


def witness(name: str, paragraphs: list[str], language: str | None = "en") -> Witness:
    passages, start = [], 0
    for seq, paragraph in enumerate(paragraphs, 1):
        passages.append(Passage(seq, start, start + len(paragraph)))
        start += len(paragraph) + 2
    return Witness(name, "\n\n".join(paragraphs), language, tuple(passages))


def described(links, texts: dict[str, str]):
    return [
        (x.b_doc, x.link.kind, x.link.a and x.link.a.slice(texts[x.a_doc]),
         x.link.b and x.link.b.slice(texts[x.b_doc]))
        for x in links
    ]


@pytest.fixture
def fake_translations(monkeypatch):
    """Stand-in for sources.crosslingual (another engineer's module, with a model to load)."""
    calls = []

    def find_translations(removed, candidates, *, lang_a, lang_b, follows_a, follows_b):
        assert len(follows_a) == len(removed) and len(follows_b) == len(candidates)
        calls.append((list(removed), list(candidates), lang_a, lang_b))
        return [(0, len(candidates) - 1, 0.77)]

    module = types.ModuleType("sources.crosslingual")
    module.find_translations = find_translations
    monkeypatch.setitem(sys.modules, "sources.crosslingual", module)
    return calls


def test_same_language_witnesses_are_aligned_and_the_cut_passage_is_found_in_the_annex():
    base, final, annex = witness("draft", DRAFT), witness("final", FINAL), witness("annex", ANNEX)
    links = collate(base, [final, annex])
    texts = {w.name: w.text for w in (base, final, annex)}
    got = described(links, texts)
    assert got[:4] == [
        ("final", "equal", DRAFT[0], DRAFT[0]),
        ("final", "changed", DRAFT[1], FINAL[1]),
        ("final", "removed", DRAFT[2], None),
        ("final", "equal", DRAFT[3], DRAFT[3]),
    ]
    # The annex is aligned too, then searched for the cut passage, found inside a longer one.
    assert got[4:] == [
        ("annex", "removed", DRAFT[0], None),
        ("annex", "removed", DRAFT[1], None),
        ("annex", "removed", DRAFT[2], None),
        ("annex", "equal", DRAFT[3], DRAFT[3]),
        ("annex", "added", None, ANNEX[1]),
        ("annex", "moved", DRAFT[2], ANNEX[1]),
    ]
    assert links[-1].link.method == "ngram" and 0.8 <= links[-1].link.score <= 1.0
    assert all(x.a_doc == "draft" for x in links)


def test_another_language_gets_only_search_links_among_its_passages(fake_translations):
    base, final = witness("draft", DRAFT), witness("final", FINAL)
    annex = witness("annexe", ["Annexe.", "Le secrétariat tient les procès-verbaux."], "fr")
    links = collate(base, [final, annex])
    annex_links = [x for x in links if x.b_doc == "annexe"]
    assert [(x.link.kind, x.link.a.slice(base.text), x.link.b.slice(annex.text), x.link.score)
            for x in annex_links] == [
        ("translated", DRAFT[2], "Le secrétariat tient les procès-verbaux.", 0.77)]
    searched = ["Annexe.", "Le secrétariat tient les procès-verbaux."]
    assert fake_translations == [([DRAFT[2]], searched, "en", "fr")]


def test_without_the_cross_language_module_translations_are_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "sources.crosslingual", None)  # import raises ImportError
    annex = witness("annexe", ["Le secrétariat tient les procès-verbaux."], "fr")
    links = collate(witness("draft", DRAFT), [witness("final", FINAL), annex])
    assert [x for x in links if x.b_doc == "annexe"] == []


def test_only_unexplained_passages_of_a_witness_are_searched(fake_translations):
    base = witness("draft", DRAFT)
    # A second same-language witness still holds the passage (equal): no extra link for it.
    keeps = witness("keeps", DRAFT)
    links = collate(base, [witness("final", FINAL), keeps])
    kept = [x.link.kind for x in links if x.b_doc == "keeps"]
    assert kept == ["equal"] * 4
    assert fake_translations == []


def test_nothing_is_searched_when_nothing_was_removed(fake_translations):
    annex = witness("annexe", ["Annexe."], "fr")
    links = collate(witness("draft", DRAFT), [witness("final", DRAFT), annex])
    assert [x.link.kind for x in links] == ["equal"] * 4
    assert fake_translations == []


def test_without_a_same_language_witness_there_is_no_final_and_no_link(fake_translations):
    links = collate(witness("draft", DRAFT), [witness("annexe", ["Annexe."], "fr")])
    assert links == [] and fake_translations == []


def test_a_moved_block_in_a_witness_explains_all_its_passages(fake_translations):
    # In "final" the last two passages moved to the front as one block, one was cut.
    base = witness("draft", DRAFT + ["A fifth provision on entry into force of the rules."])
    final = witness("final", [base.passage_text(p) for p in base.passages[3:]] + DRAFT[:2])
    annex = witness("annexe", ["Le secrétariat tient les procès-verbaux."], "fr")
    links = collate(base, [final, annex])
    assert [x.link.kind for x in links if x.b_doc == "final"].count("moved") == 1
    assert [x.link.kind for x in links if x.b_doc == "annexe"] == ["translated"]


def test_witness_passages_default_to_the_segmenter():
    w = Witness("w", "First block.\n\n\nSecond block.\n", "en")
    assert [w.passage_text(p) for p in w.passages] == ["First block.", "Second block."]
    assert Witness("empty", "", None).passages == ()


def test_languages_compare_by_their_primary_tag():
    assert same_language("en-GB", "en") and same_language("fr_CA", "FR")
    assert same_language(None, "fr") and not same_language("fr", "en")
