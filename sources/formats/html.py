"""HTML: the text of block elements, one block each; scripts, styles, navigation and head dropped.

>>> doc = parse(b"<html><head><title>T</title><script>x()</script></head>"
...             b"<body><h1>Report</h1><p>First <b>para</b>.<script>alert(1)</script></p>"
...             b"</body></html>")
>>> doc.text
'Report\\n\\nFirst para.'
>>> [p.kind for p in doc.passages], doc.metadata["title"]
(['heading', 'paragraph'], 'T')
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from sources.errors import ImportRefused
from sources.formats import xmlsafety
from sources.formats.encoding import declared_encoding, decode_text
from sources.formats.reading import InlineWriter, ReadingText
from sources.model import ParsedDocument

MEDIA_TYPE = "text/html"

BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption "
    "figure footer form header hr html legend li main ol p pre section summary table tbody tfoot "
    "thead ul".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
DROPPED = frozenset(
    "script style nav head noscript template iframe object embed svg canvas button select "
    "textarea input".split()
)
CELLS = frozenset(("td", "th"))
CELL_SEPARATOR = " | "
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# An XHTML DOCTYPE may carry an internal subset ("[...]"), which the HTML parser ends at its
# first ">", leaving the rest ("]>") as text; entity declarations in it are refused as in XML.
_INTERNAL_SUBSET = re.compile(
    r"^(\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<!DOCTYPE[^\[>]*)\[(.*?)\]\s*>",
    re.I | re.S,
)  # a comment ends at its first "-->", so that the match never backtracks between comments
TOO_DEEP = (
    "This HTML page nests its elements more than 2,000 levels deep, so part of its text "
    "cannot be read; open it in a browser, save it again (or copy its text into a plain "
    "text file) and import that."
)
CUT_SHORT = (
    "This HTML page could not be read to its end, so part of its text would be missing; "
    "open it in a browser, save it again and import the new copy."
)


def parse(data: bytes) -> ParsedDocument:
    decoded = decode_text(data, declared_encoding(data))
    root = parse_tree(_without_internal_subset(decoded.text))
    text, passages, pages = read_tree(root).build() if root is not None else ("", (), ())
    return ParsedDocument(
        text=text,
        media_type=MEDIA_TYPE,
        pages=pages,
        passages=passages,
        metadata=_metadata(root) | {"encoding": decoded.encoding} if root is not None else {},
        warnings=decoded.warnings,
    )


def _without_internal_subset(markup: str) -> str:
    """The markup with its DOCTYPE's internal subset removed; ImportRefused if it declares
    entities (Palimpsest never expands them, and the HTML parser would show them as text)."""
    match = _INTERNAL_SUBSET.match(markup)
    if match is None:
        return markup
    if "<!ENTITY" in match.group(2).upper():
        raise ImportRefused(xmlsafety.ENTITIES)
    return match.group(1).rstrip() + ">" + markup[match.end() :]


def parse_tree(markup: str) -> etree._Element | None:
    """The element tree of an HTML document or fragment; ``None`` if there is nothing in it."""
    markup = _XML_DECLARATION.sub("", markup, count=1)
    parser = lxml.html.HTMLParser(huge_tree=True)  # libxml2 otherwise stops at 256 levels
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except etree.ParserError:  # "Document is empty"
        return None
    _refuse_cut_short(parser.error_log)
    return root


def _refuse_cut_short(errors: etree._ListErrorLog) -> None:
    """libxml2 stops reading at a fatal error (2,048 levels even with huge_tree) and says
    so only in its log; the tree then silently lacks the rest of the text."""
    fatal = [error for error in errors if error.level == etree.ErrorLevels.FATAL]
    if any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in fatal):
        raise ImportRefused(TOO_DEEP)
    if fatal:
        raise ImportRefused(CUT_SHORT)


def read_tree(root: etree._Element) -> ReadingText:
    """Walk the tree once (iteratively, so deep nesting is harmless) and collect blocks."""
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # their tails stay
    reader = _Reader()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start" and reader.start(element):
            walker.skip_subtree()
        elif event == "end":
            reader.end(element)
    reader.flush()
    return reader.reading


class _Reader:
    """What the walk has seen so far: finished blocks, the open block, nesting counters."""

    def __init__(self) -> None:
        self.reading = ReadingText()
        self.writer = InlineWriter()
        self.headings = self.pre = self.cells = self.cells_in_row = 0
        self.skipping: etree._Element | None = None

    def start(self, element: etree._Element) -> bool:
        """Open an element; True means: skip its content."""
        tag = _tag(element)
        if tag in DROPPED or tag is None:
            self.skipping = element
            return True
        self._open(tag)
        self.write(element.text)
        return False

    def end(self, element: etree._Element) -> None:
        if self.skipping is element:
            self.skipping = None
        else:
            self._close(_tag(element))
        self.write(element.tail)

    def _open(self, tag: str) -> None:
        if tag in CELLS:
            self.writer.write(CELL_SEPARATOR if self.cells_in_row else "")
            self.cells, self.cells_in_row = self.cells + 1, self.cells_in_row + 1
        elif tag == "tr":
            self.flush()
            self.cells_in_row = 0
        elif tag == "br":
            self.writer.line_break()
        elif tag in BLOCKS or tag in HEADINGS:
            self._block_boundary()
        self.headings += tag in HEADINGS
        self.pre += tag == "pre"

    def _close(self, tag: str) -> None:
        if tag in CELLS:
            self.cells -= 1
        elif tag == "tr" or tag in BLOCKS or tag in HEADINGS:
            self._block_boundary()
        self.headings -= tag in HEADINGS
        self.pre -= tag == "pre"

    def _block_boundary(self) -> None:
        """Inside a table cell a block is only a space, elsewhere it ends the block."""
        if self.cells:
            self.writer.write(" ")
        else:
            self.flush()

    def write(self, text: str | None) -> None:
        if not text:
            return
        if not self.pre:
            self.writer.write(text)
            return
        for number, line in enumerate(text.split("\n")):
            if number:
                self.writer.line_break()
            self.writer.write(line)

    def flush(self) -> None:
        text, _, marks = self.writer.take()
        self.reading.add(text, "heading" if self.headings > 0 else "paragraph", marks)


def _tag(element: etree._Element) -> str | None:
    """Lower-case local tag name; ``None`` for comments and processing instructions."""
    if not isinstance(element.tag, str):
        return None
    return element.tag.rsplit("}", 1)[-1].lower()


def _metadata(root: etree._Element) -> dict:
    """Title, author, date and language the page declares about itself."""
    found = {
        "title": root.findtext(".//title"),
        "author": _meta(root, "author", "dc.creator", "dcterms.creator"),
        "date": _meta(root, "date", "dc.date", "dcterms.date", "article:published_time"),
        "language": root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    }
    return {key: " ".join(value.split()) for key, value in found.items() if value and value.strip()}


def _meta(root: etree._Element, *names: str) -> str | None:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in names and meta.get("content"):
            return meta.get("content")
    return None
