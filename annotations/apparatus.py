"""A stored comparison as a TEI critical apparatus (parallel segmentation).

The base text is the lemma's frame: one ``<ab n="¶">`` per passage of the base or
of the compared version, in reading order, typed by what happened to it
(``equal``, ``changed``, ``moved``, ``removed``, ``added``). Inside a changed or
moved passage each place of variation is an ``<app type="T">`` with one
``<rdg wit="#A">`` and one ``<rdg wit="#B">``, ``T`` from the variant vocabulary
of :mod:`sources.variants` as the scholar left it (re-typed or not); a variant set
aside as not significant has ``ana="#not-significant"``. A removed passage is an
``<app type="removed">`` whose ``#B`` reading is empty; where the passage was
found again in another document (an annex, a translation), that document's text
is one more reading (``type="moved"`` or ``type="translation"``, with its
language), followed by an ``<app>`` per figure or date the two disagree on. Joining
the text outside the apparatus with the readings of one witness gives that
witness's passage back (spaces at the edge of a place aside).
"""

from __future__ import annotations

from lxml import etree

from annotations.collation import Comparison, StoredLink
from annotations.export import TEI_NS, tei_element, xml_safe
from annotations.meaning import StoredVariant
from annotations.witnesses import SIGLA, WitnessTable
from sources.variation import variation_places

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CATEGORIES = {
    "not-significant": "A variant the scholar set aside as not significant.",
    "discrepancy": "A figure or date on which a passage and its translation disagree.",
}


def comparison_tei(comparison: Comparison) -> str:
    """The comparison as a TEI document (a string, UTF-8 declared)."""
    documents = (comparison.base, *comparison.others)
    sigla = {doc.id: SIGLA[k] for k, doc in enumerate(documents)}
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    _header(tei, comparison, sigla)
    body = tei_element("body", tei_element("text", tei))
    for link in comparison.pair_links():
        _passage(body, comparison, link, sigla)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tei, encoding="unicode")


def _header(tei, comparison: Comparison, sigla: dict[int, str]) -> None:
    header = tei_element("teiHeader", tei)
    file_desc = tei_element("fileDesc", header)
    tei_element("title", tei_element("titleStmt", file_desc),
                f"Collation of “{comparison.base.title}” with “{comparison.version.title}”")
    tei_element("p", tei_element("publicationStmt", file_desc),
                "Exported from Palimpsest: a critical apparatus in parallel segmentation.")
    witnesses = tei_element("listWit", tei_element("sourceDesc", file_desc))
    for doc in (comparison.base, *comparison.others):
        details = ", ".join(v for v in (doc.kind, doc.language, doc.date, doc.issuer) if v)
        tei_element("witness", witnesses, f"{doc.title} ({details})", xml_id=sigla[doc.id])
    encoding = tei_element("encodingDesc", header)
    tei_element("variantEncoding", encoding, method="parallel-segmentation",
                location="internal")
    taxonomy = tei_element("taxonomy", tei_element("classDecl", encoding), xml_id="palimpsest")
    for ident, meaning in CATEGORIES.items():
        tei_element("catDesc", tei_element("category", taxonomy, xml_id=ident), meaning)


def _passage(body, comparison: Comparison, link: StoredLink, sigla) -> None:
    a, b = sigla[comparison.base.id], sigla[comparison.version.id]
    n = str(link.a.seq) if link.a else f"+{link.b.seq}"
    block = tei_element("ab", body, type=link.kind, n=n)
    if link.kind == "equal":
        block.text = xml_safe(link.a.text)
    elif link.kind in ("changed", "moved"):
        _with_variants(block, link, a, b)
    elif link.kind == "removed":
        app = tei_element("app", block, type="removed")
        tei_element("rdg", app, link.a.text, wit=f"#{a}")
        tei_element("rdg", app, wit=f"#{b}")
        languages = {d.id: d.language for d in comparison.others}
        for found in comparison.destinations(link.a):
            _found_elsewhere(app, block, found, sigla, languages.get(found.b_document_id))
    elif link.kind == "added":
        app = tei_element("app", block, type="added")
        tei_element("rdg", app, wit=f"#{a}")
        tei_element("rdg", app, link.b.text, wit=f"#{b}")


def _with_variants(block, link: StoredLink, a: str, b: str) -> None:
    """The base passage, each variant an ``<app>`` with both readings."""
    text, offset = link.a.text, link.a.start
    places = sorted((v for v in link.variants if v.variant.a and v.variant.b),
                    key=lambda v: v.variant.a.start)
    at, last = 0, None
    for variant in places:
        start, end = variant.variant.a.start - offset, variant.variant.a.end - offset
        if start < at:  # overlapping places (rare): the first one stands
            continue
        _append_text(block, last, text[at:start])
        last = _app(block, variant, a, b)
        at = end
    _append_text(block, last, text[at:])


def _app(block, variant: StoredVariant, a: str, b: str):
    attributes = {"type": variant.type}
    if not variant.significant:
        attributes["ana"] = "#not-significant"
    app = tei_element("app", block, **attributes)
    tei_element("rdg", app, variant.old, wit=f"#{a}")
    tei_element("rdg", app, variant.new, wit=f"#{b}")
    return app


def _append_text(block, last, text: str) -> None:
    if last is None:
        block.text = (block.text or "") + xml_safe(text)
    else:
        last.tail = (last.tail or "") + xml_safe(text)


def _found_elsewhere(app, block, found: StoredLink, sigla, language: str | None) -> None:
    kind = "translation" if found.kind == "translated" else "moved"
    reading = tei_element("rdg", app, found.b.text, type=kind,
                          wit=f"#{sigla[found.b_document_id]}")
    if language:
        reading.set(XML_LANG, xml_safe(language))
    for variant in found.variants:
        if not variant.flagged:
            continue
        disagreement = tei_element("app", block, type=variant.type, ana="#discrepancy")
        tei_element("rdg", disagreement, variant.old, wit=f"#{sigla[found.a.document_id]}")
        tei_element("rdg", disagreement, variant.new, wit=f"#{sigla[found.b_document_id]}")


_IN_PLACES = ("equal", "changed", "moved", "added", "absent")
"""Statuses whose readings take part in the word-level places (same language as the base)."""


def witnesses_tei(table: WitnessTable) -> str:
    """All witnesses of a table as one TEI critical apparatus (parallel segmentation).

    One ``<ab>`` per row (``n`` is the base passage number, ``+`` for a passage the
    base lacks). Words every witness shares are plain text; each place of variation
    (:mod:`sources.variation`) is an ``<app>`` whose ``<rdg wit="#A #C">`` lists the
    witnesses that read the same words there; ``type="absent"`` marks witnesses that
    lack the whole passage. A translation is one more ``<app type="translation">``
    with its language; a witness that was not compared at a row is not in it.
    """
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = tei_element("teiHeader", tei)
    file_desc = tei_element("fileDesc", header)
    tei_element("title", tei_element("titleStmt", file_desc),
                f"Collation of {len(table.witnesses)} witnesses of “{table.witnesses[0].title}”")
    tei_element("p", tei_element("publicationStmt", file_desc),
                "Exported from Palimpsest: a critical apparatus in parallel segmentation, "
                "every witness aligned through the base (A).")
    witnesses = tei_element("listWit", tei_element("sourceDesc", file_desc))
    for k, siglum in enumerate(table.sigla):
        tei_element("witness", witnesses, table.description(k), xml_id=siglum)
    tei_element("variantEncoding", tei_element("encodingDesc", header),
                method="parallel-segmentation", location="internal")
    body = tei_element("body", tei_element("text", tei))
    for row in table.rows:
        _witness_row(body, table, row)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tei, encoding="unicode")


def _witness_row(body, table: WitnessTable, row) -> None:
    block = tei_element("ab", body, n=str(row.base.seq) if row.base else "+")
    members = [k for k, cell in enumerate(row.cells) if cell.status in _IN_PLACES]
    readings = [row.cells[k].text if row.cells[k].status != "absent" else None for k in members]
    last = None
    for segment in variation_places(row.base.text if row.base else "", readings):
        if segment.text is not None:
            _append_text(block, last, (" " if last is not None or block.text else "")
                         + segment.text + " ")
            continue
        whole = any(r is None for r in segment.readings)
        app = tei_element("app", block, type="passage" if whole else None)
        groups: dict[str | None, list[str]] = {}
        for k, reading in zip(members, segment.readings, strict=True):
            groups.setdefault(reading, []).append(f"#{table.sigla[k]}")
        for reading, sigla in groups.items():
            tei_element("rdg", app, reading, wit=" ".join(sigla),
                        type="absent" if reading is None else None)
        last = app
    for k, cell in enumerate(row.cells):
        if cell.status == "translated":
            app = tei_element("app", block, type="translation")
            reading = tei_element("rdg", app, cell.text, wit=f"#{table.sigla[k]}")
            if table.witnesses[k].language:
                reading.set(XML_LANG, xml_safe(table.witnesses[k].language))
