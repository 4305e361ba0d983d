"""Figures and dates in running text read as values: "8 000", "8,000", "trente", "1er juillet".

A historian compares what two versions *say*, so "8 000 $" and "$8,000" must be
the same figure and "1er juillet 1989" the same day as "July 1, 1989", while
"8 000" against "80 000" is a changed figure. :func:`mentions` finds each figure
and date in a text with its span (code-point offsets into that text) and a
value that compares equal exactly when the quantities or days are equal:

* a **number** is written in digits with the language's separators (French
  ``8 000,5``, English ``8,000.5``; a separator that could be either is read as
  the text's language reads it), or in words read by ``text2num`` ("trente et
  un", "twenty-five"), optionally followed by a multiplier ("3 millions",
  "2.5 billion"); its value is a :class:`~decimal.Decimal`;
* a **date** is a day, a month and a year in French or English order ("1er
  janvier 1987", "12 March 1986", "July 1, 1989", "01/07/1989", "1989-07-01"), a
  month with or without its year, or a year alone (four digits from 1000 to
  2199, written without separators); its value is ``(year, month, day)`` with
  ``None`` for what the text does not say. Month names come from the CLDR data
  shipped with ``babel``.

The words "un", "une", "one", "premier" and "first" alone are not figures: they are
articles, pronouns and ranks far more often than counts ("un délai", "le premier
ministre"). Ordinals are read as their number ("trente et unième" is 31, as "31st").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMBER = "number"
DATE = "date"

YEAR_MIN, YEAR_MAX = 1000, 2199
"""Four digits in this range, written without separators, are read as a year."""

_MULTIPLIERS = {
    "mille": 10**3, "thousand": 10**3, "thousands": 10**3,
    "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9,
    "billion": 10**9, "billions": 10**9,
}
_ARTICLES = frozenset({"un", "une", "one", "premier", "première", "first"})


@dataclass(frozen=True)
class Mention:
    """A figure or a date found in a text: ``text[start:end]`` and its value."""

    kind: str
    start: int
    end: int
    value: object

    def describe(self) -> str:
        """The value as a scholar reads it: "8000", "1989-07-01", "July 1989", "1987"."""
        if self.kind == NUMBER:
            return _plain(self.value)
        year, month, day = self.value
        if month is None:
            return str(year)
        if day is None:
            return f"{year or '?'}-{month:02d}"
        return f"{year or '?'}-{month:02d}-{day:02d}"


def primary_language(language: str | None) -> str | None:
    """``"fr"`` for ``"fr-CA"`` or ``"FR_ca"``, ``None`` for an unknown language."""
    return language.replace("_", "-").split("-")[0].strip().casefold() if language else None


def same_language(a: str | None, b: str | None) -> bool:
    """True unless both languages are known and differ (``"en-GB"`` is ``"en"``): the one
    rule for "same language" (the aligner's choice of witnesses, a link made by hand).

    >>> same_language("en-GB", "EN"), same_language("fr", None), same_language("fr", "en")
    (True, True, False)
    """
    if not a or not b:
        return True
    return primary_language(a) == primary_language(b)


def mentions(text: str, language: str | None) -> list[Mention]:
    """Every date and figure of ``text`` in order; dates first claim their digits.

    Numbers that only point somewhere are not figures: enumerators ("(1)", "3)")
    and the numbers of articles, paragraphs, parts and the like ("article 12",
    "paragraphe 41(5)", "Part IV").
    """
    lang = primary_language(language)
    digits = _ANY_DIGIT.search(text) is not None
    found = _dates(text, lang, digits=digits)
    if digits:
        taken = [(m.start, m.end) for m in found] + _references(text)
        found += [m for m in _digit_numbers(text, lang) if not _overlaps(m, taken)]
    if _has_number_words(text, lang):
        taken = [(m.start, m.end) for m in found]
        found += [m for m in _word_numbers(text, lang) if not _overlaps(m, taken)]
    return sorted(found, key=lambda m: m.start)


_ANY_DIGIT = re.compile(r"\d")


def _has_number_words(text: str, lang: str | None) -> bool:
    """A quick test (text2num's own scan, in Rust) before the word-by-word reading."""
    from text_to_num import alpha2digit

    for language in ((lang,) if lang in ("fr", "en") else ("fr", "en")):
        try:
            if alpha2digit(text, language, threshold=0) != text:
                return True
        except (ValueError, KeyError):
            continue
    return False


_REF_NUMBER = r"\d+(?:[.\-]\d+)*(?:\s*\(\w+\))*"
_REFERENCE = re.compile(
    r"\(\s*\d{1,3}(?:\.\d+)*\s*\)|(?<![\w.,])\d+(?:\.\d+)*\)|"
    r"(?i:\b(?:articles?|arts?\.|paragraphes?|paragraphs?|paras?\.|alinéas?|al\.|"
    r"sous-alinéas?|subsections?|sections?|ss?\.|parties|partie|parts?|chapitres?|ch\.|"
    r"chapters?|c\.|annexes?|schedules?|titres?|titles?|règles?|rules?|§)\s*"
    rf"{_REF_NUMBER}(?:\s*(?:,|or|and|to|à|et|ou|-|–)\s*{_REF_NUMBER})*)|"
    r"^\d+(?:\.\d+)*(?=\s+(?:\(|[A-ZÀ-ÖØ-Þ]))",
    re.MULTILINE,
)


def _references(text: str) -> list[tuple[int, int]]:
    """Spans of enumerators and cross-references, whose digits are no figures."""
    return [(m.start(), m.end()) for m in _REFERENCE.finditer(text)]


def _overlaps(mention: Mention, taken: list[tuple[int, int]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in taken)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- dates ---------------------------------------------------------------------------------

@functools.cache
def _month_numbers() -> dict[str, int]:
    """Month names of French and English (wide, and English abbreviations), accents optional."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for locale in ("fr", "en"):
        for number, name in get_month_names("wide", locale=locale).items():
            names[name.lower()] = number
            names[fold(name)] = number
    for number, name in get_month_names("abbreviated", locale="en").items():
        names.setdefault(name.lower().rstrip("."), number)
    return names


@functools.cache
def _english_months() -> frozenset[str]:
    from babel.dates import get_month_names

    wide = get_month_names("wide", locale="en").values()
    short = get_month_names("abbreviated", locale="en").values()
    return frozenset(name.lower().rstrip(".") for name in (*wide, *short))


@functools.cache
def _month_alternatives() -> str:
    """Every month name, longest first, as a regular expression alternation."""
    return "|".join(sorted(map(re.escape, _month_numbers()), key=len, reverse=True))


@functools.cache
def _date_patterns() -> tuple[re.Pattern, ...]:
    months = _month_alternatives()
    day = r"(?P<day>[0-3]?\d)(?:er|re|st|nd|rd|th|e)?"
    year = r"(?P<year>[12]\d{3})"
    month = rf"(?P<month>{months})\.?"
    return (
        re.compile(rf"\b(?P<iso>{year}-(?P<mm>[01]\d)-(?P<dd>[0-3]\d))\b"),
        re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>[12]\d{3})\b"),
        re.compile(rf"\b{month}\s+{day},?\s+{year}\b", re.IGNORECASE),
        re.compile(rf"\b(?:{day}\s+)?{month}(?:,?\s+{year})?\b", re.IGNORECASE),
        re.compile(rf"\b{month}\s+{day}\b(?!\s*\d)", re.IGNORECASE),
    )


@functools.cache
def _any_month() -> re.Pattern:
    return re.compile(rf"\b(?:{_month_alternatives()})\b")


def _dates(text: str, lang: str | None, *, digits: bool = True) -> list[Mention]:
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    patterns = _date_patterns()
    if not _any_month().search(text.lower()):
        patterns = patterns[:2] if digits else ()  # only the numeric forms can be there
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _date_value(match, lang)
            mention = Mention(DATE, match.start(), match.end(), value) if value else None
            if mention and not _overlaps(mention, taken):
                found.append(mention)
                taken.append((mention.start, mention.end))
    return found


def _date_value(match: re.Match, lang: str | None) -> tuple | None:
    groups = match.groupdict()
    if groups.get("iso"):
        return _valid(int(groups["year"]), int(groups["mm"]), int(groups["dd"]))
    if groups.get("d"):  # day first, as French and British English write it
        return _valid(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    name = groups["month"]
    if name.lower().rstrip(".") in _english_months() and fold(name) not in _french_only():
        if not name[0].isupper():  # "may", "march", "august" are words before they are months
            return None
    month = _month_numbers().get(name.lower().rstrip(".")) or _month_numbers().get(fold(name))
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    if day is None and year is None and len(name) < 4:
        return None  # "Jan" or "Mar" alone is too often something else
    return _valid(year, month, day)


@functools.cache
def _french_only() -> frozenset[str]:
    from babel.dates import get_month_names

    french = {fold(n) for n in get_month_names("wide", locale="fr").values()}
    english = {fold(n) for n in get_month_names("wide", locale="en").values()}
    return frozenset(french - english)


def _valid(year: int | None, month: int | None, day: int | None) -> tuple | None:
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return (year, month, day)


# --- numbers -------------------------------------------------------------------------------

_DIGITS = re.compile(r"(?<![\w.,])\d+(?:[ \u00a0\u202f.,']\d+)*(?:er|re|e|st|nd|rd|th)?(?!\w)")
_ORDINAL = re.compile(r"(?:er|re|e|st|nd|rd|th)$")
_AFTER = re.compile(r"[ \u00a0\u202f]+([^\W\d_]+)")


def _digit_numbers(text: str, lang: str | None) -> list[Mention]:
    found = []
    for match in _DIGITS.finditer(text):
        raw = _ORDINAL.sub("", match.group())
        for offset, piece, value in _read_digits(raw, lang):
            start = match.start() + offset
            end = start + len(piece)
            if piece == raw and end < match.end():
                end = match.end()  # the ordinal suffix belongs to the figure
            found.append(_with_multiplier(text, start, end, value, piece))
    return found


def _with_multiplier(text: str, start: int, end: int, value: Decimal, piece: str) -> Mention:
    after = _AFTER.match(text, end)
    if after and after.group(1).lower() in _MULTIPLIERS:
        return Mention(NUMBER, start, after.end(), value * _MULTIPLIERS[after.group(1).lower()])
    if piece.isdigit() and len(piece) == 4 and YEAR_MIN <= int(piece) <= YEAR_MAX:
        return Mention(DATE, start, end, (int(piece), None, None))
    return Mention(NUMBER, start, end, value)


def _read_digits(raw: str, lang: str | None) -> list[tuple[int, str, Decimal]]:
    """``raw`` (digits and separators) as one figure, or as several when spaces cannot group it."""
    groups = re.split(r"[ \u00a0\u202f]", raw)
    if len(groups) > 1 and not _spaces_group(groups):
        pieces, offset = [], 0
        for group in groups:
            pieces += [(offset + o, p, v) for o, p, v in _read_digits(group, lang)]
            offset += len(group) + 1
        return pieces
    value = _digits_value("".join(groups), lang)
    return [(0, raw, value)] if value is not None else []


def _spaces_group(groups: list[str]) -> bool:
    """True when spaces are thousands separators: "8 000", "1 234 567,5"."""
    head, *rest = groups
    if not head.isdigit() or len(head) > 3:
        return False
    return all(len(g.split(",")[0].split(".")[0]) == 3 and g[:3].isdigit() for g in rest)


def _digits_value(raw: str, lang: str | None) -> Decimal | None:
    raw = raw.replace("'", "")
    separators = [c for c in raw if c in ".,"]
    if not separators:
        return Decimal(raw)
    last = separators[-1]
    tail = raw.rsplit(last, 1)[1]
    if len(set(separators)) == 2:
        decimal = last
    elif len(separators) > 1:
        decimal = None  # "1,000,000", "1.000.000"
    elif len(tail) != 3:
        decimal = last
    else:  # "1,500" or "1.500": as the language writes
        decimal = "," if lang == "fr" else "."
        decimal = last if last == decimal else None
    whole = raw.replace(last, "\0") if decimal else raw
    cleaned = re.sub(r"[.,]", "", whole).replace("\0", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


_WORD = re.compile(r"[^\W\d_]+")
_PER_CENT = re.compile(r"\b(?:pour|per)\s+$", re.IGNORECASE)
_GAP = "[ \u00a0\u202f]"
_JOINER = re.compile(rf"(?:{_GAP}*-{_GAP}*|{_GAP}+(?:et|and)?{_GAP}*)")


def _word_numbers(text: str, lang: str | None) -> list[Mention]:
    languages = (lang,) if lang in ("fr", "en") else ("fr", "en")
    found: list[Mention] = []
    words = [m for m in _WORD.finditer(text) if m.group().lower() not in ("et", "and")]
    k = 0
    while k < len(words):
        if not _number_word(words[k].group().lower(), languages):
            k += 1
            continue
        run = [words[k]]
        while k + len(run) < len(words):
            nxt = words[k + len(run)]
            between = text[run[-1].end():nxt.start()]
            if not _JOINER.fullmatch(between) or not _number_word(nxt.group().lower(), languages):
                break
            run.append(nxt)
        mention = _best_run(text, run, languages)
        if mention and _PER_CENT.search(text, 0, mention.start) and text[
                mention.start:mention.end].lower() == "cent":
            mention = None  # "pour cent", "per cent": the sign, not a hundred
        if mention:
            found.append(mention)
            k += len([w for w in run if w.start() < mention.end])
        else:
            k += 1
    return found


def _best_run(text: str, run: list[re.Match], languages) -> Mention | None:
    """The longest prefix of ``run`` that ``text2num`` reads as one number."""
    for size in range(len(run), 0, -1):
        start, end = run[0].start(), run[size - 1].end()
        value = _words_value(text[start:end], languages)
        if value is None:
            continue
        if size == 1 and run[0].group().lower() in _ARTICLES:
            return None
        return Mention(NUMBER, start, end, value)
    return None


@functools.cache
def _number_word(word: str, languages: tuple[str, ...]) -> bool:
    return _words_value(word, languages) is not None or word in _MULTIPLIERS


_SPELLED = re.compile(r"(\d+)(?:ème|eme|e|er|re|nd|st|rd|th)?")


@functools.cache
def _words_value(words: str, languages: tuple[str, ...]) -> Decimal | None:
    """The value of spelled-out ``words`` ("trente et un", "dixième", "thirty-first")."""
    from text_to_num import alpha2digit

    phrase = " ".join(words.lower().split())
    for language in languages:
        try:
            digits = alpha2digit(phrase, language, threshold=0)
        except (ValueError, KeyError):
            continue
        match = _SPELLED.fullmatch(digits)
        if match:
            return Decimal(match.group(1))
    return None


def fold(text: str) -> str:
    """Lower case without accents: "Février" -> "fevrier"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
