"""New versions of a document made by correcting it: a corrected file re-imported
(:func:`reimport_document`), or the text of a passage corrected on the Read page (an
OCR misreading, a running head left in, a broken word). These use cases span
documents, annotations and alignments, so they live here, above all three.

A correction replaces the text of one passage and makes a new version of the document,
in one transaction: the old version stays as it was (its annotations, its comparisons);
the new one supersedes it with the same metadata, pages, passages and word boxes, the
offsets after the passage moved by the change of length. The old version's annotations
and ledger decisions are carried over by the re-anchoring a corrected re-import uses
(none dropped; one that cannot be placed with confidence waits in the Review queue).
A word of the passage that the correction changed loses its OCR box and confidence:
the scholar has read it. Every correction is recorded (passage, text before and after,
author, date); undoing one is a correction back to the text before, so what was
written on the newer version is carried back too and nothing is lost.

The new version keeps no copy of the file: its page images come from the first version
(:func:`annotations.documents.original_bytes` follows the chain).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from annotations.anchoring import carry_annotations
from annotations.collation import carry_decisions
from annotations.documents import (
    StoredDocument,
    get_document,
    import_document,
    insert_document,
    word_boxes,
)
from annotations.store import Store, utcnow
from sources.errors import InvalidInput, NotFound
from sources.model import Page, ParsedDocument, Passage, WordBox
from sources.ocr import find_near
from sources.segment import passage_label

UNCHANGED = "The text is the same as before; nothing was corrected."
EMPTY = ("A passage cannot be corrected to nothing; to mark text that does not belong, "
         "annotate it instead.")
BLANK_LINE = ("A correction stays within its passage: remove the blank line (a blank line "
              "would split the passage).")
SUPERSEDED = ("This version has been corrected or re-imported since (document {newer}); "
              "correct the newest version.")
MAX_CORRECTION = 200_000  # characters in one corrected passage


@dataclass(frozen=True)
class Correction:
    """One correction: the version it made (``document_id``) from ``previous_id``."""

    id: int
    document_id: int
    previous_id: int | None
    passage_seq: int
    before: str
    after: str
    author: str | None
    created_at: str
    undoes: int | None = None


def correct_passage(store: Store, document_id: int, seq: int, text: str, *,
                    author: str | None = None, undoes: int | None = None) -> tuple[int, dict]:
    """Replace the text of passage ``seq`` of a document; return the new version's id and
    what was carried over (``anchored``/``review`` annotations, ``carried``/``left``
    decisions). Raises :class:`InvalidInput` for a correction that cannot be made."""
    text = _clean(text)
    doc = get_document(store, document_id)
    if doc.superseded_by:
        raise InvalidInput(SUPERSEDED.format(newer=doc.superseded_by))
    passage = _passage(doc, seq)
    before = doc.text[passage.start:passage.end]
    if text == before:
        raise InvalidInput(UNCHANGED)
    parsed = corrected(doc, word_boxes(store, document_id), passage, text)
    with store.transaction() as db:
        new_id = insert_document(db, _record(db, document_id, parsed.text), parsed)
        db["corrections"].insert({
            "document_id": new_id, "previous_id": document_id, "passage_seq": seq,
            "before": before, "after": text, "author": author, "created_at": utcnow(),
            "undoes": undoes})
        report = carry_annotations(store, document_id, new_id)
        report.update(carry_decisions(store, document_id, new_id))
    return new_id, report


def reimport_document(store: Store, old_id: int, data: bytes, filename: str) -> tuple[int, dict]:
    """Import a corrected version of a document and carry its annotations over.

    The old version is kept; the new one ``supersedes`` it and inherits its
    metadata. Returns the new id and the counts of what was carried over
    (``anchored``/``review`` annotations, ``carried``/``left`` alignment
    decisions): annotations that could not be placed confidently wait in the
    review queue, none is dropped.
    """
    old = get_document(store, old_id).summary
    report: dict = {}

    def carry(new_id: int) -> None:
        report.update(carry_annotations(store, old_id, new_id))
        report.update(carry_decisions(store, old_id, new_id))

    new_id = import_document(
        store, data, filename, project_id=old.project_id, title=old.title, issuer=old.issuer,
        date=old.date, language=old.language, kind=old.kind, version_of=old.version_of,
        translation_of=old.translation_of, supersedes=old_id, and_then=carry,
    )
    return new_id, report


def undo_correction(store: Store, correction_id: int, *,
                    author: str | None = None) -> tuple[int, dict]:
    """Put the text a correction replaced back, as a new correction of the newest version."""
    row = store.db.execute("select * from corrections where id = ?", [correction_id]).fetchone()
    if row is None:
        raise NotFound(f"Correction {correction_id} does not exist (its document may have "
                       "been deleted).")
    correction = Correction(*row)
    newest = _newest(store, correction.document_id)
    return correct_passage(store, newest, correction.passage_seq, correction.before,
                           author=author, undoes=correction_id)


def corrections_of(store: Store, document_id: int) -> list[Correction]:
    """Every correction in the version history of a document (its own and its
    predecessors' and successors'), newest first."""
    family = _family(store, document_id)
    marks = ",".join("?" * len(family))
    rows = store.db.execute(f"select * from corrections where document_id in ({marks}) "
                            "order by id desc", family)
    return [Correction(*row) for row in rows]


def corrected(doc: StoredDocument, words, passage: Passage, text: str) -> ParsedDocument:
    """The document with passage ``passage`` reading ``text``: pages, passages and word
    boxes moved with the text after it; boxes of words the correction changed dropped."""
    start, end = passage.start, passage.end
    delta = len(text) - (end - start)

    def moved(offset: int) -> int:
        if offset <= start:
            return offset
        if offset >= end:
            return offset + delta
        return start + min(offset - start, len(text))  # a page that begins inside

    new_text = doc.text[:start] + text + doc.text[end:]
    pages = tuple(Page(p.seq, p.label, moved(p.start), moved(p.end) if p.end < len(doc.text)
                       else len(new_text)) for p in doc.pages)
    passages = tuple(
        Passage(p.seq, start, start + len(text), passage_label(text[:80]), p.kind)
        if p.seq == passage.seq else Passage(p.seq, moved(p.start), moved(p.end), p.label,
                                             p.kind)
        for p in doc.passages)
    return ParsedDocument(new_text, doc.media_type or "text/plain", pages, passages,
                          language=doc.language, words=_moved_words(doc.text, words, passage,
                                                                    text, moved))


def _moved_words(old_text: str, words, passage: Passage, text: str, moved) -> tuple:
    kept, cursor = [], passage.start
    for word in words:
        if word.end <= passage.start or word.start >= passage.end:
            kept.append(WordBox(moved(word.start), moved(word.end), *_rest(word)))
            continue
        found = find_near(text, old_text[word.start:word.end],
                          cursor - passage.start, len(text))
        if found is not None:  # the word is still there, unchanged
            cursor = passage.start + found[1]
            kept.append(WordBox(passage.start + found[0], cursor, *_rest(word)))
    return tuple(sorted(kept, key=lambda w: w.start))


def _rest(word: WordBox) -> tuple:
    return (word.page, word.left, word.top, word.right, word.bottom, word.confidence)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise InvalidInput(EMPTY)
    if "\n\n" in "\n".join(line.strip() for line in text.split("\n")):
        raise InvalidInput(BLANK_LINE)
    if len(text) > MAX_CORRECTION:
        raise InvalidInput(f"A corrected passage may hold up to {MAX_CORRECTION:,} characters.")
    return text


def _passage(doc: StoredDocument, seq: int) -> Passage:
    for passage in doc.passages:
        if passage.seq == seq:
            return passage
    raise NotFound(f"Passage {seq} does not exist in “{doc.title}”.")


def _record(db, document_id: int, text: str) -> dict:
    """The new version's row: the old one's metadata and import notes, the new text, no copy
    of the file (the old file, up to 50 MB, is not even read)."""
    names = [c.name for c in db["documents"].columns if c.name not in ("id", "original")]
    cursor = db.execute(f"select {', '.join(f'[{n}]' for n in names)} from documents "
                        "where id = ?", [document_id])
    record = dict(zip(names, cursor.fetchone(), strict=True))
    record.update({
        "text": text, "original": None, "supersedes": document_id, "imported_at": utcnow(),
        # Not the hash of a file (it has none): unique per predecessor and text.
        "sha256": hashlib.sha256(f"corrected {document_id}\0{text}".encode()).hexdigest()})
    return record


def _newest(store: Store, document_id: int) -> int:
    while True:
        row = store.db.execute("select min(id) from documents where supersedes = ?",
                               [document_id]).fetchone()
        if row[0] is None:
            return document_id
        document_id = row[0]


def _family(store: Store, document_id: int) -> list[int]:
    """The document and every version before and after it."""
    first = document_id
    while (row := store.db.execute("select supersedes from documents where id = ?",
                                   [first]).fetchone()) and row[0]:
        first = row[0]
    family, frontier = [first], [first]
    while frontier:
        marks = ",".join("?" * len(frontier))
        frontier = [r[0] for r in store.db.execute(
            f"select id from documents where supersedes in ({marks})", frontier)]
        family += frontier
    return family
