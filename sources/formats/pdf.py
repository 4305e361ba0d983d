"""PDF: the text layer page by page (pypdfium2), reflowed into paragraphs.

Steps: read each page's lines with their position (a word pdfium joins over a
line end, "pre-" + "vious", is two lines again); take running headers and
footers (a line near the top or bottom that recurs, digits aside, on at least
40 % of the pages, whatever its length) and bare page numbers out of the text
and keep them as the document's furniture; then join lines into paragraphs. A
new paragraph starts after a clearly larger vertical gap than the page's usual
line spacing, or after a line that ends a sentence and is short or is followed
by an indented line. A paragraph running over a page break stays one passage,
and a word hyphenated at a line end is joined ("pre-" + "vious" -> "previous"),
at a page break too. Pages carry the PDF's own page labels ("iv", "12") when it
defines them.

Right-to-left text (Hebrew, Arabic) comes back from pdfium in reading order, the
line reordered by the Unicode bidi algorithm; but its placing of punctuation and
numbers at the ends of a line can differ from the printed page ("משנת .1986"),
and a PDF made without right-to-left support prints the letters reversed, which
no reader can tell from the text alone. The import says which scripts it met
and asks for a check against the page.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sources import limits, ocr
from sources.errors import ImportRefused
from sources.formats.reading import ReadingText
from sources.model import ParsedDocument

MEDIA_TYPE = "application/pdf"
EDGE_LINES = 2  # lines at each end of a page that may be running heads or footers
EDGE_BAND = 0.15  # ... when they lie in the top or bottom 15 % of the page
RUNNING_SHARE = 0.4  # a running line recurs on at least this share of the pages
GAP_FACTOR = 1.4  # a paragraph gap is this many times the usual line spacing
APART_FACTOR = 1.2  # a long running line is further than this from the body
INDENT_POINTS = 6.0
LAYOUT_LINES = 5  # a page with fewer lines is judged by the document's usual layout

ENCRYPTED = (
    "This PDF is password-protected; open it with its password, save an unprotected copy "
    "and import that."
)
SCANNED = (
    "This PDF has no text layer; it looks like a scan. Import it with OCR: choose "
    "“Read scanned pages (OCR)” on the Sources page, or palimpsest import --ocr auto."
)
NOTHING_READ = (
    "OCR found no text on the pages of this file; if it is a scan of a text, scan it again "
    "at 300 dpi or more and import the new file."
)
SCANNED_SHARE = 0.5  # a page whose images cover this share of it and holds little text is a scan
FEW_CHARACTERS = 40
DAMAGED = (
    "This PDF is damaged or incomplete and cannot be read; download it again or re-save it "
    "from a PDF viewer, then import the new copy."
)
INCOMPLETE = (
    "This PDF does not end properly and may be incomplete; check that no pages are missing."
)

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—]*(?:(?:page|p\.|pg\.|pag\.|seite|s\.)\s*)?(?:\d{1,4}|[ivxlcdm]{1,8})"
    r"(?:\s*(?:/|of|sur|de|von)\s*\d{1,4})?[\s\-–—]*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;…][\"'’”»)\]]*$")
_HYPHENATED = re.compile(r"\w[-\u00ad\u2010]$")
# pdfium writes a word hyphenated at a line end as "pre\ufffevious" (older builds: "\x02"),
# one line of text though the two halves are printed on two lines: split there too.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|[\ufffe\x02](?:\r\n|\r|\n)?")
_PDFIUM_NOISE = str.maketrans({"\ufffe": "-", "\x02": "-", "\u00ad": None})


@dataclass(frozen=True)
class Line:
    """One printed line; positions in PDF points (y grows upwards), ``None`` if unknown."""

    text: str
    top: float | None = None  # top of the first character
    end_top: float | None = None  # top of the last character
    left: float | None = None
    right: float | None = None
    words: tuple = field(default=(), compare=False)  # sources.ocr.OcrWord, for a line read by OCR


@dataclass(frozen=True)
class PdfPage:
    """One page: its label, height in points, its text lines and, once they are known, the
    running heads, footers and page numbers taken out of them (its furniture)."""

    label: str
    height: float
    lines: tuple[Line, ...]
    furniture: tuple[Line, ...] = ()


def parse(data: bytes, options: ocr.OcrOptions | None = None) -> ParsedDocument:
    """The text of a PDF; pages without a text layer (scans) are read by OCR as ``options``
    say (by default: pages that are mostly an image and hold almost no text)."""
    options = options or ocr.OcrOptions()
    document = _open(data)
    try:
        limits.check_counts(characters=0, passages=0, pages=len(document))
        pages = [read_page(document, index) for index in range(len(document))]
        metadata = _metadata(document)
        scans = _read_scans(document, pages, options)
    finally:
        document.close()
    for index, scan in scans.items():
        pages[index] = scanned_page(scan, pages[index].label)
    if not any(page.lines for page in pages):
        raise ImportRefused(NOTHING_READ if scans else SCANNED)
    return build(pages, scans, metadata=metadata, media_type=MEDIA_TYPE,
                 warnings=_warnings(data, pages), options=options)


def build(pages: list[PdfPage], scans: dict, *, metadata: dict, media_type: str,
          warnings: tuple[str, ...], options: ocr.OcrOptions) -> ParsedDocument:
    """Pages to a document: running lines out, paragraphs joined, OCR'd words placed in the
    text. ``scans`` maps the index of each page read by OCR to its :class:`sources.ocr.OcrPage`."""
    pages = drop_running_lines(pages)
    text, passages, spans = reflow(pages).build()
    furniture = tuple((page.label, line.text) for page in pages for line in page.furniture)
    read = sorted(scans)
    page_spans = {span.seq: span for span in spans}
    words = ocr.place_words(text, [pages[i] for i in read],
                            [(scans[i].width, scans[i].height) for i in read],
                            [page_spans[i + 1] for i in read])
    how = {"engine": f"Tesseract {ocr.version()}", "languages": ocr.languages_for(
        options.language), "pages": [pages[i].label for i in read]} if read else {}
    return ParsedDocument(
        text,
        media_type,
        spans,
        passages,
        metadata=metadata,
        warnings=warnings + _furniture_warning(pages, furniture),
        furniture=furniture,
        words=words,
        ocr=how,
    )


def scanned_page(scan: ocr.OcrPage, label: str) -> PdfPage:
    """A page read by OCR as the reflow reads a PDF page: lines with positions in points,
    ``y`` upwards, on the page turned upright (a page scanned sideways or upside down is
    read by Tesseract all the same, its boxes in the scan's own pixels); each line keeps
    its words with those boxes."""
    points = 72.0 / scan.dpi
    grouped: dict[tuple[int, int, int], list[ocr.OcrWord]] = {}
    for word in scan.words:
        grouped.setdefault(word.line, []).append(word)
    turn = ocr.reading_direction(scan.words)
    height = scan.width if turn in (90, 270) else scan.height

    def line(words: list[ocr.OcrWord]) -> Line:
        first, last = (ocr.upright(w.box, turn, scan.width, scan.height) for w in (words[0],
                                                                                 words[-1]))
        return Line(" ".join(w.text for w in words), top=(height - first[1]) * points,
                    end_top=(height - last[1]) * points, left=first[0] * points,
                    right=last[2] * points, words=tuple(words))

    return PdfPage(label, height * points, tuple(line(words) for words in grouped.values()))


def _read_scans(document: pdfium.PdfDocument, pages: list[PdfPage],
                options: ocr.OcrOptions) -> dict[int, ocr.OcrPage]:
    """OCR the pages that need it (see :func:`needs_ocr`), telling ``options.progress``."""
    chosen = [i for i, page in enumerate(pages) if needs_ocr(document, i, page, options.mode)]
    if not chosen:
        return {}
    ocr.check_pages(len(chosen))
    languages = ocr.languages_for(options.language)
    options.report(0, len(chosen))
    scans = {}
    for done, index in enumerate(chosen, 1):
        image, dpi = render_page(document, index)
        scans[index] = ocr.recognise(image, languages, page=pages[index].label, dpi=dpi)
        options.report(done, len(chosen))
    return scans


def needs_ocr(document: pdfium.PdfDocument, index: int, page: PdfPage, mode: str) -> bool:
    """Whether OCR should read page ``index``: always or never as ``mode`` says; in "auto",
    a page that holds almost no text (under 40 characters) and is mostly covered by images."""
    if mode != "auto":
        return mode == "always"
    if sum(len(line.text) for line in page.lines) >= FEW_CHARACTERS:
        return False
    return image_share(document[index]) >= SCANNED_SHARE


def image_share(page: pdfium.PdfPage, most: int = 200) -> float:
    """The share of the page covered by its largest image (of the first ``most`` objects)."""
    area = max(page.get_width() * page.get_height(), 1.0)
    largest = 0.0
    objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
    for obj in itertools.islice(objects, most):
        left, bottom, right, top = obj.get_bounds()
        largest = max(largest, (right - left) * (top - bottom))
    return min(largest / area, 1.0)


def render_page(document: pdfium.PdfDocument, index: int):
    """Page ``index`` as a grey Pillow image at :data:`sources.ocr.DPI` (less for a page so
    large that it would pass :data:`sources.ocr.MAX_PIXELS`), and the resolution used."""
    page = document[index]
    try:
        scale = ocr.DPI / 72.0
        area = page.get_width() * page.get_height() * scale * scale
        if area > ocr.MAX_PIXELS:
            scale *= math.sqrt(ocr.MAX_PIXELS / area)
        image = page.render(scale=scale, grayscale=True).to_pil()
    except pdfium.PdfiumError as error:
        raise ImportRefused(DAMAGED) from error
    finally:
        page.close()
    return image, round(72 * scale)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        locked = error.err_code == pdfium_c.FPDF_ERR_PASSWORD
        raise ImportRefused(ENCRYPTED if locked else DAMAGED) from error
    if len(document) == 0:
        document.close()
        raise ImportRefused(DAMAGED)
    return document


def read_page(document: pdfium.PdfDocument, index: int) -> PdfPage:
    """The lines of one page, in pdfium's reading order, with positions when they can be had."""
    try:
        page = document[index]
        textpage = page.get_textpage()
    except pdfium.PdfiumError as error:
        raise ImportRefused(DAMAGED) from error
    try:
        raw = textpage.get_text_range()
        units_match = _utf16_length(raw) == textpage.count_chars()
        lines = tuple(_lines(raw, textpage if units_match else None))
        height = page.get_height()
    finally:
        textpage.close()
        page.close()
    return PdfPage(document.get_page_label(index) or str(index + 1), height, lines)


def _lines(raw: str, textpage: pdfium.PdfTextPage | None):
    """Split pdfium's page text at its line breaks; look up the first and last character boxes.

    pdfium's character index counts UTF-16 units, hence the unit arithmetic.
    """
    unit = 0
    for segment in _split_keeping_breaks(raw):
        body = segment.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            first = unit + _utf16_length(body[: len(body) - len(body.lstrip())])
            last = first + _utf16_length(stripped) - 1
            yield _line(stripped, textpage, first, last)
        unit += _utf16_length(segment)


def _split_keeping_breaks(raw: str) -> list[str]:
    pieces, start = [], 0
    for match in _LINE_BREAK.finditer(raw):
        pieces.append(raw[start : match.end()])
        start = match.end()
    return pieces + [raw[start:]]


def _line(text: str, textpage: pdfium.PdfTextPage | None, first: int, last: int) -> Line:
    clean = unicodedata.normalize("NFC", " ".join(text.translate(_PDFIUM_NOISE).split()))
    if textpage is None:
        return Line(clean)
    left, _, _, top = textpage.get_charbox(first, loose=True)
    _, _, right, end_top = textpage.get_charbox(last, loose=True)
    return Line(clean, top, end_top, left, right)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def drop_running_lines(pages: list[PdfPage]) -> list[PdfPage]:
    """Move running headers/footers and bare page numbers from the page's lines to its furniture.

    A running line recurs (digits aside, so "Page 9" and "Page 10" are one line)
    at the same height on at least 40 % of the pages (and on three, or on all
    pages of a shorter document), lies in the top or bottom band of the page,
    does not end a sentence, is not a line of the body elsewhere (it is printed
    away from the edges on fewer pages than that), and is peeled off from the
    edge inwards, at most two per edge. A running line may be as long as a body
    line; then it must stand apart from the body by more than the line spacing,
    as running heads do (pages that open with the same words are not enough).
    """
    running = _running_keys(pages)
    return [_strip_edges(page, running) for page in pages]


def _running_keys(pages: list[PdfPage]) -> set[tuple]:
    with_text = sum(1 for page in pages if page.lines)
    threshold = max(2, min(3, with_text), math.ceil(RUNNING_SHARE * with_text))
    edge = _EdgeTest.of(pages)
    at_edges = Counter(key for page in pages for key in {_key(line) for line in edge.lines(page)})
    inside = Counter(
        words
        for page in pages
        for words in {_words(line) for line in page.lines[EDGE_LINES:-EDGE_LINES]}
    )
    return {
        key for key, count in at_edges.items() if count >= threshold and inside[key[0]] < threshold
    }


@dataclass(frozen=True)
class _EdgeTest:
    """Which lines at the top and bottom of a page could be running heads or footers."""

    long_line: float  # characters: a line this long could be body text
    spacing: float | None  # the document's usual line spacing, in points

    @classmethod
    def of(cls, pages: list[PdfPage]) -> _EdgeTest:
        lengths = [len(line.text) for page in pages for line in page.lines]
        typical = statistics.median(lengths) if lengths else 0
        return cls(0.75 * typical, Layout.of(pages).spacing)

    def lines(self, page: PdfPage) -> list[Line]:
        """Lines at an edge, near it, not ending a sentence; set apart if long."""
        lines = page.lines
        edges = [*range(min(EDGE_LINES, len(lines))), *range(EDGE_LINES, len(lines))[-EDGE_LINES:]]
        return [
            lines[index]
            for index in edges
            if _near_edge(page, lines[index])
            and not _SENTENCE_END.search(lines[index].text)
            and (len(lines[index].text) < self.long_line or self.apart(lines, index))
        ]

    def apart(self, lines: tuple[Line, ...], index: int) -> bool:
        """Is there a larger gap than the line spacing between this edge line and the body
        (a two-line running head has it below its second line)?"""
        if self.spacing is None or not _positioned(*lines):
            return True
        if index < EDGE_LINES:
            pairs = range(index, min(EDGE_LINES, len(lines) - 1))
        else:
            pairs = range(max(len(lines) - EDGE_LINES - 1, 0), index)
        return any(lines[j].end_top - lines[j + 1].top > APART_FACTOR * self.spacing for j in pairs)


def _strip_edges(page: PdfPage, running: set[tuple]) -> PdfPage:
    """Peel running lines and page numbers off the top and the bottom, at most two each."""
    lines = page.lines

    def is_running(line: Line) -> bool:
        if not _near_edge(page, line):
            return False
        if _PAGE_NUMBER.match(line.text):
            return True
        return not _SENTENCE_END.search(line.text) and _key(line) in running

    top = 0
    while top < min(EDGE_LINES, len(lines)) and is_running(lines[top]):
        top += 1
    bottom = len(lines)
    while bottom > top and len(lines) - bottom < EDGE_LINES and is_running(lines[bottom - 1]):
        bottom -= 1
    return replace(page, lines=lines[top:bottom], furniture=lines[:top] + lines[bottom:])


def _near_edge(page: PdfPage, line: Line) -> bool:
    if line.top is None or not page.height:
        return True
    return line.top > page.height * (1 - EDGE_BAND) or line.top < page.height * EDGE_BAND


def _key(line: Line) -> tuple:
    """A line's identity across pages: its words (:func:`_words`) and height in 6 pt steps."""
    return _words(line), round(line.top / 6) if line.top is not None else None


def _words(line: Line) -> str:
    """A line's words with case, spacing and digits ignored ("Page 9" is "page #")."""
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


@dataclass(frozen=True)
class Layout:
    """What is usual on some pages: line spacing, left margin, right edge of full lines."""

    spacing: float | None
    left: float | None
    right: float | None
    typical_length: int

    @classmethod
    def of(cls, pages: Sequence[PdfPage]) -> Layout:
        lines = [line for page in pages for line in page.lines]
        steps = [
            a.end_top - b.top
            for page in pages
            for a, b in itertools.pairwise(page.lines)
            if _positioned(a, b) and a.end_top > b.top
        ]
        lefts = sorted(line.left for line in lines if line.left is not None)
        rights = sorted(line.right for line in lines if line.right is not None)
        return cls(
            statistics.median(steps) if steps else None,
            lefts[len(lefts) // 4] if lefts else None,
            rights[(len(rights) * 9) // 10] if rights else None,
            int(statistics.median(len(line.text) for line in lines)) if lines else 0,
        )

    @classmethod
    def per_page(cls, pages: list[PdfPage]) -> list[Layout]:
        """Each page's own layout; a page of a few lines says too little (two one-line
        paragraphs: is the gap between them the line spacing?), so it gets the document's."""
        document = cls.of(pages)
        return [cls.of([page]) if len(page.lines) >= LAYOUT_LINES else document for page in pages]


def _positioned(*lines: Line) -> bool:
    return all(line.top is not None for line in lines)


def starts_paragraph(
    previous: Line, line: Line, layout: Layout, page_break: PageBreak | None = None
) -> bool:
    """Does ``line`` open a new paragraph after ``previous``?

    On the same page (``page_break`` is None) a clearly larger gap than the usual
    line spacing decides; across a page break, where there is no gap to see, a
    previous page whose text stopped well above where full pages stop does, and
    so does an indented line in a document whose indented lines open paragraphs
    (a definition may end "... (communication)", without a full stop), and a sentence
    ended a line or more above where full pages stop, or followed by a page whose text
    begins a line lower than pages do (a typescript's blank line between paragraphs,
    left at the foot of the page or carried over to the next).
    """
    if page_break is None and layout.spacing and _positioned(previous, line):
        if previous.end_top - line.top > GAP_FACTOR * layout.spacing:
            return True
    if page_break is not None and page_break.ended_early(previous):
        return True
    if page_break is not None and page_break.indent_opens and _indented(line, layout):
        return True
    if not _SENTENCE_END.search(previous.text):
        return False
    if page_break is not None and (page_break.started_late(line)
                                   or page_break.ended_early(previous, lines=0.8)):
        return True
    return _indented(line, layout) or _short(previous, layout)


@dataclass(frozen=True)
class PageBreak:
    """What is usual across the document: where full pages stop, and the line spacing."""

    body_bottom: float | None
    spacing: float | None
    indent_opens: bool = False
    body_top: float | None = None

    @classmethod
    def of(cls, pages: list[PdfPage], layouts: list[Layout]) -> PageBreak:
        lasts = [page.lines[-1] for page in pages if page.lines]
        bottoms = sorted(line.end_top for line in lasts if line.end_top is not None)
        tops = sorted(page.lines[0].top for page in pages
                      if page.lines and page.lines[0].top is not None)
        spacings = [layout.spacing for layout in layouts if layout.spacing]
        return cls(
            bottoms[len(bottoms) // 4] if bottoms else None,  # lower quartile: a full page
            statistics.median(spacings) if spacings else None,
            _indent_opens(pages, layouts),
            tops[len(tops) * 3 // 4] if tops else None,  # upper quartile: where pages begin
        )

    def started_late(self, first_line: Line) -> bool:
        """A page whose text begins a blank line or more below where pages begin."""
        if None in (self.body_top, self.spacing, first_line.top):
            return False
        return self.body_top - first_line.top > 0.8 * self.spacing

    def ended_early(self, last_line: Line, lines: float = 2.0) -> bool:
        """A page whose text stops more than ``lines`` line spacings above where full pages
        stop."""
        if None in (self.body_bottom, self.spacing, last_line.end_top):
            return False
        return last_line.end_top - self.body_bottom > lines * self.spacing


def _indent_opens(pages: list[PdfPage], layouts: list[Layout]) -> bool:
    """Is indentation a first-line indent here (not a hanging one)? Judged on the same page,
    where gaps and full stops tell: at least four in five indented lines open a paragraph."""
    opens = [
        starts_paragraph(previous, line, layout)
        for page, layout in zip(pages, layouts, strict=True)
        for previous, line in itertools.pairwise(page.lines)
        if _indented(line, layout)
    ]
    return len(opens) >= 3 and sum(opens) >= 0.8 * len(opens)


def _indented(line: Line, layout: Layout) -> bool:
    if line.left is None or layout.left is None:
        return False
    return line.left > layout.left + INDENT_POINTS


def _short(line: Line, layout: Layout) -> bool:
    """A line that stops well before the right margin (the last line of a paragraph)."""
    if line.right is not None and layout.right is not None and layout.left is not None:
        return line.right < layout.right - 0.15 * (layout.right - layout.left)
    return len(line.text) < 0.8 * layout.typical_length


class _Paragraph:
    """Lines being joined into one paragraph, with the page breaks that fall inside it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.marks: list[tuple[int, str]] = []
        self.waiting: list[str] = []

    def page_break(self, label: str) -> None:
        self.waiting.append(label)

    def append(self, text: str) -> None:
        if self.parts and _HYPHENATED.search(self.parts[-1]) and text[:1].islower():
            self.parts[-1] = self.parts[-1][:-1]
            self.size -= 1
        elif self.parts:
            self.parts.append(" ")
            self.size += 1
        self.marks.extend((self.size, label) for label in self.waiting)
        self.waiting = []
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> tuple[str, str, tuple[tuple[int, str], ...]]:
        marks = tuple(self.marks) + tuple((self.size, label) for label in self.waiting)
        text = "".join(self.parts)
        self.__init__()
        return text, "paragraph", marks


def reflow(pages: list[PdfPage]) -> ReadingText:
    """Join the lines of all pages into paragraphs, keeping where each page begins."""
    reading, paragraph = ReadingText(), _Paragraph()
    layouts = Layout.per_page(pages)
    page_break = PageBreak.of(pages, layouts)
    previous, previous_layout = None, None
    for page, layout in zip(pages, layouts, strict=True):
        paragraph.page_break(page.label)
        for number, line in enumerate(page.lines):
            context = (layout, None) if number else (previous_layout, page_break)
            if previous and starts_paragraph(previous, line, *context):
                reading.add(*paragraph.take())
            paragraph.append(line.text)
            previous = line
        previous_layout = layout if page.lines else previous_layout
    reading.add(*paragraph.take())
    return reading


def describe_furniture(furniture: Sequence[tuple[str, str]]) -> str | None:
    """One sentence telling the scholar which running lines and page numbers left the text.

    ``furniture`` is :attr:`ParsedDocument.furniture`, ``(page label, line)`` pairs.

    >>> describe_furniture([("1", "Draft — restricted"), ("1", "Page 1"),
    ...                     ("2", "Draft — restricted"), ("2", "Page 2")])
    'Removed the running line “Draft — restricted” and page numbers (“Page 1”) from 2 pages.'
    """
    if not furniture:
        return None
    numbers = [text for _, text in furniture if _PAGE_NUMBER.match(text)]
    running = {}
    for _, text in furniture:
        if not _PAGE_NUMBER.match(text):
            running.setdefault(re.sub(r"\d+", "#", text.lower()), text)
    quoted = [f"“{_shortened(text)}”" for text in running.values()]
    parts = []
    if quoted:
        lines = "line" if len(quoted) == 1 else "lines"
        parts.append(f"the running {lines} {_and(quoted)}")
    if numbers:
        parts.append(f"page numbers (“{numbers[0]}”)")
    count = len({label for label, _ in furniture})
    return f"Removed {_and(parts)} from {count} page{'s' if count > 1 else ''}."


def _furniture_warning(pages: list[PdfPage], furniture: tuple) -> tuple[str, ...]:
    """:func:`describe_furniture` when a line as long as body text was taken out (the scholar
    may want to check it); short running heads and page numbers go without saying."""
    lengths = [len(line.text) for page in pages for line in page.lines]
    long_line = 0.75 * statistics.median(lengths) if lengths else 0
    if any(len(line.text) >= long_line for page in pages for line in page.furniture):
        return (describe_furniture(furniture),)
    return ()


def _shortened(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _warnings(data: bytes, pages: list[PdfPage]) -> tuple[str, ...]:
    warnings = []
    empty = [page.label for page in pages if not page.lines]
    if empty:
        warnings.append(
            f"{len(empty)} of {len(pages)} pages have no text layer (blank, or scanned without "
            f"OCR): {', '.join(empty[:20])}{' ...' if len(empty) > 20 else ''}."
        )
    if b"%%EOF" not in data[-2048:]:
        warnings.append(INCOMPLETE)
    right_to_left = right_to_left_scripts(line.text for page in pages for line in page.lines)
    if right_to_left:
        scripts, count = right_to_left
        lines = "1 line is" if count == 1 else f"{count} lines are"
        kind = "a right-to-left script" if len(scripts) == 1 else "right-to-left scripts"
        warnings.append(
            f"{lines} written in {_and(scripts)}, {kind}: PDF text in such scripts can come out "
            "with its punctuation and numbers misplaced, or reversed when the PDF was made "
            "without right-to-left support; check it against the PDF."
        )
    return tuple(warnings)


def right_to_left_scripts(lines) -> tuple[list[str], int] | None:
    """The right-to-left scripts met in ``lines`` and how many lines hold them; None if none.

    >>> right_to_left_scripts(["The envoy said", "שלום", "مرحبا بالعالم", "1986"])
    (['Arabic', 'Hebrew'], 2)
    """
    scripts, count = set(), 0
    for line in lines:
        found = {_script(char) for char in line if unicodedata.bidirectional(char) in ("R", "AL")}
        scripts |= found
        count += bool(found)
    return (sorted(scripts), count) if count else None


def _script(char: str) -> str:
    return unicodedata.name(char, "unnamed right-to-left").split()[0].title()


def _metadata(document: pdfium.PdfDocument) -> dict:
    info = document.get_metadata_dict(skip_empty=True)
    created = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", info.get("CreationDate", ""))
    found = {
        "title": info.get("Title"),
        "author": info.get("Author"),
        "created": "-".join(part for part in created.groups() if part) if created else None,
    }
    return {key: value.strip() for key, value in found.items() if value and value.strip()}
