"""Same-language alignment of two versions of a text, passage by passage.

:func:`align_versions` says, for every passage of version A and of version B,
what became of it. The passes, each cheap and each leaving a trace in
``Link.method``:

1. ``hash``: passages are compared whitespace-normalised; a sequence diff over
   these keys (difflib, ``autojunk=False``) finds the unchanged passages in order.
   What lies between two runs of unchanged passages is a *gap*.
2. ``hash``/``fuzzy`` moves: a gap passage of A whose text reappears in another gap
   of B (identical, else with word similarity >= :data:`MOVED_MIN`) has ``moved``;
   passages shorter than :data:`SHORT_WORDS` words wait for pass 4.
3. ``fuzzy``: inside each gap the remaining passages are paired in order by word
   similarity (a small dynamic programme maximising ``similarity - CHANGED_MIN``;
   long gaps are first cut at *landmarks*, pairs too alike to be wrong). A passage
   split in two gives a ``changed`` link from the one to each part, likewise for
   merges.
4. ``ngram``: what is still unpaired is looked for once more anywhere (moves
   swapped inside one gap, passages moved *and* split or merged).
5. Adjacent moved passages that stay together become one ``moved`` link.

Word similarity is rapidfuzz's Indel similarity over case-folded words
(:mod:`sources.reuse`); the ``score`` of a link is the same measure over the
characters of the whitespace-normalised texts (1.0 only for identical text;
0.0 for ``removed``/``added``). Cost is about linear in the text plus the
square of the largest gap, capped at :data:`DP_CELLS` cells per gap.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from rapidfuzz import process
from rapidfuzz.distance import Indel

from sources.model import Link, Passage, Span
from sources.reuse import Reuse, WordCoder, coded_matches, containment, similarity

CHANGED_MIN = 0.3
"""Word similarity above which two passages in the same gap are one passage changed."""

MOVED_MIN = 0.85
"""Word similarity above which a passage found elsewhere counts as moved."""

LANDMARK_MIN = 0.6
"""Word similarity of the mutual best pairs that cut a long gap into short ones."""

SPLIT_GAIN = 0.0
"""How much a neighbouring piece must raise a pair's similarity to join it as a split."""

PIECE_MIN = 0.5
"""How exactly a piece of a split or merge must lie inside the other passage."""

SHORT_WORDS = 4
"""Passages with fewer words ("CHAPTER V.", "OR,") are known by their place, not their
words: they are paired inside their gap first and only what is left may move."""

DP_CELLS = 10_000
"""Largest gap (passages of A times passages of B) paired by dynamic programming."""


@dataclass(frozen=True)
class _Unit:
    """Passage indices on each side and what happened; several indices = split, merge or block."""

    kind: str
    a: tuple[int, ...]
    b: tuple[int, ...]
    method: str


class _Codes:
    """Word codes of passages, computed when first asked for (unchanged passages never are)."""

    def __init__(self, texts: list[str], code: WordCoder):
        self._texts, self._code, self._cache = texts, code, {}

    def __getitem__(self, index: int) -> str:
        if index not in self._cache:
            self._cache[index] = self._code(self._texts[index])
        return self._cache[index]


@dataclass(frozen=True)
class _Texts:
    """Both versions' passages, whitespace-normalised and as word codes."""

    a: list[str]
    b: list[str]
    a_codes: _Codes
    b_codes: _Codes


def align_versions(
    a_text: str,
    b_text: str,
    a_passages: Sequence[Passage] | None = None,
    b_passages: Sequence[Passage] | None = None,
) -> list[Link]:
    """Link every passage of ``a_text`` and of ``b_text`` (kinds equal/changed/moved/added/removed).

    Passages default to :func:`sources.segment.segment_passages`. Links come in
    the order of A; ``added`` links sit where B's order puts them. Every passage
    appears in exactly one link, except the whole side of a split or merge, which
    appears in one ``changed`` or ``moved`` link per piece. Spans start and end
    on passage boundaries; a ``moved`` block spans several consecutive passages.

    >>> a = "One.\\n\\nTwo two.\\n\\nThree three three."
    >>> b = "Three three three.\\n\\nOne.\\n\\nTwo, two!"
    >>> for link in align_versions(a, b, _blocks(a), _blocks(b)):
    ...     print(link.kind, repr(link.a.slice(a)), repr(link.b.slice(b)), link.score)
    equal 'One.' 'One.' 1.0
    changed 'Two two.' 'Two, two!' 0.8235
    moved 'Three three three.' 'Three three three.' 1.0
    """
    a_passages = _passages(a_text, a_passages)
    b_passages = _passages(b_text, b_passages)
    texts = _texts(a_text, a_passages, b_text, b_passages)
    units = _group_moves(_align_units(texts))
    return [link for unit in units for link in _links(unit, texts, a_passages, b_passages)]


def _passages(text: str, passages: Sequence[Passage] | None) -> tuple[Passage, ...]:
    if passages is not None:
        return tuple(passages)
    from sources.segment import segment_passages

    return tuple(segment_passages(text))


def _blocks(text: str) -> tuple[Passage, ...]:
    """Blank-line separated blocks (for the examples here; real callers segment)."""
    found = re.finditer(r"\S(?:.*\S)?(?:\n(?!\s*\n).*\S)*", text)
    return tuple(Passage(seq, m.start(), m.end()) for seq, m in enumerate(found))


def _texts(a_text, a_passages, b_text, b_passages) -> _Texts:
    a = [" ".join(a_text[p.start : p.end].split()) for p in a_passages]
    b = [" ".join(b_text[p.start : p.end].split()) for p in b_passages]
    code = WordCoder()
    return _Texts(a, b, _Codes(a, code), _Codes(b, code))


def _align_units(t: _Texts) -> list[_Unit]:
    opcodes = _gaps(t)
    moved = _cross_gap_moves(opcodes, t)
    units: list[_Unit] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            units += [_Unit("equal", (i,), (i - i1 + j1,), "hash") for i in range(i1, i2)]
        else:
            units += _gap_units(range(i1, i2), range(j1, j2), moved, t)
    return _late_moves(units, t)


def _gaps(t: _Texts) -> list[tuple[str, int, int, int, int]]:
    keys: dict[str, int] = {}
    a_keys = [keys.setdefault(text, len(keys)) for text in t.a]
    b_keys = [keys.setdefault(text, len(keys)) for text in t.b]
    return SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()


# -- moves across gaps ---------------------------------------------------------------


def _cross_gap_moves(opcodes, t: _Texts) -> dict[int, int]:
    """Gap passages of A found again (1:1) in another gap of B: ``{a index: b index}``."""
    a_gap, b_gap = {}, {}
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            a_gap.update(dict.fromkeys(range(i1, i2), number))
            b_gap.update(dict.fromkeys(range(j1, j2), number))
    a_long = [i for i in a_gap if len(t.a_codes[i]) >= SHORT_WORDS]
    b_long = [j for j in b_gap if len(t.b_codes[j]) >= SHORT_WORDS]
    pairs = _whole_matches(a_long, b_long, t)
    return {i: j for i, j in pairs.items() if a_gap[i] != b_gap[j]}


def _whole_matches(a_idx: list[int], b_idx: list[int], t: _Texts) -> dict[int, int]:
    """One-to-one pairs: identical texts first (in order), then similar ones, best first."""
    pairs = _identical_pairs(a_idx, b_idx, t)
    a_rest = [i for i in a_idx if i not in pairs]
    taken = set(pairs.values())
    b_rest = [j for j in b_idx if j not in taken]
    found = coded_matches(
        [t.a_codes[i] for i in a_rest], [t.b_codes[j] for j in b_rest], min_score=MOVED_MIN,
        partial=False,
    )
    for match in sorted(found, key=lambda m: (-m.score, m.a, m.c)):
        i, j = a_rest[match.a], b_rest[match.c]
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    return pairs


def _identical_pairs(a_idx: list[int], b_idx: list[int], t: _Texts) -> dict[int, int]:
    waiting: dict[str, list[int]] = defaultdict(list)
    for j in reversed(b_idx):
        waiting[t.b[j]].append(j)
    return {i: waiting[t.a[i]].pop() for i in a_idx if waiting.get(t.a[i])}


# -- pairing inside a gap ----------------------------------------------------------------


def _gap_units(ai: range, bj: range, moved: dict[int, int], t: _Texts) -> list[_Unit]:
    """Units of one gap in A order; moved passages of A stay where they were."""
    moved_b = set(moved.values())
    a_left = [i for i in ai if i not in moved]
    b_left = [j for j in bj if j not in moved_b]
    units = _absorb_pieces(_pair_in_order(a_left, b_left, t), t)
    moves = [_Unit("moved", (i,), (moved[i],), _move_method(i, moved[i], t)) for i in ai
             if i in moved]
    return _merge_by_a(units, moves)


def _move_method(i: int, j: int, t: _Texts) -> str:
    return "hash" if t.a[i] == t.b[j] else "fuzzy"


def _merge_by_a(units: list[_Unit], extra: list[_Unit]) -> list[_Unit]:
    """Insert ``extra`` (in A order) into ``units`` before the first unit further on in A."""
    merged: list[_Unit] = []
    pending = list(reversed(extra))
    for unit in units:
        while pending and unit.a and pending[-1].a[0] < unit.a[0]:
            merged.append(pending.pop())
        merged.append(unit)
    return merged + pending[::-1]


def _pair_in_order(a_idx: list[int], b_idx: list[int], t: _Texts) -> list[_Unit]:
    """Pair passages without crossing; long gaps are first cut at landmarks."""
    if not a_idx or not b_idx:
        return _unpaired(a_idx, b_idx)
    if len(a_idx) * len(b_idx) <= DP_CELLS:
        return _pair_by_programme(a_idx, b_idx, t)
    landmarks = _landmarks(a_idx, b_idx, t)
    if not landmarks:
        return _unpaired(a_idx, b_idx)
    return _pair_between_landmarks(a_idx, b_idx, landmarks, t)


def _unpaired(a_idx: Iterable[int], b_idx: Iterable[int]) -> list[_Unit]:
    removed = [_Unit("removed", (i,), (), "diff") for i in a_idx]
    return removed + [_Unit("added", (), (j,), "diff") for j in b_idx]


def _pair_by_programme(a_idx: list[int], b_idx: list[int], t: _Texts) -> list[_Unit]:
    """Monotone pairing maximising the sum of ``similarity - CHANGED_MIN`` (Needleman-Wunsch)."""
    gains = _gains(a_idx, b_idx, t)
    best = _programme_table(gains)
    units, i, j = [], len(a_idx), len(b_idx)
    while i or j:
        gain = gains[i - 1][j - 1] if i and j else -1.0
        if gain >= 0 and best[i][j] == best[i - 1][j - 1] + gain:
            units.append(_Unit("changed", (a_idx[i - 1],), (b_idx[j - 1],), "fuzzy"))
            i, j = i - 1, j - 1
        elif j and best[i][j] == best[i][j - 1]:
            units.append(_Unit("added", (), (b_idx[j - 1],), "diff"))
            j -= 1
        else:
            units.append(_Unit("removed", (a_idx[i - 1],), (), "diff"))
            i -= 1
    return units[::-1]


def _gains(a_idx: list[int], b_idx: list[int], t: _Texts) -> list[list[float]]:
    sims = process.cdist(
        [t.a_codes[i] for i in a_idx],
        [t.b_codes[j] for j in b_idx],
        scorer=Indel.normalized_similarity,
        workers=1,
    )
    return (sims - CHANGED_MIN).tolist()


def _programme_table(gains: list[list[float]]) -> list[list[float]]:
    n, m = len(gains), len(gains[0])
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, gain_row = best[i], best[i - 1], gains[i - 1]
        for j in range(1, m + 1):
            gain = gain_row[j - 1]
            diagonal = above[j - 1] + gain if gain >= 0 else 0.0
            row[j] = max(above[j], row[j - 1], diagonal)
    return best


def _landmarks(a_idx: list[int], b_idx: list[int], t: _Texts) -> list[tuple[int, int]]:
    """Landmarks: mutual best pairs with similarity >= LANDMARK_MIN (too alike to be wrong),
    the longest run of them in order."""
    found = coded_matches(
        [t.a_codes[i] for i in a_idx], [t.b_codes[j] for j in b_idx], min_score=LANDMARK_MIN,
        partial=False,
    )
    best_b = _best_by(found, lambda m: m.a)
    best_a = _best_by(found, lambda m: m.c)
    mutual = sorted((m.a, m.c) for m in best_b.values() if best_a[m.c] == m)
    return [(a_idx[x], b_idx[y]) for x, y in _increasing(mutual)]


def _best_by(found: list[Reuse], key) -> dict[int, Reuse]:
    best: dict[int, Reuse] = {}
    for match in found:
        if key(match) not in best or match.score > best[key(match)].score:
            best[key(match)] = match
    return best


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of ``pairs`` (sorted by first item) whose second items increase."""
    from bisect import bisect_left

    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for k, (_, y) in enumerate(pairs):
        pos = bisect_left(tails, y)
        parent[k] = tail_at[pos - 1] if pos else -1
        tails[pos:pos + 1], tail_at[pos:pos + 1] = [y], [k]
    chain, k = [], tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = parent[k]
    return chain[::-1]


def _pair_between_landmarks(a_idx, b_idx, landmarks, t: _Texts) -> list[_Unit]:
    units: list[_Unit] = []
    a_from = b_from = 0
    for i, j in landmarks:
        a_to, b_to = a_idx.index(i), b_idx.index(j)
        units += _pair_in_order(a_idx[a_from:a_to], b_idx[b_from:b_to], t)
        units.append(_Unit("changed", (i,), (j,), "fuzzy"))
        a_from, b_from = a_to + 1, b_to + 1
    return units + _pair_in_order(a_idx[a_from:], b_idx[b_from:], t)


# -- splits and merges -----------------------------------------------------------------------


def _absorb_pieces(units: list[_Unit], t: _Texts) -> list[_Unit]:
    """Let a changed pair take in an unpaired neighbour that is a split-off (or merged) piece."""
    loose_a = {u.a[0] for u in units if u.kind == "removed"}
    loose_b = {u.b[0] for u in units if u.kind == "added"}
    grown = [_grow(u, loose_a, loose_b, t) if u.kind == "changed" else u for u in units]
    return [u for u in grown if _still_loose(u, loose_a, loose_b)]


def _still_loose(unit: _Unit, loose_a: set[int], loose_b: set[int]) -> bool:
    if unit.kind == "removed":
        return unit.a[0] in loose_a
    return unit.kind != "added" or unit.b[0] in loose_b


def _grow(unit: _Unit, loose_a: set[int], loose_b: set[int], t: _Texts) -> _Unit:
    """Add neighbouring pieces while each raises the similarity (mutates the loose sets)."""
    while True:
        options = _growth_options(unit, loose_a, loose_b, t)
        if not options:
            return unit
        score, unit = max(options, key=lambda option: option[0])
        loose_a.difference_update(unit.a)
        loose_b.difference_update(unit.b)


def _growth_options(unit, loose_a, loose_b, t: _Texts) -> list[tuple[float, _Unit]]:
    base = _unit_similarity(unit, t)
    options = []
    if len(unit.a) == 1:
        options += [replace(unit, b=tuple(sorted(unit.b + (j,)))) for j in _beside(unit.b, loose_b)]
    if len(unit.b) == 1:
        options += [replace(unit, a=tuple(sorted(unit.a + (i,)))) for i in _beside(unit.a, loose_a)]
    scored = [(_unit_similarity(option, t), option) for option in options]
    return [(s, o) for s, o in scored if s > base + SPLIT_GAIN and _pieces_fit(o, t)]


def _beside(indices: tuple[int, ...], loose: set[int]) -> list[int]:
    return [k for k in (indices[0] - 1, indices[-1] + 1) if k in loose]


def _pieces_fit(unit: _Unit, t: _Texts) -> bool:
    whole, pieces = (t.a_codes[unit.a[0]], [t.b_codes[j] for j in unit.b])
    if len(unit.a) > 1:
        whole, pieces = t.b_codes[unit.b[0]], [t.a_codes[i] for i in unit.a]
    return all(containment(piece, whole) >= PIECE_MIN for piece in pieces)


def _unit_similarity(unit: _Unit, t: _Texts) -> float:
    a_code = "".join(t.a_codes[i] for i in unit.a)
    return similarity(a_code, "".join(t.b_codes[j] for j in unit.b))


# -- last look for moves ---------------------------------------------------------------------


def _late_moves(units: list[_Unit], t: _Texts) -> list[_Unit]:
    """Turn still-unpaired passages found elsewhere into moves: 1:1, then split or merged."""
    loose_a = [u.a[0] for u in units if u.kind == "removed"]
    loose_b = [u.b[0] for u in units if u.kind == "added"]
    pairs = _whole_matches(loose_a, loose_b, t)
    moves = [_Unit("moved", (i,), (j,), _move_method(i, j, t)) for i, j in pairs.items()]
    taken_b = set(pairs.values())
    a_rest = [i for i in loose_a if i not in pairs]
    moves += _piece_moves(a_rest, [j for j in loose_b if j not in taken_b], t)
    return _apply_moves(units, moves)


def _piece_moves(a_idx: list[int], b_idx: list[int], t: _Texts) -> list[_Unit]:
    """Passages of A split into several B passages elsewhere, then B passages merging several."""
    found = coded_matches([t.a_codes[i] for i in a_idx], [t.b_codes[j] for j in b_idx],
                          min_score=MOVED_MIN)
    pieces: dict[tuple[str, int], list[int]] = defaultdict(list)
    for m in found:
        i, j = a_idx[m.a], b_idx[m.c]
        longer_a = len(t.a_codes[i]) > len(t.b_codes[j])
        pieces[("a", i) if longer_a else ("b", j)].append(j if longer_a else i)
    moves, used = [], set()
    for (side, whole), parts in sorted(pieces.items()):
        unit = _piece_unit(side, whole, sorted(parts))
        members = {("a", i) for i in unit.a} | {("b", j) for j in unit.b}
        pieces_count = max(len(unit.a), len(unit.b))
        if pieces_count > 1 and not members & used and _unit_similarity(unit, t) >= MOVED_MIN:
            moves.append(unit)
            used |= members
    return moves


def _piece_unit(side: str, whole: int, parts: list[int]) -> _Unit:
    """A split (one A passage, its B pieces) or a merge (consecutive A pieces, one B passage)."""
    if side == "a":
        return _Unit("moved", (whole,), tuple(parts), "ngram")
    run = parts[: next((k for k in range(1, len(parts)) if parts[k] != parts[k - 1] + 1), None)]
    return _Unit("moved", tuple(run), (whole,), "ngram")


def _apply_moves(units: list[_Unit], moves: list[_Unit]) -> list[_Unit]:
    """Each move takes the place of its first removed passage; its other loose units go."""
    at = {move.a[0]: move for move in moves}
    gone_a = {i for move in moves for i in move.a}
    gone_b = {j for move in moves for j in move.b}
    kept = []
    for unit in units:
        if unit.kind == "removed" and unit.a[0] in at:
            kept.append(at[unit.a[0]])
        elif not (unit.kind == "removed" and unit.a[0] in gone_a) and not (
            unit.kind == "added" and unit.b[0] in gone_b
        ):
            kept.append(unit)
    return kept


# -- output ----------------------------------------------------------------------------------


def _group_moves(units: list[_Unit]) -> list[_Unit]:
    """Join runs of 1:1 moves that are consecutive in A and in B into one block."""
    grouped: list[_Unit] = []
    for unit in units:
        last = grouped[-1] if grouped else None
        if last and _continues(last, unit):
            unit = _Unit("moved", last.a + unit.a, last.b + unit.b, _joint_method(last, unit))
            grouped[-1] = unit
        else:
            grouped.append(unit)
    return grouped


def _continues(block: _Unit, unit: _Unit) -> bool:
    return (
        block.kind == unit.kind == "moved"
        and len(block.a) == len(block.b)
        and len(unit.a) == len(unit.b) == 1
        and unit.a[0] == block.a[-1] + 1
        and unit.b[0] == block.b[-1] + 1
    )


def _joint_method(block: _Unit, unit: _Unit) -> str:
    return block.method if block.method == unit.method else "fuzzy"


def _links(unit: _Unit, t: _Texts, a_passages, b_passages) -> list[Link]:
    """One link per unit, or one per piece for a split or a merge."""
    score = _link_score(unit, t)
    pairs = [(unit.a, unit.b)]
    if unit.a and unit.b and len(unit.a) < len(unit.b):
        pairs = [(unit.a, (j,)) for j in unit.b]
    elif unit.a and unit.b and len(unit.a) > len(unit.b):
        pairs = [((i,), unit.b) for i in unit.a]
    return [
        Link(unit.kind, _span(a, a_passages), _span(b, b_passages), score, unit.method)
        for a, b in pairs
    ]


def _span(indices: tuple[int, ...], passages: Sequence[Passage]) -> Span | None:
    if not indices:
        return None
    return Span(passages[indices[0]].start, passages[indices[-1]].end)


def _link_score(unit: _Unit, t: _Texts) -> float:
    if unit.kind == "equal":
        return 1.0
    if not unit.a or not unit.b:
        return 0.0
    a = " ".join(t.a[i] for i in unit.a)
    return round(Indel.normalized_similarity(a, " ".join(t.b[j] for j in unit.b)), 4)


# -- inside a pair of passages ------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def inline_diff(a: str, b: str) -> list[tuple[int, str]]:
    """Word-level differences between two passages, as diff-match-patch operations.

    ``-1`` = only in ``a``, ``0`` = in both, ``1`` = only in ``b``; joining the
    texts of the 0 and -1 operations gives ``a`` back, of 0 and 1 gives ``b``.
    The diff runs over words, runs of spaces and single punctuation marks; the
    result is then tidied with ``diff_cleanupSemantic`` (which may, rarely, cut a
    word where a deletion and an insertion overlap). No time limit: a timeout
    would silently turn a long diff into "delete all, insert all".

    >>> inline_diff("The old grey cat sat.", "The grey cat sat down.")
    [(0, 'The '), (-1, 'old '), (0, 'grey cat sat'), (1, ' down'), (0, '.')]
    """
    vocabulary: dict[str, str] = {}
    a_code, b_code = _token_code(a, vocabulary), _token_code(b, vocabulary)
    tokens = {code: token for token, code in vocabulary.items()}
    diffs = [(op, "".join(tokens[c] for c in text)) for op, text in _code_diff(a_code, b_code)]
    _matcher().diff_cleanupSemantic(diffs)
    return _tidy(diffs)


def _tidy(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop the empty operations the overlap cleanup can leave; join neighbours of one kind."""
    tidy: list[tuple[int, str]] = []
    for op, text in diffs:
        if tidy and tidy[-1][0] == op:
            tidy[-1] = (op, tidy[-1][1] + text)
        elif text:
            tidy.append((op, text))
    return tidy


def _token_code(text: str, vocabulary: dict[str, str]) -> str:
    tokens = _TOKEN.findall(text)
    return "".join(vocabulary.setdefault(tok, _code_point(len(vocabulary))) for tok in tokens)


def _code_point(n: int) -> str:
    code = 0x100 + n
    return chr(code + 0x800 if code >= 0xD800 else code)


def _code_diff(a_code: str, b_code: str) -> list[tuple[int, str]]:
    try:
        import fast_diff_match_patch
    except ImportError:
        return _matcher().diff_main(a_code, b_code, False)
    ops = {"=": 0, "-": -1, "+": 1}
    raw = fast_diff_match_patch.diff(
        a_code, b_code, counts_only=False, cleanup="No", timelimit=0, checklines=False
    )
    return [(ops[op], text) for op, text in raw]


def _matcher():
    from diff_match_patch import diff_match_patch

    matcher = diff_match_patch()
    matcher.Diff_Timeout = 0
    return matcher
