"""What a change means: typed variants inside a pair of passages, discrepancies across languages.

A comma and a casualty figure are both differences; a historian needs the figure
first. :func:`type_variants` takes the word-level diff of two versions of a
passage in one language (:func:`sources.align.inline_diff`) and gives each place
of variation one type from a closed vocabulary (:data:`VARIANT_TYPES`):

``formal``
    punctuation, case, spaces, typography (’ and ', « » and " "), accents only,
    and a figure written differently with the same value (8 000 / 8000 / 8,000;
    soixante / 60; 25 % / 25%);
``number``
    a value changed (30 → 60 jours, 8 000 → 80 000, deux → trois);
``date``
    a day, month or year changed (1er janvier 1987 → 1er février 1987; 1986 → 1987);
``negation``
    a negation added or removed (peut → ne peut pas; est tenu → n'est pas tenu;
    not, no, never, without);
``modality``
    an obligation, permission, prohibition or recommendation changed (doit →
    peut; est tenu de → peut; interdit → déconseillé; shall → may; must → should);
``name``
    a person, place or organisation replaced (Ottawa → Montréal; ministre de la
    Justice → ministre des Finances): a capitalised word inside a sentence, or a
    word the two texts write capitalised inside a sentence elsewhere;
``lexical``
    any other change of words;
``misreading``
    in a text read by OCR, a difference that a known OCR confusion explains (rn/m,
    l/1/I, O/0, e/é/c, a broken ligature) on a word OCR was unsure of
    (:func:`mark_misreadings`): a possible misreading, not a change of the text.

The types are tried in that order (after ``formal``, which needs the values).
``number``, ``date``, ``name``, ``negation`` and ``modality`` are *flagged*
(:data:`FLAGGED`): they can change what a document says. Places of variation
separated by at most one word are one variant ("peut" → "ne peut pas").

:func:`discrepancies` compares two passages in different languages (a French
provision and its English translation): the figures and dates of each side are
read as values (:mod:`sources.values`) and matched; a value with no counterpart
is a discrepancy ("the French says 20 jours, the English 25 days"). Values
written differently but equal ("trente jours" / "30 days"; "8 000 $" / "$8,000";
"1er juillet 1989" / "July 1, 1989") are not.

Negation and modality cues are the closed grammatical classes of French and
English (ne … pas, not, n't; the forms of devoir, pouvoir, shall, may …), listed
here. Spans are code-point offsets into the two strings given.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sources.model import Span
from sources.values import DATE, NUMBER, Mention, fold, mentions

VARIANT_TYPES = ("number", "date", "name", "negation", "modality", "lexical", "formal",
                 "misreading")
FLAGGED = frozenset({"number", "date", "name", "negation", "modality"})
TYPE_LABELS = {
    "number": "figure", "date": "date", "name": "name", "negation": "negation",
    "modality": "obligation", "lexical": "wording", "formal": "form only",
    "misreading": "possible misreading",
}
"""How each type is named on the page ("3 figures changed, 1 change of obligation")."""

JOIN_WORDS = 1
"""Places of variation separated by at most this many words make one variant."""
LONG_WORDS = 12
"""A variant with more words than this on either side is a rewriting: only its figures
and dates written in digits are read; negation, modality and name cues and number words
in a new clause say too little."""


@dataclass(frozen=True)
class Variant:
    """One place of variation: its type, its spans in A and B (``None`` when absent), the texts."""

    type: str
    a: Span | None
    b: Span | None
    old: str
    new: str

    def __post_init__(self):
        if self.type not in VARIANT_TYPES:
            raise ValueError(f"unknown variant type {self.type!r}")

    @property
    def flagged(self) -> bool:
        return self.type in FLAGGED

    def shifted(self, a_offset: int, b_offset: int) -> Variant:
        """The same variant with spans counted from ``a_offset`` and ``b_offset``."""
        return Variant(
            self.type,
            Span(self.a.start + a_offset, self.a.end + a_offset) if self.a else None,
            Span(self.b.start + b_offset, self.b.end + b_offset) if self.b else None,
            self.old, self.new,
        )

    def as_dict(self) -> dict:
        """The JSON form: ``{"type", "a": [start, end] | null, "b": …, "old", "new"}``."""
        return {"type": self.type, "a": _pair(self.a), "b": _pair(self.b),
                "old": self.old, "new": self.new}

    @classmethod
    def from_dict(cls, data: dict) -> Variant:
        return cls(data["type"], _span(data.get("a")), _span(data.get("b")),
                   data.get("old", ""), data.get("new", ""))


def _pair(span: Span | None) -> list[int] | None:
    return [span.start, span.end] if span else None


def _span(pair) -> Span | None:
    return Span(int(pair[0]), int(pair[1])) if pair else None


# --- one language ---------------------------------------------------------------------------

def type_variants(a: str, b: str, language: str | None = None) -> list[Variant]:
    """The places where ``b`` differs from ``a`` (two versions in one language), typed."""
    if a == b:
        return []
    names = _Names(a, b)

    @functools.cache
    def typed_at(a0: int, a1: int, b0: int, b1: int) -> Variant:
        return typed([a0, a1, b0, b1])

    def typed(place: list[int]) -> Variant:
        (a0, a1), (b0, b1) = _whole_words(a, b, place)
        a_values, b_values = _values_near(a, a0, a1, language), _values_near(b, b0, b1, language)
        a0, a1 = _trim(a, *_widen(a0, a1, a_values))
        b0, b1 = _trim(b, *_widen(b0, b1, b_values))
        old, new = a[a0:a1], b[b0:b1]
        kind = classify(old, new, _inside(a_values, a0, a1), _inside(b_values, b0, b1),
                        names, a_initial=_initial(a, a0), b_initial=_initial(b, b0),
                        offsets=(a0, b0))
        return Variant(kind, Span(a0, a1), Span(b0, b1), old, new)

    variants = []
    for group in _places(_diff(a, b), a):
        # Neighbours make one variant ("peut" → "ne peut pas"), unless one of them
        # is only formal ("L’État peut" → "L'État ne peut pas" is two).
        run: list[list[int]] = []
        for place in group:
            if typed_at(*place).type == "formal":
                variants += [typed_at(*_span_of(run))] if run else []
                variants.append(typed_at(*place))
                run = []
            else:
                run.append(place)
        variants += [typed_at(*_span_of(run))] if run else []
    return _distinct(variants)


# What OCR confuses, each group written as one letter: rn/m, cl/d, vv/w, l/1/I/|/!,
# O/0/o, S/5, B/8, Z/2, e/é/è/ê/c, a/à/â, u/ü/û/ù, i/î/ï, fi/ﬁ, fl/ﬂ, ff/ﬀ.
_CONFUSIONS = (("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("ﬃ", "ffi"), ("ﬄ", "ffl"), ("rn", "m"),
               ("cl", "d"), ("vv", "w"))
_CONFUSED_LETTERS = str.maketrans({
    **dict.fromkeys("lI1|!í", "l"), **dict.fromkeys("O0oQ", "o"), "S": "s", "5": "s",
    "B": "8", "Z": "2", **dict.fromkeys("eéèêëcç", "e"), **dict.fromkeys("aàâä", "a"),
    **dict.fromkeys("uüûù", "u"), **dict.fromkeys("iîï", "i")})


def ocr_confusion(old: str, new: str) -> bool:
    """Whether OCR's usual confusions explain the difference between two readings.

    >>> ocr_confusion("modern", "modem"), ocr_confusion("1986", "l986")
    (True, True)
    >>> ocr_confusion("office", "oﬃce"), ocr_confusion("1986", "1987")
    (True, False)
    """
    return old != new and _confusable(old) == _confusable(new)


def _confusable(text: str) -> str:
    text = " ".join(text.split())
    for written, read in _CONFUSIONS:
        text = text.replace(written, read)
    return text.translate(_CONFUSED_LETTERS).replace(" ", "")


def mark_misreadings(variants: Iterable[Variant], uncertain_a: Sequence[Span],
                     uncertain_b: Sequence[Span]) -> list[Variant]:
    """Retype as ``misreading`` each variant that an OCR confusion explains and that
    touches a word OCR was unsure of (``uncertain_*``: spans of such words in each text,
    in order, in the variants' coordinates)."""
    return [replace(v, type="misreading")
            if v.type != "formal" and ocr_confusion(v.old, v.new)
            and (_touches(v.a, uncertain_a) or _touches(v.b, uncertain_b)) else v
            for v in variants]


def _touches(span: Span | None, spans: Sequence[Span]) -> bool:
    if span is None or not spans:
        return False
    index = bisect_right([s.start for s in spans], span.end) - 1
    return any(s.end > span.start and s.start < span.end or s.start == span.start
               for s in spans[max(0, index - 3):index + 1])


def _diff(a: str, b: str) -> list[tuple[int, str]]:
    """Character differences with semantic cleanup (C++ when installed); places are
    grown to whole words afterwards."""
    try:
        import fast_diff_match_patch
    except ImportError:
        from sources.align import inline_diff

        return inline_diff(a, b)
    ops = {"=": 0, "-": -1, "+": 1}
    return [(ops[op], text) for op, text in fast_diff_match_patch.diff(
        a, b, counts_only=False, cleanup="Semantic", timelimit=0, checklines=False)]


NEAR = 64
"""Figures and dates are read this many characters around a place (they are short)."""


def _values_near(text: str, start: int, end: int, language: str | None) -> list[Mention]:
    """The figures and dates of ``text`` around ``[start, end)``, with offsets into ``text``."""
    w0, w1 = max(0, start - NEAR), min(len(text), end + NEAR)
    line = text.rfind("\n", max(0, w0 - 3 * NEAR), w0)
    w0 = line + 1 if line >= 0 or w0 <= 3 * NEAR else w0
    while 0 < w0 and not text[w0 - 1].isspace():
        w0 -= 1
    while w1 < len(text) and not text[w1].isspace():
        w1 += 1
    return [Mention(m.kind, m.start + w0, m.end + w0, m.value)
            for m in mentions(text[w0:w1], language)]


class _Names:
    """Is a (folded) word one the texts write with a capital inside a sentence? Only the
    few words of a place are asked, so the texts are indexed when first asked."""

    def __init__(self, *texts: str):
        self._texts = texts
        self._index: dict[str, list[tuple[str, int]]] | None = None

    def __contains__(self, word: str) -> bool:
        if self._index is None:
            self._index = {}
            for text in self._texts:
                for match in _UPPER_WORD.finditer(text):
                    self._index.setdefault(fold(match.group()), []).append((text, match.start()))
        return any(not _initial(text, start) for text, start in self._index.get(word, ()))


_UPPER_WORD = re.compile(r"(?<![\w’'-])[A-ZÀ-ÖØ-Þ][\w’'-]*")


def _span_of(places: list[list[int]]) -> list[int]:
    return [places[0][0], places[-1][1], places[0][2], places[-1][3]]


def _places(diffs: list[tuple[int, str]], a: str) -> list[list[list[int]]]:
    """Each run of differences as ``[a0, a1, b0, b1]``, grouped with its near neighbours
    (at most :data:`JOIN_WORDS` whole words of ``a`` apart)."""
    groups: list[list[list[int]]] = []
    pa = pb = 0
    last_end = None  # where the last place ended in a (None: no place yet)
    for op, text in diffs:
        if op == 0:
            pa, pb = pa + len(text), pb + len(text)
            continue
        if groups and last_end == pa:
            place = groups[-1][-1]
        else:
            place = [pa, pa, pb, pb]
            if last_end is not None and _words_between(a, last_end, pa) <= JOIN_WORDS:
                groups[-1].append(place)
            else:
                groups.append([place])
        if op < 0:
            pa += len(text)
        else:
            pb += len(text)
        place[1], place[3] = pa, pb
        last_end = pa
    return groups


def _words_between(text: str, start: int, end: int) -> int:
    """Whole words in ``text[start:end]`` (a word cut at either end does not count)."""
    count = 0
    for match in _WORDS.finditer(text, start, end):
        cut_before = match.start() == start and start > 0 and text[start - 1].isalnum()
        cut_after = match.end() == end and end < len(text) and text[end].isalnum()
        count += not (cut_before or cut_after)
    return count


_WORDS = re.compile(r"\w+")


def _whole_words(a: str, b: str, place: list[int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The place in whole words, without spaces at its ends; a pure insertion or deletion
    takes in the word before it ("may" → "may not"), or after it at the start."""
    # The text just before and after a place is equal on both sides, so both sides
    # grow by the same amount when one of them cuts a word ("with" → "with|out").
    a0, a1, b0, b1 = place
    (sa0, sa1), (sb0, sb1) = _snap(a, a0, a1), _snap(b, b0, b1)
    left, right = max(a0 - sa0, b0 - sb0), max(sa1 - a1, sb1 - b1)
    a0, b0 = max(0, min(sa0, a0 - left)), max(0, min(sb0, b0 - left))
    a1, b1 = min(len(a), max(sa1, a1 + right)), min(len(b), max(sb1, b1 + right))
    (a0, a1), (b0, b1) = _snap(a, a0, a1), _snap(b, b0, b1)  # the other side's text may differ
    (a0, a1), (b0, b1) = _trim(a, a0, a1), _trim(b, b0, b1)
    if a0 == a1 or b0 == b1:  # nothing on one side: show the word it attaches to
        before = re.search(r"\w+\W*$", a[:a0])
        after = re.match(r"\W*\w+", a[a1:])
        if before and b0 >= a0 - before.start() and (
                b[b0 - (a0 - before.start()):b0] == a[before.start():a0]):
            width = a0 - before.start()
            a0, b0 = a0 - width, b0 - width
        elif after and b[b1:b1 + after.end()] == after.group():
            a1, b1 = a1 + after.end(), b1 + after.end()
        (a0, a1), (b0, b1) = _trim(a, a0, a1), _trim(b, b0, b1)
    return (a0, a1), (b0, b1)


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` grown to whole words where it cuts one (an apostrophe or a hyphen
    inside a word belongs to it: "L’État", "celle-ci")."""
    def inside(k: int) -> bool:
        return 0 <= k < len(text) and (text[k].isalnum() or (
            text[k] in _JOINERS and 0 < k < len(text) - 1 and text[k - 1].isalnum()
            and text[k + 1].isalnum()))

    while 0 < start < len(text) and inside(start - 1) and inside(start):
        start -= 1
    while 0 < end < len(text) and inside(end - 1) and inside(end):
        end += 1
    return start, end


_JOINERS = "’'-‐"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the spaces at its ends (unless it is only spaces)."""
    piece = text[start:end]
    if not piece.strip():
        return start, end
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def _widen(start: int, end: int, found: list[Mention]) -> tuple[int, int]:
    """The span grown to the whole of every figure or date it touches ("8 000" → "80 000")."""
    for mention in found:
        if mention.start <= end and start <= mention.end:
            start, end = min(start, mention.start), max(end, mention.end)
    return start, end


def _inside(found: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in found if start <= m.start and m.end <= end]


def _distinct(variants: list[Variant]) -> list[Variant]:
    """Widening can make two places one: keep each span once."""
    seen, kept = set(), []
    for variant in variants:
        if (variant.a, variant.b) not in seen:
            seen.add((variant.a, variant.b))
            kept.append(variant)
    return kept


def classify(old: str, new: str, old_values: list[Mention], new_values: list[Mention],
             names: Container[str] = frozenset(), *, a_initial: bool = False,
             b_initial: bool = False, offsets: tuple[int, int] = (0, 0)) -> str:
    """The type of the change from ``old`` to ``new`` (see the module docstring).

    ``old_values``/``new_values`` are the figures and dates inside them, counted from
    ``offsets`` (where ``old`` and ``new`` start in their texts).
    """
    long = max(len(old.split()), len(new.split())) > LONG_WORDS  # a rewriting
    for kind in (DATE, NUMBER):
        if long:  # a rewriting: a value in digits that the other side lacks in any notation
            a_all, b_all = set(_values(old_values, kind)), set(_values(new_values, kind))
            a_digits = {m.value for m in old_values if m.kind == kind
                        and _has_digit(old, m, offsets[0])}
            b_digits = {m.value for m in new_values if m.kind == kind
                        and _has_digit(new, m, offsets[1])}
            if a_digits - b_all or b_digits - a_all:
                return kind
        elif _values(old_values, kind) != _values(new_values, kind):
            return kind
    if canonical(old, old_values, offsets[0]) == canonical(new, new_values, offsets[1]):
        return "formal"
    if long:
        return "lexical"
    if negations(old) != negations(new):
        return "negation"
    if modalities(old) != modalities(new):
        return "modality"
    if _names_in(old, names, a_initial) != _names_in(new, names, b_initial):
        return "name"
    return "lexical"


def _has_digit(text: str, mention: Mention, offset: int) -> bool:
    return any(c.isdigit() for c in text[mention.start - offset:mention.end - offset])


def _values(found: list[Mention], kind: str) -> list:
    return sorted((m.value for m in found if m.kind == kind), key=repr)


_PERCENT = re.compile(r"\b(?:pour\s*cent|per\s*cent|percent)\b", re.IGNORECASE)
_NOT_LETTERS = re.compile(r"[\W_]+")


def canonical(text: str, found: Iterable[Mention] = (), offset: int = 0) -> str:
    """``text`` reduced to what a formal change cannot alter: figures by value, letters only.

    ``found`` are the mentions of ``text`` (offsets from ``offset``); each becomes
    its value, so "8 000" and "8000", "trente" and "30" reduce alike.
    """
    pieces, at = [], 0
    for mention in sorted(found, key=lambda m: m.start):
        start, end = mention.start - offset, mention.end - offset
        pieces += [text[at:start], f" {mention.describe()} "]
        at = end
    pieces.append(text[at:])
    reduced = _PERCENT.sub("%", "".join(pieces))
    return _NOT_LETTERS.sub("", fold(reduced).replace("%", "pct"))


# --- the closed classes: negation and modality ---------------------------------------------

_NEGATION = re.compile(
    r"\b(?:ne|ni|pas|jamais|aucun|aucune|aucuns|aucunes|nul|nulle|nuls|nulles|sans|"
    r"guère|nullement|rien|not|no|never|without|nor|none|neither|nothing|nobody|nowhere|"
    r"cannot)\b|\bn['’](?=\w)|n['’]t\b",
    re.IGNORECASE,
)

_MODALITY = {
    "obligation": r"doit|doivent|devra|devront|dois|devons|devez|devrons|devrez|faut|"
                  r"tenue?s?|obligatoires?|obligée?s?|exigée?s?|shall|must|required|obliged|"
                  r"obligated|obligatory|mandatory|has to|have to",
    "permission": r"peut|peuvent|pourra|pourront|puis|pouvons|pouvez|pourrons|pourrez|"
                  r"autorisée?s?|permise?s?|facultati(?:f|ve)s?|libres? de|may|can|"
                  r"permitted|allowed|authori[sz]ed|entitled|optional",
    "prohibition": r"interdite?s?|prohibée?s?|défendue?s?|prohibited|forbidden|banned",
    "advice": r"devrait|devraient|recommandée?s?|conseillée?s?|déconseillée?s?|souhaitable|"
              r"should|ought|recommended|advised|advisable|encouraged|discouraged",
    "possibility": r"pourrait|pourraient|could|might",
}
_MODAL = {name: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for name, words in _MODALITY.items()}


def negations(text: str) -> int:
    """How many negation cues ``text`` has ("ne … pas" counts two, as written)."""
    return len(_NEGATION.findall(text))


def modalities(text: str) -> Counter:
    """The modal cues of ``text`` by class (obligation, permission, prohibition, advice,
    possibility)."""
    return Counter({name: len(p.findall(text)) for name, p in _MODAL.items() if p.search(text)})


# --- names ----------------------------------------------------------------------------------

_CAPITALISED = re.compile(r"\b[^\W\d_][\w’'-]*")
_SENTENCE_END = set(".!?:;«»\"“”(\n")


def _initial(text: str, start: int) -> bool:
    """True when ``start`` begins a sentence (nothing but spaces since its end)."""
    before = text[max(0, start - 4 * NEAR):start].rstrip()
    if not before and start > 4 * NEAR:
        return False
    while (shorter := _LABEL_END.sub("", before).rstrip()) != before:  # "12.1 (3) a)"
        before = shorter
    return not before or before[-1] in _SENTENCE_END


_LABEL_END = re.compile(r"(?:\(\w{1,4}\)|\b\w{1,4}\)|\d+(?:\.\d+)*\.?|—|-)$")
_ROMAN = re.compile(r"[IVXLCDM]+")


def _names_in(text: str, names: Container[str], initial: bool) -> list[str]:
    found = []
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if _is_cue(word):
            continue
        at_start = initial and match.start() == 0
        if (word[0].isupper() and not at_start and not _initial(text, match.start())) or (
                fold(word) in names):
            found.append(fold(word))
    return sorted(found)


def _is_cue(word: str) -> bool:
    """A word that is no name though capitalised: a cue word or a roman numeral."""
    return bool(_ROMAN.fullmatch(word) or _NEGATION.fullmatch(word)
                or any(p.fullmatch(word) for p in _MODAL.values()))


# --- two languages ----------------------------------------------------------------------------

def discrepancies(a: str, b: str, a_language: str | None, b_language: str | None
                  ) -> list[Variant]:
    """Figures and dates of ``a`` with no equal value in ``b``, and the reverse.

    A value of ``a`` left over is paired with one of the same kind left over in ``b``
    when there is one (one variant: "20" → "25"); otherwise the other side is ``None``,
    and the value is reported only when written in digits (a number word alone, as in
    "les deux langues" for "both languages", is too often a paraphrase).
    """
    a_found, b_found = mentions(a, a_language), mentions(b, b_language)
    a_soft, b_soft = _soft_numbers(a), _soft_numbers(b)
    variants = []
    for kind in (NUMBER, DATE):
        a_left = _unmatched([m for m in a_found if m.kind == kind],
                            [m for m in b_found + b_soft if m.kind == kind])
        b_left = _unmatched([m for m in b_found if m.kind == kind],
                            [m for m in a_found + a_soft if m.kind == kind])
        for k in range(max(len(a_left), len(b_left))):
            left = a_left[k] if k < len(a_left) else None
            right = b_left[k] if k < len(b_left) else None
            if left is None or right is None:  # one side only: a figure in words ("les deux
                alone = left or right  # langues") is too often a paraphrase to report
                if not any(c.isdigit() for c in (a if left else b)[alone.start:alone.end]):
                    continue
            variants.append(Variant(
                kind,
                Span(left.start, left.end) if left else None,
                Span(right.start, right.end) if right else None,
                a[left.start:left.end] if left else "",
                b[right.start:right.end] if right else "",
            ))
    return sorted(variants, key=lambda v: (v.a.start if v.a else v.b.start))


_SOFT = {"both": 2, "twice": 2, "double": 2, "half": Decimal("0.5"), "moitié": Decimal("0.5")}
_SOFT_WORDS = re.compile(rf"\b(?:{'|'.join(_SOFT)})\b", re.IGNORECASE)


def _soft_numbers(text: str) -> list[Mention]:
    """Words that can stand for a figure in a translation ("les deux" is "both"): they
    answer a figure of the other side but are never reported alone."""
    return [Mention(NUMBER, m.start(), m.end(), Decimal(_SOFT[m.group().lower()]))
            for m in _SOFT_WORDS.finditer(text)]


def _unmatched(mine: list[Mention], theirs: list[Mention]) -> list[Mention]:
    """The mentions of ``mine`` whose value ``theirs`` lacks (counting repeats)."""
    available = Counter(_key(m) for m in theirs)
    left = []
    for mention in mine:
        if available[_key(mention)] > 0:
            available[_key(mention)] -= 1
        elif mention.kind == DATE and _partial_match(mention, theirs):
            continue
        else:
            left.append(mention)
    return left


def _key(mention: Mention):
    return (mention.kind, mention.value)


def _partial_match(mention: Mention, theirs: list[Mention]) -> bool:
    """A date that says less agrees with one that says more: "1989" with "1 July 1989"."""
    year, month, day = mention.value
    for other in theirs:
        y, m, d = other.value
        if all(x is None or z is None or x == z for x, z in ((year, y), (month, m), (day, d))):
            return True
    return False
