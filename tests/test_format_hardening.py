"""Format readers never drop text silently: every word of a file comes through, or a sentence.

Each hostile file is generated here (nesting, zip members, encodings, right-to-left
text); each test pins the exact outcome, the whole text or the exact refusal.
"""

from __future__ import annotations

import codecs
import io
import re
import warnings
import zipfile

import pytest

from sources.errors import ImportRefused
from sources.formats import docx, html, markdown, xmlsafety

DEPTHS = (300, 1_000, 10_000)


def words_of(count: int, prefix: str = "w") -> list[str]:
    return [f"{prefix}{number}" for number in range(count)]


def missing_words(words: list[str], text: str) -> list[str]:
    found = set(re.findall(r"\w+", text))
    return [word for word in words if word not in found]


# ---------------------------------------------------------------- 1. deep HTML

def nested_html(tag: str, depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    opening = "".join(f"<{tag}>{word} " for word in words)
    markup = f"<html><body>{opening}{f'</{tag}>' * depth}<p>last</p></body></html>"
    return markup.encode(), words + ["last"]


@pytest.mark.parametrize("tag", ["div", "span"])
@pytest.mark.parametrize("depth", DEPTHS)
def test_deeply_nested_html_keeps_every_word_or_is_refused(tag, depth):
    data, words = nested_html(tag, depth)
    try:
        text = html.parse(data).text
    except ImportRefused as refusal:
        assert str(refusal) == html.TOO_DEEP
    else:
        assert missing_words(words, text) == []


def test_html_nested_a_thousand_levels_is_read_whole():
    data, words = nested_html("div", 1_000)
    assert html.parse(data).text.split() == words


def test_html_nested_ten_thousand_levels_is_refused_with_a_sentence():
    data, _ = nested_html("div", 10_000)
    with pytest.raises(ImportRefused) as refusal:
        html.parse(data)
    assert str(refusal.value) == html.TOO_DEEP


# ---------------------------------------------------------------- 2. deep Markdown

def indented_list(depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    return "".join(f"{'  ' * level}- {word}\n" for level, word in enumerate(words)).encode(), words


def one_line_list(depth: int) -> tuple[bytes, list[str]]:
    return ("- " * depth + "deepest\n\nafter\n").encode(), ["deepest", "after"]


def stacked_quotes(depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    lines = "".join(
        f"{'>' * (level + 1)} {word}\n{'>' * level}\n" for level, word in enumerate(words)
    )
    return (lines + "\nafter\n").encode(), words + ["after"]


def one_line_quote(depth: int) -> tuple[bytes, list[str]]:
    return (">" * depth + " deepest\n\nafter\n").encode(), ["deepest", "after"]


@pytest.mark.parametrize(
    "build, depth",
    [
        (indented_list, 10), (indented_list, 49), (indented_list, 300),
        (one_line_list, 10), (one_line_list, 10_000),
        (stacked_quotes, 20), (stacked_quotes, 99), (stacked_quotes, 300),
        (one_line_quote, 20), (one_line_quote, 10_000),
    ],
)  # fmt: skip
def test_deeply_nested_markdown_keeps_every_word(build, depth):
    data, words = build(depth)
    assert missing_words(words, markdown.parse(data).text) == []


def test_markdown_lists_forty_levels_deep_are_read_as_markdown():
    data, words = indented_list(40)
    document = markdown.parse(data)
    assert document.text == "\n\n".join(words)
    assert document.warnings == ()


def test_markdown_deeper_than_markdown_it_reads_is_kept_as_plain_text_with_a_warning():
    data, _ = one_line_quote(10_000)
    document = markdown.parse(data)
    assert document.text == data.decode()
    assert document.warnings == (markdown.READ_AS_PLAIN_TEXT,)


# ---------------------------------------------------------------- 3. DOCX alt chunks, twin members

AFCHUNK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"


def docx_with_alt_chunk(part: str, content_type: str, content: bytes, *, in_cell=False) -> bytes:
    """Paragraphs "Before" and "After" with a ``w:altChunk`` between them (or in a table cell)."""
    import docx as python_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = python_docx.Document()
    document.add_paragraph("Before")
    chunk = OxmlElement("w:altChunk")
    chunk.set(qn("r:id"), "rIdChunk")
    if in_cell:
        cell = document.add_table(rows=1, cols=1).cell(0, 0)
        cell._tc.append(chunk)
    else:
        document.add_paragraph("")._p.addnext(chunk)
    document.add_paragraph("After")
    buffer = io.BytesIO()
    document.save(buffer)
    relationship = f'<Relationship Id="rIdChunk" Type="{AFCHUNK}" Target="{part}"/>'
    override = f'<Override PartName="/word/{part}" ContentType="{content_type}"/>'
    return rezip(
        buffer.getvalue(),
        {
            "word/_rels/document.xml.rels": ("</Relationships>", relationship + "</Relationships>"),
            "[Content_Types].xml": ("</Types>", override + "</Types>"),
        },
        [(f"word/{part}", content)],
    )


def rezip(data: bytes, edits: dict, extra: list[tuple[str, bytes]]) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                content = source.read(name)
                if name in edits:
                    old, new = edits[name]
                    content = content.decode().replace(old, new).encode()
                target.writestr(name, content)
            for name, content in extra:
                target.writestr(name, content)
    return buffer.getvalue()


CHUNK_HTML = b"<html><body><h2>Annex A</h2><p>The quota is <b>twelve</b> tonnes.</p></body></html>"


def test_docx_alt_chunk_in_html_is_read_in_its_place():
    data = docx_with_alt_chunk("chunk.html", "text/html", CHUNK_HTML)
    document = docx.parse(data)
    assert document.text == "Before\n\nAnnex A\n\nThe quota is twelve tonnes.\n\nAfter"
    assert [passage.kind for passage in document.passages][1] == "heading"


def test_docx_alt_chunk_in_xhtml_and_plain_text_are_read():
    xhtml = docx_with_alt_chunk("chunk.xhtml", "application/xhtml+xml", CHUNK_HTML)
    plain = docx_with_alt_chunk("chunk.txt", "text/plain", "Première.\n\nSeconde.\n".encode())
    assert docx.parse(xhtml).text == "Before\n\nAnnex A\n\nThe quota is twelve tonnes.\n\nAfter"
    assert docx.parse(plain).text == "Before\n\nPremière.\n\nSeconde.\n\nAfter"


def test_docx_alt_chunk_in_a_table_cell_is_read():
    data = docx_with_alt_chunk("chunk.html", "text/html", CHUNK_HTML, in_cell=True)
    assert docx.parse(data).text == "Before\n\nAnnex A The quota is twelve tonnes.\n\nAfter"


def test_docx_alt_chunk_palimpsest_cannot_read_is_refused_naming_it():
    data = docx_with_alt_chunk("chunk.rtf", "application/rtf", rb"{\rtf1 Hidden annex.}")
    with pytest.raises(ImportRefused) as refusal:
        docx.parse(data)
    assert str(refusal.value) == (
        "This Word document embeds another file (/word/chunk.rtf, an RTF document) as an "
        "'alt chunk' that Palimpsest cannot read, so its text would be missing; open the "
        "document in Word, save it again (Word then makes the chunk ordinary text) and import "
        "the new copy."
    )


def test_docx_with_two_document_parts_is_refused():
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("The original text.")
    buffer = io.BytesIO()
    document.save(buffer)
    original = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("word/document.xml")
    forged = original.replace(b"The original text.", b"A substituted text.")
    data = rezip(buffer.getvalue(), {}, [("word/document.xml", forged)])
    assert zipfile.ZipFile(io.BytesIO(data)).namelist().count("word/document.xml") == 2
    with pytest.raises(ImportRefused) as refusal:
        docx.parse(data)
    assert str(refusal.value) == (
        "This DOCX file holds two parts named word/document.xml, which Word never writes "
        "(a sign the file was tampered with), so Palimpsest refuses to guess which one to read."
    )


def test_docx_paragraph_wrapped_in_custom_xml_is_read():
    import docx as python_docx
    from docx.oxml import OxmlElement

    document = python_docx.Document()
    document.add_paragraph("Before")
    wrapped = document.add_paragraph("Wrapped in custom XML")
    wrapper = OxmlElement("w:customXml")
    wrapped._p.addprevious(wrapper)
    wrapper.append(wrapped._p)
    document.add_paragraph("After")
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx.parse(buffer.getvalue()).text == "Before\n\nWrapped in custom XML\n\nAfter"


def test_docx_alt_chunk_that_is_itself_a_docx_is_read():
    inner = docx_with_alt_chunk("chunk.html", "text/html", CHUNK_HTML)
    data = docx_with_alt_chunk("inner.docx", docx.DOCX_CHUNK, inner)
    assert docx.parse(data).text == (
        "Before\n\nBefore\n\nAnnex A\n\nThe quota is twelve tonnes.\n\nAfter\n\nAfter"
    )


# ---------------------------------------------------------------- 4. declared encodings, XHTML DTDs

def page_declaring(charset: str, body: bytes) -> bytes:
    head = f'<html><head><meta charset="{charset}"><title>T</title></head><body><p>'.encode()
    return head + body + b"</p></body></html>"


@pytest.mark.parametrize(
    "charset", ["undefined", "unicode_escape", "rot13", "utf-7", "base64", "hex", "x-unknown"]
)
def test_html_declaring_an_encoding_no_browser_knows_is_sniffed(charset):
    document = html.parse(page_declaring(charset, "Café crème, déjà vu.".encode("cp1252")))
    assert document.text == "Café crème, déjà vu."
    assert document.metadata["encoding"] == "cp1252"


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-16be"])
@pytest.mark.parametrize("body", ["Café crème, déjà vu.", "Café crème, déjà vu!!"])
def test_html_declaring_utf16_on_an_eight_bit_file_is_read_as_browsers_do(charset, body):
    document = html.parse(page_declaring(charset, body.encode("cp1252")))  # odd, even length
    assert document.text == body


def test_html_declaring_utf16_on_a_utf8_file_is_read_as_utf8():
    document = html.parse(page_declaring("utf-16", "Café crème, déjà vu.".encode()))
    assert document.text == "Café crème, déjà vu."
    assert document.warnings == ()


def test_html_declaring_latin1_gets_windows_1252_quotes_as_browsers_do():
    document = html.parse(page_declaring("iso-8859-1", b"\x93Quoted\x94 caf\xe9 \x96 fin"))
    assert document.text == "“Quoted” café – fin"


def test_html_declaring_a_real_legacy_encoding_is_honoured():
    document = html.parse(page_declaring("koi8-r", "Москва".encode("koi8-r")))
    assert document.text == "Москва"


XHTML_ENTITY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html [<!ENTITY x "expanded">]>\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Text &x;.</p></body></html>'
)


def test_xhtml_declaring_an_entity_is_refused_like_xml():
    with pytest.raises(ImportRefused) as refusal:
        html.parse(XHTML_ENTITY)
    assert str(refusal.value) == xmlsafety.ENTITIES


def test_xhtml_declaring_an_entity_in_utf16_is_refused_like_xml():
    with pytest.raises(ImportRefused) as refusal:
        html.parse(codecs.BOM_UTF16_LE + XHTML_ENTITY.decode().encode("utf-16-le"))
    assert str(refusal.value) == xmlsafety.ENTITIES


def test_xhtml_with_an_internal_subset_without_entities_keeps_no_debris():
    data = (
        b'<!DOCTYPE html [<!ATTLIST p id ID #IMPLIED>]>\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Only this.</p></body></html>'
    )
    assert html.parse(data).text == "Only this."


def test_html_opening_with_many_comments_is_read():
    # A lazy ".*?" per comment let the DOCTYPE pattern try every way of grouping the
    # comments: 2**40 attempts here, an import that never ends.
    data = b"<!---->" * 40 + b"<html><body><p>After the comments.</p></body></html>"
    assert html.parse(data).text == "After the comments."
