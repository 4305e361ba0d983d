"""Structure-aware passage alignment over a similarity matrix (any language pair).

Everything here works on ``S`` (``len(a) × len(b)``, higher = more alike): the
embedding cosines, or the lexical similarities of the fallback. The recipe, measured
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

Pair = tuple[int, int, float]
Group = tuple[tuple[int, ...], tuple[int, ...], float]


@dataclass(frozen=True)
class Tuning:
    """Knobs of the recipe; :data:`EMBEDDING` and :data:`LEXICAL` are the measured settings."""

    threshold: float  # least S (plus path bonus) for a link
    path_floor: float  # S below this is never on the path
    step_bonus: float  # for a pair following the previous pair
    jump_penalty: float  # for any other step along the path
    path_bonus: float  # added to S for pairs on the path
    attach: float  # least S for joining a neighbouring group
    gap_score: float = 0.5  # reported score of a gap-filled link


EMBEDDING = Tuning(threshold=0.6, path_floor=0.35, step_bonus=0.3, jump_penalty=0.3,
                   path_bonus=0.3, attach=0.3)
LEXICAL = Tuning(threshold=0.55, path_floor=0.2, step_bonus=0.3, jump_penalty=0.3,
                 path_bonus=0.35, attach=0.15)
MAX_GAP = 3
_LABELLED = re.compile(r"^\(?[a-z]{1,5}(?:\.\d+)?\)\s")
MAX_SKIP = 3


def one_to_one(similarity: np.ndarray, tuning: Tuning) -> list[Pair]:
    """Confident 1:1 links ``(i, j, score)`` sorted by ``i``; each index used at most once.

    Memory: about 5 bytes per cell (the gains in ``float32``, the path's back-pointers
    in ``int16`` below 16,384 passages), 250 MB for two 5,000-passage documents. The
    assignment runs on each connected group of possible links on its own.
    """
    if similarity.size == 0:
        return []
    gain = similarity.astype(np.float32, copy=True)
    gain -= tuning.threshold
    rows, columns = path_pairs(similarity, tuning)
    gain[rows, columns] += tuning.path_bonus
    pairs = _assign(gain, tuning.threshold)
    return _gap_fill(pairs, tuning.gap_score)


def path_pairs(similarity: np.ndarray, tuning: Tuning) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pairs on the best piecewise-monotone path."""
    n, m = similarity.shape
    matched, unmatched, back = _viterbi(similarity, tuning)
    rows, columns = [], []
    state = int(np.argmax(np.concatenate([matched, unmatched])))
    for i in range(n - 1, -1, -1):
        if state < m:
            rows.append(i)
            columns.append(state)
        state = int(back[i, state])
    return np.array(rows, dtype=np.intp), np.array(columns, dtype=np.intp)


def _emission(row: np.ndarray, tuning: Tuning) -> np.ndarray:
    return np.where(row >= tuning.path_floor, row - tuning.path_floor, -np.inf)


def _viterbi(similarity: np.ndarray, tuning: Tuning):
    """Scores of the last row and back-pointers over states ``j`` (matched) and ``m + j``.

    State ``m + j`` means "this passage is unmatched, the last match was ``b[j]``";
    ``2m`` means "nothing matched yet". Back-pointers give the previous row's state.
    """
    n, m = similarity.shape
    matched = _emission(similarity[0], tuning)
    unmatched = np.full(m + 1, -np.inf)
    unmatched[m] = 0.0
    back = np.zeros((n, 2 * m + 1), dtype=np.int16 if 2 * m < 2**15 else np.int32)
    back[0, :m] = 2 * m
    back[0, m:] = np.arange(m, 2 * m + 1)
    for i in range(1, n):
        matched, unmatched, back[i] = _viterbi_step(matched, unmatched,
                                                    _emission(similarity[i], tuning), tuning)
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


def _assign(gain: np.ndarray, threshold: float) -> list[Pair]:
    """The one-to-one links of largest total positive ``gain``, scored ``gain + threshold``.

    Only pairs of positive gain can be links, so each connected group of them (a
    bipartite graph's component) is assigned on its own: the same total as one
    assignment over the whole matrix, without a dense copy of it.
    """
    rows, columns = np.nonzero(gain > 0)
    if not len(rows):
        return []
    n, m = gain.shape
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, columns + n)),
                       shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    pairs = []
    row_labels, column_labels = labels[:n], labels[n:]
    for label in np.unique(labels[rows]):
        group_rows = np.flatnonzero(row_labels == label)
        group_columns = np.flatnonzero(column_labels == label)
        block = gain[np.ix_(group_rows, group_columns)]
        chosen_rows, chosen_columns = linear_sum_assignment(block, maximize=True)
        pairs += [(int(group_rows[x]), int(group_columns[y]), float(block[x, y]) + threshold)
                  for x, y in zip(chosen_rows, chosen_columns, strict=True) if block[x, y] > 0]
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


GROUP_GAIN = 0.03
"""How much better a joined group must score than the link it grows from."""
GROUP_FLOOR = 0.2
"""Least similarity between a passage joining a group and the group's other side."""
MAX_GROUP = 3


def grow_links(pairs: list[Pair], similarity: np.ndarray,
               group_score: Callable[[tuple[int, ...], tuple[int, ...]], float],
               follows_a: Sequence[bool], follows_b: Sequence[bool]) -> list[Pair]:
    """1:1 links grown into n:m groups where a translator merged or split passages.

    A link ``(i, j)`` takes in an unlinked neighbour of ``i`` (``a`` merged: the
    ``b`` passage also translates the next ``a`` passage) or of ``j`` (``b`` split:
    the translation continues in the next ``b`` passage) when ``group_score`` of the
    joined texts beats the group's score by :data:`GROUP_GAIN` and the newcomer is
    somewhat like the other side on its own (:data:`GROUP_FLOOR`); it grows again from
    there, up to :data:`MAX_GROUP` passages a side. ``follows_a[k]`` says that passage
    ``k`` directly follows passage ``k - 1`` in its document (removed passages and
    annex candidates need not be contiguous). A passage that matches nothing stays
    unlinked: it would only dilute the group. Returns one ``(i, j, score)`` per pair of
    the groups, sorted; a passage may now appear in several.
    """
    taken_a = {i for i, _, _ in pairs}
    taken_b = {j for _, j, _ in pairs}
    result = []
    for i, j, score in pairs:
        group, best = ((i,), (j,)), float(similarity[i, j])
        while True:
            grown = [(candidate, group_score(*candidate))
                     for candidate in _neighbours(group, follows_a, follows_b, taken_a, taken_b)
                     if _close(candidate, group, similarity)]
            grown = [(c, s) for c, s in grown if s >= best + GROUP_GAIN]
            if not grown:
                break
            group, best = max(grown, key=lambda item: item[1])
            taken_a.update(group[0])
            taken_b.update(group[1])
        shown = min(1.0, max(0.0, best))
        result += [(a, b, score if len(group[0]) == len(group[1]) == 1 else shown)
                   for a in group[0] for b in group[1]]
    return sorted(result)


def _neighbours(group, follows_a, follows_b, taken_a, taken_b):
    """Groups one passage larger on either side, with a passage next to the group's ends.

    On the ``a`` side (the cut passages) the next passage may also be one further
    on, past an unlinked one: a translator who leaves a provision out may join the
    provisions around it.
    """
    a, b = group
    if len(a) < MAX_GROUP:
        for step in (1, 2):
            before = _reach(a[0], -step, follows_a, taken_a)
            after = _reach(a[-1], step, follows_a, taken_a)
            if before is not None:
                yield (before, *a), b
            if after is not None:
                yield (*a, after), b
    if len(b) < MAX_GROUP:
        before, after = _reach(b[0], -1, follows_b, taken_b), _reach(b[-1], 1, follows_b, taken_b)
        if before is not None:
            yield a, (before, *b)
        if after is not None:
            yield a, (*b, after)


def _reach(index: int, step: int, follows: Sequence[bool], taken: set[int]) -> int | None:
    """The passage ``step`` places from ``index`` if the way there is contiguous and free."""
    target = index + step
    if not 0 <= target < len(follows) or target in taken:
        return None
    way = range(index + 1, target + 1) if step > 0 else range(target + 1, index + 1)
    passed = range(index + 1, target) if step > 0 else range(target + 1, index)
    if all(follows[k] for k in way) and not taken.intersection(passed):
        return target
    return None


def _close(candidate, group, similarity: np.ndarray) -> bool:
    """The passage the candidate adds is somewhat like the group's other side."""
    (a, b), (old_a, old_b) = candidate, group
    if a != old_a:
        newcomer = (set(a) - set(old_a)).pop()
        return float(similarity[newcomer, list(b)].max()) >= GROUP_FLOOR
    newcomer = (set(b) - set(old_b)).pop()
    return float(similarity[list(a), newcomer].max()) >= GROUP_FLOOR


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
    _absorb_runs(members, similarity, attach, n)
    _absorb_runs(flipped, similarity.T, attach, m)
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


def _absorb_runs(members, similarity: np.ndarray, attach: float, n: int) -> None:
    owner = _owners(members, n)
    for start, stop in _unowned_runs(owner):
        before = owner[start - 1] if start > 0 else -1
        after = owner[stop] if stop < n else -1
        fit_before = _fit(similarity, attach, range(start, stop), members, before)
        fit_after = _fit(similarity, attach, range(start, stop), members, after)
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


def _fit(similarity: np.ndarray, attach: float, run: range, members, group: int) -> np.ndarray:
    """How well each passage of the run fits the other side of ``group`` (-inf: no group):
    its best similarity there, less ``attach``."""
    if group < 0:
        return np.full(len(run), -np.inf)
    return similarity[np.ix_(list(run), members[group][1])].max(axis=1).astype(np.float64) - attach


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
    after = -0.5
    for j in range(m):
        if j in group_of_b:
            after = group_of_b[j]
        else:
            keyed.append(((after, 1, j), ((), (j,), 0.0)))
    return [group for _, group in sorted(keyed)]
