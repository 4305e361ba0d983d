"""Same-language alignment: examples that pin behaviour, and invariants checked by hypothesis."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources import align
from sources.align import SHORT_WORDS, align_versions, inline_diff
from sources.model import Passage
from sources.reuse import find_reuse

WORDS = ("the letter river ice mountain cabin father sister voyage north storm night "
         "ship sailor glacier winter dream fire book friend city lake garden morning").split()


def blocks(paragraphs: list[str]) -> tuple[str, tuple[Passage, ...]]:
    """Join paragraphs with blank lines; the passages are the paragraphs (test-only segmenter)."""
    passages, start = [], 0
    for seq, paragraph in enumerate(paragraphs, 1):
        passages.append(Passage(seq, start, start + len(paragraph)))
        start += len(paragraph) + 2
    return "\n\n".join(paragraphs), tuple(passages)


def run(a_pars: list[str], b_pars: list[str]):
    a_text, a_passages = blocks(a_pars)
    b_text, b_passages = blocks(b_pars)
    return align_versions(a_text, b_text, a_passages, b_passages), a_text, b_text


def described(a_pars, b_pars) -> list[tuple[str, str | None, str | None]]:
    links, a_text, b_text = run(a_pars, b_pars)
    return [(x.kind, x.a and x.a.slice(a_text), x.b and x.b.slice(b_text)) for x in links]


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def unique_paragraphs(count: int, seed: int = 1, words: int = 14) -> list[str]:
    rng = random.Random(seed)
    return [f"{k} {sentence(rng, words)}" for k in range(count)]


# -- examples ----------------------------------------------------------------------------------

P = [
    "It was on a dreary night of November that I beheld the accomplishment of my toils.",
    "With an anxiety that almost amounted to agony, I collected the instruments of life.",
    "It was already one in the morning; the rain pattered dismally against the panes.",
    "How can I describe my emotions at this catastrophe, or how delineate the wretch?",
    "His limbs were in proportion, and I had selected his features as beautiful.",
]


def test_identical_versions_give_only_equal_links():
    assert [kind for kind, _, _ in described(P, P)] == ["equal"] * len(P)


def test_removed_added_and_changed_are_placed_in_reading_order():
    b = [P[0], P[1].replace("agony", "despair"), "A wholly new passage about glaciers and ice.",
         P[3], P[4]]
    assert described(P, b) == [
        ("equal", P[0], P[0]),
        ("changed", P[1], b[1]),
        ("removed", P[2], None),
        ("added", None, b[2]),
        ("equal", P[3], P[3]),
        ("equal", P[4], P[4]),
    ]


def test_a_moved_passage_is_moved_not_removed_and_added():
    b = [P[1], P[2], P[3], P[0], P[4]]
    assert described(P, b) == [("moved", P[0], P[0])] + [("equal", p, p) for p in P[1:]]


def test_a_moved_and_edited_passage_is_moved_with_a_lower_score():
    edited = P[0].replace("dreary", "dark")
    links, _, _ = run(P, [P[1], P[2], P[3], edited, P[4]])
    moved = [x for x in links if x.kind == "moved"]
    assert len(moved) == 1 and 0.85 < moved[0].score < 1.0 and moved[0].method == "fuzzy"


def test_consecutive_moved_passages_become_one_block():
    pars = unique_paragraphs(12)
    b = pars[3:10] + pars[:3] + pars[10:]
    links, a_text, b_text = run(pars, b)
    moved = [x for x in links if x.kind == "moved"]
    assert len(moved) == 1
    assert moved[0].a.slice(a_text) == "\n\n".join(pars[:3])
    assert moved[0].b.slice(b_text) == "\n\n".join(pars[:3])


def test_a_split_passage_gives_a_changed_link_to_each_part():
    first, second = P[1].split(", I ")
    b = [P[0], first + ",", "I " + second, P[2]]
    assert described(P[:3], b) == [
        ("equal", P[0], P[0]),
        ("changed", P[1], b[1]),
        ("changed", P[1], b[2]),
        ("equal", P[2], P[2]),
    ]


def test_merged_passages_give_a_changed_link_from_each():
    merged = P[1] + " " + P[2]
    assert described(P[:4], [P[0], merged, P[3]]) == [
        ("equal", P[0], P[0]),
        ("changed", P[1], merged),
        ("changed", P[2], merged),
        ("equal", P[3], P[3]),
    ]


def test_short_headings_are_paired_by_place_not_moved_across_the_text():
    # 1818 restarts chapter numbers per volume; the 1831 edition renumbers them.
    pars = unique_paragraphs(6)
    a = ["CHAPTER I.", pars[0], pars[1], "CHAPTER II.", pars[2], "CHAPTER I.", pars[3]]
    b = ["CHAPTER I.", pars[0], pars[1], "CHAPTER II.", pars[2], "CHAPTER III.", pars[3]]
    assert ("changed", "CHAPTER I.", "CHAPTER III.") in described(a, b)


def test_a_long_rewritten_stretch_is_paired_through_anchors(monkeypatch):
    monkeypatch.setattr(align, "DP_CELLS", 100)
    rng = random.Random(3)
    a = unique_paragraphs(40, seed=3)
    b = [p.replace(p.split()[3], rng.choice(WORDS) + "s", 1) for p in a]
    got = described(a, b)
    assert [kind for kind, _, _ in got] == ["changed"] * 40
    assert [(x, y) for _, x, y in got] == list(zip(a, b, strict=True))


def test_a_moved_passage_split_in_two_is_moved_to_both_parts():
    pars = unique_paragraphs(10, seed=5, words=24)
    words = pars[1].split()
    b = [pars[0]] + pars[2:8] + [" ".join(words[:12]), " ".join(words[12:])] + pars[8:]
    moved = [(x, y) for kind, x, y in described(pars, b) if kind == "moved"]
    assert moved == [(pars[1], b[7]), (pars[1], b[8])]


def test_consecutive_passages_moved_and_merged_are_moved_into_the_one():
    pars = unique_paragraphs(10, seed=6, words=12)
    merged = pars[1] + " " + pars[2]
    b = [pars[0]] + pars[3:8] + [merged] + pars[8:]
    got = described(pars, b)
    assert [(kind, x, y) for kind, x, y in got if kind != "equal"] == [
        ("moved", pars[1], merged), ("moved", pars[2], merged)]
    assert [x for kind, x, _ in got] == [x for kind, x, _ in got if x] == pars


def test_default_passages_come_from_the_segmenter():
    a = "  The first paragraph of the draft.\n\n\nThe second paragraph of the draft.\n"
    b = "The second paragraph of the draft.\n\nThe first paragraph of the draft."
    links = align_versions(a, b)
    assert sorted(x.kind for x in links) == ["equal", "moved"]
    assert sorted(x.a.slice(a) for x in links) == sorted(x.b.slice(b) for x in links) == [
        "The first paragraph of the draft.", "The second paragraph of the draft."]


def test_empty_texts():
    assert align_versions("", "", (), ()) == []
    links, _, _ = run([], P[:2])
    assert [x.kind for x in links] == ["added", "added"]


# -- invariants ----------------------------------------------------------------------------------

paragraph = st.lists(st.sampled_from(WORDS), min_size=1, max_size=16).map(
    lambda words: " ".join(words).capitalize() + ".")
long_paragraph = st.lists(st.sampled_from(WORDS), min_size=SHORT_WORDS, max_size=16).map(
    lambda words: " ".join(words))


@st.composite
def versions(draw):
    """Version B is version A edited: paragraphs dropped, added, changed and moved."""
    a = draw(st.lists(paragraph, max_size=14))
    b = list(a)
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(("drop", "add", "edit", "move", "split", "merge")))
        if action == "add" or not b:
            b.insert(draw(st.integers(0, len(b))), draw(paragraph))
            continue
        k = draw(st.integers(0, len(b) - 1))
        if action == "drop":
            del b[k]
        elif action == "edit":
            b[k] = b[k].replace(b[k].split()[0], draw(st.sampled_from(WORDS)), 1)
        elif action == "move":
            b.insert(draw(st.integers(0, len(b) - 1)), b.pop(k))
        elif action == "split" and len(b[k].split()) > 1:
            words = b[k].split()
            b[k:k + 1] = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])]
        elif action == "merge" and k + 1 < len(b):
            b[k:k + 2] = [b[k] + " " + b[k + 1]]
    return a, b


def covering(passages, spans):
    """For each passage, the indices of the spans that cover it."""
    return [[k for k, s in enumerate(spans) if s and s.start <= p.start and p.end <= s.end]
            for p in passages]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions())
def test_every_passage_is_accounted_for_once_and_spans_fall_on_passages(pair):
    a_pars, b_pars = pair
    a_text, a_passages = blocks(a_pars)
    b_text, b_passages = blocks(b_pars)
    links = align_versions(a_text, b_text, a_passages, b_passages)
    for passages, spans in ((a_passages, [x.a for x in links]), (b_passages, [x.b for x in links])):
        starts, ends = {p.start for p in passages}, {p.end for p in passages}
        assert all(s.start in starts and s.end in ends for s in spans if s)
        for owners in covering(passages, spans):
            assert owners, "a passage is in no link"
            if len(owners) > 1:  # one side of a split or merge
                assert {links[k].kind for k in owners} <= {"changed", "moved"}
    for link in links:
        assert 0.0 <= link.score <= 1.0
        assert (link.a is None) == (link.kind == "added")
        assert (link.b is None) == (link.kind == "removed")
        if link.kind == "equal":
            assert link.a.slice(a_text).split() == link.b.slice(b_text).split()
            assert link.score == 1.0
    a_starts = [x.a.start for x in links if x.a]
    assert a_starts == sorted(a_starts), "links are not in the order of A"


@settings(max_examples=60, deadline=None)
@given(st.lists(paragraph, max_size=12))
def test_identical_inputs_give_only_equal_links(pars):
    links, _, _ = run(pars, pars)
    assert {x.kind for x in links} <= {"equal"}
    assert len(links) == len(pars)


@settings(max_examples=80, deadline=None)
@given(st.lists(long_paragraph, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_shuffled_passages_are_moved_never_removed_and_added(pars, rng):
    shuffled = list(pars)
    rng.shuffle(shuffled)
    links, a_text, _ = run(pars, shuffled)
    assert {x.kind for x in links} <= {"equal", "moved"}
    assert "\n\n".join(x.a.slice(a_text) for x in links) == a_text  # every passage, in order


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab cé😀.\n", max_size=60), st.text(alphabet="ab cé😀.\n", max_size=60))
def test_inline_diff_gives_back_both_texts(a, b):
    ops = inline_diff(a, b)
    assert "".join(text for op, text in ops if op <= 0) == a
    assert "".join(text for op, text in ops if op >= 0) == b
    assert all(op in (-1, 0, 1) and text for op, text in ops)


def test_inline_diff_keeps_words_whole_and_works_without_the_accelerator(monkeypatch):
    expected = [(0, "The "), (-1, "old "), (0, "grey cat sat"), (1, " down"), (0, ".")]
    assert inline_diff("The old grey cat sat.", "The grey cat sat down.") == expected
    monkeypatch.setitem(__import__("sys").modules, "fast_diff_match_patch", None)
    assert inline_diff("The old grey cat sat.", "The grey cat sat down.") == expected


def test_inline_diff_on_long_texts_does_not_give_up():
    # With diff-match-patch's default 1 s timeout, long diffs degrade to "delete all, insert all".
    a = " ".join(unique_paragraphs(400, seed=9))
    b = a.replace(" ice ", " snow ")
    equal = sum(len(text) for op, text in inline_diff(a, b) if op == 0)
    assert equal > 0.9 * len(a)


# -- reuse ----------------------------------------------------------------------------------------


def test_find_reuse_finds_passages_reordered_split_and_merged():
    a = unique_paragraphs(4, seed=11, words=20)
    words = a[1].split()
    c = ["Unrelated opening words.", a[2], " ".join(words[:10]), " ".join(words[10:]),
         a[0] + " " + a[3]]
    found = {(i, j) for i, j, _ in find_reuse(a, c)}
    assert found == {(0, 4), (1, 2), (1, 3), (2, 1), (3, 4)}


def test_find_reuse_ignores_case_and_punctuation_and_rejects_unrelated_text():
    assert find_reuse(["The Cat, the hat."], ["the cat the hat"]) == [(0, 0, 1.0)]
    assert find_reuse(unique_paragraphs(3, seed=1), unique_paragraphs(3, seed=2)) == []


def test_find_reuse_scores_are_sorted_and_bounded():
    a = unique_paragraphs(5, seed=4)
    words = a[2].split()
    edited = a[2].replace(words[3], "zebra").replace(words[6], "quokka")
    found = find_reuse(a, [a[4], edited, a[0], a[0]], min_score=0.5)
    assert [(i, j) for i, j, _ in found] == [(0, 2), (0, 3), (2, 1), (4, 0)]
    assert [score for _, _, score in found] == [1.0, 1.0, pytest.approx(0.8), 1.0]
