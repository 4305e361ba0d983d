"""DOCX: paragraphs in body order (headings by style), table rows, then footnotes under "Notes".

The zip is checked before python-docx sees it: it must unpack to a sane size
(no zip bomb), hold ``word/document.xml``, and no XML part may declare entities.
Text comes from the XML itself so that tracked insertions count and tracked
deletions and field codes do not; a footnote reference appears as ``[n]``.

Pages: a DOCX has no fixed pages, but it says where some begin. An explicit page
break (``<w:br w:type="page"/>``, or "page break before" on a paragraph) and the
break Word records where it last laid out a page (``<w:lastRenderedPageBreak/>``)
each begin a page, labelled "1", "2" ...; Word writes a rendered break right
after an explicit one, which is the same break. A file without any has no pages.

An "alt chunk" (``<w:altChunk r:id="..."/>``) is another file embedded where it
stands, which Word turns into text when it opens the document; an HTML, XHTML,
plain-text or DOCX chunk is read in its place, any other kind is refused by name
rather than left out. Two zip members with the same name are refused: which one a
reader takes is arbitrary, and Word never writes them.
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
from sources.formats import html, plaintext, xmlsafety
from sources.formats.reading import Mark, ReadingText, tidy_block
from sources.model import ParsedDocument

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MB
MAX_MEMBERS = 10_000

MAX_CHUNK_DEPTH = 3  # a DOCX chunk inside a DOCX chunk inside ... the document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
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
TWIN_MEMBERS = (
    "This DOCX file holds two parts named {name}, which Word never writes (a sign the file "
    "was tampered with), so Palimpsest refuses to guess which one to read."
)
UNREADABLE_CHUNK = (
    "This Word document embeds another file ({name}, {kind}) as an 'alt chunk' that Palimpsest "
    "cannot read, so its text would be missing; open the document in Word, save it again "
    "(Word then makes the chunk ordinary text) and import the new copy."
)
NOTE_CHUNK = (
    "A footnote of this Word document embeds another file as an 'alt chunk', which Palimpsest "
    "cannot read, so its text would be missing; open the document in Word, save it again "
    "and import the new copy."
)
CHUNK_KINDS = {
    "application/rtf": "an RTF document",
    "text/rtf": "an RTF document",
    "message/rfc822": "a web archive (MHT)",
    "application/xml": "an XML file",
    "text/xml": "an XML file",
}
DOCX_CHUNK = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLD_OR_LOCKED = (
    "This Word file is password-protected or in the old .doc format; save it as an "
    "unprotected .docx document and import that."
)


def parse(data: bytes, depth: int = 0) -> ParsedDocument:
    """``depth`` counts the DOCX alt chunks this file is nested in."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(OLD_OR_LOCKED)
    archive = open_archive(data)
    document = _load(data)
    styles = {style.style_id: style.name or "" for style in document.styles}
    pages, reading = PageCount(), ReadingText()
    chunks = AltChunks(document.part, depth)
    blocks = list(_body_blocks(document.element.body, styles, pages, chunks))
    if pages.number > 1:
        reading.page_break("1")
    for text, kind, marks in blocks:
        reading.add(text, kind, marks)
    _add_notes(reading, archive)
    text, passages, pages = reading.build()
    metadata, warnings = _metadata(document), tuple(dict.fromkeys(chunks.warnings))
    return ParsedDocument(text, MEDIA_TYPE, pages, passages, metadata=metadata, warnings=warnings)


def open_archive(data: bytes) -> zipfile.ZipFile:
    """Open the zip and check it is a sane DOCX; nothing is unpacked beyond its XML parts."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ImportRefused(DAMAGED) from error
    _refuse_bomb(infos)
    _refuse_twins(infos)
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


def _refuse_twins(infos: list[zipfile.ZipInfo]) -> None:
    """Part names are case-insensitive in a DOCX (OPC), so ``A.xml`` and ``a.xml`` are twins."""
    seen: set[str] = set()
    for info in infos:
        key = info.filename.casefold()
        if key in seen:
            raise ImportRefused(TWIN_MEMBERS.format(name=info.filename))
        seen.add(key)


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


def _body_blocks(container, styles: dict[str, str], pages: PageCount, chunks: AltChunks):
    """``(text, kind, page marks)`` for each paragraph, table row and alt chunk block,
    content controls opened."""
    for child in container:
        if child.tag == W + "p":
            text, marks = paragraph_block(child, pages)
            yield text, _kind(child, styles), marks
        elif child.tag == W + "tbl":
            rows = _table_rows(child, pages, chunks)
            yield from ((text, "paragraph", marks) for text, marks in rows)
        elif child.tag == W + "sdt":
            for content in child.findall(W + "sdtContent"):
                yield from _body_blocks(content, styles, pages, chunks)
        elif child.tag == W + "customXml":  # a wrapper: its paragraphs are the document's
            yield from _body_blocks(child, styles, pages, chunks)
        elif child.tag == W + "altChunk":
            yield from chunks.blocks(child)


def _kind(paragraph, styles: dict[str, str]) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    name = styles.get(style.get(W + "val"), "") if style is not None else ""
    return "heading" if name.lower().startswith(("heading", "title")) else "paragraph"


def _table_rows(table, pages: PageCount, chunks: AltChunks) -> Iterator[tuple[str, tuple]]:
    """One line per row, cells joined by " | "; merged (empty) cells are left out."""
    for row in table.findall(W + "tr"):
        text, marks = "", []
        for cell in row.findall(W + "tc"):
            cell_text, cell_marks = _cell_block(cell, pages, chunks)
            gap = html.CELL_SEPARATOR if text and cell_text else ""
            marks += [(len(text) + len(gap) + at, label) for at, label in cell_marks]
            text += gap + cell_text
        yield text, tuple(marks)


def _cell_block(cell, pages: PageCount, chunks: AltChunks) -> tuple[str, tuple[Mark, ...]]:
    text, marks = "", []
    for paragraph in cell.iter(W + "p", W + "altChunk"):
        if paragraph.tag == W + "altChunk":
            piece, piece_marks = " ".join(block for block, _, _ in chunks.blocks(paragraph)), ()
        else:
            piece, piece_marks = paragraph_block(paragraph, pages)
        gap = " " if text else ""
        marks += [(len(text) + len(gap) + at, label) for at, label in piece_marks]
        text += gap + piece
    return tidy_block(text, marks)


def paragraph_text(paragraph) -> str:
    """The visible text of a ``w:p``: tracked insertions in, deletions and field codes out."""
    return paragraph_block(paragraph, PageCount())[0]


def paragraph_block(paragraph, pages: PageCount) -> tuple[str, tuple[Mark, ...]]:
    """The visible text of a ``w:p`` and the pages that begin in it, as ``(offset, label)``."""
    hidden = {node for fallback in paragraph.iter(MC_FALLBACK) for node in fallback.iter()}
    before = paragraph.find(f"{W}pPr/{W}pageBreakBefore")
    marks = pages.explicit(0) if before is not None and _on(before) else []
    pieces, size = [], 0
    for node in paragraph.iter(*_NODES):
        if node in hidden:
            continue
        if node.tag == W + "lastRenderedPageBreak":
            marks += pages.rendered(size)
        elif node.tag == W + "br" and node.get(W + "type") == "page":
            marks += pages.explicit(size)
        else:
            piece = _piece(node)
            pages.text(piece)
            pieces.append(piece)
            size += len(piece)
    return "".join(pieces), tuple(marks)


_NODES = (
    W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "footnoteReference",
    W + "lastRenderedPageBreak",
)  # fmt: skip


def _on(toggle) -> bool:
    """A WordprocessingML on/off property: present means on unless ``w:val`` says off."""
    return toggle.get(W + "val", "true") not in ("false", "0", "off")


def _piece(node) -> str:
    tag = node.tag[len(W) :]
    if tag == "t":
        return node.text or ""
    if tag == "footnoteReference":
        return f"[{node.get(W + 'id')}]"
    return {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}[tag]


class AltChunks:
    """Reads the files a document embeds as alt chunks, through the reader of their format."""

    def __init__(self, part, depth: int) -> None:
        self.part = part
        self.depth = depth
        self.warnings: list[str] = []

    def blocks(self, element) -> list[tuple[str, str, tuple[Mark, ...]]]:
        """``(text, kind, no marks)`` for each passage of the chunk ``element`` points to."""
        relationship = self.part.rels.get(element.get(R_ID) or "")
        if relationship is None or relationship.is_external:
            raise ImportRefused(DAMAGED)  # an external chunk is never fetched
        target = relationship.target_part
        document = self._parse(target.blob, target.content_type, str(target.partname))
        self.warnings.extend(document.warnings)
        text = document.text
        return [(text[p.start : p.end], p.kind, ()) for p in document.passages]

    def _parse(self, blob: bytes, content_type: str, name: str) -> ParsedDocument:
        kind = content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return html.parse(blob)
        if kind == "text/plain":
            return plaintext.parse(blob)
        if kind == DOCX_CHUNK and self.depth < MAX_CHUNK_DEPTH:
            return parse(blob, self.depth + 1)
        described = CHUNK_KINDS.get(kind, f"of type {kind or 'unknown'}")
        raise ImportRefused(UNREADABLE_CHUNK.format(name=name, kind=described))


class PageCount:
    """Numbers pages as their breaks go by. A rendered break with no text since the last
    explicit break is that same break (Word writes both); a break before any text at all
    opens no page (Word starts the first page there anyway)."""

    def __init__(self) -> None:
        self.number = 1
        self.any_text = False
        self.after_explicit = False

    def explicit(self, offset: int) -> list[Mark]:
        marks = self._next(offset)
        self.after_explicit = True
        return marks

    def rendered(self, offset: int) -> list[Mark]:
        return [] if self.after_explicit else self._next(offset)

    def text(self, piece: str) -> None:
        if piece.strip():
            self.any_text, self.after_explicit = True, False

    def _next(self, offset: int) -> list[Mark]:
        if not self.any_text:
            return []
        self.number += 1
        return [(offset, str(self.number))]


def _add_notes(reading: ReadingText, archive: zipfile.ZipFile) -> None:
    """Footnotes from ``word/footnotes.xml``, after the body under a heading "Notes"."""
    if "word/footnotes.xml" not in archive.namelist():
        return
    root = xmlsafety.parse_xml(_read_member(archive, "word/footnotes.xml"))
    if any(True for _ in root.iter(W + "altChunk")):
        raise ImportRefused(NOTE_CHUNK)
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
