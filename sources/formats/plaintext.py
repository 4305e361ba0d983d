"""Plain text: kept exactly as written (decoding, NFC and newline normalisation only).

A form feed (``\\f``) marks a page break; pages are numbered 1, 2, ... in order.

>>> doc = parse("Page one.\\fPage two.\\f".encode())
>>> [(p.label, doc.text[p.start:p.end]) for p in doc.pages]
[('1', 'Page one.\\x0c'), ('2', 'Page two.\\x0c')]
"""

from __future__ import annotations

import re

from sources.formats.encoding import decode_text
from sources.model import Page, ParsedDocument
from sources.segment import segment_passages
from sources.text import normalise_text

MEDIA_TYPE = "text/plain"
TITLE_MAX_CHARS = 150


def parse(data: bytes) -> ParsedDocument:
    decoded = decode_text(data)
    text = normalise_text(decoded.text)
    pages = form_feed_pages(text)
    return ParsedDocument(
        text=text,
        media_type=MEDIA_TYPE,
        pages=pages,
        passages=segment_passages(text, pages),
        metadata=_metadata(text, decoded.encoding),
        warnings=decoded.warnings,
    )


def form_feed_pages(text: str) -> tuple[Page, ...]:
    """One page per form feed; each page keeps the ``\\f`` that ends it.

    A form feed followed only by whitespace ends the last page rather than
    opening an empty one (what pdftotext writes). No form feed, no pages.
    """
    starts = [0] + [match.end() for match in re.finditer("\f", text)]
    if len(starts) == 1:
        return ()
    if not text[starts[-1] :].strip():
        starts.pop()
    ends = starts[1:] + [len(text)]
    return tuple(
        Page(seq, str(seq), start, end)
        for seq, (start, end) in enumerate(zip(starts, ends, strict=True), 1)
    )


def _metadata(text: str, encoding: str) -> dict:
    """The encoding, and the first line as a title hint when it is short."""
    first_line = text.lstrip().split("\n", 1)[0].strip()
    metadata = {"encoding": encoding}
    if 0 < len(first_line) <= TITLE_MAX_CHARS:
        metadata["title"] = first_line
    return metadata
