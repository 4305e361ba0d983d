"""Good sample files of every format Palimpsest reads, built in memory (nothing on disk).

Each builder returns the bytes of a file; the constants next to it say what a
correct import must find (words, pages, labels), so tests in other modules can
use the samples too.
"""

from __future__ import annotations

import io
import textwrap
import zipfile

# --- plain text ---------------------------------------------------------------------------

TEXT_FR = (
    "Loi sur les langues officielles\n"
    "\n"
    "1 La présente loi a pour objet :\n"
    "\n"
    "a) d’assurer le respect du français et de l’anglais à titre de langues officielles;\n"
    "b) de préciser les pouvoirs des institutions fédérales.\n"
    "\n"
    "2 (1) Le Noël de l’été: « où êtes-vous ? » demanda-t-elle; déjà l’hôtel était fermé.\n"
)
TEXT_FR_PASSAGES = (
    "Loi sur les langues officielles",
    "1 La présente loi a pour objet :",
    "a) d’assurer le respect du français et de l’anglais à titre de langues officielles;\n"
    "b) de préciser les pouvoirs des institutions fédérales.",
    "2 (1) Le Noël de l’été: « où êtes-vous ? » demanda-t-elle; déjà l’hôtel était fermé.",
)
TEXT_PAGED = (
    "Page one, first paragraph.\n\nA sentence that runs\n\fonto page two.\n\f\n"
    "Page three on its own.\n\f"
)


def text_utf8() -> bytes:
    """French UTF-8, NFC, LF: the parsed text must equal the file, byte for byte."""
    return TEXT_FR.encode("utf-8")


def text_paged() -> bytes:
    """Form feeds: three pages (the trailing one ends page three, it opens no fourth);
    a paragraph runs from page one onto page two, a form feed alone on a line is blank."""
    return TEXT_PAGED.encode("utf-8")


def text_latin1() -> bytes:
    """The French sample in Latin-1 (no curly apostrophes: Latin-1 has none)."""
    return TEXT_FR.replace("’", "'").encode("latin-1")


def text_cp1252() -> bytes:
    """The French sample in Windows-1252, curly apostrophes and ``œ`` included, CRLF newlines."""
    return (TEXT_FR + "Le cœur… “enfin”.\n").replace("\n", "\r\n").encode("cp1252")


def text_utf16() -> bytes:
    """The French sample in UTF-16 with a byte-order mark."""
    return TEXT_FR.encode("utf-16")


def text_utf8_bom() -> bytes:
    return b"\xef\xbb\xbf" + TEXT_FR.encode("utf-8")


# --- Markdown ------------------------------------------------------------------------------

MARKDOWN = """---
title: Draft Convention
author: Secretariat
date: 1986-03-12
---

# Draft Convention

The *Parties* to this Convention,
having met in **Geneva**, agree as follows:

## Article 1

1. Each Party shall protect the [archives](https://example.org) of the others.
2. No Party shall destroy `records`.

- a bullet item

| Year | Event |
|------|-------|
| 1986 | Signature |

<div>Raw HTML block<script>alert("x")</script></div>
"""
MARKDOWN_TEXT = (
    "Draft Convention\n\n"
    "The Parties to this Convention, having met in Geneva, agree as follows:\n\n"
    "Article 1\n\n"
    "1. Each Party shall protect the archives of the others.\n\n"
    "2. No Party shall destroy records.\n\n"
    "a bullet item\n\n"
    "Year | Event\n\n"
    "1986 | Signature\n\n"
    "Raw HTML block"
)


def markdown() -> bytes:
    return MARKDOWN.encode("utf-8")


# --- HTML ----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Press release, 12 March 1986</title>
  <meta name="author" content="Ministry of Foreign Affairs">
  <meta name="date" content="1986-03-12">
  <style>p { color: red; }</style>
  <script>var secret = "do not import me";</script>
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/news">News</a></nav>
  <h1>Statement on the   negotiations</h1>
  <p>The delegations met in <b>Geneva</b>
     and reached agreement.<script>document.write("injected")</script></p>
  <!-- an editor's comment -->
  <ul><li>(a) fisheries;</li><li>(b) archives.</li></ul>
  <table><tr><th>Country</th><th>Vote</th></tr><tr><td>Chile</td><td>Yes</td></tr></table>
  <p>First line<br>second line</p>
</body>
</html>
"""
HTML_TEXT = (
    "Statement on the negotiations\n\n"
    "The delegations met in Geneva and reached agreement.\n\n"
    "(a) fisheries;\n\n"
    "(b) archives.\n\n"
    "Country | Vote\n\n"
    "Chile | Yes\n\n"
    "First line\nsecond line"
)


def html() -> bytes:
    return HTML.encode("utf-8")


# --- DOCX ----------------------------------------------------------------------------------

DOCX_TEXT = (
    "Draft Treaty on Fisheries\n\n"
    "Article 1\n\n"
    "1. The Parties agree to share their catch records.[1]\n\n"
    "Each Party keeps its archives open.\n\n"
    "Species | Quota\n\n"
    "Hake | 12 000 t\n\n"
    "Article 2\n\n"
    "(a) This Treaty enters into force on signature.\n\n"
    "Notes\n\n"
    "[1] Records since 1970 only."
)
DOCX_HEADINGS = ("Draft Treaty on Fisheries", "Article 1", "Article 2", "Notes")


def docx() -> bytes:
    """Title, headings, paragraphs, a table, a tracked deletion and a real footnote."""
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.title = "Draft Treaty"
    document.core_properties.author = "Secretariat"
    document.add_heading("Draft Treaty on Fisheries", 0)
    document.add_heading("Article 1", level=1)
    paragraph = document.add_paragraph("1. The Parties agree to share their catch records.")
    paragraph._p.append(_footnote_reference(1))
    kept = document.add_paragraph("Each Party keeps its ")
    kept._p.append(_deleted_run("secret "))
    kept.add_run("archives").bold = True
    kept.add_run(" open.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Species", "Quota"), ("Hake", "12 000 t")), strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_heading("Article 2", level=1)
    document.add_paragraph("(a) This Treaty enters into force on signature.")
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_footnotes(buffer.getvalue(), {1: "Records since 1970 only."})


def _footnote_reference(number: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run, reference = OxmlElement("w:r"), OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run.append(reference)
    return run


def _deleted_run(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    deletion, run, deleted = OxmlElement("w:del"), OxmlElement("w:r"), OxmlElement("w:delText")
    deletion.set(qn("w:id"), "99")
    deletion.set(qn("w:author"), "Editor")
    deleted.text = text
    run.append(deleted)
    deletion.append(run)
    return deletion


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _with_footnotes(data: bytes, notes: dict[int, str]) -> bytes:
    """Add ``word/footnotes.xml`` (with Word's separator notes) to a python-docx file."""
    body = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for number, text in notes.items()
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>{body}</w:footnotes>"
    )
    relationship = f'<Relationship Id="rIdNotes" Type="{_FOOTNOTES_TYPE}" Target="footnotes.xml"/>'
    override = f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_CONTENT}"/>'
    edits = {
        "word/_rels/document.xml.rels": ("</Relationships>", relationship + "</Relationships>"),
        "[Content_Types].xml": ("</Types>", override + "</Types>"),
    }
    return _rezip(data, edits, {"word/footnotes.xml": footnotes.encode("utf-8")})


def _rezip(data: bytes, edits: dict, extra: dict[str, bytes]) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in edits:
                old, new = edits[info.filename]
                content = content.decode("utf-8").replace(old, new).encode("utf-8")
            target.writestr(info.filename, content)
        for name, content in extra.items():
            target.writestr(name, content)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------

PDF_RUNNING_HEAD = "Joint Commission on Fisheries - Draft Report"
PDF_PAGE_WORDS = {"Cartagena": "2", "Montevideo": "3", "Valparaiso": "1"}
PDF_HYPHENATED = ("pre-", "vious", "previous")
PDF_CONTINUED = "the committee agreed to postpone the vote until the next session."
_FILLER = (
    "The delegations of Chile, Peru and Ecuador examined the catch statistics for the "
    "southern zone and compared them with the figures of the previous season, noting that "
    "the data collected at Valparaiso were incomplete for the winter months and that the "
    "sampling methods of the three services still differed in several respects"
)


def _paged_pdf(running_head: str, *, body_top: int):
    """An A4 fpdf2 document with ``running_head`` atop and the page number below every page."""
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self):
            self.set_font("Helvetica", "I", 9)
            self.cell(0, 8, running_head, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_y(body_top)
            self.set_font("Helvetica", size=11)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")
            self.set_font("Helvetica", size=11)

    return Paged(format="A4")


def pdf(labels: bool = False) -> bytes:
    """Three A4 pages: running head, page number in the footer, a word hyphenated at a line
    end, a paragraph running from page 1 onto page 2. With ``labels``, pages are "i", "1", "2".
    """
    document = _paged_pdf(PDF_RUNNING_HEAD, body_top=30)
    document.set_auto_page_break(False)
    document.set_title("Draft Report")
    document.set_author("Joint Commission")
    _pdf_page_one(document, labels)
    _pdf_page_two(document, labels)
    _pdf_page_three(document)
    return bytes(document.output())


def _pdf_page_one(document, labels: bool) -> None:
    document.add_page()
    if labels:
        document.set_page_label("r")
    _pdf_paragraph(document, ["Report on the Negotiations of 1986."])
    for _ in range(3):
        _pdf_paragraph(document, textwrap.wrap(_FILLER + ".", 92))
    _pdf_paragraph(
        document,
        [
            "After a long exchange of views on the quotas, and on the basis of the pre-",
            "vious draft prepared by the secretariat, the delegations considered the text",
        ]
        + textwrap.wrap(_FILLER + ", so that", 92)[: _lines_left(document) - 1]
        + ["in the end, after much discussion of the figures and of the sampling methods,"],
    )


def _pdf_page_two(document, labels: bool) -> None:
    document.add_page()
    if labels:
        document.set_page_label("D", None, 1)
    _pdf_paragraph(document, [PDF_CONTINUED])
    _pdf_paragraph(
        document, textwrap.wrap("The next session will be held at Cartagena in May. " * 3, 92)
    )


def _pdf_page_three(document) -> None:
    document.add_page()
    _pdf_paragraph(document, textwrap.wrap("The annex lists the ports of Montevideo. " * 2, 92))


def _pdf_paragraph(document, lines: list[str]) -> None:
    for line in lines:
        document.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    document.ln(6)


def _lines_left(document) -> int:
    """Body lines that still fit above the footer zone."""
    return int((document.h - 30 - document.get_y()) // 6)


def book_paragraphs(count: int) -> list[str]:
    """``count`` numbered paragraphs of varying length (1 to 4 sentences of the filler)."""
    clauses = _FILLER.split(", ")
    return [
        f"{number}. " + ", ".join(clauses[: 1 + (number * 7) % len(clauses)]) + "."
        for number in range(1, count + 1)
    ]


def pdf_pages(count: int) -> tuple[bytes, list[str]]:
    """A long PDF of ``count`` pages (running head, page numbers) and the paragraphs it holds."""
    document = _paged_pdf("A long report", body_top=25)
    document.set_auto_page_break(True, margin=25)
    document.add_page()
    paragraphs, written = book_paragraphs(40 * count), []
    for paragraph in paragraphs:
        if document.page_no() >= count and document.get_y() > 230:
            break
        for line in textwrap.wrap(paragraph, 92):
            document.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        document.ln(4)
        written.append(paragraph)
    return bytes(document.output()), written


# --- TEI -----------------------------------------------------------------------------------

TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter to the Minister</title><author>A. Diplomat</author></titleStmt>
      <publicationStmt><p>Unpublished</p><date when="2024-01-01">2024</date></publicationStmt>
      <sourceDesc>
        <bibl>Archive copy, <date when="1986-03-12">12 March 1986</date></bibl>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <pb n="41"/>
      <fw type="header">Correspondence, 1986</fw>
      <head>Letter</head>
      <p>Dear <choice><sic>Minster</sic><corr>Minister</corr></choice>,
         the talks at <placeName>Geneva</placeName> went well<note n="a">The talks
         began on 10 March.</note>. We <del>never</del> agreed on
         the quotas, and the text will be sent
         <pb n="42"/>to you tomorrow.</p>
      <lg>
        <l>First line of the verse,</l>
        <l>second line of the verse.</l>
      </lg>
      <p>Yours sincerely.</p>
    </body>
  </text>
</TEI>
"""
TEI_TEXT = (
    "Letter\n\n"
    "Dear Minister, the talks at Geneva went well[a]. We agreed on the quotas, and the text "
    "will be sent to you tomorrow.\n\n"
    "First line of the verse,\nsecond line of the verse.\n\n"
    "Yours sincerely.\n\n"
    "Notes\n\n"
    "[a] The talks began on 10 March."
)


def tei() -> bytes:
    return TEI.encode("utf-8")


SAMPLES = {
    "sample.txt": text_utf8,
    "sample.md": markdown,
    "sample.html": html,
    "sample.docx": docx,
    "sample.pdf": pdf,
    "sample.xml": tei,
}
