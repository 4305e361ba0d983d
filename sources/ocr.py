"""OCR: the words of a page image, each with its confidence and its box, from Tesseract 5.

Tesseract is run through ``pytesseract``, a maintained wrapper around the
``tesseract`` command: each page is a separate Tesseract process, so a page that
exhausts memory or time kills that process, not the workbench, and the limits
of the reader process (:mod:`sources.sandbox`, which runs every import) hold
for Tesseract too, since a child inherits them. (``tesserocr`` runs Tesseract
inside our own process, where a crash or a runaway allocation is ours;
``ocrmypdf`` writes a text layer into a new PDF and keeps no word confidences.)

Coordinates: Tesseract gives pixel boxes with the origin at the top left. The
reflow of :mod:`sources.formats.pdf` works in PDF points with ``y`` growing
upwards, so it converts them; what is stored (:class:`sources.model.WordBox`)
is a fraction of the page's width and height from the top left, the same for a
page image of any resolution. This module knows Tesseract only; turning its
lines into paragraphs is the PDF reader's reflow (:mod:`sources.formats.pdf`).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sources.errors import ImportRefused
from sources.model import WordBox

DPI = 300  # pages are rendered and read at this resolution
MAX_PAGES = 500  # pages read by OCR in one import (about 15 minutes at 2 s a page)
MAX_PIXELS = 60_000_000  # an image page beyond this is refused (A4 at 300 dpi is 8.7 million)
PAGE_TIME_LIMIT = 120  # seconds Tesseract may spend on one page
LOW_CONFIDENCE = 60.0  # a word below this (0-100) is marked "uncertain" on the Read page
MODES = ("auto", "always", "never")

# ISO 639-1 (what the metadata holds) to Tesseract's language names.
TESSERACT_LANGUAGES = {
    "fr": "fra", "en": "eng", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "ru": "rus", "ar": "ara", "fa": "fas", "ps": "pus", "uk": "ukr", "pl": "pol", "tr": "tur",
    "zh": "chi_sim", "ja": "jpn", "he": "heb",
}  # fmt: skip
DEFAULT_LANGUAGES = ("fra", "eng")

INSTALL = (
    "Reading scans needs the OCR program Tesseract, which is not installed on this computer: "
    "install the Debian packages tesseract-ocr, tesseract-ocr-fra and tesseract-ocr-eng "
    "(sudo apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng), then import "
    "the file again."
)
NO_LANGUAGE = (
    "Tesseract is installed but can read none of French, English or the document's "
    "language; install tesseract-ocr-fra and tesseract-ocr-eng, then import again."
)
TOO_MANY_PAGES = (
    "This scan has {pages:,} pages; Palimpsest reads at most {limit:,} pages by OCR in one "
    "import (about {minutes} minutes). Split the file into parts and import each."
)
PAGE_TOO_SLOW = (
    "OCR of page {page} took longer than {seconds} seconds, so Palimpsest stopped; nothing "
    "was imported. The page may not be a text page; remove it from the file and import again."
)
OCR_FAILED = "Tesseract could not read page {page} ({reason}); nothing was imported."

Progress = Callable[[int, int], None]  # (pages done, pages to read)


@dataclass(frozen=True)
class OcrOptions:
    """How an import uses OCR: ``mode`` "auto" (pages without text), "always" or "never";
    ``language`` the document's (ISO 639-1), else French and English; ``progress`` is
    told ``(done, total)`` before the first page and after each."""

    mode: str = "auto"
    language: str | None = None
    progress: Progress | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"OCR mode must be one of {MODES}, not {self.mode!r}")

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass(frozen=True)
class OcrWord:
    """One word as Tesseract read it: pixel box (left, top, right, bottom), confidence 0-100,
    and the (block, paragraph, line) it belongs to."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]
    line: tuple[int, int, int]


@dataclass(frozen=True)
class OcrPage:
    """The words of one page image of ``width`` x ``height`` pixels read at ``dpi``."""

    width: int
    height: int
    dpi: int
    words: tuple[OcrWord, ...]


def check_pages(pages: int) -> None:
    """Refuse a scan of more than :data:`MAX_PAGES` pages to read, before any is read."""
    if pages > MAX_PAGES:
        raise ImportRefused(TOO_MANY_PAGES.format(pages=pages, limit=MAX_PAGES,
                                                  minutes=MAX_PAGES * 2 // 60))


def missing() -> str | None:
    """``None`` when Tesseract can run here, else the sentence that says how to install it."""
    try:
        version()
    except ImportRefused as refusal:
        return str(refusal)
    return None


@functools.cache
def version() -> str:
    """Tesseract's version ("5.3.0"); ImportRefused with :data:`INSTALL` when it is missing."""
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version()).split()[0]
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        raise ImportRefused(INSTALL) from error


@functools.cache
def installed_languages() -> frozenset[str]:
    import pytesseract

    version()
    return frozenset(pytesseract.get_languages(config=""))


def languages_for(language: str | None) -> str:
    """Tesseract's ``-l`` argument: the document's language if Tesseract has it, else French
    and English (those installed)."""
    installed = installed_languages()
    wanted = TESSERACT_LANGUAGES.get((language or "")[:2].lower())
    chosen = [wanted] if wanted in installed else [n for n in DEFAULT_LANGUAGES if n in installed]
    if not chosen:
        raise ImportRefused(NO_LANGUAGE)
    return "+".join(chosen)


def recognise(image, languages: str, *, page: str = "1", dpi: int = DPI) -> OcrPage:
    """Read one page image (a Pillow image) with Tesseract; its words in reading order.

    Page segmentation 1 (automatic, with orientation and script detection) turns a page
    scanned sideways or upside down the right way before reading it; Tesseract's line
    finder follows skewed lines, and boxes are in the image's own pixels.
    """
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one page per core is faster than threads
    psm = 1 if "osd" in installed_languages() else 3
    config = f"--psm {psm} --dpi {dpi}"
    try:
        data = pytesseract.image_to_data(image.convert("L"), lang=languages, config=config,
                                         output_type=pytesseract.Output.DICT,
                                         timeout=PAGE_TIME_LIMIT)
    except RuntimeError as error:  # pytesseract's timeout
        if "timeout" not in str(error).lower():
            raise
        raise ImportRefused(PAGE_TOO_SLOW.format(page=page, seconds=PAGE_TIME_LIMIT)) from error
    except pytesseract.TesseractError as error:
        reason = " ".join(str(error.message or error).split())[:200] or "no reason given"
        raise ImportRefused(OCR_FAILED.format(page=page, reason=reason)) from error
    return OcrPage(image.width, image.height, dpi, tuple(_words(data)))


def _words(data: dict) -> Iterable[OcrWord]:
    for index, text in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", (text or "").strip())
        confidence = float(data["conf"][index])
        if data["level"][index] != 5 or not text or confidence < 0:
            continue
        left, top = int(data["left"][index]), int(data["top"][index])
        box = (left, top, left + int(data["width"][index]), top + int(data["height"][index]))
        line = (int(data["block_num"][index]), int(data["par_num"][index]),
                int(data["line_num"][index]))
        yield OcrWord(text, confidence, box, line)


def reading_direction(words: Sequence[OcrWord]) -> int:
    """How far (0, 90, 180, 270 degrees, clockwise) the page was turned from upright when
    scanned, judged by the way words follow one another along their lines."""
    across = down = 0
    for before, after in zip(words, words[1:], strict=False):
        if before.line == after.line:
            across += after.box[0] - before.box[0]
            down += after.box[1] - before.box[1]
    if abs(across) >= abs(down):
        return 0 if across >= 0 else 180
    return 90 if down > 0 else 270


def upright(box: tuple[int, int, int, int], turn: int, width: int,
            height: int) -> tuple[int, int, int, int]:
    """A pixel box of a page scanned turned by ``turn`` degrees, on the page set upright.

    >>> upright((10, 20, 30, 40), 180, 100, 200)
    (70, 160, 90, 180)
    >>> upright((10, 20, 30, 40), 90, 100, 200)
    (20, 70, 40, 90)
    """
    left, top, right, bottom = box
    if turn == 180:
        return width - right, height - bottom, width - left, height - top
    if turn == 90:  # lines run downwards: the page's top is on the scan's right
        return top, width - right, bottom, width - left
    if turn == 270:  # lines run upwards: the page's top is on the scan's left
        return height - bottom, left, height - top, right
    return box


def place_words(text: str, pages: Sequence, sizes: Sequence[tuple[int, int]],
                spans: Sequence) -> tuple[WordBox, ...]:
    """Find each OCR word of ``pages`` (the lines kept in the text, in order) in ``text``.

    The reflow joins lines, hyphenated words ("pre-" + "vious") and normalises
    space, so words are looked for in order, each a little after the previous one
    and never before its page's span (``spans``: :class:`sources.model.Page`); a word
    not found nearby (it was furniture, or changed) is skipped, never placed far
    away. ``sizes`` are each page's pixel (width, height).
    """
    placed, cursor = [], 0
    for page, (width, height), span in zip(pages, sizes, spans, strict=True):
        cursor = max(cursor, span.start)
        for line in page.lines:
            for word in line.words:
                found = find_near(text, word.text, cursor, span.end)
                if found is None:
                    continue
                start, end = found
                cursor = end
                left, top, right, bottom = word.box
                placed.append(WordBox(start, end, span.seq, left / width, top / height,
                                      right / width, bottom / height, round(word.confidence, 1)))
    return tuple(placed)


def find_near(text: str, word: str, cursor: int, limit: int,
               reach: int = 40) -> tuple[int, int] | None:
    for candidate in (word, word.rstrip("-\u00ad\u2010")):
        if not candidate:
            continue
        start = text.find(candidate, cursor, min(cursor + reach + len(candidate), limit))
        if start >= 0:
            return start, start + len(candidate)
    return None


def confidence_of(words: Sequence[WordBox], start: int, end: int) -> float | None:
    """The confidence (0-100) of a span: its words' confidences weighted by their length."""
    inside = [w for w in words if w.start >= start and w.end <= end]
    size = sum(w.end - w.start for w in inside)
    if not size:
        return None
    return round(sum(w.confidence * (w.end - w.start) for w in inside) / size, 1)
