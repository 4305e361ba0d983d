"""Markdown: rendered to reading text with markdown-it-py; markup goes, words stay.

Headings, paragraphs, list items, table rows and code blocks become blocks;
an ordered list item keeps its number ("3. ..."), so passage labels survive.

markdown-it silently skips whatever is nested deeper than its ``maxNesting``
(by default 20: list items from the tenth level, quotes from the twentieth).
Here the limit is :data:`MAX_NESTING`, which stays far from Python's recursion
limit; a file that reaches it is read as plain text, with a warning, so that no
word is lost.

>>> doc = parse(b"---\\ntitle: Draft\\n---\\n# Scope\\n\\n"
...             b"The *parties*\\nagree:\\n\\n1. first\\n2. second\\n")
>>> doc.text
'Scope\\n\\nThe parties agree:\\n\\n1. first\\n\\n2. second'
>>> [(p.kind, p.label) for p in doc.passages], doc.metadata["title"]
([('heading', None), ('paragraph', None), ('paragraph', '1.'), ('paragraph', '2.')], 'Draft')
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sources.formats import html, plaintext
from sources.formats.encoding import decode_text
from sources.formats.reading import InlineWriter, ReadingText
from sources.model import ParsedDocument
from sources.text import normalise_text

MEDIA_TYPE = "text/markdown"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)
_FIELD = re.compile(r"^(title|author|date|lang|language)\s*:\s*(.+?)\s*$", re.M | re.I)
MAX_NESTING = 100  # levels of markdown-it tokens: a list level takes two, a quote one
READ_AS_PLAIN_TEXT = (
    "This Markdown file nests lists or block quotes too deeply to be read as Markdown "
    "(over 50 levels), so it was imported as plain text, its markup characters kept."
)


def parse(data: bytes) -> ParsedDocument:
    decoded = decode_text(data)
    source = normalise_text(decoded.text)
    metadata, body = _front_matter(source)
    tokens = _markdown_it().parse(body)
    if _too_deep(tokens):
        return _as_plain_text(data)
    text, passages, pages = _Reader().read(tokens).build()
    if "title" not in metadata:
        metadata |= _first_heading(text, passages)
    return ParsedDocument(
        text=text,
        media_type=MEDIA_TYPE,
        pages=pages,
        passages=passages,
        metadata=metadata | {"encoding": decoded.encoding},
        warnings=decoded.warnings,
    )


def _markdown_it() -> MarkdownIt:
    options = {"maxNesting": MAX_NESTING}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"])


def _too_deep(tokens: list[Token]) -> bool:
    """True if a block opens where markdown-it stops reading (it would skip what is inside).

    An opening token at the last level may hold nothing deeper (a paragraph); reading the
    file as plain text then loses nothing either.
    """
    return any(token.nesting == 1 and token.level >= MAX_NESTING - 1 for token in tokens)


def _as_plain_text(data: bytes) -> ParsedDocument:
    document = plaintext.parse(data)
    warnings = document.warnings + (READ_AS_PLAIN_TEXT,)
    return replace(document, media_type=MEDIA_TYPE, warnings=warnings)


def _front_matter(source: str) -> tuple[dict, str]:
    """YAML-style ``key: value`` lines between ``---`` fences at the top (title, author, date)."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    fields = {key.lower(): value.strip("\"'") for key, value in _FIELD.findall(match.group(1))}
    if "lang" in fields:
        fields["language"] = fields.pop("lang")
    return fields, source[match.end() :]


def _first_heading(text: str, passages) -> dict:
    heading = next((p for p in passages if p.kind == "heading"), None)
    return {"title": text[heading.start : heading.end]} if heading else {}


class _Reader:
    """Walks markdown-it's flat token stream, one block per paragraph, heading, row ..."""

    def __init__(self) -> None:
        self.reading = ReadingText()
        self.writer = InlineWriter()
        self.cells_in_row = 0

    def read(self, tokens: list[Token]) -> ReadingText:
        for token in tokens:
            self.token(token)
        self.flush()
        return self.reading

    def token(self, token: Token) -> None:
        kind = token.type
        if kind == "inline":
            self.inline(token.children or [])
        elif kind in ("paragraph_close", "heading_close", "tr_close"):
            self.flush("heading" if kind == "heading_close" else "paragraph")
        elif kind == "list_item_open" and token.info:
            self.writer.write(f"{token.info}{token.markup} ")
        elif kind in ("th_open", "td_open"):
            self.writer.write(html.CELL_SEPARATOR if self.cells_in_row else "")
            self.cells_in_row += 1
        elif kind == "tr_open":
            self.cells_in_row = 0
        elif kind in ("fence", "code_block"):
            self.lines(token.content)
        elif kind == "html_block":
            self.markup(token.content)

    def inline(self, children: list[Token]) -> None:
        for child in children:
            if child.type in ("text", "code_inline", "image"):
                self.writer.write(child.content)
            elif child.type == "softbreak":
                self.writer.write(" ")
            elif child.type == "hardbreak":
                self.writer.line_break()

    def lines(self, content: str) -> None:
        for line in content.split("\n"):
            self.writer.write(line)
            self.writer.line_break()
        self.flush()

    def markup(self, content: str) -> None:
        """Raw HTML in Markdown: its text, as the HTML reader sees it (scripts dropped)."""
        self.flush()
        root = html.parse_tree(content)
        if root is not None:
            for text, kind, marks in html.read_tree(root).blocks:
                self.reading.add(text, kind, marks)

    def flush(self, kind: str = "paragraph") -> None:
        text, _, marks = self.writer.take()
        self.reading.add(text, kind, marks)
