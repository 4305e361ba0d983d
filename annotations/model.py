"""Plain data for the scholar's annotations, and the checks every annotation passes.

An annotation marks a half-open span ``[start, end)`` of code points in a stored
document text (NFC, ``\\n`` newlines; see :mod:`sources.model`). Besides the
offsets it keeps a :class:`TextQuoteSelector` (the quoted text and ~32 characters
either side) so that it can be found again in a later version of the document.

Source assessment uses the Admiralty (NATO) grading: the *reliability* of the
source (A-F) and the *credibility* of the information (1-6), graded separately.

>>> clean_tags([" treaty ", "Soviet", "treaty", "a; b", ""])
('treaty', 'Soviet', 'a', 'b')
>>> check_reliability("b"), check_credibility("2")
('B', 2)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from sources.errors import InvalidInput

RELIABILITY = ("A", "B", "C", "D", "E", "F")
RELIABILITY_MEANINGS = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY = (1, 2, 3, 4, 5, 6)
CREDIBILITY_MEANINGS = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
LINK_TYPES = ("translation-of", "moved-to", "removed-from", "corroborates", "contradicts", "quotes")
ANCHOR_STATUSES = ("anchored", "review", "orphaned")
CONTEXT_CHARS = 32  # prefix/suffix length, as in the Hypothesis client
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class TextQuoteSelector:
    """The quoted text with the characters just before (``prefix``) and after (``suffix``) it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class AnnotationLink:
    """A typed pointer from an annotation to a span of a document and/or another annotation.

    ``link_type`` is one of :data:`LINK_TYPES`; the target span is half-open and
    may be absent when the link points at a whole document or at an annotation.
    """

    link_type: str
    target_document_id: int | None = None
    target_start: int | None = None
    target_end: int | None = None
    target_annotation_id: str | None = None


@dataclass(frozen=True)
class Annotation:
    """One annotation on ``document_id[start:end]`` (never empty when created).

    ``exact``/``prefix``/``suffix`` are the quote as it was when the annotation
    was last anchored. When ``anchor_status`` is ``"review"`` the offsets are only
    a best guess (or ``0, 0``) and ``exact`` is the quote as it was in the older
    version: a scholar must place it (:func:`annotations.notes.place_annotation`).
    ``target_*`` is an optional second span (an annotation on a pair of aligned
    passages). ``note`` is Markdown as typed; render it with
    :func:`render_note_markdown`, never as raw HTML. Times are UTC ISO 8601.
    """

    id: str
    document_id: int
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    reliability: str | None = None
    credibility: int | None = None
    rationale: str = ""
    author: str = ""
    created_at: str = ""
    modified_at: str = ""
    deleted_at: str | None = None
    anchor_status: str = "anchored"
    anchor_confidence: float = 1.0
    links: tuple[AnnotationLink, ...] = field(default=())
    target_document_id: int | None = None
    target_start: int | None = None
    target_end: int | None = None

    @property
    def selector(self) -> TextQuoteSelector:
        return TextQuoteSelector(self.exact, self.prefix, self.suffix)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def quote_selector(text: str, start: int, end: int) -> TextQuoteSelector:
    """The selector for ``text[start:end]`` with :data:`CONTEXT_CHARS` of context each side."""
    return TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def snapshot(annotation: Annotation) -> dict:
    """A JSON-ready dict of every field (what the history keeps as ``before``/``after``)."""
    data = dict(vars(annotation))  # shallow: every field is immutable
    data["tags"] = list(annotation.tags)
    data["links"] = [dict(vars(link)) for link in annotation.links]
    return data


def from_snapshot(data: dict) -> Annotation:
    """The inverse of :func:`snapshot`."""
    fields = dict(data)
    fields["tags"] = tuple(fields.get("tags") or ())
    fields["links"] = tuple(AnnotationLink(**link) for link in fields.get("links") or ())
    return Annotation(**fields)


def clean_text(value: str | None) -> str:
    """NFC, with ``\\r\\n``/``\\r`` turned into ``\\n``; ``None`` becomes ``""``.

    A lone UTF-16 surrogate (a JSON ``\\ud800`` escape, half of an emoji cut in
    two) cannot be stored as UTF-8; it becomes U+FFFD, one for one.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"Expected text, got {value!r}.")
    value = _LONE_SURROGATE.sub("\ufffd", value)
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_author(author: str | None) -> str:
    """Author names are stripped and NFC-normalised."""
    return clean_text(author).strip()


def clean_tags(tags: Iterable[str] | str | None) -> tuple[str, ...]:
    """Tags stripped, split on ``;`` (the CSV separator), empty ones dropped, duplicates removed.

    Order is kept; a tag that differs from an earlier one only by case is a duplicate.
    """
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = [tags]
    seen: set[str] = set()
    cleaned: list[str] = []
    for raw in tags:
        for part in clean_text(raw).split(";"):
            tag = " ".join(part.split())
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                cleaned.append(tag)
    return tuple(cleaned)


def check_reliability(value: str | None) -> str | None:
    """``"A"``-``"F"`` (any case) or ``None``/``""`` for "not graded"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    grade = str(value).strip().upper()
    if grade not in RELIABILITY:
        raise InvalidInput(
            f"Source reliability must be a letter from A to F (Admiralty scale), not {value!r}."
        )
    return grade


def check_credibility(value: int | str | None) -> int | None:
    """``1``-``6`` (also as text) or ``None``/``""`` for "not graded"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        grade = int(str(value).strip())
    except ValueError:
        grade = None
    if grade not in CREDIBILITY or isinstance(value, bool | float):
        raise InvalidInput(
            "Information credibility must be a number from 1 to 6 (Admiralty scale), "
            f"not {value!r}."
        )
    return grade


def check_link(link: AnnotationLink | dict) -> AnnotationLink:
    """Accept a link as an :class:`AnnotationLink` or a dict with the same keys."""
    if isinstance(link, dict):
        unknown = set(link) - set(AnnotationLink.__dataclass_fields__)
        if unknown or "link_type" not in link:
            raise InvalidInput(f"A link needs a link_type and nothing else than targets: {link!r}.")
        link = AnnotationLink(**link)
    if not isinstance(link, AnnotationLink):
        raise InvalidInput("Each link must be an object with a link_type and a target.")
    if link.link_type not in LINK_TYPES:
        raise InvalidInput(
            f"Unknown link type {link.link_type!r}; use one of: {', '.join(LINK_TYPES)}."
        )
    if link.target_document_id is None and link.target_annotation_id is None:
        raise InvalidInput("A link must point to a document or to another annotation.")
    if (link.target_start is None) != (link.target_end is None):
        raise InvalidInput("A link to a passage needs both its start and its end.")
    return link


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_note_markdown(note: str) -> str:
    """Safe HTML for a Markdown note: raw HTML is shown as text, unsafe links are not made.

    >>> render_note_markdown("<script>x</script> *sic*")
    '<p>&lt;script&gt;x&lt;/script&gt; <em>sic</em></p>\\n'
    """
    return _MARKDOWN.render(note or "")
