"""DOCX: paragraphs in body order (headings by style), table rows, then footnotes under "Notes".

The zip is checked before python-docx sees it: it must unpack to a sane size
(no zip bomb), hold ``word/document.xml``, and no XML part may declare entities.
Text comes from the XML itself so that tracked insertions count and tracked
deletions and field codes do not; a footnote reference appears as ``[n]``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from sources.errors import ImportRefused
from sources.formats import html, xmlsafety
from sources.formats.reading import ReadingText
from sources.model import ParsedDocument

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB
MAX_MEMBERS = 10_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_NOTES = ("separator", "continuationSeparator", "continuationNotice")

DAMAGED = (
    "This DOCX file is damaged or incomplete and cannot be read; open it in a word processor, "
    "save it again and import the new copy."
)
NOT_DOCX = (
    "This file is a zip archive but not a Word document (.docx); unpack it and import the "
    "documents inside one by one."
)
ZIP_BOMB = (
    "This DOCX file would unpack to an unreasonable size (it looks like a zip bomb), "
    "so Palimpsest refuses to open it."
)
OLD_OR_LOCKED = (
    "This Word file is password-protected or in the old .doc format; save it as an "
    "unprotected .docx document and import that."
)


def parse(data: bytes) -> ParsedDocument:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(OLD_OR_LOCKED)
    archive = open_archive(data)
    document = _load(data)
    styles = {style.style_id: style.name or "" for style in document.styles}
    reading = ReadingText()
    for text, kind in _body_blocks(document.element.body, styles):
        reading.add(text, kind)
    _add_notes(reading, archive)
    text, passages, pages = reading.build()
    return ParsedDocument(text, MEDIA_TYPE, pages, passages, metadata=_metadata(document))


def open_archive(data: bytes) -> zipfile.ZipFile:
    """Open the zip and check it is a sane DOCX; nothing is unpacked beyond its XML parts."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ImportRefused(DAMAGED) from error
    _refuse_bomb(infos)
    if "word/document.xml" not in archive.namelist():
        raise ImportRefused(NOT_DOCX)
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            xmlsafety.refuse_entities(_read_member(archive, info.filename))
    return archive


def _refuse_bomb(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(info.file_size for info in infos)
    inflated = any(
        info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or inflated:
        raise ImportRefused(ZIP_BOMB)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise ImportRefused(DAMAGED) from error


def _load(data: bytes):
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as error:  # python-docx: "file ... is not a Word file, content type is ..."
        raise ImportRefused(NOT_DOCX) from error
    except (PackageNotFoundError, KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise ImportRefused(DAMAGED) from error


def _body_blocks(container, styles: dict[str, str]) -> Iterator[tuple[str, str]]:
    """``(text, kind)`` for each paragraph and table row, content controls opened."""
    for child in container:
        if child.tag == W + "p":
            yield paragraph_text(child), _kind(child, styles)
        elif child.tag == W + "tbl":
            yield from ((row, "paragraph") for row in _table_rows(child))
        elif child.tag == W + "sdt":
            for content in child.findall(W + "sdtContent"):
                yield from _body_blocks(content, styles)


def _kind(paragraph, styles: dict[str, str]) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    name = styles.get(style.get(W + "val"), "") if style is not None else ""
    return "heading" if name.lower().startswith(("heading", "title")) else "paragraph"


def _table_rows(table) -> Iterator[str]:
    """One line per row, cells joined by " | "; merged (empty) cells are left out."""
    for row in table.findall(W + "tr"):
        cells = [_cell_text(cell) for cell in row.findall(W + "tc")]
        yield html.CELL_SEPARATOR.join(cell for cell in cells if cell)


def _cell_text(cell) -> str:
    return " ".join(paragraph_text(paragraph) for paragraph in cell.iter(W + "p")).strip()


def paragraph_text(paragraph) -> str:
    """The visible text of a ``w:p``: tracked insertions in, deletions and field codes out."""
    hidden = {node for fallback in paragraph.iter(MC_FALLBACK) for node in fallback.iter()}
    pieces = []
    for node in paragraph.iter(
        W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "footnoteReference"
    ):
        if node not in hidden:
            pieces.append(_piece(node))
    return "".join(pieces)


def _piece(node) -> str:
    tag = node.tag[len(W) :]
    if tag == "t":
        return node.text or ""
    if tag == "footnoteReference":
        return f"[{node.get(W + 'id')}]"
    return {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}[tag]


def _add_notes(reading: ReadingText, archive: zipfile.ZipFile) -> None:
    """Footnotes from ``word/footnotes.xml``, after the body under a heading "Notes"."""
    if "word/footnotes.xml" not in archive.namelist():
        return
    root = xmlsafety.parse_xml(_read_member(archive, "word/footnotes.xml"))
    notes = [
        (note.get(W + "id"), " ".join(paragraph_text(p) for p in note.iter(W + "p")).strip())
        for note in root.iter(W + "footnote")
        if note.get(W + "type") not in _SKIPPED_NOTES
    ]
    notes = [(number, text) for number, text in notes if text]
    if notes:
        reading.add("Notes", "heading")
        for number, text in notes:
            reading.add(f"[{number}] {text}")


def _metadata(document) -> dict:
    properties = document.core_properties
    found = {
        "title": properties.title,
        "author": properties.author,
        "created": properties.created.date().isoformat() if properties.created else None,
        "language": properties.language,
    }
    return {key: value.strip() for key, value in found.items() if value and value.strip()}
