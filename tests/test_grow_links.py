"""n:m links across languages: a translator who merged two provisions or split one.

The structure (:func:`sources.passage_align.grow_links`) is tested on similarity
matrices built by hand; the whole search (:func:`sources.crosslingual.find_translations`)
on small French/English texts with the real encoder.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.collation import compare
from annotations.documents import import_document
from annotations.store import Store
from sources import crosslingual, passage_align
from sources.collate import Witness, collate
from ui.compare import ledger_table

needs_model = pytest.mark.usefixtures("embedder")


def scorer(table: dict[tuple[tuple[int, ...], tuple[int, ...]], float], similarity):
    """A group score read from ``table``; a group it does not name scores low."""

    def score(a, b):
        if len(a) == len(b) == 1:
            return float(similarity[a[0], b[0]])
        return table.get((a, b), 0.0)

    return score


def test_a_merge_joins_the_next_passage_when_the_joined_text_explains_it_better():
    similarity = np.array([[0.7, 0.1], [0.4, 0.1], [0.1, 0.9]])
    score = scorer({((0, 1), (0,)): 0.85}, similarity)
    links = passage_align.grow_links([(0, 0, 0.9), (2, 1, 1.0)], similarity, score,
                                     [False, True, True], [False, True])
    assert [(i, j) for i, j, _ in links] == [(0, 0), (1, 0), (2, 1)]
    assert {s for i, j, s in links if j == 0} == {0.85}  # the group's score on both pairs


def test_a_split_joins_the_next_paragraph_of_the_translation():
    similarity = np.array([[0.6, 0.45, 0.05]])
    score = scorer({((0,), (0, 1)): 0.8, ((0,), (0, 1, 2)): 0.5}, similarity)
    links = passage_align.grow_links([(0, 0, 0.6)], similarity, score, [False],
                                     [False, True, True])
    assert [(i, j) for i, j, _ in links] == [(0, 0), (0, 1)]


def test_nothing_is_forced_on_a_passage_that_matches_nothing():
    similarity = np.array([[0.8, 0.05], [0.05, 0.05]])
    # joining passage 1 would even score a little higher, but it is like nothing on its own
    score = scorer({((0, 1), (0,)): 0.9, ((0,), (0, 1)): 0.9}, similarity)
    links = passage_align.grow_links([(0, 0, 0.8)], similarity, score, [False, True],
                                     [False, True])
    assert [(i, j) for i, j, _ in links] == [(0, 0)]


def test_only_neighbours_in_the_document_are_joined():
    similarity = np.array([[0.7], [0.5]])
    score = scorer({((0, 1), (0,)): 0.95}, similarity)
    apart = passage_align.grow_links([(0, 0, 0.7)], similarity, score, [False, False], [False])
    together = passage_align.grow_links([(0, 0, 0.7)], similarity, score, [False, True], [False])
    assert [(i, j) for i, j, _ in apart] == [(0, 0)]
    assert [(i, j) for i, j, _ in together] == [(0, 0), (1, 0)]


def test_a_merge_may_pass_over_a_provision_the_annex_left_out():
    similarity = np.array([[0.7], [0.05], [0.5]])
    score = scorer({((0, 2), (0,)): 0.9}, similarity)
    links = passage_align.grow_links([(0, 0, 0.7)], similarity, score, [False, True, True],
                                     [False])
    assert [(i, j) for i, j, _ in links] == [(0, 0), (2, 0)]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_grown_links_keep_every_link_and_give_each_passage_one_group(n, m, seed):
    rng = np.random.default_rng(seed)
    similarity = rng.uniform(-0.1, 1.0, (n, m))
    follows_a = [k > 0 and bool(rng.integers(2)) for k in range(n)]
    follows_b = [k > 0 and bool(rng.integers(2)) for k in range(m)]
    pairs = passage_align.one_to_one(similarity, passage_align.EMBEDDING)
    joined = rng.uniform(0, 1.2, (2 ** n, 2 ** m))

    def score(a, b):
        if len(a) == len(b) == 1:
            return float(similarity[a[0], b[0]])
        return float(joined[sum(1 << i for i in a), sum(1 << j for j in b)])

    links = passage_align.grow_links(pairs, similarity, score, follows_a, follows_b)
    assert {(i, j) for i, j, _ in pairs} <= {(i, j) for i, j, _ in links}
    assert all(0.0 <= s <= 1.0 for _, _, s in links)
    groups = {}  # each passage of a grown link belongs to the group of one original link
    for i, j, _ in pairs:
        groups[("a", i)] = groups[("b", j)] = (i, j)
    for i, j, _ in links:
        owner_a, owner_b = groups.get(("a", i)), groups.get(("b", j))
        assert owner_a is None or owner_b is None or owner_a == owner_b
    sides = {}
    for i, j, _ in links:
        sides.setdefault(("a", i), set()).add(j)
        sides.setdefault(("b", j), set()).add(i)
    assert all(len(v) <= passage_align.MAX_GROUP for v in sides.values())


FRENCH = [
    "Le commissaire présente chaque année au Parlement un rapport sur l’application de la "
    "présente loi.",
    "Le rapport fait état des plaintes reçues et des enquêtes menées pendant l’année.",
    "Le tribunal peut ordonner le versement d’une indemnité à la partie lésée.",
    "Les députés ont le droit d’employer le français ou l’anglais dans les débats de la "
    "Chambre des communes.",
]
ENGLISH = [
    "The climbers turned back two hundred metres below the summit because of the storm.",
    "The Commissioner shall submit an annual report to Parliament on the application of this "
    "Act. The report shall set out the complaints received and the investigations conducted "
    "during the year.",
    "Members of Parliament have the right to use English or French in the debates of the "
    "House of Commons.",
    "The court may order that compensation be paid to the injured party.",
    "Bananas and lentils are rich in potassium.",
]


@needs_model
def test_two_french_provisions_merged_in_one_english_paragraph_are_both_found():
    links = crosslingual.find_translations(FRENCH, ENGLISH, lang_a="fr", lang_b="en")
    assert [(i, j) for i, j, _ in links] == [(0, 1), (1, 1), (2, 3), (3, 2)]


@needs_model
def test_one_provision_split_over_two_english_paragraphs_is_linked_to_both():
    english = ["Bananas and lentils are rich in potassium.",
               "The Commissioner shall submit an annual report to Parliament on the application "
               "of this Act.",
               "The report shall set out the complaints received and the investigations "
               "conducted during the year.",
               "The train to the coast leaves every hour from platform four."]
    french = [FRENCH[0] + " " + FRENCH[1]]
    links = crosslingual.find_translations(french, english, lang_a="fr", lang_b="en")
    assert [(i, j) for i, j, _ in links] == [(0, 1), (0, 2)]


@needs_model
def test_collate_links_a_cut_passage_to_both_halves_and_reads_them_whole():
    draft = "\n\n".join(["Titre premier.", FRENCH[0] + " " + FRENCH[1], FRENCH[2]])
    final = "\n\n".join(["Titre premier.", FRENCH[2]])
    annex = "\n\n".join(["Annex.",
                         "The Commissioner shall submit an annual report to Parliament on the "
                         "application of this Act.",
                         "The report shall set out the complaints received and the "
                         "investigations conducted during the year."])
    links = collate(Witness("draft", draft, "fr"),
                    [Witness("final", final, "fr"), Witness("annex", annex, "en")])
    translated = [x for x in links if x.link.kind == "translated"]
    assert [annex[x.link.b.start:x.link.b.end][:14] for x in translated] == [
        "The Commission", "The report sha"]
    assert translated[0].carried.status == "all"  # not "1 of 2 sentences": the split is read whole


CUT = ("3. Les témoins décrivent des exécutions sommaires dans trois villages. Les corps ont "
       "été laissés sans sépulture. Aucune enquête n'a été ouverte depuis le 4 mars 1986.")


def split_annex(date: str) -> str:
    return "\n\n".join(["Annex: testimony",
                        "The witnesses describe summary executions in three villages.",
                        f"The bodies were left unburied. No inquiry has been opened since {date}."])


@needs_model
@pytest.mark.parametrize(("date", "expected"), [
    ("4 March 1986", []),  # the figure of one half is not "missing" from the other
    ("4 May 1986", [("date", "4 mars 1986", "4 May 1986")]),  # a real one, reported once
])
def test_a_split_translation_is_checked_for_figures_as_one_text(date, expected):
    draft = "\n\n".join(["Titre.", CUT, "4. La suite."])
    final = "\n\n".join(["Titre.", "4. La suite."])
    annex = split_annex(date)
    links = collate(Witness("draft", draft, "fr"),
                    [Witness("final", final, "fr"), Witness("annex", annex, "en")])
    translated = [x for x in links if x.link.kind == "translated"]
    assert len(translated) == 2
    found = [(v.type, v.old, v.new) for x in translated for v in x.variants]
    assert found == expected
    for x in translated:  # spans still point at the right words in each text
        for v in x.variants:
            assert draft[v.a.start:v.a.end] == v.old and annex[v.b.start:v.b.end] == v.new


@needs_model
def test_the_ledger_names_every_paragraph_of_a_split_translation(tmp_path):
    with Store(tmp_path / "split.db") as store:
        draft, final, annex = (
            import_document(store, text.encode(), name, language=language, kind=kind)
            for name, text, language, kind in (
                ("draft.txt", "\n\n".join(["Titre.", CUT, "4. La suite."]), "fr", "draft"),
                ("final.txt", "\n\n".join(["Titre.", "4. La suite."]), "fr", "final"),
                ("annex.txt", split_annex("4 March 1986"), "en", "annex")))
        [row] = ledger_table(compare(store, draft, [final, annex]))
    assert (row["there"], row["carried over"], row["disagrees on"]) == ("(¶ 2); (¶ 3)", "all", "")
