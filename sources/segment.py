"""Cut a text into passages and sentences, and find the provision number of a passage.

A passage is a block of text between blank lines (a line holding only
whitespace, form feed included, is blank). Passage spans never include the
whitespace around them, so ``text[p.start:p.end]`` is exactly what a reader sees.

>>> text = "3 (1) In this Act,\\n\\n(a) ensure respect;\\n\\n\\fa) d'assurer"
>>> [(p.seq, p.label, text[p.start:p.end]) for p in segment_passages(text)]
[(1, '3 (1)', '3 (1) In this Act,'), (2, '(a)', '(a) ensure respect;'), (3, 'a)', "a) d'assurer")]
>>> prose = "It rained. We stayed in!  Why?"
>>> [prose[s.start:s.end] for s in split_sentences(prose)]
['It rained.', 'We stayed in!', 'Why?']
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

from sources.model import Page, Passage, Span

# A newline, then one or more lines holding nothing but whitespace (\f included).
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n(?:[^\S\n]*\n)*")

_KEYWORDS = (
    "Article|Art\\.|Artikel|Articolo|Artículo|Section|Sect\\.|Chapter|Chapitre|Kapitel|Part|"
    "Partie|Teil|Title|Titre|Book|Livre|Annex|Annexe|Appendix|Schedule|Rule|Règle|Clause"
)
_SUB = r"\((?:\d{1,3}(?:\.\d+)?|[a-z]{1,3}(?:\.\d+)?|[A-Z]{1,2}(?:\.\d+)?)\)"
_LABEL_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"§+\s*\d+[a-z]?(?:\.\d+)*(?:\s?" + _SUB + r"){0,3}",  # § 12, §§ 3, § 12 (1)
        rf"(?i:{_KEYWORDS})\s+(?:\d+(?:\.\d+)*[A-Za-z]?|[IVXLCDM]+|(?i:premier|first|1er))",
        r"\d{1,4}(?:\.\d+)*\s(?:to|à|and|et|-|–)\s\d{1,4}(?:\.\d+)*(?=\s+[\[(A-ZÀ-Ý])",  # 94 to 99
        r"\d{1,4}(?:\.\d+)+(?:\s?" + _SUB + r"){0,3}",  # 71.02, 2.1 (1)
        r"\d{1,4}(?:\s?" + _SUB + r"){1,3}",  # 3 (1), 12 (1)(a)
        r"\d{1,3}[.)]?",  # 2, 12., 4)   (not 4 digits: a paragraph may open on a year)
        _SUB + r"(?:\s?" + _SUB + r"){0,2}",  # (a), (i), (1), (b.1), (a)(i)
        r"(?:[a-z]{1,2}|[ivxlc]{1,6}|[A-Z]|\d{1,3})(?:\.\d+)?\)",  # a), ii), A), a.1)
        r"[IVXLC]{1,6}\.",  # IV.
    )
)
_LABEL_END = re.compile(r"\s|$")

_SENTENCE_END = re.compile(r"[.!?…。！？]+[\"'’”»)\]]*(?=\s|$)")
_SENTENCE_START = re.compile(r"\s+[\"'‘“«(\[¿¡]?(\w)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos art arts vol p pp cf e.g i.e etc vs ch sect fig op cit ibid "
    "m mme mlle mgr me env cf ex".split()
)
_PYSBD_MAX_CHARS = 50_000


def segment_passages(text: str, pages: Sequence[Page] = ()) -> tuple[Passage, ...]:
    """Blank-line-separated passages of ``text``, numbered from 1, each with its label.

    ``pages`` never split a passage: a paragraph running over a page break stays
    one passage (use :func:`page_at` on its ``start``/``end`` to cite its pages).
    The parameter is accepted so that callers can pass what they have. O(len(text)).
    """
    del pages  # page breaks do not cut passages; see the docstring
    return tuple(
        Passage(seq, start, end, label=passage_label(text[start : min(end, start + 80)]))
        for seq, (start, end) in enumerate(block_spans(text), start=1)
    )


def block_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each blank-line-separated block, surrounding whitespace excluded."""
    position = 0
    for match in chain(_BLANK_LINES.finditer(text), [None]):
        stop = match.start() if match else len(text)
        piece = text[position:stop]
        start = position + len(piece) - len(piece.lstrip())
        end = position + len(piece.rstrip())
        if start < end:
            yield start, end
        position = match.end() if match else len(text)


def passage_label(passage_text: str) -> str | None:
    """The provision number printed at the start of a passage, or ``None``.

    >>> [passage_label(t) for t in ("3 (1) In this Act,", "(a) ensure", "a) d'assurer",
    ...                              "§ 12 Scope", "Article 3", "71.02 Text", "PART I Proceedings")]
    ['3 (1)', '(a)', 'a)', '§ 12', 'Article 3', '71.02', 'PART I']
    >>> passage_label("1986 was a dry year.") is None
    True
    """
    head = passage_text.lstrip()[:80]
    for pattern in _LABEL_PATTERNS:
        match = pattern.match(head)
        if match and _LABEL_END.match(head, match.end()):
            return " ".join(match.group(0).split())
    return None


def split_sentences(text: str, language: str | None = None) -> list[Span]:
    """Sentence spans into ``text``, in order, covering every non-space character.

    Sentences never cross a blank line. pysbd is used for the languages it knows
    (ISO 639-1 codes such as "en", "fr", "de"); other languages, ``None`` and
    blocks over 50,000 characters use a punctuation rule (., !, ?, … followed by
    a space and a capital, digit or opening quote; not after a few common
    abbreviations or a single-letter initial).
    """
    spans: list[Span] = []
    for start, end in block_spans(text):
        block = text[start:end]
        spans.extend(Span(start + s, start + e) for s, e in _block_sentences(block, language))
    return spans


def _block_sentences(block: str, language: str | None) -> list[tuple[int, int]]:
    segmenter = _pysbd_segmenter(language) if len(block) <= _PYSBD_MAX_CHARS else None
    if segmenter is not None:
        spans = _spans_from_pieces(block, segmenter.segment(block.replace("\n", " ")))
        if spans is not None:
            return spans
    return _regex_sentences(block)


@functools.lru_cache(maxsize=32)
def _pysbd_segmenter(language: str | None):
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    if language not in LANGUAGE_CODES:
        return None
    return pysbd.Segmenter(language=language, clean=False)


def _spans_from_pieces(block: str, pieces: Sequence[str]) -> list[tuple[int, int]] | None:
    """Map sentence strings back onto ``block`` by counting non-space characters.

    Robust to pysbd moving whitespace; ``None`` if the pieces do not hold exactly
    the block's non-space characters.
    """
    positions = [i for i, char in enumerate(block) if not char.isspace()]
    solid = ["".join(piece.split()) for piece in pieces]
    if "".join(solid) != "".join(block[i] for i in positions):
        return None
    spans, seen = [], 0
    for chars in solid:
        if chars:
            spans.append((positions[seen], positions[seen + len(chars) - 1] + 1))
            seen += len(chars)
    return spans


def _regex_sentences(block: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(block):
        if _ends_sentence(block, match):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(block)))
    return [_strip_span(block, s, e) for s, e in spans if block[s:e].strip()]


def _ends_sentence(block: str, match: re.Match) -> bool:
    """True if the punctuation is followed by a capital, digit or the end, after no abbreviation."""
    following = _SENTENCE_START.match(block, match.end())
    if match.end() < len(block) and not (following and not following.group(1).islower()):
        return False
    if block[match.start()] != ".":
        return True
    before = block[max(0, match.start() - 40) : match.start()].split()
    word = before[-1].lstrip("(\"'‘“«").lower() if before else ""
    return not (len(word) == 1 and word.isalpha()) and word not in _ABBREVIATIONS


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def passage_at(passages: Sequence[Passage], offset: int) -> Passage | None:
    """The passage holding the character at ``offset``: the one rule for finding a passage.

    An offset between two passages (in the blank line) belongs to the passage before
    it; before the first passage there is none. Passages must be in order. O(log n).

    >>> passages = (Passage(1, 0, 5), Passage(2, 7, 12))
    >>> [getattr(passage_at(passages, at), "seq", None) for at in (0, 4, 5, 6, 7, 30)]
    [1, 1, 1, 1, 2, 2]
    """
    index = bisect.bisect_right(passages, offset, key=lambda passage: passage.start) - 1
    return passages[index] if index >= 0 else None


def passage_finder(passages: Sequence[Passage]) -> Callable[[int], Passage | None]:
    """:func:`passage_at` for many offsets in the same passages, their starts listed once
    (a plain bisect over integers: a stored comparison looks up thousands)."""
    starts = [passage.start for passage in passages]

    def find(offset: int) -> Passage | None:
        index = bisect.bisect_right(starts, offset) - 1
        return passages[index] if index >= 0 else None

    return find


def page_at(offset: int, pages: Sequence[Page]) -> Page | None:
    """The page holding the character at ``offset``; for the end of the text, the last page.

    Pages must be in order and must not overlap. An empty page (a blank leaf)
    holds no character, so it is never returned. ``None`` without pages or out
    of range. O(log n).
    """
    if not pages or offset < pages[0].start or offset > pages[-1].end:
        return None
    index = bisect.bisect_right(pages, offset, key=lambda page: page.start) - 1
    page = pages[index]
    return page if offset < page.end else _previous_nonempty(pages, index)


def _previous_nonempty(pages: Sequence[Page], index: int) -> Page | None:
    for page in reversed(pages[: index + 1]):
        if page.start < page.end:
            return page
    return None
