"""TEI XML: the reading text of ``<text>``; ``<teiHeader>`` only gives title, author and date.

``<p>``, ``<ab>``, ``<item>`` ... are paragraphs, ``<head>`` a heading, the ``<l>``
lines of an ``<lg>`` one block (a line each), ``<pb n="..."/>`` a page break.
Notes leave an ``[n]`` marker in the text and are gathered at the end under
"Notes" (as for DOCX footnotes). Forme work (``<fw>``, running heads and
catchwords) and deletions (``<del>``) are left out; in a ``<choice>`` the
regularised, expanded or corrected reading is kept.

>>> doc = parse(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
...             b'<title>Letter</title></titleStmt></fileDesc></teiHeader><text><body>'
...             b'<pb n="12"/><head>I</head><p>Dear <choice><sic>sri</sic><corr>sir</corr>'
...             b'</choice>,<pb n="13"/> yours<note>A note.</note></p></body></text></TEI>')
>>> doc.text
'I\\n\\nDear sir, yours[1]\\n\\nNotes\\n\\n[1] A note.'
>>> [(page.label, doc.text[page.start:page.end]) for page in doc.pages][1]
('13', 'yours[1]\\n\\nNotes\\n\\n[1] A note.')
>>> doc.metadata
{'title': 'Letter'}
"""

from __future__ import annotations

from lxml import etree

from sources.formats import html, xmlsafety
from sources.formats.reading import InlineWriter, ReadingText
from sources.model import ParsedDocument

MEDIA_TYPE = "application/tei+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BLOCKS = frozenset(
    "p ab item list div div1 div2 div3 div4 div5 div6 div7 lg sp speaker stage row table castList "
    "castItem titlePage byline dateline docImprint docAuthor docDate opener closer salute signed "
    "argument epigraph figure figDesc front body back group text postscript".split()
)
HEADINGS = frozenset("head docTitle titlePart trailer".split())
DROPPED = frozenset(
    "teiHeader facsimile standOff sourceDoc fw del surplus interpGrp interp".split()
)
CHOICE_ORDER = ("reg", "expan", "corr")


def parse(data: bytes) -> ParsedDocument:
    root = xmlsafety.parse_xml(data)
    reader = _Reader()
    reader.read(root)
    text, passages, pages = reader.reading.build()
    return ParsedDocument(text, MEDIA_TYPE, pages, passages, metadata=_metadata(root))


def local_name(element: etree._Element | None) -> str:
    """``"p"`` for ``{http://www.tei-c.org/ns/1.0}p``; ``""`` for None, comments and the like."""
    if element is None or not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname


class _Reader:
    """One pass over the tree: blocks, page breaks, notes."""

    def __init__(self) -> None:
        self.reading = ReadingText()
        self.writer = InlineWriter()
        self.notes: list[tuple[str, str]] = []
        self.headings = self.cells_in_row = 0
        self.skipped: set[etree._Element] = set()  # holding them keeps lxml's proxies stable

    def read(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, element in walker:
            if event == "start" and self.start(element):
                walker.skip_subtree()
            elif event == "end":
                self.end(element)
        self.flush()
        if self.notes:
            self.reading.add("Notes", "heading")
            for number, text in self.notes:
                self.reading.add(f"[{number}] {text}")

    def start(self, element: etree._Element) -> bool:
        """Open an element; True means: skip its content."""
        name = local_name(element)
        if name in DROPPED or element in self.skipped:
            self.skipped.add(element)
            return True
        if name == "note":
            self.note(element)
            return True
        self.open(element, name)
        self.writer.write(element.text)
        return False

    def end(self, element: etree._Element) -> None:
        if element not in self.skipped:
            self.close(element, local_name(element))
        self.writer.write(element.tail)

    def open(self, element: etree._Element, name: str) -> None:
        if name == "pb":
            self.writer.page_break(element.get("n") or "")
        elif name == "lb" and element.get("break") != "no":
            self.writer.write(" ")
        elif name == "cell":
            self.writer.write(html.CELL_SEPARATOR if self.cells_in_row else "")
            self.cells_in_row += 1
        elif name == "choice":
            self.choose(element)
        elif self.is_block(element, name):
            self.flush()
        self.cells_in_row = 0 if name == "row" else self.cells_in_row
        self.headings += name in HEADINGS

    def close(self, element: etree._Element, name: str) -> None:
        if name == "l" and local_name(element.getparent()) == "lg":
            self.writer.line_break()
        elif self.is_block(element, name):
            self.flush()
        self.headings -= name in HEADINGS

    @staticmethod
    def is_block(element: etree._Element, name: str) -> bool:
        in_group = local_name(element.getparent()) == "lg"
        return name in BLOCKS or name in HEADINGS or (name == "l" and not in_group)

    def choose(self, choice: etree._Element) -> None:
        """Keep one reading of a ``<choice>``: regularised, expanded, corrected, else the first."""
        options = [child for child in choice if isinstance(child.tag, str)]
        ranked = sorted(options, key=lambda option: _preference(local_name(option)))
        self.skipped.update(ranked[1:])

    def note(self, note: etree._Element) -> None:
        number = note.get("n") or str(len(self.notes) + 1)
        self.notes.append((number, " ".join("".join(note.itertext()).split())))
        self.writer.write(f"[{number}]")

    def flush(self) -> None:
        text, _, marks = self.writer.take()
        self.reading.add(text, "heading" if self.headings > 0 else "paragraph", marks)


def _preference(name: str) -> int:
    return CHOICE_ORDER.index(name) if name in CHOICE_ORDER else len(CHOICE_ORDER)


def _metadata(root: etree._Element) -> dict:
    """Title, author and date from the header (the source's date first), language from xml:lang."""
    found = {
        "title": _first(root, "titleStmt", "title"),
        "author": _first(root, "titleStmt", "author"),
        "date": _date(root, "sourceDesc") or _date(root, "publicationStmt"),
        "language": _language(root),
    }
    return {key: value for key, value in found.items() if value}


def _first(root: etree._Element, parent: str, name: str) -> str | None:
    for element in root.iter(etree.Element):
        if local_name(element) == name and local_name(element.getparent()) == parent:
            return " ".join("".join(element.itertext()).split()) or None
    return None


def _date(root: etree._Element, within: str) -> str | None:
    for section in (e for e in root.iter(etree.Element) if local_name(e) == within):
        for date in (e for e in section.iter(etree.Element) if local_name(e) == "date"):
            value = date.get("when") or " ".join("".join(date.itertext()).split())
            if value:
                return value
    return None


def _language(root: etree._Element) -> str | None:
    texts = [e for e in root.iter(etree.Element) if local_name(e) == "text"]
    return (texts[0].get(XML_LANG) if texts else None) or root.get(XML_LANG)
