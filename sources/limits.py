"""What one document may hold, and the sentences that refuse more.

Generous for real documents: a 1,000-page report is about 3 million characters,
10,000 passages and 1,000 pages; the longest novels are under 4 million
characters. A file beyond these is refused before it reaches the database, so a
hand-made file of millions of empty paragraphs or page breaks cannot fill it.
The checks on the raw bytes are cheap upper bounds, made before a reader spends
minutes on such a file.

>>> check_counts(characters=10, passages=2, pages=1)
>>> try:
...     check_counts(characters=10, passages=MAX_PASSAGES + 1, pages=1)
... except ImportRefused as refusal:
...     print(str(refusal)[:46])
This file holds more than 100,000 passages, mo
"""

from __future__ import annotations

import re

from sources.errors import ImportRefused

MAX_CHARACTERS = 20_000_000
MAX_PASSAGES = 100_000
MAX_PAGES = 20_000

TOO_MANY = (
    "This file holds more than {limit:,} {what}, more than Palimpsest takes in one document; "
    "split it into parts and import each."
)
_SEPARATORS = re.compile(rb"\n(?:[ \t\r]*\n)+")  # one or more blank lines: between passages


def check_counts(*, characters: int, passages: int, pages: int) -> None:
    """Refuse a document over any of the limits, naming the first one it passes."""
    for count, limit, what in (
        (characters, MAX_CHARACTERS, "characters"),
        (passages, MAX_PASSAGES, "passages"),
        (pages, MAX_PAGES, "pages"),
    ):
        if count > limit:
            raise ImportRefused(TOO_MANY.format(limit=limit, what=what))


def check_raw(data: bytes, kind: str) -> None:
    """Refuse at once a file of format ``kind`` whose bytes must make too many pages or
    passages: in plain text and Markdown, form feeds (a page each) and runs of blank
    lines (a passage each); in TEI, ``<pb`` page breaks."""
    if kind in ("text", "markdown"):
        separators = len(_SEPARATORS.findall(data)) if len(data) > MAX_PASSAGES else 0
        check_counts(characters=0, passages=separators, pages=data.count(b"\f"))
    elif kind == "tei":
        check_counts(characters=0, passages=0, pages=data.count(b"<pb"))
