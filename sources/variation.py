"""Places of variation among several witnesses of one passage, aligned through a base.

Each witness's reading of a passage is aligned word by word with the base's
(``difflib`` on words, no junk heuristic); every stretch of base words that some
witness changes, and every point where one inserts words, becomes a *place*. Places
that overlap or touch are merged, so each place gives every witness one reading:
the words it has between the place's edges. Outside the places every witness reads
the base's words.

This is the shape of a critical apparatus in parallel segmentation: the text
outside the places joined with one witness's readings gives that witness's words
back (spaces between words are normalised to one).

>>> segments = variation_places("the cat sat", ["the cat sat", "the dog sat", "the cat"])
>>> [(s.text, s.readings) for s in segments]
[('the', None), (None, ('cat sat', 'dog sat', 'cat'))]
>>> segments[1].lemma
'cat sat'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Segment:
    """Either words all witnesses share (``text``) or a place: ``readings``, one per
    witness (``None`` for a witness that does not have the passage at all), and
    ``lemma``, the base's words there."""

    text: str | None = None
    readings: tuple[str | None, ...] | None = None
    lemma: str = ""


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def variation_places(base: str, readings: Sequence[str | None]) -> list[Segment]:
    """The base's words cut into shared stretches and places of variation.

    ``readings``: each witness's text of the passage (the base itself may be one of
    them), ``None`` where a witness lacks the passage: it then reads nothing at
    every place and the whole passage is one place.
    """
    base_words = words(base)
    present = [k for k, text in enumerate(readings) if text is not None]
    if len(present) < len(readings) or not base_words:
        return [Segment(readings=tuple(_joined(words(t)) if t is not None else None
                                       for t in readings),
                        lemma=_joined(base_words))] if base_words or any(readings) else []
    tokens = {k: words(readings[k]) for k in present}
    matches = {k: _equal_blocks(base_words, tokens[k]) for k in present}
    places = _merged([edit for k in present
                      for edit in _edits(matches[k], len(base_words), len(tokens[k]))])
    segments, at = [], 0
    for start, end in places:
        if start > at:
            segments.append(Segment(text=_joined(base_words[at:start])))
        segments.append(Segment(readings=tuple(
            _joined(_reading(tokens[k], matches[k], start, end)) for k in present),
            lemma=_joined(base_words[start:end])))
        at = end
    if at < len(base_words):
        segments.append(Segment(text=_joined(base_words[at:])))
    return segments


def _joined(items: Sequence[str]) -> str:
    return " ".join(items)


def _equal_blocks(base: list[str], other: list[str]) -> list[tuple[int, int, int]]:
    """``(base start, other start, size)`` of the words both share, in order."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [tuple(block) for block in matcher.get_matching_blocks() if block.size]


def _edits(blocks: list[tuple[int, int, int]], length: int, other_length: int
           ) -> list[tuple[int, int]]:
    """Base word ranges a witness changes (an insertion is an empty range)."""
    edits, base_at, other_at = [], 0, 0
    for base_start, other_start, size in [*blocks, (length, other_length, 0)]:
        if base_start > base_at or other_start > other_at:
            edits.append((base_at, base_start))
        base_at, other_at = base_start + size, other_start + size
    return edits


def _merged(edits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Edits joined where they overlap or touch; an insertion between two edits joins both."""
    places: list[list[int]] = []
    for start, end in sorted(edits):
        if places and start <= places[-1][1]:
            places[-1][1] = max(places[-1][1], end)
        else:
            places.append([start, end])
    return [(start, end) for start, end in places]


def _reading(other: list[str], blocks: list[tuple[int, int, int]], start: int,
             end: int) -> list[str]:
    """The witness's words between base word positions ``start`` and ``end``."""
    return other[_position(blocks, start, len(other), left=True):
                 _position(blocks, end, len(other), left=False)]


def _position(blocks, base_at: int, length: int, *, left: bool) -> int:
    """Where base position ``base_at`` (an edge of a place) falls in the witness.

    Inside a shared block it maps through the block. At a block's edge, a place's
    left edge is the end of the shared block before it and its right edge the start
    of the shared block after it, so words the witness inserts there are inside.
    """
    if left:
        best = 0
        for base_start, other_start, size in blocks:
            if base_start < base_at < base_start + size:
                return other_start + (base_at - base_start)
            if base_start + size <= base_at:
                best = other_start + size
        return best
    best = length
    for base_start, other_start, size in reversed(blocks):
        if base_start < base_at < base_start + size:
            return other_start + (base_at - base_start)
        if base_start >= base_at:
            best = other_start
    return best
