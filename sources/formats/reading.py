"""Reading text: the plain text a structured file (HTML, DOCX, PDF, TEI ...) is turned into.

Blocks (paragraphs, headings, list items, table rows) are joined with exactly one
blank line, so that :func:`sources.segment.segment_passages` finds them again.
Page breaks are marks inside or between blocks; they become :class:`Page` spans
that cover the whole text in order.

>>> reading = ReadingText()
>>> reading.page_break("1")
>>> reading.add("Title", kind="heading")
>>> writer = InlineWriter()
>>> writer.write("  A paragraph   that runs ")
>>> writer.page_break("2")
>>> writer.write("over a page.")
>>> reading.add(*writer.take())
>>> text, passages, pages = reading.build()
>>> text
'Title\\n\\nA paragraph that runs over a page.'
>>> [(p.kind, text[p.start:p.end]) for p in passages]
[('heading', 'Title'), ('paragraph', 'A paragraph that runs over a page.')]
>>> [(p.label, text[p.start:p.end]) for p in pages]
[('1', 'Title\\n\\nA paragraph that runs '), ('2', 'over a page.')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sources.model import Page, Passage
from sources.segment import passage_label

Mark = tuple[int, str]  # (offset in the block, label of the page that begins there)

_WHITESPACE = re.compile(r"(\s+)")
_BLANK_RUN = re.compile(r"[^\S\n]*\n\s*\n[^\S\n]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


class InlineWriter:
    """Collects the inline text of one block the way a browser shows it.

    Runs of whitespace become one space, :meth:`line_break` keeps a line break,
    nothing is written before the first word or after the last.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.gap = ""
        self.marks: list[Mark] = []
        self.waiting: list[str] = []  # page breaks that begin at the next word

    def write(self, text: str | None) -> None:
        for piece in _WHITESPACE.split(text or ""):
            if piece.isspace():
                self.gap = self.gap or (" " if self.size else "")
            elif piece:
                self._put(self.gap + piece)
                self.gap = ""

    def line_break(self) -> None:
        if self.size:
            self.gap = "\n"

    def page_break(self, label: str) -> None:
        """A new page begins with the next word written."""
        self.waiting.append(label)

    def take(self) -> tuple[str, str, tuple[Mark, ...]]:
        """``(text, "paragraph", marks)`` of the block so far, and start a new one."""
        text = "".join(self.parts)
        marks = tuple(self.marks) + tuple((self.size, label) for label in self.waiting)
        self.__init__()
        return text, "paragraph", marks

    def _put(self, piece: str) -> None:
        word_start = self.size + len(self.gap)  # piece is gap + word
        self.marks.extend((word_start, label) for label in self.waiting)
        self.waiting = []
        self.parts.append(piece)
        self.size += len(piece)


class ReadingText:
    """Accumulates blocks and page breaks, then builds text, passages and pages."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, tuple[Mark, ...]]] = []
        self.pending: list[str] = []

    def add(self, text: str, kind: str = "paragraph", marks: Sequence[Mark] = ()) -> None:
        """Add one block; an empty block only passes its page breaks on to the next one."""
        text, marks = tidy_block(text, marks)
        if not text:
            self.pending.extend(label for _, label in marks)
            return
        marks = tuple((0, label) for label in self.pending) + marks
        self.pending = []
        self.blocks.append((text, kind, marks))

    def page_break(self, label: str) -> None:
        """A new page begins with the next block."""
        self.pending.append(label)

    def build(self) -> tuple[str, tuple[Passage, ...], tuple[Page, ...]]:
        text = "\n\n".join(block for block, _, _ in self.blocks)
        passages, marks, start = [], [], 0
        for seq, (block, kind, block_marks) in enumerate(self.blocks, start=1):
            end = start + len(block)
            passages.append(Passage(seq, start, end, passage_label(block[:80]), kind))
            marks += [(_absolute(start, end, at, len(text)), label) for at, label in block_marks]
            start = end + 2
        marks.extend((len(text), label) for label in self.pending)
        return text, tuple(passages), pages_from_marks(marks, len(text))


def _absolute(start: int, end: int, offset: int, text_length: int) -> int:
    """A mark at the very end of a block means the page begins with the next block."""
    return start + offset if start + offset < end else min(end + 2, text_length)


def pages_from_marks(marks: Sequence[Mark], length: int) -> tuple[Page, ...]:
    """Pages from ``(offset, label)`` marks in order; the first page always starts at 0.

    Text before the first mark (front matter before the first page break) is
    counted as part of the first page.
    """
    if not marks:
        return ()
    starts = [0] + [offset for offset, _ in marks[1:]]
    ends = starts[1:] + [length]
    return tuple(
        Page(seq, label, start, end)
        for seq, ((_, label), start, end) in enumerate(zip(marks, starts, ends, strict=True), 1)
    )


def tidy_block(text: str, marks: Sequence[Mark] = ()) -> tuple[str, tuple[Mark, ...]]:
    """NFC, no control characters, no blank line inside, no whitespace around; marks follow."""
    text, marks = _rewrite(text, marks, _CONTROL, "")
    text, marks = _rewrite(text, marks, _BLANK_RUN, "\n")
    text, marks = _rewrite(text, marks, re.compile(r"^\s+|\s+$"), "")
    if not unicodedata.is_normalized("NFC", text):
        marks = [(len(unicodedata.normalize("NFC", text[:at])), label) for at, label in marks]
        text = unicodedata.normalize("NFC", text)
    return text, tuple((min(offset, len(text)), label) for offset, label in marks)


def _rewrite(text: str, marks: Sequence[Mark], pattern: re.Pattern, replacement: str):
    """``pattern.sub(replacement, text)`` that moves each mark along with its character."""
    matches = list(pattern.finditer(text))
    if not matches:
        return text, tuple(marks)
    moved = tuple((_moved(offset, matches, len(replacement)), label) for offset, label in marks)
    return pattern.sub(lambda _: replacement, text), moved


def _moved(offset: int, matches: Sequence[re.Match], width: int) -> int:
    """Where ``offset`` lands once every match is replaced by ``width`` characters."""
    shift = 0
    for match in matches:
        start, end = match.span()
        if offset < start:
            break
        if offset < end:
            return start + shift + min(offset - start, width)
        shift += width - (end - start)
    return offset + shift
