"""Annotations out of and back into the workbench: CSV, W3C Web Annotation JSON-LD, TEI.

* CSV (:func:`export_csv`, :func:`import_csv`): one row per live annotation,
  written by :mod:`annotations.safe_csv` (UTF-8 with BOM, formula cells
  neutralised). Importing what was exported, into a store holding the same
  documents, gives back the same annotations (ids, times and authors included).
* JSON-LD (:func:`export_jsonld`, :func:`import_jsonld`): the W3C Web Annotation
  Data Model; each annotation targets ``urn:palimpsest:document:<id>`` with a
  ``TextQuoteSelector`` and a ``TextPositionSelector``; the note is a
  ``TextualBody`` (purpose ``commenting``, format ``text/markdown``), each tag a
  ``TextualBody`` with purpose ``tagging``; scales, rationale, links and anchoring
  are in the ``palimpsest:`` namespace. Annotations from other tools that carry
  a quote selector are accepted and re-anchored.
* TEI (:func:`export_tei`): the document text in ``<text><body><ab>`` with
  ``<pb/>`` at page starts, and a stand-off ``<listAnnotation>`` whose targets
  are ``string-range()`` pointers (code-point offsets into the ``<ab>``).

Imports are all-or-nothing and name the row or annotation that is wrong.
Annotations whose id is already in the workbench are skipped (not counted).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime

from lxml import etree

from annotations.anchoring import reanchor
from annotations.documents import page_label_at, pages_and_passages
from annotations.model import (
    ANCHOR_STATUSES,
    CREDIBILITY_MEANINGS,
    RELIABILITY_MEANINGS,
    Annotation,
    TextQuoteSelector,
    check_credibility,
    check_reliability,
    clean_author,
    clean_tags,
    clean_text,
    quote_selector,
    snapshot,
)
from annotations.notes import (
    check_links,
    check_target,
    document_text,
    load_annotations,
    record_history,
    write_annotation,
)
from annotations.safe_csv import read_csv, write_csv
from annotations.store import Store, utcnow
from sources.errors import InvalidInput, NotFound, PalimpsestError
from sources.model import Page, Passage
from sources.segment import passage_at

CSV_COLUMNS = (
    "id", "document_id", "document_title", "document_kind", "document_language",
    "page", "passage", "start", "end", "exact", "prefix", "suffix", "note", "tags",
    "reliability", "credibility", "rationale", "links", "target_document_id",
    "target_start", "target_end", "anchor_status", "anchor_confidence", "author",
    "created_at", "modified_at",
)
IMPORT_THRESHOLD = 0.75
NS = "urn:palimpsest:vocab#"
DOC_IRI = "urn:palimpsest:document:"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# ---------------------------------------------------------------- shared helpers

def _documents(store: Store, document_ids: Iterable[int] | None) -> dict[int, dict]:
    rows = store.db.query("select id, title, kind, language, text from documents order by id")
    documents = {row["id"]: row for row in rows}
    if document_ids is None:
        return documents
    wanted = list(dict.fromkeys(document_ids))
    missing = [str(doc) for doc in wanted if doc not in documents]
    if missing:
        raise NotFound(f"There is no document with the id {', '.join(missing)}.")
    return {doc: documents[doc] for doc in wanted}


def _live_annotations(store: Store, documents: dict[int, dict]) -> list[Annotation]:
    if not documents:
        return []
    marks = ",".join("?" * len(documents))
    return load_annotations(
        store.db, f"deleted_at is null and document_id in ({marks})", list(documents)
    )


def _labels(pages: tuple[Page, ...], passages: tuple[Passage, ...], offset: int) -> list[str]:
    """The page and passage labels where ``offset`` is, by the one rule for each."""
    passage = passage_at(passages, offset)
    return [page_label_at(offset, pages) or "", (passage.label or "") if passage else ""]


def _links_json(annotation: Annotation) -> str:
    if not annotation.links:
        return ""
    return json.dumps([asdict(link) for link in annotation.links], ensure_ascii=False,
                      separators=(",", ":"))


def _row_error(where: str, error: PalimpsestError) -> InvalidInput:
    return InvalidInput(f"{where}: {error} Nothing was imported.")


# ---------------------------------------------------------------- CSV

def _csv_row(annotation: Annotation, document: dict, labels: list[str]) -> list:
    a = annotation
    return [
        a.id, a.document_id, document["title"], document["kind"], document["language"],
        *labels, a.start, a.end, a.exact, a.prefix, a.suffix,
        a.note, ";".join(a.tags), a.reliability, a.credibility, a.rationale, _links_json(a),
        a.target_document_id, a.target_start, a.target_end, a.anchor_status,
        repr(a.anchor_confidence), a.author, a.created_at, a.modified_at,
    ]


def export_csv(store: Store, document_ids: Iterable[int] | None = None) -> bytes:
    """One row per live annotation (columns :data:`CSV_COLUMNS`), in text order, as CSV bytes."""
    documents = _documents(store, document_ids)
    structures: dict[int, tuple] = {}
    rows = []
    for annotation in _live_annotations(store, documents):
        doc = annotation.document_id
        if doc not in structures:
            structures[doc] = pages_and_passages(store, doc)
        rows.append(_csv_row(annotation, documents[doc],
                             _labels(*structures[doc], annotation.start)))
    return write_csv(CSV_COLUMNS, rows)


def _shown(value, limit: int = 40) -> str:
    """``value`` quoted for a message, cut short: a 10 MB cell must not become the message."""
    text = str(value)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"


def _int_or_none(value: str, name: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"The {name} must be a whole number, not {_shown(value)}.") from None
    if not -(2**63) <= number < 2**63:
        raise InvalidInput(f"The {name} {_shown(value)} is far too large.")
    return number


def _csv_fields(row: dict[str, str]) -> dict:
    """What a CSV row says, as the keyword fields :func:`_import_one` takes."""
    target = None
    if (row.get("target_document_id") or "").strip():
        target = tuple(_int_or_none(row.get(name), name.replace("_", " "))
                       for name in ("target_document_id", "target_start", "target_end"))
    try:
        links = json.loads(row["links"]) if (row.get("links") or "").strip() else []
    except json.JSONDecodeError:
        raise InvalidInput("The links cell is not valid JSON.") from None
    return dict(
        id=row.get("id"), document_id=_int_or_none(row.get("document_id"), "document id"),
        title=row.get("document_title"), start=_int_or_none(row.get("start"), "start"),
        end=_int_or_none(row.get("end"), "end"), exact=row.get("exact"),
        prefix=row.get("prefix"), suffix=row.get("suffix"), note=row.get("note"),
        tags=(row.get("tags") or "").split(";"), reliability=row.get("reliability"),
        credibility=row.get("credibility"), rationale=row.get("rationale"), links=links,
        target=target, anchor_status=row.get("anchor_status"),
        anchor_confidence=row.get("anchor_confidence"), author=row.get("author"),
        created_at=row.get("created_at"), modified_at=row.get("modified_at"),
    )


def import_csv(store: Store, data: bytes, *, author: str) -> int:
    """Add the annotations of a CSV file (as written by :func:`export_csv`); returns how many.

    Required columns: ``start``, ``end`` and ``document_id`` or
    ``document_title``; ``exact`` is checked against the text and the
    annotation re-anchored if the text differs. ``author`` (the importer) goes
    into the history; each annotation keeps the author written in the file (a
    file without an ``author`` column is taken to be the importer's own work).
    """
    header, rows = read_csv(data)
    missing = [name for name in ("start", "end") if name not in header]
    if missing or not {"document_id", "document_title"} & set(header):
        raise InvalidInput(
            "This CSV file is not an annotation export: it needs the columns start, end "
            "and document_id or document_title."
        )
    records = []
    for number, row in enumerate(rows, start=2):
        try:
            records.append(_csv_fields(row))
        except PalimpsestError as error:
            raise _row_error(f"Row {number} of the CSV file", error) from error
    return _import_all(store, records, author, [f"Row {n} of the CSV file" for n in
                                                range(2, len(rows) + 2)])


# ---------------------------------------------------------------- import (shared)

def _resolve_document(db, document_id: int | None, title: str | None) -> int:
    """Match by id (when the title agrees or is not given), else by a unique title."""
    title = (title or "").strip()
    if document_id is not None:
        row = db.execute("select title from documents where id = ?", [document_id]).fetchone()
        if row is not None and (not title or row[0].strip() == title):
            return document_id
    if title:
        rows = db.execute("select id from documents where trim(title) = ?", [title]).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise InvalidInput(f"Several documents are called “{title}”; give the document id.")
        raise NotFound(f"The document “{title}” is not in this workbench; import it first.")
    if document_id is None:
        raise InvalidInput("It does not say which document it belongs to.")
    raise NotFound(f"Document {document_id} is not in this workbench; import it first.")


def _timestamp(value: str | None, now: str, name: str) -> str:
    if value is None or not value.strip():
        return now
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"The {name} time {value!r} is not an ISO 8601 date.") from None
    return value.strip()


def _annotation_id(value: str | None) -> str:
    """The imported id if it is a UUID (``urn:uuid:`` allowed), else a new one."""
    try:
        return str(uuid.UUID((value or "").strip().removeprefix("urn:uuid:")))
    except ValueError:
        return str(uuid.uuid4())


def _confidence(value) -> float:
    if value is None or str(value).strip() == "":
        return 1.0
    try:
        confidence = float(value)
    except (TypeError, ValueError):
        confidence = -1.0
    if not 0.0 <= confidence <= 1.0:
        raise InvalidInput(f"The anchor confidence must be a number from 0 to 1, not {value!r}.")
    return confidence


def _anchored_span(fields: dict, text: str) -> dict:
    """Offsets, quote and anchor status for an imported annotation, checked against ``text``.

    An anchored annotation whose quote is no longer at its offsets (or that has
    no offsets) is searched for, and goes to review if it is not found surely.
    """
    _check_types(fields)
    start, end, exact = fields["start"], fields["end"], fields.get("exact")
    status = (fields.get("anchor_status") or "anchored").strip()
    if status not in ANCHOR_STATUSES:
        raise InvalidInput(f"Unknown anchor status {status!r}.")
    if start is None or end is None:
        if not exact:
            raise InvalidInput("An annotation needs a start and an end, or a quote.")
        return _reanchored(fields, text, 0)
    if not 0 <= start <= end <= len(text):
        raise InvalidInput(f"The span {start}-{end} lies outside the document "
                           f"({len(text)} characters).")
    confidence = _confidence(fields.get("anchor_confidence"))
    if status != "anchored":
        return dict(start=start, end=end, exact=exact or "", prefix=fields.get("prefix") or "",
                    suffix=fields.get("suffix") or "", anchor_status=status,
                    anchor_confidence=confidence)
    if not exact or text[start:end] == exact:
        if start == end:
            raise InvalidInput("The annotated span is empty.")
        return dict(start=start, end=end, **vars(quote_selector(text, start, end)),
                    anchor_status="anchored", anchor_confidence=confidence)
    return _reanchored(fields, text, start)


def _check_types(fields: dict) -> None:
    """Offsets are whole numbers and quotes are text (a JSON file can hold anything)."""
    for name in ("start", "end"):
        value = fields.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise InvalidInput(f"The {name} must be a whole number, not {_shown(value)}.")
    for name in ("exact", "prefix", "suffix", "anchor_status"):
        if fields.get(name) is not None and not isinstance(fields[name], str):
            raise InvalidInput(f"The {name.replace('_', ' ')} must be text.")


def _reanchored(fields: dict, text: str, hint: int) -> dict:
    selector = TextQuoteSelector(fields["exact"], fields.get("prefix") or "",
                                 fields.get("suffix") or "")
    anchor = reanchor(selector, hint, text)
    if anchor is not None and anchor.confidence >= IMPORT_THRESHOLD:
        return dict(start=anchor.start, end=anchor.end,
                    **vars(quote_selector(text, anchor.start, anchor.end)),
                    anchor_status="anchored", anchor_confidence=anchor.confidence)
    start, end = (anchor.start, anchor.end) if anchor else (0, 0)
    return dict(start=start, end=end, **vars(selector), anchor_status="review",
                anchor_confidence=anchor.confidence if anchor else 0.0)


def _import_one(db, fields: dict, importer: str, now: str, texts: dict[int, str]) -> Annotation:
    document_id = _resolve_document(db, fields.get("document_id"), fields.get("title"))
    if document_id not in texts:
        texts[document_id] = document_text(db, document_id)
    text = texts[document_id]
    author = fields.get("author")
    names = ("target_document_id", "target_start", "target_end")
    return Annotation(
        id=_annotation_id(fields.get("id")),
        document_id=document_id,
        **_anchored_span(fields, text),
        note=clean_text(fields.get("note")),
        tags=clean_tags(fields.get("tags")),
        reliability=check_reliability(fields.get("reliability")),
        credibility=check_credibility(fields.get("credibility")),
        rationale=clean_text(fields.get("rationale")),
        author=clean_author(importer if author is None else author),
        created_at=_timestamp(fields.get("created_at"), now, "creation"),
        modified_at=_timestamp(fields.get("modified_at"), now, "modification"),
        links=check_links(db, fields.get("links") or (), annotations_must_exist=False),
        **dict(zip(names, check_target(db, fields.get("target")), strict=True)),
    )


def _import_all(store: Store, records: list[dict], importer: str, places: list[str]) -> int:
    imported, now, texts = 0, utcnow(), {}
    with store.transaction() as db:
        seen = {row[0] for row in db.execute("select id from annotations")}
        for fields, where in zip(records, places, strict=True):
            try:
                annotation = _import_one(db, fields, importer, now, texts)
            except PalimpsestError as error:
                raise _row_error(where, error) from error
            if annotation.id in seen:
                continue
            seen.add(annotation.id)
            write_annotation(db, annotation, new=True)
            record_history(db, annotation.id, "import", clean_author(importer), None,
                           snapshot(annotation))
            imported += 1
    return imported


# ---------------------------------------------------------------- JSON-LD

def _source(document_id: int, documents: dict[int, dict]) -> dict:
    document = documents.get(document_id) or {}
    source = {"id": f"{DOC_IRI}{document_id}", "type": "Text"}
    if document.get("title") is not None:
        source["palimpsest:title"] = document["title"]
    if document.get("language"):
        source["language"] = document["language"]
    return source


def _bodies(annotation: Annotation) -> list[dict]:
    bodies = []
    if annotation.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting",
                       "format": "text/markdown", "value": annotation.note})
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag}
               for tag in annotation.tags]
    return bodies


def _targets(annotation: Annotation, documents: dict[int, dict]) -> dict | list[dict]:
    a = annotation
    main = {
        "type": "SpecificResource",
        "source": _source(a.document_id, documents),
        "selector": [
            {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
            {"type": "TextPositionSelector", "start": a.start, "end": a.end},
        ],
    }
    if a.target_document_id is None:
        return main
    second = {
        "type": "SpecificResource",
        "source": _source(a.target_document_id, documents),
        "selector": {"type": "TextPositionSelector", "start": a.target_start, "end": a.target_end},
    }
    return [main, second]


def _motivation(annotation: Annotation) -> str:
    if annotation.note:
        return "commenting"
    if annotation.tags:
        return "tagging"
    if annotation.reliability or annotation.credibility:
        return "assessing"
    return "highlighting"


def _jsonld_link(link) -> dict:
    data = {"palimpsest:linkType": link.link_type}
    if link.target_document_id is not None:
        data["palimpsest:targetDocument"] = f"{DOC_IRI}{link.target_document_id}"
    if link.target_start is not None:
        data["palimpsest:targetStart"] = link.target_start
        data["palimpsest:targetEnd"] = link.target_end
    if link.target_annotation_id is not None:
        data["palimpsest:targetAnnotation"] = f"urn:uuid:{link.target_annotation_id}"
    return data


def _jsonld_annotation(annotation: Annotation, documents: dict[int, dict]) -> dict:
    a = annotation
    data: dict = {"id": f"urn:uuid:{a.id}", "type": "Annotation", "motivation": _motivation(a),
                  "created": a.created_at, "modified": a.modified_at}
    if a.author:
        data["creator"] = {"type": "Person", "name": a.author}
    if bodies := _bodies(a):
        data["body"] = bodies
    data["target"] = _targets(a, documents)
    extras = {
        "palimpsest:reliability": a.reliability,
        "palimpsest:reliabilityMeaning": RELIABILITY_MEANINGS.get(a.reliability),
        "palimpsest:credibility": a.credibility,
        "palimpsest:credibilityMeaning": CREDIBILITY_MEANINGS.get(a.credibility),
        "palimpsest:rationale": a.rationale or None,
        "palimpsest:links": [_jsonld_link(link) for link in a.links] or None,
    }
    data.update({key: value for key, value in extras.items() if value is not None})
    data["palimpsest:anchorStatus"] = a.anchor_status
    data["palimpsest:anchorConfidence"] = a.anchor_confidence
    return data


def export_jsonld(store: Store, document_ids: Iterable[int] | None = None) -> str:
    """An ``AnnotationCollection`` with one embedded ``AnnotationPage`` of every live annotation."""
    documents = _documents(store, document_ids)
    items = [_jsonld_annotation(a, documents) for a in _live_annotations(store, documents)]
    scope = "all" if document_ids is None else "-".join(str(doc) for doc in documents)
    collection = {
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"palimpsest": NS}],
        "id": f"urn:palimpsest:collection:{scope}",
        "type": "AnnotationCollection",
        "label": "Annotations exported from Palimpsest",
        "total": len(items),
        "first": {"id": f"urn:palimpsest:collection:{scope}:page:1", "type": "AnnotationPage",
                  "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2)


def _types(node: dict) -> set[str]:
    kind = node.get("type", node.get("@type", ()))
    return {kind} if isinstance(kind, str) else set(kind)


def _jsonld_items(data) -> list:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise InvalidInput("This JSON file holds no Web Annotations.")
    kinds = _types(data)
    if "Annotation" in kinds:
        return [data]
    if "AnnotationPage" in kinds:
        return data.get("items") or []
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, dict):
            return first.get("items") or []
        if first is None:
            return []
        raise InvalidInput("This collection keeps its annotations on separate pages on the web; "
                           "download them into one file first.")
    raise InvalidInput("This JSON file holds no Web Annotations.")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _document_ref(source) -> tuple[int | None, str | None]:
    iri = source if isinstance(source, str) else (source or {}).get("id", "")
    title = None if isinstance(source, str) else (source or {}).get("palimpsest:title")
    if isinstance(iri, str) and iri.startswith(DOC_IRI):
        return _int_or_none(iri[len(DOC_IRI):], "document id"), title
    return None, title or iri or None  # a foreign source is looked for by title


def _selectors(target: dict) -> tuple[dict, dict]:
    quote, position = {}, {}
    for selector in _as_list(target.get("selector")):
        if isinstance(selector, dict) and "TextQuoteSelector" in _types(selector):
            quote = selector
        elif isinstance(selector, dict) and "TextPositionSelector" in _types(selector):
            position = selector
    return quote, position


def _jsonld_body_fields(bodies: list) -> dict:
    notes, tags = [], []
    for body in bodies:
        if not isinstance(body, dict) or "value" not in body:
            continue
        if body.get("purpose") == "tagging":
            tags.append(body["value"])
        elif body.get("purpose") in (None, "commenting", "describing", "replying"):
            notes.append(body["value"])
    return {"note": "\n\n".join(notes), "tags": tags}


def _jsonld_second_target(targets: list) -> tuple | None:
    if len(targets) < 2 or not isinstance(targets[1], dict):
        return None
    document_id, _ = _document_ref(targets[1].get("source"))
    _, position = _selectors(targets[1])
    return document_id, position.get("start"), position.get("end")


def _jsonld_links(links: list) -> list[dict]:
    result = []
    for link in links:
        if not isinstance(link, dict):
            raise InvalidInput("Each link must be an object with a link type and a target.")
        target_doc = link.get("palimpsest:targetDocument")
        target_annotation = link.get("palimpsest:targetAnnotation")
        result.append({
            "link_type": link.get("palimpsest:linkType"),
            "target_document_id": _document_ref(target_doc)[0] if target_doc else None,
            "target_start": link.get("palimpsest:targetStart"),
            "target_end": link.get("palimpsest:targetEnd"),
            "target_annotation_id": (target_annotation.removeprefix("urn:uuid:")
                                     if target_annotation else None),
        })
    return result


def _jsonld_fields(item: dict) -> dict:
    if not isinstance(item, dict) or "Annotation" not in _types(item):
        raise InvalidInput("This entry is not a Web Annotation.")
    targets = _as_list(item.get("target"))
    if not targets or not isinstance(targets[0], dict):
        raise InvalidInput("This annotation has no target passage.")
    document_id, title = _document_ref(targets[0].get("source"))
    quote, position = _selectors(targets[0])
    creator = item.get("creator")
    return dict(
        id=item.get("id"), document_id=document_id, title=title,
        start=position.get("start"), end=position.get("end"), exact=quote.get("exact"),
        prefix=quote.get("prefix"), suffix=quote.get("suffix"),
        **_jsonld_body_fields(_as_list(item.get("body"))),
        reliability=item.get("palimpsest:reliability"),
        credibility=item.get("palimpsest:credibility"),
        rationale=item.get("palimpsest:rationale"),
        links=_jsonld_links(_as_list(item.get("palimpsest:links"))),
        target=_jsonld_second_target(targets),
        anchor_status=item.get("palimpsest:anchorStatus"),
        anchor_confidence=item.get("palimpsest:anchorConfidence"),
        author=(creator.get("name") if isinstance(creator, dict) else creator) or "",
        created_at=item.get("created"), modified_at=item.get("modified"),
    )


def import_jsonld(store: Store, text: str, *, author: str) -> int:
    """Add the annotations of a Web Annotation JSON(-LD) file; returns how many were added.

    Accepts a collection with an embedded first page, a page, a list, or one
    annotation. Without a ``TextPositionSelector`` the quote is searched for.
    An annotation without ``creator`` gets an empty author (unknown), not the
    importer's name; the importer is recorded in the history.
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise InvalidInput("This file is not valid JSON.") from None
    except RecursionError:
        raise InvalidInput("This JSON file is nested too deeply to hold annotations.") from None
    items = _jsonld_items(data)
    records = []
    for number, item in enumerate(items, start=1):
        try:
            records.append(_jsonld_fields(item))
        except PalimpsestError as error:
            raise _row_error(f"Annotation {number} of the file", error) from error
    places = [f"Annotation {n} of the file" for n in range(1, len(records) + 1)]
    return _import_all(store, records, author, places)


# ---------------------------------------------------------------- TEI

def xml_safe(text: str) -> str:
    """Characters XML forbids become U+FFFD, one for one, so offsets stay valid."""
    return _XML_ILLEGAL.sub("\ufffd", text or "")


def tei_element(tag: str, parent=None, text: str | None = None, **attributes):
    name = f"{{{TEI_NS}}}{tag}"
    element = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    for key, value in attributes.items():
        if value is not None:
            element.set(XML_ID if key == "xml_id" else key, xml_safe(str(value)))
    if text is not None:
        element.text = xml_safe(text)
    return element


def _range_pointer(current: int, document_id: int, start: int, end: int) -> str:
    base = "" if document_id == current else f"doc-{document_id}.xml"
    if end <= start:
        return f"{base}#doc-{document_id}"
    return f"{base}#string-range(//ab[@xml:id='doc-{document_id}'],{start},{end - start})"


def _tei_header(tei, document: dict) -> None:
    header = tei_element("teiHeader", tei)
    file_desc = tei_element("fileDesc", header)
    tei_element("title", tei_element("titleStmt", file_desc), document["title"])
    tei_element("p", tei_element("publicationStmt", file_desc),
         "Exported from Palimpsest with stand-off annotations.")
    details = [f"{name}: {document[name]}" for name in ("kind", "issuer", "date", "source_name")
               if document.get(name)]
    tei_element("p", tei_element("sourceDesc", file_desc), "; ".join(details) or "Unknown source.")
    if document.get("language"):
        tei_element("language", tei_element("langUsage", tei_element("profileDesc", header)),
             ident=document["language"])


def _tei_text(tei, store: Store, document: dict) -> None:
    body = tei_element("body", tei_element("text", tei))
    ab = tei_element("ab", body, xml_id=f"doc-{document['id']}")
    text = xml_safe(document["text"])
    pages = list(store.db.query("select start, label from pages where document_id = ? "
                                "order by start, seq", [document["id"]]))
    cuts = [0] + [page["start"] for page in pages] + [len(text)]
    ab.text = text[cuts[0] : cuts[1]]
    for index, page in enumerate(pages, start=1):
        pb = tei_element("pb", ab, n=page["label"])
        pb.tail = text[cuts[index] : cuts[index + 1]]


def _tei_targets(annotation: Annotation) -> str:
    a = annotation
    pointers = [_range_pointer(a.document_id, a.document_id, a.start, a.end)]
    if a.target_document_id is not None:
        pointers.append(_range_pointer(a.document_id, a.target_document_id, a.target_start,
                                       a.target_end))
    return " ".join(pointers)


def _tei_link_pointer(store: Store, current: int, link) -> str:
    if link.target_annotation_id is not None:
        row = store.db.execute("select document_id from annotations where id = ?",
                               [link.target_annotation_id]).fetchone()
        base = "" if row is None or row[0] == current else f"doc-{row[0]}.xml"
        return f"{base}#ann-{link.target_annotation_id}"
    if link.target_start is not None:
        return _range_pointer(current, link.target_document_id, link.target_start, link.target_end)
    return _range_pointer(current, link.target_document_id, 0, 0)


def _tei_annotation(parent, store: Store, annotation: Annotation) -> None:
    a = annotation
    element = tei_element("annotation", parent, xml_id=f"ann-{a.id}", target=_tei_targets(a),
                   motivation=_motivation(a))
    if a.author:
        resp = tei_element("respStmt", element)
        tei_element("resp", resp, "annotator")
        tei_element("name", resp, a.author)
    changes = tei_element("revisionDesc", element)
    tei_element("change", changes, "created", when=a.created_at)
    tei_element("change", changes, "modified", when=a.modified_at)
    if a.anchor_status != "anchored":
        tei_element("note", element, a.exact, type="quote", subtype=a.anchor_status)
    if a.note:
        tei_element("note", element, a.note, type="comment")
    for tag in a.tags:
        tei_element("note", element, tag, type="tag")
    if a.reliability:
        tei_element("note", element, RELIABILITY_MEANINGS[a.reliability], type="reliability",
             n=a.reliability)
    if a.credibility:
        tei_element("note", element, CREDIBILITY_MEANINGS[a.credibility], type="credibility",
             n=a.credibility)
    if a.rationale:
        tei_element("note", element, a.rationale, type="rationale")
    for link in a.links:
        tei_element("ptr", element, type=link.link_type,
             target=_tei_link_pointer(store, a.document_id, link))


def export_tei(store: Store, document_id: int) -> str:
    """A TEI P5 file: header, stand-off ``<listAnnotation>``, and the text in ``<ab>``.

    Targets are ``#string-range(//ab[@xml:id='doc-N'],offset,length)``, offsets
    in code points of the ``<ab>``'s string value (the stored text; characters
    XML forbids are replaced one for one by U+FFFD). Pointers into other
    documents assume they were exported as ``doc-<id>.xml``.
    """
    rows = list(store.db.query("select * from documents where id = ?", [document_id]))
    if not rows:
        raise NotFound(f"There is no document with the id {document_id}.")
    document = rows[0]
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    _tei_header(tei, document)
    annotations = _live_annotations(store, {document_id: document})
    if annotations:  # TEI wants at least one <annotation> in a <listAnnotation>
        listing = tei_element("listAnnotation", tei_element("standOff", tei))
        for annotation in annotations:
            _tei_annotation(listing, store, annotation)
    _tei_text(tei, store, document)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tei, encoding="unicode")
