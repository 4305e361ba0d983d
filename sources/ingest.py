"""Import a file: recognise its format, read it, and return a :class:`ParsedDocument`.

Nothing here touches the database. Every file a scholar might drop in either
yields a document or raises :class:`ImportRefused` with one sentence saying why.

>>> doc = parse_file("Article 1\\n\\nAll human beings are born free.\\n".encode(), "udhr.txt")
>>> doc.media_type, [p.label for p in doc.passages]
('text/plain', ['Article 1', None])
>>> detect_format(b"%PDF-1.7 ...", "notes.txt")
'pdf'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath

from sources import limits
from sources.errors import ImportRefused
from sources.formats import docx, html, image, markdown, pdf, plaintext, tei
from sources.language import detect_language
from sources.model import ParsedDocument
from sources.ocr import OcrOptions
from sources.text import has_visible_text

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # 50 MB: a long book as PDF; refuse larger files outright

PARSERS: dict[str, Callable[[bytes], ParsedDocument]] = {
    "text": plaintext.parse,
    "markdown": markdown.parse,
    "html": html.parse,
    "docx": docx.parse,
    "pdf": pdf.parse,
    "tei": tei.parse,
    "image": image.parse,
}
SCANNABLE = ("pdf", "image")  # formats whose pages may be read by OCR
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".doc": "docx",
    ".pdf": "pdf", ".xml": "tei", ".tei": "tei", ".png": "image", ".jpg": "image",
    ".jpeg": "image", ".tif": "image", ".tiff": "image",
}  # fmt: skip
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
BINARY_SIGNATURES = (
    b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf",
    b"Rar!", b"\x7fELF", b"MZ", b"OggS", b"ID3", b"fLaC", b"RIFF", b"\x00\x00\x01\x00",
    b"{\\rtf", b"\xd0\xcf\x11\xe0",
)  # fmt: skip

EMPTY = "The file is empty."
NO_TEXT = "This file contains no text to import."
_PROLOG = (
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?.*?\?>\s*|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)*"
)
_TEI_ROOT = re.compile(_PROLOG + rb"<(?:[\w.-]+:)?(?:TEI|TEI\.2|teiCorpus)[\s>/]", re.S)
_HTML_ROOT = re.compile(_PROLOG + rb"<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_XML_START = re.compile(rb"^\s*<(?:\?xml|[A-Za-z])")


def parse_file(data: bytes, filename: str, *, language: str | None = None,
               ocr: OcrOptions | None = None) -> ParsedDocument:
    """Read ``data`` (the bytes of a file called ``filename``) into a ParsedDocument.

    The text is NFC with ``\\n`` newlines, ``passages`` are its blank-line
    blocks, ``language`` is the one given or else guessed from the text (the
    file's own declaration is used when the text is too short), ``metadata``
    holds the file's own hints (title, author, date ...). Scans (page images, PDF
    pages without text) are read by OCR as ``ocr`` says, in ``language`` when it is
    given. Raises ImportRefused for anything unreadable.
    """
    _check_size(data)
    kind = detect_format(data, filename)
    limits.check_raw(data, kind)
    if kind in SCANNABLE:
        options = ocr or OcrOptions()
        document = PARSERS[kind](data, replace(options, language=options.language or language))
    else:
        document = PARSERS[kind](data)
    if not has_visible_text(document.text):
        raise ImportRefused(NO_TEXT)
    limits.check_counts(
        characters=len(document.text),
        passages=len(document.passages),
        pages=len(document.pages),
    )
    language = (language or detect_language(document.text)
                or _declared_language(document.metadata))
    return replace(document, language=language)


def detect_format(data: bytes, filename: str) -> str:
    """One of "text", "markdown", "html", "docx", "pdf", "tei", "image": by content first,
    extension second.

    Content means the very start of the file: ``%PDF-``, an image signature (PNG, JPEG,
    TIFF), a zip signature, or an
    XML/HTML prolog followed by a ``<TEI>`` or ``<html>`` root, so that a text
    file merely mentioning these is still read as text.

    Raises ImportRefused for a file Palimpsest cannot read (an archive, a program ...).
    """
    head = _sniff_bytes(data[:8192])
    by_content = _format_by_content(data[:8192], head)
    if by_content:
        return by_content
    extension = PurePath(filename or "").suffix.lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise ImportRefused(_unknown_format(extension))
    if _XML_START.match(head) and extension not in ("", ".txt"):
        raise ImportRefused(_unknown_format(extension))
    return "text"


def _format_by_content(raw: bytes, head: bytes) -> str | None:
    if raw.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(IMAGE_SIGNATURES):
        return "image"
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"  # the DOCX reader refuses zips that are not Word documents
    if _TEI_ROOT.match(head):
        return "tei"
    if _HTML_ROOT.match(head):
        return "html"
    return None


def _sniff_bytes(raw: bytes) -> bytes:
    """The first bytes as ASCII-compatible bytes (UTF-16/32 files are transcoded) for sniffing."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):  # fmt: skip
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
    return raw.removeprefix(b"\xef\xbb\xbf")


def _unknown_format(extension: str) -> str:
    kind = f"{extension} files" if extension else "files of this kind"
    readable = "plain text, Markdown, HTML, DOCX, PDF, TEI XML and scans (PNG, JPEG, TIFF)"
    return f"Palimpsest cannot read {kind}; it reads {readable}."


def _check_size(data: bytes) -> None:
    if not data:
        raise ImportRefused(EMPTY)
    if len(data) > MAX_IMPORT_BYTES:
        size = math.ceil(len(data) / 1_048_576 * 10) / 10
        raise ImportRefused(
            f"This file is {size:.1f} MB, more than the {MAX_IMPORT_BYTES // 1_048_576} MB "
            "Palimpsest imports at once; split it into parts and import each one."
        )


def _declared_language(metadata: dict) -> str | None:
    declared = str(metadata.get("language") or "").strip().lower()
    return declared[:2] if re.match(r"^[a-z]{2}(?:$|[-_])", declared) else None
