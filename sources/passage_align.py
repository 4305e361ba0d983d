"""Structure-aware passage alignment over a similarity matrix (any language pair).

Everything here works on ``S`` (``len(a) × len(b)``, higher = more alike): the
embedding cosines, or the anchor similarities of the fallback. The recipe, measured
on bilingual statutes (see ``/work/shared/notes/alignment.md``):

1. a **piecewise-monotone path** (Viterbi over ``a``: each passage is matched to a
   ``b`` passage or to nothing; a pair following the previous pair earns a bonus, any
   other step pays a jump penalty) marks pairs that fit the surrounding order, which
   separates near-duplicate provisions that differ in one word;
2. a **one-to-one assignment** (Hungarian) over ``S`` plus that path bonus, keeping
   only pairs above a threshold, so "no counterpart" stays possible;
3. **neighbour gap-fill**: when the passages just before and just after a gap are
   linked and the gap has the same size on both sides (at most :data:`MAX_GAP`), the
   passages inside are linked in order, even if they share no words;
4. for full alignments, **groups** (:func:`grow_groups`): the parts of a sentence
   split over several passages join the group of another part (an English list =
   one French sentence), then unlinked runs join the neighbouring group they fit.

Tuned on Canada OLA 2017/2025 and UDHR (the only passage-level gold there is);
measured scores are in ``benchmarks/crosslingual_quality.py``'s output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

Pair = tuple[int, int, float]
Group = tuple[tuple[int, ...], tuple[int, ...], float]


@dataclass(frozen=True)
class Tuning:
    """Knobs of the recipe; :data:`EMBEDDING` and :data:`ANCHORS` are the measured settings."""

    threshold: float  # least S (plus path bonus) for a link
    path_floor: float  # S below this is never on the path
    step_bonus: float  # for a pair following the previous pair
    jump_penalty: float  # for any other step along the path
    path_bonus: float  # added to S for pairs on the path
    attach: float  # least S for joining a neighbouring group
    gap_score: float = 0.5  # reported score of a gap-filled link


EMBEDDING = Tuning(threshold=0.6, path_floor=0.35, step_bonus=0.3, jump_penalty=0.3,
                   path_bonus=0.3, attach=0.3)
ANCHORS = Tuning(threshold=0.55, path_floor=0.2, step_bonus=0.3, jump_penalty=0.3,
                 path_bonus=0.35, attach=0.15)
MAX_GAP = 3
_LABELLED = re.compile(r"^\(?[a-z]{1,5}(?:\.\d+)?\)\s")
MAX_SKIP = 3


def one_to_one(similarity: np.ndarray, tuning: Tuning) -> list[Pair]:
    """Confident 1:1 links ``(i, j, score)`` sorted by ``i``; each index used at most once.

    Cost: O(n·m) time and about 20·n·m bytes for the path and the matrices, plus a
    cubic worst case for the assignment (0.5 s for 2,000 × 2,000 passages).
    """
    if similarity.size == 0:
        return []
    boosted = similarity + tuning.path_bonus * on_path(similarity, tuning)
    pairs = _assign(boosted, tuning.threshold)
    return _gap_fill(pairs, tuning.gap_score)


def on_path(similarity: np.ndarray, tuning: Tuning) -> np.ndarray:
    """0/1 matrix of the pairs on the best piecewise-monotone path."""
    n, m = similarity.shape
    emission = np.where(similarity >= tuning.path_floor, similarity - tuning.path_floor, -np.inf)
    matched, unmatched, back = _viterbi(emission, tuning)
    marks = np.zeros((n, m))
    state = int(np.argmax(np.concatenate([matched, unmatched])))
    for i in range(n - 1, -1, -1):
        if state < m:
            marks[i, state] = 1.0
        state = back[i, state]
    return marks


def _viterbi(emission: np.ndarray, tuning: Tuning):
    """Scores of the last row and back-pointers over states ``j`` (matched) and ``m + j``.

    State ``m + j`` means "this passage is unmatched, the last match was ``b[j]``";
    ``2m`` means "nothing matched yet". Back-pointers give the previous row's state.
    """
    n, m = emission.shape
    matched = emission[0].copy()
    unmatched = np.full(m + 1, -np.inf)
    unmatched[m] = 0.0
    back = np.zeros((n, 2 * m + 1), dtype=np.int32)
    back[0, :m] = 2 * m
    back[0, m:] = np.arange(m, 2 * m + 1)
    for i in range(1, n):
        matched, unmatched, back[i] = _viterbi_step(matched, unmatched, emission[i], tuning)
    return matched, unmatched, back


def _viterbi_step(matched, unmatched, emission, tuning):
    m = len(matched)
    states = np.concatenate([matched, unmatched])
    best, source = _arrivals(states, m, tuning)
    new_unmatched = np.append(np.maximum(matched, unmatched[:m]), unmatched[m])
    unmatched_source = np.append(np.where(matched >= unmatched[:m], np.arange(m),
                                          np.arange(m) + m), 2 * m)
    return best + emission, new_unmatched, np.concatenate([source, unmatched_source])


def _arrivals(states: np.ndarray, m: int, tuning: Tuning) -> tuple[np.ndarray, np.ndarray]:
    """Best previous state for matching ``b[j]`` now, for every ``j``, and its score.

    Following the pair before (directly, or skipping up to :data:`MAX_SKIP` ``b``
    passages for a smaller bonus) earns a bonus; anything else is a jump, except the
    very first match.
    """
    leader = int(np.argmax(states))
    best = np.full(m, states[leader] - tuning.jump_penalty)
    source = np.full(m, leader, dtype=np.int32)
    if states[2 * m] >= best[0]:
        best[:], source[:] = states[2 * m], 2 * m
    for skip in range(1, min(MAX_SKIP, m - 1) + 1):
        for offset in (0, m):
            previous = states[offset : offset + m - skip] + tuning.step_bonus / skip
            better = previous > best[skip:]
            best[skip:][better] = previous[better]
            source[skip:][better] = np.arange(m - skip)[better] + offset
    return best, source


def _assign(boosted: np.ndarray, threshold: float) -> list[Pair]:
    gain = np.maximum(boosted - threshold, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    pairs = [(int(i), int(j), float(boosted[i, j])) for i, j in zip(rows, cols, strict=True)
             if gain[i, j] > 0]
    return sorted((i, j, min(1.0, max(0.0, s))) for i, j, s in pairs)


def _gap_fill(pairs: list[Pair], score: float) -> list[Pair]:
    """Link equal-sized gaps between two consecutive links, in order."""
    used_b = {j for _, j, _ in pairs}
    filled = list(pairs)
    for (i1, j1, _), (i2, j2, _) in zip(pairs, pairs[1:], strict=False):
        gap = i2 - i1 - 1
        inside_b = range(j1 + 1, j2)
        if 0 < gap <= MAX_GAP and j2 - j1 - 1 == gap and not used_b.intersection(inside_b):
            filled.extend((i1 + k, j1 + k, score) for k in range(1, gap + 1))
    return sorted(filled)


def grow_groups(pairs: list[Pair], similarity: np.ndarray, attach: float,
                texts: tuple[Sequence[str], Sequence[str]] | None = None) -> list[Group]:
    """Turn 1:1 links into groups covering every passage once; leftovers become 1:0 / 0:1.

    Three steps, each only for passages not yet in a group:

    * given the ``texts``, a passage that is visibly part of a sentence split over
      several passages (a list introduction that ends without a full stop, the list
      items, the lower-case words after the list) joins the group that holds the
      next part of that sentence (the words after a list: its first part);
    * a run of unlinked passages between two groups may join the group before it
      (its first part) and the group after it (its last part): each passage counts
      ``S - attach`` against the other side of the group it joins, and the split
      that maximises the total wins (a passage that fits neither stays alone);
    * runs of equal length left alone on both sides between the same two groups
      are linked in order (headings).

    Groups come in the order of ``a``; a ``0:1`` group follows the group holding
    the ``b`` passage before it.
    """
    n, m = similarity.shape
    members = [([i], [j], s) for i, j, s in pairs]
    flipped = [(b, a, s) for a, b, s in members]
    if texts is not None:
        _absorb_sentences(members, sentence_units(texts[0]), texts[0])
        _absorb_sentences(flipped, sentence_units(texts[1]), texts[1])
    _absorb_runs(members, similarity - attach, n)
    _absorb_runs(flipped, (similarity - attach).T, m)
    _pair_equal_runs(members, similarity, n, m)
    return _ordered(members, n, m)


def sentence_units(texts: Sequence[str]) -> list[int]:
    """Number of the sentence each passage belongs to (a list and its items share one).

    >>> sentence_units(["(2) Where", "(a) one thing, or", "(b) another,", "this applies.", "Next."])
    [0, 0, 0, 0, 1]
    """
    units = []
    for i, text in enumerate(texts):
        joined = i > 0 and (_is_open(texts[i - 1]) or _is_continuation(text))
        units.append(units[-1] if joined else (units[-1] + 1 if units else 0))
    return units


def _is_open(text: str) -> bool:
    """Ends without closing its sentence: a list introduction or item, or a heading."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] not in ".!?;»\"”)]"


def _is_continuation(text: str) -> bool:
    """Starts with a lower-case word, no label: the words after a list."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0].islower() and not _LABELLED.match(stripped)


def _absorb_sentences(members, units: list[int], texts: Sequence[str]) -> None:
    """Unowned parts of a sentence join the group of another part of it.

    The words after a list complete the sentence's first part; any other part leads
    into the part after it (or, at the end, follows the part before it).
    """
    owner = _owners(members, len(units))
    owned_parts: dict[int, list[int]] = {}
    for index, unit in enumerate(units):
        if owner[index] >= 0:
            owned_parts.setdefault(unit, []).append(index)
    for index, unit in enumerate(units):
        parts = owned_parts.get(unit)
        if owner[index] >= 0 or not parts:
            continue
        after = [k for k in parts if k > index]
        if _is_continuation(texts[index]) or not after:
            target = parts[0] if _is_continuation(texts[index]) else parts[-1]
        else:
            target = after[0]
        members[owner[target]][0].append(index)


def _pair_equal_runs(members, similarity: np.ndarray, n: int, m: int) -> None:
    """Link runs of unowned passages of equal length that sit between the same two groups."""
    owner_a, owner_b = _owners(members, n), _owners([(b, a, s) for a, b, s in members], m)
    runs_b = {(_at(owner_b, start - 1), _at(owner_b, stop)): (start, stop)
              for start, stop in _unowned_runs(owner_b)}
    for start, stop in _unowned_runs(owner_a):
        match = runs_b.get((_at(owner_a, start - 1), _at(owner_a, stop)))
        if match and match[1] - match[0] == stop - start and stop - start <= MAX_GAP:
            for k in range(stop - start):
                score = float(np.clip(similarity[start + k, match[0] + k], 0.0, 1.0))
                members.append(([start + k], [match[0] + k], score))


def _at(owner: np.ndarray, index: int) -> int:
    return int(owner[index]) if 0 <= index < len(owner) else -1


def _owners(members, n: int) -> np.ndarray:
    owner = np.full(n, -1)
    for k, (side, _, _) in enumerate(members):
        owner[side] = k
    return owner


def _absorb_runs(members, gain: np.ndarray, n: int) -> None:
    owner = _owners(members, n)
    for start, stop in _unowned_runs(owner):
        before = owner[start - 1] if start > 0 else -1
        after = owner[stop] if stop < n else -1
        fit_before = _fit(gain, range(start, stop), members, before)
        fit_after = _fit(gain, range(start, stop), members, after)
        first, last = _best_split(fit_before, fit_after)
        if first:
            members[before][0].extend(range(start, start + first))
        if last < stop - start:
            members[after][0].extend(range(start + last, stop))


def _unowned_runs(owner: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, value in enumerate([*owner, 0]):
        if value == -1 and start is None:
            start = index
        elif value != -1 and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _fit(gain: np.ndarray, run: range, members, group: int) -> np.ndarray:
    """How well each passage of the run fits the other side of ``group`` (-inf: no group)."""
    if group < 0:
        return np.full(len(run), -np.inf)
    return gain[np.ix_(list(run), members[group][1])].max(axis=1)


def _best_split(fit_before: np.ndarray, fit_after: np.ndarray) -> tuple[int, int]:
    """``(first, last)``: passages ``[0, first)`` join before, ``[last, end)`` join after."""
    size = len(fit_before)
    before = np.concatenate([[0.0], np.cumsum(fit_before)])
    after = np.concatenate([np.cumsum(fit_after[::-1])[::-1], [0.0]])
    best_after = np.maximum.accumulate(after[::-1])[::-1]  # best "last" at or after each point
    first = int(np.argmax(before + best_after))
    if before[first] + best_after[first] <= 0:
        return 0, size
    return first, first + int(np.argmax(after[first:]))


def _ordered(members, n, m) -> list[Group]:
    keyed = [((min(a), 0, min(b)), (tuple(sorted(a)), tuple(sorted(b)), s)) for a, b, s in members]
    placed = {i for a, _, _ in members for i in a}
    keyed += [((i, 0, -1), ((i,), (), 0.0)) for i in range(n) if i not in placed]
    group_of_b = {j: min(a) for a, b, _ in members for j in b}
    anchor = -0.5
    for j in range(m):
        if j in group_of_b:
            anchor = group_of_b[j]
        else:
            keyed.append(((anchor, 1, j), ((), (j,), 0.0)))
    return [group for _, group in sorted(keyed)]
