"""Documents as stored: import, list, read, edit metadata, delete (a corrected re-import
and corrections, which carry annotations and alignments over, are in
:mod:`annotations.corrections`, above this module).

One import is one transaction: the document, its pages and its passages are
written together or not at all.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from annotations.store import Store, utcnow
from sources import page_image as page_images
from sources.errors import DuplicateDocument, InvalidInput, NotFound
from sources.model import KINDS, Page, ParsedDocument, Passage, WordBox
from sources.ocr import LOW_CONFIDENCE, confidence_of
from sources.sandbox import parse_bounded
from sources.segment import page_at

DEFAULT_PROJECT = "My project"
LANGUAGE_NAMES = {"fra": "French", "eng": "English", "deu": "German", "spa": "Spanish",
                  "ita": "Italian", "rus": "Russian", "ara": "Arabic"}  # Tesseract's names
EDITABLE = ("title", "issuer", "date", "language", "kind", "notes", "version_of", "translation_of")
SUMMARY_SQL = """
select d.id, d.project_id, d.title, d.issuer, d.date, d.language, d.kind, d.source_name,
       d.media_type, d.imported_at, d.supersedes, d.version_of, d.translation_of,
       length(d.text) as chars,
       (select count(*) from pages p where p.document_id = d.id) as pages,
       (select count(*) from passages s where s.document_id = d.id) as passages,
       (with recursive earlier(id, supersedes) as (
          select d.id, d.supersedes
          union all
          select e.id, e.supersedes from documents e join earlier on e.id = earlier.supersedes)
        select count(*) from earlier) as version,
       (select min(n.id) from documents n where n.supersedes = d.id) as superseded_by
from documents d
"""
WORD_BOXES_SQL = ('select start, "end", page, "left", top, "right", bottom, confidence '
                  "from word_boxes where document_id = ?")  # the fields of a WordBox, in order
ORIGINAL_SQL = """
with recursive chain(id, supersedes, media_type, original, depth) as (
  select id, supersedes, media_type, original, 0 from documents where id = ?
  union all
  select d.id, d.supersedes, d.media_type, d.original, chain.depth + 1
  from documents d join chain on d.id = chain.supersedes where chain.original is null)
select media_type, original from chain where original is not null or supersedes is null
order by depth desc limit 1
"""


@dataclass(frozen=True)
class DocumentSummary:
    """What a list of documents shows; ``pages`` is 0 for formats without pages.

    ``version`` counts the corrected re-imports up to this one (1 for the first
    import); ``superseded_by`` is the id of the next version, if any.
    """

    id: int
    project_id: int
    title: str
    issuer: str | None
    date: str | None
    language: str | None
    kind: str
    source_name: str | None
    media_type: str | None
    imported_at: str | None
    supersedes: int | None
    version_of: int | None
    translation_of: int | None
    chars: int
    pages: int
    passages: int
    version: int = 1
    superseded_by: int | None = None

    @property
    def has_versions(self) -> bool:
        """Re-imported, or a re-import of another: its version number says which one it is."""
        return self.version > 1 or self.superseded_by is not None


@dataclass(frozen=True)
class StoredDocument:
    """A document with its text and structure, as the pages and the engine need it."""

    summary: DocumentSummary
    text: str
    pages: tuple[Page, ...]
    passages: tuple[Passage, ...]

    def __getattr__(self, name):
        # Only called for names the dataclass lacks: the summary's fields (title, kind...).
        if name.startswith("__") or name == "summary":
            raise AttributeError(name)
        return getattr(self.summary, name)

    def page_label(self, offset: int) -> str | None:
        return page_label_at(offset, self.pages)


def ensure_project(store: Store, name: str = DEFAULT_PROJECT) -> int:
    """The id of the project called ``name``, created if missing."""
    row = store.db.execute("select id from projects where name = ?", [name]).fetchone()
    if row:
        return row[0]
    with store.transaction() as db:  # looked for again under the lock: another may have made it
        row = db.execute("select id from projects where name = ?", [name]).fetchone()
        if row:
            return row[0]
        return db["projects"].insert({"name": name, "created_at": utcnow()}).last_pk


def import_document(
    store: Store,
    data: bytes,
    filename: str,
    *,
    project_id: int | None = None,
    title: str | None = None,
    issuer: str | None = None,
    date: str | None = None,
    language: str | None = None,
    kind: str = "other",
    version_of: int | None = None,
    translation_of: int | None = None,
    supersedes: int | None = None,
    ocr: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    and_then: Callable[[int], None] | None = None,
) -> int:
    """Parse ``data`` and store it with its pages and passages; return the new id.

    Scans are read by OCR as ``ocr`` says ("auto": page images and PDF pages without
    text; "always"; "never"), in ``language`` when it is given, telling ``progress``
    ``(pages read, pages to read)``; setting ``cancel`` stops the reading. Raises
    :class:`ImportRefused` (the database untouched) for files that cannot be read or
    a cancelled import, and :class:`DuplicateDocument` for bytes already in the project.
    ``and_then`` is called with the new id inside the transaction that stores it (the
    file is read before, outside it: OCR may take minutes, other sessions write meanwhile).
    """
    _check_kind(kind)
    title, issuer, date, language = (
        _clean_field(value, what) for value, what in
        ((title, "title"), (issuer, "issuer"), (date, "date"), (language, "language")))
    sha = hashlib.sha256(data).hexdigest()
    if project_id:  # before a scan is read for minutes
        _refuse_duplicate(store, project_id, sha)
    parsed = parse_bounded(data, filename, language=language, ocr=ocr, progress=progress,
                           cancel=cancel)
    project_id = project_id or ensure_project(store)
    _refuse_duplicate(store, project_id, sha)
    record = {
        "project_id": project_id,
        "title": title or _title_hint(parsed) or _stem(filename).strip() or "Untitled",
        "issuer": issuer or parsed.metadata.get("author"),
        "date": date or parsed.metadata.get("date"),
        "language": language or parsed.language,
        "kind": kind,
        "source_name": filename,
        "media_type": parsed.media_type,
        "sha256": sha,
        "original": data,
        "text": parsed.text,
        "imported_at": utcnow(),
        "version_of": version_of,
        "translation_of": translation_of,
        "supersedes": supersedes,
    }
    notes = import_notes(parsed)
    if notes:  # else the column's default, '[]'
        record["import_notes"] = json.dumps(notes, ensure_ascii=False)
    with store.transaction() as db:
        document_id = insert_document(db, record, parsed)
        if and_then is not None:
            and_then(document_id)
    return document_id


def insert_document(db, record: dict, parsed: ParsedDocument) -> int:
    """Write a document row and its pages, passages and word boxes (inside a transaction)."""
    document_id = db["documents"].insert(record).last_pk
    _insert_structure(db, document_id, parsed)
    return document_id


def import_notes(parsed: ParsedDocument) -> list[str]:
    """What the scholar should know about how the file was read, one sentence each.

    The parser's warnings (an encoding guessed, pages without a text layer...) and,
    for a PDF, which running heads, footers and page numbers were taken out of the
    text: nothing leaves a source without a word about it.
    """
    notes = list(parsed.warnings)
    if parsed.ocr:
        notes.append(ocr_note(parsed))
    if parsed.furniture:
        from sources.formats.pdf import describe_furniture

        furniture = describe_furniture(parsed.furniture)
        if furniture not in notes:
            notes.append(furniture)
    return notes


def ocr_note(parsed: ParsedDocument) -> str:
    """The sentence that says a document was read by OCR, how, and how well."""
    pages = parsed.ocr["pages"]
    where = f"page {pages[0]}" if len(pages) == 1 else f"{len(pages)} pages"
    names = [LANGUAGE_NAMES.get(code, code) for code in parsed.ocr["languages"].split("+")]
    mean = confidence_of(parsed.words, 0, len(parsed.text))
    low = sum(1 for word in parsed.words if (word.confidence or 0) < LOW_CONFIDENCE)
    quality = (f"; mean word confidence {mean:.0f} %" if mean is not None else "") + (
        f"; {low:,} {'word' if low == 1 else 'words'} below {LOW_CONFIDENCE:.0f} % "
        f"{'is' if low == 1 else 'are'} marked “uncertain” on the Read page: check "
        f"{'it' if low == 1 else 'them'} against the scan" if low else "")
    return (f"Read by OCR ({parsed.ocr['engine']}, {' and '.join(names)}): {where}"
            f"{quality}.")


def _insert_structure(db, document_id: int, parsed: ParsedDocument) -> None:
    db["pages"].insert_all(
        {"document_id": document_id, "seq": p.seq, "label": p.label, "start": p.start, "end": p.end}
        for p in parsed.pages
    )
    db["passages"].insert_all(_passage_record(document_id, p, parsed) for p in parsed.passages)
    if not parsed.words:
        return
    db["word_boxes"].insert_all(
        {"document_id": document_id, "start": w.start, "end": w.end, "page": w.page,
         "left": w.left, "top": w.top, "right": w.right, "bottom": w.bottom,
         "confidence": w.confidence}
        for w in parsed.words
    )


def _passage_record(document_id: int, passage: Passage, parsed: ParsedDocument) -> dict:
    record = {
        "document_id": document_id,
        "seq": passage.seq,
        "start": passage.start,
        "end": passage.end,
        "label": passage.label,
        "kind": passage.kind,
        "page_first": page_label_at(passage.start, parsed.pages),
        "page_last": page_label_at(max(passage.start, passage.end - 1), parsed.pages),
    }
    if parsed.words:  # read by OCR (a column since m008)
        record["confidence"] = _passage_confidence(parsed.words, passage)
    return record


def _passage_confidence(words, passage: Passage) -> float | None:
    """The OCR confidence of a passage (its words', weighted by length), found by bisection."""
    if not words:
        return None
    first = bisect.bisect_left(words, passage.start, key=lambda w: w.start)
    last = bisect.bisect_left(words, passage.end, key=lambda w: w.start)
    return confidence_of(words[first:last], passage.start, passage.end)


def word_boxes(store: Store, document_id: int, start: int = 0,
               end: int | None = None) -> tuple[WordBox, ...]:
    """The boxes of a document's words read by OCR that lie in ``[start, end)``, in order."""
    rows = store.db.execute(
        f'{WORD_BOXES_SQL} and start >= ? and "end" <= ? order by start',
        [document_id, start, end if end is not None else 2**62],
    )
    return tuple(WordBox(*row) for row in rows)


def page_label_at(offset: int, pages) -> str | None:
    """The label of the page holding ``offset``, or ``None`` for a text without pages."""
    page = page_at(offset, pages)
    return page.label if page else None


def _refuse_duplicate(store: Store, project_id: int, sha: str) -> None:
    row = store.db.execute(
        "select id, title from documents where project_id = ? and sha256 = ?", [project_id, sha]
    ).fetchone()
    if row:
        raise DuplicateDocument(
            f"This file was imported before, as “{row[1]}” (document {row[0]}); "
            "open that one instead.",
            existing_id=row[0],
        )


def _clean_field(value: str | None, what: str) -> str | None:
    """A metadata value as stored: NFC, trimmed, ``None`` when blank; broken Unicode refused."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", str(value)).strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput(
            f"The {what} contains broken characters (unpaired Unicode surrogates) that cannot "
            "be stored; please retype it.") from error
    return value or None


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"“{kind}” is not a kind of document; choose one of {', '.join(KINDS)}.")


def _title_hint(parsed: ParsedDocument) -> str | None:
    """The title the file suggests, if it looks like one (short, one line, not a sentence)."""
    hint = (parsed.metadata.get("title") or "").strip()
    if not hint or "\n" in hint or len(hint) > 150 or hint.endswith((".", ";", ",")):
        return None
    return hint


def _stem(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def list_documents(store: Store, project_id: int | None = None) -> list[DocumentSummary]:
    """Every document (of one project), in import order."""
    where, params = ("where d.project_id = ?", [project_id]) if project_id else ("", [])
    rows = store.db.execute(f"{SUMMARY_SQL} {where} order by d.id", params)
    names = [c[0] for c in rows.description]
    return [DocumentSummary(**dict(zip(names, row, strict=True))) for row in rows.fetchall()]


def get_document(store: Store, document_id: int) -> StoredDocument:
    """A document with its text, pages and passages; :class:`NotFound` if it is gone."""
    cursor = store.db.execute(f"{SUMMARY_SQL} where d.id = ?", [document_id])
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (it may have been deleted).")
    names = [c[0] for c in cursor.description]
    summary = DocumentSummary(**dict(zip(names, row, strict=True)))
    text = store.db.execute("select text from documents where id = ?", [document_id]).fetchone()[0]
    return StoredDocument(summary, text, _pages(store, document_id), _passages(store, document_id))


def stored_import_notes(store: Store, document_id: int) -> tuple[str, ...]:
    """The sentences the import of a document had for the scholar (:func:`import_notes`)."""
    row = store.db.execute("select import_notes from documents where id = ?",
                           [document_id]).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (it may have been deleted).")
    return tuple(json.loads(row[0]))


def _pages(store: Store, document_id: int) -> tuple[Page, ...]:
    rows = store.db.execute(
        'select seq, label, start, "end" from pages where document_id = ? order by seq',
        [document_id],
    )
    return tuple(Page(*row) for row in rows)


def pages_and_passages(store: Store, document_id: int) -> tuple[tuple[Page, ...],
                                                                 tuple[Passage, ...]]:
    """A document's pages and passages, without reading its text."""
    return _pages(store, document_id), _passages(store, document_id)


def uncertain_words(store: Store, document_id: int) -> tuple[WordBox, ...]:
    """The words OCR read with a confidence under :data:`sources.ocr.LOW_CONFIDENCE`."""
    rows = store.db.execute(f"{WORD_BOXES_SQL} and confidence < ? order by start",
                            [document_id, LOW_CONFIDENCE])
    return tuple(WordBox(*row) for row in rows)


def page_image(store: Store, document_id: int, page: int, *, width: int = page_images.WIDTH,
               span: tuple[int, int] | None = None) -> tuple[bytes, int]:
    """Page ``page`` (seq) of a document's original as PNG with the text ``span`` (start,
    end) outlined on it, and how many boxes were drawn; the original is read once."""
    media_type, original = _original_of(store, document_id)
    boxes = _selection_boxes(store, document_id, page, *span, media_type,
                             original) if span else ()
    image = page_images.render(original, media_type, page, width)
    return page_images.png(page_images.outlined(image, boxes) if boxes else image), len(boxes)


def selection_boxes(store: Store, document_id: int, page: int, start: int,
                    end: int) -> tuple[WordBox, ...]:
    """Where the text ``[start, end)`` of a document is printed on page ``page``: the OCR
    words' boxes, or for a born-digital PDF the boxes of the phrase in its text layer."""
    return _selection_boxes(store, document_id, page, start, end,
                            *_original_of(store, document_id))


def _selection_boxes(store: Store, document_id: int, page: int, start: int, end: int,
                     media_type: str, original: bytes) -> tuple[WordBox, ...]:
    boxes = tuple(b for b in word_boxes(store, document_id, start, end) if b.page == page)
    if boxes or media_type != "application/pdf":
        return boxes
    text = store.db.execute("select substr(text, ?, ?) from documents where id = ?",
                            [start + 1, end - start, document_id]).fetchone()[0]
    return page_images.text_layer_boxes(original, page, text)


def _original_of(store: Store, document_id: int) -> tuple[str, bytes]:
    """The media type and bytes of the file a document was read from: a version made by a
    correction on the Read page keeps none of its own and shares its predecessor's."""
    row = store.db.execute(ORIGINAL_SQL, [document_id]).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (it may have been deleted).")
    return row[0] or "", row[1]


def passage_confidences(store: Store, document_id: int) -> dict[int, float]:
    """The OCR confidence (0-100) of each passage read by OCR, by its seq."""
    rows = store.db.execute("select seq, confidence from passages where document_id = ? "
                            "and confidence is not null", [document_id])
    return dict(rows.fetchall())


def _passages(store: Store, document_id: int) -> tuple[Passage, ...]:
    rows = store.db.execute(
        'select seq, start, "end", label, kind from passages where document_id = ? order by seq',
        [document_id],
    )
    return tuple(Passage(*row) for row in rows)


def original_bytes(store: Store, document_id: int) -> tuple[str, bytes]:
    """The file name and the exact bytes that were imported (for a corrected version: the
    file its first version was read from)."""
    row = store.db.execute(
        "select source_name from documents where id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist.")
    return row[0], _original_of(store, document_id)[1]


def update_metadata(store: Store, document_id: int, **fields) -> DocumentSummary:
    """Change title, issuer, date, language, kind, notes or relations of a document."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    if "kind" in fields:
        _check_kind(fields["kind"])
    fields = {name: _clean_field(value, name) if isinstance(value, str) else value
              for name, value in fields.items()}
    if "title" in fields and not fields["title"]:
        raise InvalidInput("A document needs a title.")
    get_document(store, document_id)
    with store.transaction() as db:
        db["documents"].update(document_id, fields)
    return get_document(store, document_id).summary


def delete_document(store: Store, document_id: int) -> None:
    """Delete a document with everything that hangs on it, in one transaction.

    The schema says what goes with it (migration m005): its pages, passages and
    annotations (with their links and history), and every comparison and decision
    it takes part in. Versions, translations and links that pointed at it lose that
    pointer; a link left pointing at nothing goes.
    """
    get_document(store, document_id)
    with store.transaction() as db:
        db.execute("delete from documents where id = ?", [document_id])
