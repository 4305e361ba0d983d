"""Documents a scholar brings from the office, built in memory from the demo texts.

The demo project's three texts (``annotations/demo_data``) typeset the way they
arrive in real life: the French draft and final as long PDFs (a long running
head and "Page N" on every page, justified lines, words hyphenated at line ends
and across page breaks, paragraphs running over pages) and the English annex as
a Word file with page breaks. The constants say what a correct import finds:
the passages (the demo paragraphs, whitespace-normalised, in order) and the page
on which a few known passages start. The draft's Part II is cut from the final
and found, in English, in the annex, so a comparison has a known answer.

The PDFs need the DejaVu fonts (Debian/Ubuntu package ``fonts-dejavu-core``)
for the French letters and typographic quotes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "annotations" / "demo_data"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
FONT_PACKAGE = "fonts-dejavu-core"


def demo_paragraphs(name: str) -> tuple[str, ...]:
    """The blank-line blocks of a demo text, whitespace-normalised (form feeds dropped)."""
    text = (DEMO / name).read_text(encoding="utf-8")
    return tuple(" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip())


DRAFT_PASSAGES = demo_paragraphs("draft_fr.txt")
FINAL_PASSAGES = demo_paragraphs("final_fr.txt")
ANNEX_PASSAGES = demo_paragraphs("annex_en.txt")

DRAFT_RUNNING_HEAD = (
    "Projet de rapport — Loi concernant le statut et l’usage des langues officielles du "
    "Canada — distribution restreinte"
)
FINAL_RUNNING_HEAD = (
    "Rapport final — Loi concernant le statut et l’usage des langues officielles du Canada — "
    "version adoptée par le comité"
)
FOOTER = "Page {}"


def _starting(passages: tuple[str, ...], opening: str) -> str:
    return next(passage for passage in passages if passage.startswith(opening))


# What the typesetting below gives (checked by tests/test_pdf_layout.py): page counts, and
# the page on which a few passages start. The draft's Part II is the part cut from the final.
DRAFT_PAGES = 26
FINAL_PAGES = 21
DRAFT_START_PAGES = {
    "Titre abrégé": "7",
    "PARTIE I Débats et travaux parlementaires": "15",
    "PARTIE II Actes législatifs et autres": "15",
    _starting(DRAFT_PASSAGES, "5 Les archives, comptes rendus"): "15",
    "PARTIE III Administration de la justice": "20",
}
FINAL_START_PAGES = {
    "Titre abrégé": "7",
    "PARTIE I Débats et travaux parlementaires": "15",
    "PARTIE III Administration de la justice": "15",
}
# The kinds of link sources.align.align_versions finds between the imported draft and final,
# as between the plain demo texts: Part II cut, one provision moved, three reworded and four
# changed in meaning (the banner's date, a figure, an obligation, a negation).
DRAFT_FINAL_LINKS = {"equal": 92, "changed": 7, "moved": 1, "removed": 21}


# --- PDF typesetting -----------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """An A4 page in millimetres: where the running head, the body and the footer go."""

    head_y: float = 14
    body_top: float = 32
    body_bottom: float = 262
    footer_y: float = 278
    margin: float = 30
    line_height: float = 11.5
    paragraph_gap: float = 6
    indent: float = 10
    size: float = 13


@dataclass(frozen=True)
class Typeset:
    """A typeset PDF and where things fell: the first page of each paragraph (labels "1"...),
    and the words hyphenated across a page break as (end of page, start of next page)."""

    data: bytes
    pages: int
    start_pages: tuple[str, ...]
    broken_at_page_end: tuple[tuple[str, str], ...]


def typeset(
    paragraphs: tuple[str, ...] | list[str],
    running_head: str,
    geometry: Geometry = Geometry(),
    break_at_page_end: bool = True,
) -> Typeset:
    """Typeset ``paragraphs`` justified on A4 pages with ``running_head`` and "Page N".

    Words that do not fit at a line end are hyphenated when they are long enough;
    with ``break_at_page_end`` the last line of every other page (even page
    numbers) ends with a hyphenated word whenever the paragraph runs on.
    """
    setter = _Setter(running_head, geometry)
    for paragraph in paragraphs:
        setter.paragraph(paragraph.split(), break_at_page_end)
    return Typeset(
        bytes(setter.document.output()),
        setter.document.page_no(),
        tuple(setter.start_pages),
        tuple(setter.broken),
    )


def draft_typeset() -> Typeset:
    return typeset(DRAFT_PASSAGES, DRAFT_RUNNING_HEAD)


def final_typeset() -> Typeset:
    return typeset(FINAL_PASSAGES, FINAL_RUNNING_HEAD)


def draft_pdf() -> bytes:
    """The French draft as a long PDF (see :data:`DRAFT_PAGES`)."""
    return draft_typeset().data


def final_pdf() -> bytes:
    """The French final as a long PDF (see :data:`FINAL_PAGES`)."""
    return final_typeset().data


def _paged_document(running_head: str, geometry: Geometry):
    from fpdf import FPDF

    if not FONT.is_file():
        raise FileNotFoundError(
            f"{FONT} is missing: install the {FONT_PACKAGE} package "
            f"(apt-get install {FONT_PACKAGE}) to build the journey sample PDFs."
        )

    class Paged(FPDF):
        def header(self):
            self.set_font("Serif", size=8)
            self.text(self.l_margin, geometry.head_y, running_head)

        def footer(self):
            self.set_font("Serif", size=10)
            label = FOOTER.format(self.page_no())
            self.text((self.w - self.get_string_width(label)) / 2, geometry.footer_y, label)

    document = Paged(format="A4")
    document.add_font("Serif", fname=str(FONT))
    document.set_margins(geometry.margin, geometry.body_top, geometry.margin)
    document.set_auto_page_break(False)
    return document


class _Setter:
    """Places lines one by one, starting a new page when the body is full."""

    def __init__(self, running_head: str, geometry: Geometry) -> None:
        self.geometry = geometry
        self.document = _paged_document(running_head, geometry)
        self.width = self.document.w - 2 * geometry.margin
        self.y = None  # baseline of the next line; None before the first page
        self.start_pages: list[str] = []
        self.broken: list[tuple[str, str]] = []

    def measure(self, text: str) -> float:
        self.document.set_font("Serif", size=self.geometry.size)
        return self.document.get_string_width(text)

    def lines_left(self) -> int:
        if self.y is None:
            return 0
        return int((self.geometry.body_bottom - self.y) // self.geometry.line_height) + 1

    def new_page(self) -> None:
        self.document.add_page()
        self.y = self.geometry.body_top + self.geometry.size * 0.3528

    def paragraph(self, words: list[str], break_at_page_end: bool) -> None:
        """Set one paragraph; a heading-like one (no final punctuation) keeps with the next."""
        if self.y is not None and self.y > self.geometry.body_top + 10:
            self.y += self.geometry.paragraph_gap
        needed = 2 if re.search(r"[.;:,]$", words[-1]) else 4
        if self.lines_left() < needed:
            self.new_page()
        self.start_pages.append(str(self.document.page_no()))
        indent = self.geometry.indent
        while words:
            last_on_page = self.lines_left() == 1
            force = break_at_page_end and last_on_page and self.document.page_no() % 2 == 0
            line, words = break_line(words, self.width - indent, self.measure, force)
            self.put(line, indent, justified=bool(words))
            if words and last_on_page and line[-1].endswith("-"):
                self.broken.append((line[-1], words[0]))
            indent = 0
            if words and self.lines_left() == 0:
                self.new_page()

    def put(self, line: list[str], indent: float, justified: bool) -> None:
        """Write a line word by word; a justified line spreads its spaces to the right margin."""
        x, gap = self.geometry.margin + indent, self.measure(" ")
        if justified and len(line) > 1:
            room = self.width - indent - self.measure(" ".join(line))
            gap += room / (len(line) - 1)
        for word in line:
            self.document.text(x, self.y, word)
            x += self.measure(word) + gap
        self.y += self.geometry.line_height


def break_line(words: list[str], width: float, measure, force_hyphen: bool = False):
    """The longest line from the front of ``words`` that fits ``width``, and the words left.

    A word that does not fit is hyphenated when a piece of it does; with
    ``force_hyphen`` a line that would end on a whole word ends on a hyphenated one.
    """
    line: list[str] = []
    for number, word in enumerate(words):
        if measure(" ".join(line + [word])) <= width or not line:
            line.append(word)
            continue
        head, tail = _hyphenate(word, lambda piece: measure(" ".join(line + [piece])) <= width)
        if head:
            return line + [head], [tail] + words[number + 1 :]
        return _forced(line, words[number:], force_hyphen)
    return line, []


def _forced(line: list[str], rest: list[str], force: bool):
    if force and len(line) > 1:
        head, tail = _hyphenate(line[-1], lambda piece: len(piece) <= len(line[-1]) // 2 + 2)
        if head:
            return line[:-1] + [head], [tail] + rest
    return line, rest


_BREAKABLE = re.compile(r"^[^\W\d_]{6,}[,;.:]?$")
_VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")
_INSEPARABLE = {"ch", "ph", "th", "gn", "qu"} | {c + r for c in "bcdfgptv" for r in "lr"}


def _hyphenate(word: str, fits) -> tuple[str | None, str | None]:
    """Split a long word of letters at the last syllable boundary that ``fits``."""
    if not _BREAKABLE.match(word):
        return None, None
    for cut in reversed(_syllable_cuts(word.rstrip(",;.:").lower())):
        if fits(word[:cut] + "-"):
            return word[:cut] + "-", word[cut:]
    return None, None


def _syllable_cuts(letters: str) -> list[int]:
    """Where a French or English word may be hyphenated, roughly: before a consonant (or
    "ch", "bl", "tr" ...) that opens a syllable, three letters at least on each side."""
    return [
        cut
        for cut in range(3, len(letters) - 2)
        if _opens_syllable(letters[cut:]) and not _opens_syllable(letters[cut - 1 :])
    ]


def _opens_syllable(rest: str) -> bool:
    """Does ``rest`` begin with a consonant, or an inseparable pair, then a vowel?"""
    if rest[0] in _VOWELS:
        return False
    if rest[1] in _VOWELS:
        return True
    return rest[:2] in _INSEPARABLE and len(rest) > 2 and rest[2] in _VOWELS


# --- DOCX ----------------------------------------------------------------------------------

# The annex's pages: page 2 opens after an explicit page break (Word also left a
# lastRenderedPageBreak there: one break, not two); page 3 opens inside a passage
# (only a lastRenderedPageBreak marks it); page 4 opens at a paragraph that has
# "page break before"; page 5 opens at an explicit break inside a passage.
ANNEX_PAGE_BREAKS = {9: "explicit", 15: "rendered", 22: "before", 27: "explicit-inside"}
ANNEX_PAGES = 5


def annex_docx() -> bytes:
    """The English annex as a Word file of :data:`ANNEX_PAGES` pages (:data:`ANNEX_PAGE_BREAKS`)."""
    return docx_with_breaks(ANNEX_PASSAGES, ANNEX_PAGE_BREAKS)


def docx_start_pages(count: int, breaks: dict[int, str]) -> tuple[str, ...]:
    """The page label each of ``count`` paragraphs starts on, given :func:`docx_with_breaks`."""
    page, labels = 1, []
    for number in range(count):
        if breaks.get(number) in ("explicit", "before"):
            page += 1
        labels.append(str(page))
        if breaks.get(number) in ("rendered", "explicit-inside"):
            page += 1
    return tuple(labels)


ANNEX_START_PAGES = docx_start_pages(len(ANNEX_PASSAGES), ANNEX_PAGE_BREAKS)  # page of each passage


def docx_with_breaks(paragraphs, breaks: dict[int, str]) -> bytes:
    """A Word file of ``paragraphs`` with page breaks the way Word writes them.

    ``breaks`` maps a paragraph's index to how a new page begins at it:
    "explicit" (an empty paragraph holding ``<w:br w:type="page"/>`` before it,
    and Word's ``<w:lastRenderedPageBreak/>`` at its start), "before" (its
    "page break before" property, and the rendered break), "rendered" (only a
    rendered break, halfway through it) or "explicit-inside" (an explicit break
    halfway through it). "ANNEX ..." and "PART ..." are headings.
    """
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.title = "Annex"
    for number, text in enumerate(paragraphs):
        kind = breaks.get(number)
        if kind == "explicit":
            document.add_paragraph().add_run()._r.append(_page_break())
        heading = re.match(r"(?:ANNEX|PART) ", text)
        paragraph = document.add_paragraph(style="Heading 1" if heading else None)
        if kind == "before":
            paragraph.paragraph_format.page_break_before = True
        if kind in ("explicit", "before"):
            paragraph.add_run()._r.append(_rendered_break())
        if kind in ("rendered", "explicit-inside"):
            head, tail = _halves(text)
            paragraph.add_run(head + " ")
            run = paragraph.add_run()
            run._r.append(_page_break() if kind == "explicit-inside" else _rendered_break())
            run.add_text(tail)
        else:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _halves(text: str) -> tuple[str, str]:
    words = text.split()
    return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])


def _element(tag: str, **attributes: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _page_break():
    return _element("w:br", type="page")


def _rendered_break():
    return _element("w:lastRenderedPageBreak")
