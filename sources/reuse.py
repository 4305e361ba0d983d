"""Finding passages of one text again in another text of the same language.

A passage may reappear anywhere: reordered, lightly edited, split over several
passages or merged into a larger one. Candidates come from an index of word
n-grams ("shingles") over the searched text, so the cost grows with the number
of shared phrases, not with ``len(a) * len(c)``; each candidate is then verified
with a word-level edit similarity (rapidfuzz).

Words are compared case-folded and without punctuation. Internally each distinct
word becomes one character (:func:`word_codes`), so that rapidfuzz's string
metrics work on words rather than letters: two unrelated English paragraphs
share about 40 % of their letters in order but under 20 % of their words.
A passage of fewer than :data:`SHINGLE_WORDS` words has a single shingle, its
whole self, so it is found only as a whole passage with the same words.

>>> find_reuse(["The cat sat on the mat all day long."],
...            ["Nothing here.", "the cat sat on the mat all day long"])
[(0, 1, 1.0)]
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

SHINGLE_WORDS = 5
"""Length of the word n-grams that propose candidates."""

MIN_PART_WORDS = 8
"""A passage shorter than this is only ever found whole, never as part of another."""

MAX_CANDIDATES = 12
"""Candidates verified per passage, best-sharing first."""

_WORD = re.compile(r"\w+")
_SURROGATES = range(0xD800, 0xE000)
_FIRST_CODE = 0x100
_CODE_COUNT = 0x110000 - _FIRST_CODE - len(_SURROGATES)


@dataclass(frozen=True)
class Reuse:
    """Passage ``a`` of the first text found in passage ``c`` of the second.

    ``whole`` is true when the two passages match as wholes (``score`` is their
    word similarity); otherwise the shorter one lies inside the longer one (a
    split or a merge) and ``score`` says how exactly it is contained.
    """

    a: int
    c: int
    score: float
    whole: bool


def words(text: str) -> list[str]:
    """The case-folded words of ``text``, punctuation dropped."""
    return _WORD.findall(text.casefold())


class WordCoder:
    """Encodes texts as strings of one character per word, one vocabulary for all calls.

    >>> code = WordCoder()
    >>> cat, dog, the_cat = code("A cat."), code("a dog"), code("The cat")
    >>> len(cat), cat[0] == dog[0], cat[1] == the_cat[1], cat[1] == dog[1]
    (2, True, True, False)
    """

    def __init__(self) -> None:
        self.vocabulary: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        vocabulary = self.vocabulary
        return "".join(vocabulary.get(w) or _new_code(w, vocabulary) for w in words(text))


def word_codes(*texts_lists: Iterable[str]) -> list[list[str]]:
    """Encode every text of every list with one :class:`WordCoder`."""
    code = WordCoder()
    return [[code(text) for text in texts] for texts in texts_lists]


def _new_code(word: str, vocabulary: dict[str, str]) -> str:
    # Past the last code point words share codes; similarities only get slightly kinder.
    code = _FIRST_CODE + len(vocabulary) % _CODE_COUNT
    if code >= _SURROGATES.start:
        code += len(_SURROGATES)
    vocabulary[word] = chr(code)
    return vocabulary[word]


def similarity(a_code: str, b_code: str) -> float:
    """Word-level similarity in ``[0, 1]``: twice the common words in order over all words."""
    return Indel.normalized_similarity(a_code, b_code)


def containment(a_code: str, b_code: str) -> float:
    """How exactly the shorter of two encoded passages appears inside the longer one."""
    return fuzz.partial_ratio(a_code, b_code) / 100.0


def find_reuse(
    a_passages_text: Sequence[str], c_passages_text: Sequence[str], *, min_score: float = 0.8
) -> list[tuple[int, int, float]]:
    """Where the passages of A reappear in C: ``(index in A, index in C, score)``.

    A passage may be found in several passages of C (split, or repeated) and
    several passages of A in one of C (merged). Sorted by A index, then best score.
    """
    found = reuse_matches(a_passages_text, c_passages_text, min_score=min_score)
    return [(m.a, m.c, m.score) for m in found]


def reuse_matches(
    a_passages_text: Sequence[str], c_passages_text: Sequence[str], *, min_score: float = 0.8
) -> list[Reuse]:
    """Like :func:`find_reuse`, saying for each match whether it is whole or partial."""
    a_codes, c_codes = word_codes(a_passages_text, c_passages_text)
    return coded_matches(a_codes, c_codes, min_score=min_score)


def coded_matches(
    a_codes: Sequence[str], c_codes: Sequence[str], *, min_score: float, partial: bool = True
) -> list[Reuse]:
    """:func:`reuse_matches` on texts encoded by :func:`word_codes`.

    ``partial=False`` looks for whole matches only (cheaper).
    """
    index = _shingle_index(c_codes)
    found: list[Reuse] = []
    for i, a_code in enumerate(a_codes):
        candidates = _candidates(a_code, index)
        matches = (_verify(i, a_code, j, c_codes[j], min_score, partial) for j in candidates)
        found.extend(sorted((m for m in matches if m), key=lambda m: (-m.score, m.c)))
    return found


def _shingles(code: str) -> set[str]:
    if len(code) <= SHINGLE_WORDS:
        return {code} if code else set()
    return {code[k : k + SHINGLE_WORDS] for k in range(len(code) - SHINGLE_WORDS + 1)}


def _shingle_index(codes: Sequence[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for j, code in enumerate(codes):
        for shingle in _shingles(code):
            index[shingle].append(j)
    return index


def _candidates(code: str, index: dict[str, list[int]]) -> list[int]:
    shared: dict[int, int] = defaultdict(int)
    for shingle in _shingles(code):
        for j in index.get(shingle, ()):
            shared[j] += 1
    return heapq.nlargest(MAX_CANDIDATES, shared, key=lambda j: (shared[j], -j))


def _verify(i, a_code: str, j, c_code: str, min_score: float, partial: bool) -> Reuse | None:
    whole = similarity(a_code, c_code)
    if whole >= min_score:
        return Reuse(i, j, round(whole, 4), True)
    if not partial or min(len(a_code), len(c_code)) < MIN_PART_WORDS:
        return None
    part = containment(a_code, c_code)
    return Reuse(i, j, round(part, 4), False) if part >= min_score else None
