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
4. for full alignments, **groups**: an unlinked passage joins a nearby group whose
   other side is its best match (an English list = one French sentence).
"""

from __future__ import annotations

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


EMBEDDING = Tuning(threshold=0.6, path_floor=0.3, step_bonus=0.2, jump_penalty=0.2,
                   path_bonus=0.3, attach=0.2)
ANCHORS = Tuning(threshold=0.25, path_floor=0.1, step_bonus=0.15, jump_penalty=0.15,
                 path_bonus=0.1, attach=0.15)
MAX_GAP = 3
MAX_SKIP = 3


def one_to_one(similarity: np.ndarray, tuning: Tuning) -> list[Pair]:
    """Confident 1:1 links ``(i, j, score)`` sorted by ``i``; each index used at most once."""
    if similarity.size == 0:
        return []
    boosted = similarity + tuning.path_bonus * on_path(similarity, tuning)
    pairs = _assign(boosted, tuning.threshold)
    return _gap_fill(pairs, similarity.shape, tuning.gap_score)


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
    back = np.zeros((n, 2 * m + 1), dtype=np.int64)
    back[0, :m] = 2 * m
    back[0, m:] = np.arange(m, 2 * m + 1)
    for i in range(1, n):
        matched, unmatched, back[i] = _viterbi_step(matched, unmatched, emission[i], tuning)
    return matched, unmatched, back


def _viterbi_step(matched, unmatched, emission, tuning):
    m = len(matched)
    states = np.concatenate([matched, unmatched])
    leader = int(np.argmax(states))
    best = np.full(m, states[leader] - tuning.jump_penalty)
    source = np.full(m, leader)
    if states[2 * m] >= best[0]:  # the first match after a run of unmatched passages is free
        best[:], source[:] = states[2 * m], 2 * m
    for skip in range(1, min(MAX_SKIP, m - 1) + 1):
        bonus = tuning.step_bonus / skip
        for offset in (0, m):
            previous = states[offset : offset + m - skip] + bonus
            better = previous > best[skip:]
            best[skip:][better] = previous[better]
            source[skip:][better] = np.arange(m - skip)[better] + offset
    new_unmatched = np.append(np.maximum(matched, unmatched[:m]), unmatched[m])
    unmatched_source = np.append(np.where(matched >= unmatched[:m], np.arange(m),
                                          np.arange(m) + m), 2 * m)
    return best + emission, new_unmatched, np.concatenate([source, unmatched_source])


def _assign(boosted: np.ndarray, threshold: float) -> list[Pair]:
    gain = np.maximum(boosted - threshold, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    pairs = [(int(i), int(j), float(boosted[i, j])) for i, j in zip(rows, cols, strict=True)
             if gain[i, j] > 0]
    return sorted((i, j, min(1.0, max(0.0, s))) for i, j, s in pairs)


def _gap_fill(pairs: list[Pair], shape: tuple[int, int], score: float) -> list[Pair]:
    """Link equal-sized gaps between two consecutive links, in order."""
    used_b = {j for _, j, _ in pairs}
    filled = list(pairs)
    for (i1, j1, _), (i2, j2, _) in zip(pairs, pairs[1:], strict=False):
        gap = i2 - i1 - 1
        inside_b = range(j1 + 1, j2)
        if 0 < gap <= MAX_GAP and j2 - j1 - 1 == gap and not used_b.intersection(inside_b):
            filled.extend((i1 + k, j1 + k, score) for k in range(1, gap + 1))
    return sorted(filled)


def grow_groups(pairs: list[Pair], similarity: np.ndarray, attach: float) -> list[Group]:
    """Turn 1:1 links into groups covering every passage once; leftovers become 1:0 / 0:1.

    A run of unlinked passages between two groups may join the group before it
    (its first part) and the group after it (its last part): each passage counts
    ``S - attach`` against the other side of the group it joins, and the split that
    maximises the total wins (a passage that fits neither stays alone). Groups come
    in the order of ``a``; a ``0:1`` group follows the group holding the ``b``
    passage before it.
    """
    n, m = similarity.shape
    members = [([i], [j], s) for i, j, s in pairs]
    _absorb_runs(members, similarity - attach, n)
    _absorb_runs([(b, a, s) for a, b, s in members], (similarity - attach).T, m)
    return _ordered(members, n, m)


def _absorb_runs(members, gain: np.ndarray, n: int) -> None:
    owner = np.full(n, -1)
    for k, (side, _, _) in enumerate(members):
        owner[side] = k
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
    best, choice = 0.0, (0, size)
    for first in range(size + 1):
        for last in range(first, size + 1):
            total = before[first] + after[last]
            if total > best:
                best, choice = total, (first, last)
    return choice


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
