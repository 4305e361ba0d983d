"""Finding an annotation again in an edited text, and carrying annotations to a new version.

Modelled on the Hypothesis client (``match-quote.ts``): the quote is looked for
verbatim first; failing that, at the old position (where the surrounding text
may still be intact); failing that, approximately. Every candidate span gets the
client's weighted score (quote 50, prefix 20, suffix 20, position 2) to pick the
best one; the *confidence* of the winner is then

    quote similarity x (w + (1 - w) x context similarity),  w = quote_weight(len)

with ``w`` = 0.75 for quotes of 32 characters or more, falling to 0.25 for a
single character: a long exact quote in a changed context scores 0.75, a
lightly edited quote in its old context about 0.9, a short common phrase whose
surroundings changed under 0.75, and a quote that is gone is not found at all.
A winner that cannot be told apart from a runner-up except by distance is
capped at 0.7 unless it sits exactly at the hinted position; an approximate
match far from the hint loses 10 %. Similarities are rapidfuzz Indel
(LCS-based) ratios in ``[0, 1]``. Boundaries of approximate matches are set
where the most characters of quote and context fit verbatim on either side.

Measured on Frankenstein (1,000 random spans of the 1818 text carried to 1823,
1831 and the Thomas copy; ``tests/test_anchoring.py`` pins part of it): every
span whose text is unchanged in the apparatus lands exactly where the gold
says, none lands wrongly; of the changed spans most are anchored inside the
gold region and the rest go to review.

>>> text = "Article 1. The parties agree. Article 2. The parties agree to meet."
>>> sel = TextQuoteSelector("parties agree", "Article 2. The ", " to meet.")
>>> reanchor(sel, 0, text)
Anchor(start=45, end=58, confidence=1.0, method='exact')
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, replace

import fast_diff_match_patch
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from annotations.model import (
    CONTEXT_CHARS,
    Annotation,
    TextQuoteSelector,
    quote_selector,
    snapshot,
)
from annotations.notes import (
    document_text,
    load_annotations,
    record_history,
    write_annotation,
)
from annotations.store import Store, utcnow
from sources.errors import InvalidInput

WEIGHTS = {"quote": 50, "prefix": 20, "suffix": 20, "position": 2}
MIN_QUOTE_SIMILARITY = 0.5  # below this nothing is returned: the passage is gone
AMBIGUOUS_CAP = 0.7
FAR_FUZZY = 0.9
RIVAL_MARGIN = 0.02  # quote and context this close: only the distance tells them apart
MAX_EXACT_CANDIDATES = 200
EDGE = 16  # characters of quote/context compared when refining a boundary
LONG_QUOTE = 64
LINE_CODES, LINE_CODE_SPAN = 0x10000, 0x100000  # one code point per distinct line, past the BMP


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found: ``[start, end)`` in the new text, how sure, and how."""

    start: int
    end: int
    confidence: float
    method: str  # "exact" | "position" | "fuzzy"


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    method: str
    quote: float
    context: float
    rank: float


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return Indel.normalized_similarity(a, b)


def _context(expected: str, found: str, *, at_edge: bool) -> float:
    """How well the text beside a candidate matches the old prefix or suffix.

    An empty old context means the quote was at the edge of the text: a
    candidate there matches fully, one elsewhere half (no evidence either way).
    """
    if expected:
        return _similarity(expected, found)
    return 1.0 if at_edge else 0.5


def _score(selector: TextQuoteSelector, text: str, start: int, end: int, hint: int, method: str):
    quote = _similarity(selector.exact, text[start:end])
    prefix = _context(selector.prefix, text[max(0, start - len(selector.prefix)) : start],
                      at_edge=start == 0)
    suffix = _context(selector.suffix, text[end : end + len(selector.suffix)],
                      at_edge=end == len(text))
    position = 1.0 - min(1.0, abs(start - hint) / max(1, len(text)))
    weighted = (
        WEIGHTS["quote"] * quote + WEIGHTS["prefix"] * prefix
        + WEIGHTS["suffix"] * suffix + WEIGHTS["position"] * position
    )
    rank = weighted / sum(WEIGHTS.values())
    return _Candidate(start, end, method, quote, (prefix + suffix) / 2, rank)


# ---------------------------------------------------------------- candidate spans

def _exact_starts(quote: str, text: str, hint: int) -> list[int]:
    """Every start of ``quote`` in ``text``, the :data:`MAX_EXACT_CANDIDATES` nearest ``hint``."""
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if len(starts) > MAX_EXACT_CANDIDATES:
        starts = sorted(starts, key=lambda start: abs(start - hint))[:MAX_EXACT_CANDIDATES]
    return starts


def _run_forward(pattern: str, text: str, at: int) -> int:
    """How many characters of ``pattern`` appear verbatim in ``text`` from ``at`` on."""
    count = 0
    for char, other in zip(pattern, text[at : at + len(pattern)], strict=False):
        if char != other:
            break
        count += 1
    return count


def _run_backward(pattern: str, text: str, at: int) -> int:
    """How many of the last characters of ``pattern`` appear verbatim just before ``at``."""
    count = 0
    for char, other in zip(reversed(pattern), reversed(text[max(0, at - len(pattern)) : at]),
                           strict=False):
        if char != other:
            break
        count += 1
    return count


def _boundary_score(text: str, at: int, inside: str, outside: str, left: bool) -> float:
    """Characters that fit verbatim on both sides of ``at``, plus similarity as a tie-breaker.

    For a start (``left``) ``outside`` is the old prefix and ``inside`` the
    quote's head; for an end, ``inside`` is the quote's tail and ``outside`` the
    old suffix. Counting exact runs from the boundary outwards makes the
    characters next to it count most, so an edited first word does not drag the
    start into the word.
    """
    if left:
        runs = _run_backward(outside, text, at) + _run_forward(inside, text, at)
        near_in, near_out = text[at : at + len(inside)], text[max(0, at - len(outside)) : at]
    else:
        runs = _run_backward(inside, text, at) + _run_forward(outside, text, at)
        near_in, near_out = text[max(0, at - len(inside)) : at], text[at : at + len(outside)]
    similar = _similarity(inside, near_in) + (_similarity(outside, near_out) if outside else 0)
    return runs + similar / 2


def _best_boundary(text: str, guess: int, reach: int, inside: str, outside: str, *, left: bool):
    """The offset within ``reach`` of ``guess`` that best separates ``outside`` from ``inside``."""
    best, best_score = guess, -1.0
    for offset in sorted(range(max(0, guess - reach), min(len(text), guess + reach) + 1),
                         key=lambda at: abs(at - guess)):
        score = _boundary_score(text, offset, inside, outside, left)
        if score > best_score + 1e-9:
            best, best_score = offset, score
    return best


def _refine(selector: TextQuoteSelector, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of an approximate span to where the quote's edges and context fit best."""
    exact = selector.exact
    reach = max(8, len(exact) // 4)
    edge = min(EDGE, max(1, len(exact) // 2))
    new_start = _best_boundary(text, start, reach, exact[:edge], selector.prefix, left=True)
    new_end = _best_boundary(text, end, reach, exact[-edge:], selector.suffix, left=False)
    if new_end <= new_start:
        return start, max(end, start + 1)
    return new_start, new_end


def _margin(length: int) -> int:
    return 2 * length + 1000


def _window(text: str, hint: int, length: int) -> tuple[int, int]:
    margin = _margin(length)
    return max(0, hint - margin), min(len(text), hint + length + margin)


def _partial_match(quote: str, text: str, begin: int, end: int) -> tuple[int, int, float]:
    found = fuzz.partial_ratio_alignment(quote, text[begin:end])
    if found is None:
        return begin, begin, 0.0
    return begin + found.dest_start, begin + found.dest_end, found.score / 100


def _seed_vote(quote: str, text: str, hint: int) -> int | None:
    """For long quotes: where do 24-character pieces of the quote say it starts?"""
    size = 24
    votes = []
    for offset in range(0, len(quote) - size + 1, size):
        for start in _exact_starts(quote[offset : offset + size], text, hint)[:5]:
            votes.append(start - offset)
    if not votes:
        return None
    votes.sort()
    spread = max(8, len(quote) // 4)
    best = max(votes, key=lambda v: (bisect.bisect_right(votes, v + spread)
                                     - bisect.bisect_left(votes, v - spread), -abs(v - hint)))
    return max(0, best)


def _fuzzy_span(selector: TextQuoteSelector, text: str, hint: int) -> tuple[int, int] | None:
    quote = selector.exact
    if len(quote) > LONG_QUOTE:
        voted = _seed_vote(quote, text, hint)
        if voted is not None:
            return voted, min(len(text), voted + len(quote))
    begin, end = _window(text, hint, len(quote))
    start, stop, score = _partial_match(quote, text, begin, end)
    if score < 0.8 and (begin > 0 or end < len(text)):
        start2, stop2, score2 = _partial_match(quote, text, 0, len(text))
        if score2 > score:
            start, stop, score = start2, stop2, score2
    return (start, stop) if stop > start else None


def _candidates(selector: TextQuoteSelector, hint: int, text: str) -> list[_Candidate]:
    found = [
        _score(selector, text, start, start + len(selector.exact), hint, "exact")
        for start in _exact_starts(selector.exact, text, hint)
    ]
    if found and max(candidate.context for candidate in found) >= 0.5:
        return found
    if 0 <= hint < len(text):
        span = _refine(selector, text, hint, min(len(text), hint + len(selector.exact)))
        found.append(_score(selector, text, *span, hint, "position"))
    fuzzy = _fuzzy_span(selector, text, hint)
    if fuzzy is not None:
        found.append(_score(selector, text, *_refine(selector, text, *fuzzy), hint, "fuzzy"))
    return found


def quote_weight(length: int) -> float:
    """How much a quote of ``length`` characters counts against its context (0.25 to 0.75).

    A long quote identifies a passage by itself; a short one ("he", "the eyes
    of") occurs all over a book and needs its context to be believed.
    """
    return 0.25 + 0.5 * min(1.0, length / CONTEXT_CHARS)


def _confidence(best: _Candidate, others: list[_Candidate], hint: int, length: int) -> float:
    weight = quote_weight(length)
    confidence = best.quote * (weight + (1 - weight) * best.context)
    rivals = [
        other for other in others
        if (other.end <= best.start or other.start >= best.end)
        and other.quote >= best.quote - RIVAL_MARGIN
        and other.context >= best.context - RIVAL_MARGIN
    ]
    if rivals and best.start != hint:
        confidence = min(confidence, AMBIGUOUS_CAP)
    if best.method == "fuzzy" and abs(best.start - hint) > _margin(length):
        confidence *= FAR_FUZZY  # a look-alike far away is often another passage
    return round(confidence, 4)


def reanchor(selector: TextQuoteSelector, hint_start: int, new_text: str) -> Anchor | None:
    """Find ``selector`` in ``new_text``, preferring spans near ``hint_start`` (the old start).

    Returns ``None`` when nothing resembles the quote any more (similarity below
    :data:`MIN_QUOTE_SIMILARITY`). An empty quote is never found.
    """
    if not selector.exact or not new_text:
        return None
    candidates = _candidates(selector, hint_start, new_text)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.rank, -abs(c.start - hint_start)))
    if best.quote < MIN_QUOTE_SIMILARITY:
        return None
    others = [candidate for candidate in candidates if candidate is not best]
    confidence = _confidence(best, others, hint_start, len(selector.exact))
    return Anchor(best.start, best.end, confidence, best.method)


# ---------------------------------------------------------------- carrying to a new version

class OffsetMap:
    """Maps offsets of an old text to the new text through a line-level diff.

    Lines (paragraphs, in most stored texts) are coded as one character each
    and diffed with fast-diff-match-patch, without time limit: milliseconds for
    a book. Inside unchanged lines the mapping is exact; inside changed ones it
    is proportional: a hint for :func:`reanchor`, not an answer.
    """

    def __init__(self, old: str, new: str):
        old_lines, new_lines = old.split("\n"), new.split("\n")
        old_starts, new_starts = _line_starts(old_lines), _line_starts(new_lines)
        self._blocks = []  # (old_start, old_end, new_start, new_end, equal)
        for equal, i1, i2, j1, j2 in _line_diff(old_lines, new_lines):
            self._blocks.append((old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2],
                                 equal))
        self._keys = [block[0] for block in self._blocks]

    def __call__(self, offset: int) -> int:
        if not self._blocks:
            return 0
        index = max(0, bisect.bisect_right(self._keys, offset) - 1)
        old_start, old_end, new_start, new_end, equal = self._blocks[index]
        if equal or old_end == old_start:
            return min(new_end, new_start + offset - old_start)
        share = (offset - old_start) / (old_end - old_start)
        return new_start + round(share * (new_end - new_start))


def _line_diff(old: list[str], new: list[str]) -> list[tuple[bool, int, int, int, int]]:
    """``(equal, i1, i2, j1, j2)`` blocks over line indices, changed runs merged."""
    codes: dict[str, str] = {}

    def encode(lines: list[str]) -> str:
        return "".join(codes.setdefault(line, chr(LINE_CODES + len(codes) % LINE_CODE_SPAN))
                       for line in lines)

    blocks, i, j = [], 0, 0
    for op, count in fast_diff_match_patch.diff(encode(old), encode(new), timelimit=0,
                                                checklines=False, cleanup="No", counts_only=True):
        di, dj = (count, count) if op == "=" else ((count, 0) if op == "-" else (0, count))
        if op != "=" and blocks and not blocks[-1][0]:
            _, i1, _, j1, _ = blocks.pop()
            blocks.append((False, i1, i + di, j1, j + dj))
        else:
            blocks.append((op == "=", i, i + di, j, j + dj))
        i, j = i + di, j + dj
    return blocks


def _line_starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    starts.append(at)
    return starts


def _carried(annotation: Annotation, new_id: int, text: str, anchor, threshold: float):
    common = dict(id=str(uuid.uuid4()), document_id=new_id, modified_at=utcnow())
    if anchor is not None and anchor.confidence >= threshold:
        return replace(annotation, **common, start=anchor.start, end=anchor.end,
                       **vars(quote_selector(text, anchor.start, anchor.end)),
                       anchor_status="anchored", anchor_confidence=anchor.confidence)
    start, end = (anchor.start, anchor.end) if anchor else (0, 0)
    return replace(annotation, **common, start=start, end=end, anchor_status="review",
                   anchor_confidence=anchor.confidence if anchor else 0.0)


def _already_carried(db, new_id: int) -> set[str]:
    rows = db.execute(
        "select json_extract(h.before, '$.id') from annotation_history h "
        "join annotations a on a.id = h.annotation_id "
        "where h.action = 'carry' and a.document_id = ?",
        [new_id],
    )
    return {row[0] for row in rows}


def carry_annotations(store: Store, old_document_id: int, new_document_id: int, *,
                      threshold: float = 0.75, author: str = "") -> dict:
    """Copy every live annotation of the old version onto the new one (never moves, never drops).

    Found with confidence >= ``threshold``: anchored, re-quoted from the new text.
    Otherwise: ``anchor_status="review"`` at the best guess (or ``0, 0``) with
    the old quote kept in ``exact``, for a scholar to place. Note, tags, scales,
    links, author and creation time are kept; history action ``carry`` with the
    old annotation as ``before``. Annotations carried before are skipped, so
    running it twice is harmless. Returns ``{"anchored", "review", "skipped"}``.
    """
    if old_document_id == new_document_id:
        raise InvalidInput("Choose two different versions to carry annotations between.")
    counts = {"anchored": 0, "review": 0, "skipped": 0}
    with store.transaction() as db:
        old_text, new_text = document_text(db, old_document_id), document_text(db, new_document_id)
        offsets = OffsetMap(old_text, new_text)
        done = _already_carried(db, new_document_id)
        for annotation in load_annotations(db, "document_id = ? and deleted_at is null",
                                           [old_document_id]):
            if annotation.id in done:
                counts["skipped"] += 1
                continue
            anchor = reanchor(annotation.selector, offsets(annotation.start), new_text)
            copy = _carried(annotation, new_document_id, new_text, anchor, threshold)
            write_annotation(db, copy, new=True)
            record_history(db, copy.id, "carry", author, snapshot(annotation), snapshot(copy))
            counts[copy.anchor_status] += 1
    return counts
