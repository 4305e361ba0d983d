"""Hostile and awkward files, built in memory, for import tests (here and in other modules).

Every builder returns bytes. ``REFUSED`` lists the files an import must refuse,
with the filename to use and a fragment of the sentence the scholar should see;
``ACCEPTED`` lists awkward files that must import correctly.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from tests import make_samples


def empty() -> bytes:
    return b""


def oversized(limit: int) -> bytes:
    """One byte over ``limit`` (pass ``sources.ingest.MAX_IMPORT_BYTES``)."""
    return b"a" * (limit + 1)


def binary_noise(size: int = 4096) -> bytes:
    """Random bytes with NULs in them: an executable or image renamed to .txt."""
    generator = random.Random(1986)
    return bytes(generator.randrange(256) for _ in range(size)) + b"\x00\x00"


def binary_without_nuls(size: int = 4096) -> bytes:
    """Random bytes, no NUL: undecodable as UTF-8 and meaningless in any code page."""
    generator = random.Random(7)
    return bytes(generator.choice(range(1, 32)) for _ in range(size))


def mixed_encoding() -> bytes:
    """Half UTF-8, half Latin-1: what a careless concatenation of two files produces."""
    return ("Café crème, été. " * 5).encode("utf-8") + ("Café crème, été. " * 5).encode("latin-1")


def png(width: int = 1, height: int = 1) -> bytes:
    """A PNG image of ``width`` x ``height`` grey pixels whose data holds one white row: a
    small file that, beyond 1 x 1, declares more pixels than it carries (a "bomb")."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff" * width)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png_bomb(side: int = 100_000) -> bytes:
    """A PNG of a few hundred bytes that declares ``side`` x ``side`` pixels (10 gigapixels)."""
    return png(side, side)


def truncated_tiff() -> bytes:
    """A real 600 x 800 TIFF cut off halfway through its pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((600, 800), 60).save(buffer, "TIFF")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def image_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages, each covered by the same small image (stored once)."""
    from fpdf import FPDF
    from PIL import Image

    document = FPDF()
    picture = Image.new("L", (200, 280), 200)
    for _ in range(pages):
        document.add_page()
        document.image(picture, x=0, y=0, w=210, h=297)
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open."""
    from fpdf import FPDF

    document = FPDF()
    document.set_encryption(owner_password="owner", user_password="secret")
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(0, 10, "Confidential minutes.")
    return bytes(document.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF with drawings only and no text layer, like a scan."""
    from fpdf import FPDF

    document = FPDF()
    for _ in range(pages):
        document.add_page()
        for row in range(20):
            document.rect(20, 20 + row * 12, 170, 8, style="F")
    return bytes(document.output())


def truncated_pdf() -> bytes:
    """The sample PDF cut in half, as an interrupted download leaves it."""
    data = make_samples.pdf()
    return data[: len(data) // 2]


def garbage_pdf() -> bytes:
    """Starts like a PDF, then nothing but noise."""
    return b"%PDF-1.7\n" + binary_without_nuls(2048)


def truncated_docx() -> bytes:
    data = make_samples.docx()
    return data[: len(data) // 2]


def zip_not_docx() -> bytes:
    """A zip archive of two text files, named .docx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", "Some notes.")
        archive.writestr("more/notes.txt", "More notes.")
    return buffer.getvalue()


def docx_zip_bomb(megabytes: int = 5) -> bytes:
    """A DOCX whose document.xml is padded with megabytes of zeros (a ratio near 1000:1)."""
    source = zipfile.ZipFile(io.BytesIO(make_samples.docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("word/media/padding.bin", b"\x00" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


def docx_with_entities() -> bytes:
    """A DOCX whose document.xml declares an entity (billion laughs inside a zip)."""
    source = zipfile.ZipFile(io.BytesIO(make_samples.docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace(
                    b"?>", b'?><!DOCTYPE w:document [<!ENTITY lol "lol">]>', 1
                )
            archive.writestr(info.filename, content)
    return buffer.getvalue()


def old_word_document() -> bytes:
    """The first bytes of an OLE compound file (old .doc, or a password-protected .docx)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def billion_laughs() -> bytes:
    """The classic entity-expansion bomb, dressed as TEI."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n' + "\n".join(entities) + "\n]>\n"
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>'
    ).encode()


def external_entity() -> bytes:
    """TEI that tries to read a local file through an external entity."""
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>'
    )


def external_entity_utf16() -> bytes:
    """The same attack encoded in UTF-16, where a naive byte search would miss it."""
    return external_entity().decode().replace('"?>', ' encoding="UTF-16"?>', 1).encode("utf-16")


def malformed_tei() -> bytes:
    return b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Unclosed</body></text></TEI>'


def html_with_scripts() -> bytes:
    """Scripts everywhere; the import keeps the prose and none of the code."""
    return (
        b"<html><head><script>steal()</script></head><body onload='evil()'>"
        b"<p>Visible <script>document.write('hidden')</script>prose.</p>"
        b"<noscript>Enable JavaScript</noscript><style>p{}</style>"
        b"<p>More <img src=x onerror='alert(1)'>prose.</p></body></html>"
    )


def huge_single_line(characters: int = 2_000_000) -> bytes:
    """One line of ~2 million characters, no newline at all."""
    sentence = "The delegates met again and the minutes were read aloud. "
    return (sentence * (characters // len(sentence) + 1))[:characters].encode("utf-8")


UNICODE_HEAVY = (
    "Arabic: الجمعية العامة تعتمد القرار.\n"
    "Hebrew: האסיפה הכללית מאמצת את ההחלטה.\n\n"
    "Combining: Cafe\u0301 cre\u0300me, A\u030a, n\u0303, Z\u0301ro\u0301dlo.\n\n"
    "Emoji: 👩🏽‍⚖️ signed 📜 at 12:00 🇨🇭; flags 🏳️‍🌈.\n\n"
    "Astral: 𐌰𐌱𐌲 𝔄𝔅 𠀀𠀁, CJK 联合国大会.\n\n"
    "Zero-width: a\u200bb\u200cc\u200dd, bidi \u202eevil\u202c done."
)


def unicode_heavy() -> bytes:
    """Right-to-left scripts, combining marks (decomposed), emoji sequences, astral planes."""
    return UNICODE_HEAVY.encode("utf-8")


def invisible_text() -> bytes:
    """Nothing a reader can see: ideographic spaces, no-break spaces, zero-width spaces."""
    return ("\u3000\u00a0\u200b\u200c\u200d\ufeff\u2060 \n\n" * 40).encode("utf-8")


# (builder, filename, fragment of the refusal sentence)
REFUSED = (
    (empty, "empty.txt", "The file is empty."),
    (binary_noise, "notes.txt", "does not look like text"),
    (binary_without_nuls, "notes.txt", "does not look like text"),
    (mixed_encoding, "minutes.txt", "mixes several text encodings"),
    (png, "scan.png", "too small to hold a page of text"),
    (encrypted_pdf, "minutes.pdf", "password-protected"),
    (scanned_pdf, "scan.pdf", "no text layer; it looks like a scan"),
    (truncated_pdf, "report.pdf", "damaged or incomplete"),
    (garbage_pdf, "report.pdf", "damaged or incomplete"),
    (truncated_docx, "treaty.docx", "damaged or incomplete"),
    (zip_not_docx, "treaty.docx", "not a Word document"),
    (docx_zip_bomb, "treaty.docx", "zip bomb"),
    (docx_with_entities, "treaty.docx", "declares entities"),
    (old_word_document, "treaty.doc", "old .doc format"),
    (billion_laughs, "letter.xml", "declares entities"),
    (external_entity, "letter.xml", "declares entities"),
    (external_entity_utf16, "letter.xml", "declares entities"),
    (malformed_tei, "letter.xml", "not well-formed"),
    (invisible_text, "blank.txt", "contains no text to import"),
)


# -- bombs: small files whose reading costs gigabytes or minutes (issue 11) ------------------


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from its object bodies, numbered from 1 (1: catalog, 2: pages), with a true xref.

    Written by hand so that a test can build what no PDF library would make.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, dictionary: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content, 9)
        dictionary += b" /Filter /FlateDecode"
    return b"<<%s /Length %d>>\nstream\n%s\nendstream" % (dictionary, len(content), content)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_WORDS = b"BT /F1 12 Tf 72 700 Td (The delegates met.) Tj ET"


def pdf_xobject_bomb(depth: int = 24) -> bytes:
    """A one-page PDF whose form XObjects each draw the next one twice, ``depth`` times.

    Under 3 KB, yet the page holds 2**depth copies of one line of text: pdfium
    expands every one of them (depth 20: 18 s and 3.2 GB; depth 24: ~50 GB).
    Objects: 1 catalog, 2 pages, 3 page, 4 page content, 5 font, 6.. the forms.
    """
    first_form = 6
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> >>",
        _stream(b"/X Do"),
        _FONT,
    ]
    for level in range(depth + 1):
        form = b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
        if level < depth:
            child = first_form + level + 1
            form += b" /Resources << /XObject << /X %d 0 R >> >>" % child
            objects.append(_stream(b"q /X Do Q q 1 0 0 1 0 -1 cm /X Do Q", form))
        else:
            objects.append(_stream(_WORDS, form + b" /Resources << /Font << /F1 5 0 R >> >>"))
    return raw_pdf(objects)


def pdf_content_stream_bomb(operations: int = 5_000_000) -> bytes:
    """A one-page PDF whose compressed content stream shows a word ``operations`` times.

    Deflate shrinks the repetition about 1000-fold: 5 million operations make a
    file of a few hundred KB that pdfium inflates into hundreds of MB of page objects.
    """
    content = b"BT /F1 12 Tf 72 700 Td\n" + b"(a) Tj\n" * operations + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content, compress=True),
        _FONT,
    ]
    return raw_pdf(objects)


def tiny_paragraphs(count: int = 5_000_000) -> bytes:
    """``count`` one-letter paragraphs: 3 bytes each, one passage each (15 MB: 5 million)."""
    return b"a\n\n" * count


def form_feeds(count: int = 1_000_000) -> bytes:
    """A text of ``count`` pages of one letter each, separated by form feeds."""
    return b"a\f" * count


def tei_page_breaks(count: int = 1_000_000) -> bytes:
    """TEI with ``count`` ``<pb/>`` elements, a letter between each two: one page each."""
    return (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>'
        + b"a<pb/>" * count
        + b"</p></body></text></TEI>"
    )
