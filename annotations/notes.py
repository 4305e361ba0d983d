"""Creating, editing, deleting and undoing annotations; every change leaves a history row.

Each public function is one :meth:`Store.transaction`. History rows keep a full
snapshot of the annotation before and after the change (``None`` before a
creation), so that :func:`undo_last` can put back exactly what a change altered
and a deleted annotation can always be restored.

Storage: ``annotations.tags`` is a JSON list; links live in ``annotation_links``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace

import sqlite_utils

from annotations.model import (
    ANCHOR_STATUSES,
    CONTEXT_CHARS,
    Annotation,
    AnnotationLink,
    TextQuoteSelector,
    check_credibility,
    check_link,
    check_reliability,
    clean_author,
    clean_tags,
    clean_text,
    from_snapshot,
    quote_selector,
    render_note_markdown,
    snapshot,
)
from annotations.store import Store, utcnow
from sources.errors import InvalidInput, NotFound

__all__ = [
    "annotation_history",
    "create_annotation",
    "delete_annotation",
    "get_annotation",
    "list_annotations",
    "place_annotation",
    "render_note_markdown",
    "restore_annotation",
    "review_queue",
    "undo_last",
    "update_annotation",
]

EDITABLE = ("note", "tags", "reliability", "credibility", "rationale", "links", "start", "end",
            "target")
UNDOABLE = ("create", "edit", "delete", "restore", "place")
_LINK_CHUNK = 500


# ---------------------------------------------------------------- rows <-> objects

def annotation_row(annotation: Annotation) -> dict:
    """The ``annotations`` table row for ``annotation`` (links are stored apart)."""
    row = snapshot(annotation)
    row.pop("links")
    row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
    return row


def _from_row(row: dict, links: Sequence[AnnotationLink]) -> Annotation:
    fields = {name: row[name] for name in Annotation.__dataclass_fields__ if name != "links"}
    fields["tags"] = tuple(json.loads(row["tags"] or "[]"))
    fields["note"] = row["note"] or ""
    fields["rationale"] = row["rationale"] or ""
    fields["author"] = row["author"] or ""
    fields["prefix"] = row["prefix"] or ""
    fields["suffix"] = row["suffix"] or ""
    fields["anchor_status"] = row["anchor_status"] or "anchored"
    if fields["anchor_confidence"] is None:
        fields["anchor_confidence"] = 1.0
    return Annotation(links=tuple(links), **fields)


def _links_by_annotation(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, list]:
    found: dict[str, list[AnnotationLink]] = {}
    for begin in range(0, len(ids), _LINK_CHUNK):
        chunk = list(ids[begin : begin + _LINK_CHUNK])
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"select * from annotation_links where annotation_id in ({marks}) order by id", chunk
        ):
            found.setdefault(row["annotation_id"], []).append(
                AnnotationLink(
                    row["link_type"], row["target_document_id"], row["target_start"],
                    row["target_end"], row["target_annotation_id"],
                )
            )
    return found


def load_annotations(db: sqlite_utils.Database, where: str = "1", params=()) -> list[Annotation]:
    """Annotations matching an SQL ``where`` clause on ``annotations``, in text order."""
    rows = list(
        db.query(
            f"select * from annotations where {where} "
            "order by document_id, start, end, created_at, id",
            params,
        )
    )
    links = _links_by_annotation(db, [row["id"] for row in rows])
    return [_from_row(row, links.get(row["id"], ())) for row in rows]


def _load(db: sqlite_utils.Database, annotation_id: str) -> Annotation:
    found = load_annotations(db, "id = ?", [annotation_id])
    if not found:
        raise NotFound(f"There is no annotation with the id {annotation_id!r}.")
    return found[0]


_COLUMNS = [name for name in Annotation.__dataclass_fields__ if name != "links"]
_INSERT = (f"insert into annotations ({', '.join(f'[{c}]' for c in _COLUMNS)}) "
           f"values ({', '.join('?' * len(_COLUMNS))})")
_UPDATE = (f"update annotations set {', '.join(f'[{c}] = ?' for c in _COLUMNS)} "
           "where id = ?")
_LINK_FIELDS = ("link_type", "target_document_id", "target_start", "target_end",
                "target_annotation_id")
_INSERT_LINK = (f"insert into annotation_links (annotation_id, {', '.join(_LINK_FIELDS)}) "
                "values (?, ?, ?, ?, ?, ?)")


def write_annotation(db: sqlite_utils.Database, annotation: Annotation, *, new: bool) -> None:
    """Insert (``new``) or overwrite the row of ``annotation`` and replace its links.

    Plain SQL (an ``UPDATE`` keeps the rowid, which the FTS index relies on).
    """
    row = annotation_row(annotation)
    values = [row[column] for column in _COLUMNS]
    if new:
        db.execute(_INSERT, values)
    else:
        db.execute(_UPDATE, [*values, annotation.id])
        db.execute("delete from annotation_links where annotation_id = ?", [annotation.id])
    for link in annotation.links:
        db.execute(_INSERT_LINK, [annotation.id, *(getattr(link, f) for f in _LINK_FIELDS)])


def record_history(db, annotation_id: str, action: str, author: str, before, after) -> None:
    """Append one row to ``annotation_history``; ``before``/``after`` are dicts or ``None``."""
    row = {
        "annotation_id": annotation_id, "action": action, "author": author, "at": utcnow(),
        "before": None if before is None else json.dumps(before, ensure_ascii=False),
        "after": None if after is None else json.dumps(after, ensure_ascii=False),
    }
    if action == "undo":  # the row it undid, in the column undo looks it up by (m010)
        row["undoes"] = after["undoes"]
    db.execute(f"insert into annotation_history ({', '.join(row)}) "
               f"values ({', '.join('?' * len(row))})", list(row.values()))


# ---------------------------------------------------------------- validation

def document_text(db: sqlite_utils.Database, document_id: int) -> str:
    """The stored text of a document, or :class:`NotFound`."""
    row = db.execute("select text from documents where id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (any more).")
    return row[0]


def document_length(db: sqlite_utils.Database, document_id: int) -> int:
    """The length in code points of a document's text (SQLite counts characters), or NotFound."""
    row = db.execute("select length(text) from documents where id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (any more).")
    return row[0]


def quoted_span(db, document_id: int, start, end) -> tuple[int, int, TextQuoteSelector]:
    """Check ``[start, end)`` against a stored text and quote it, in one query.

    Only the text up to the span's context is read (SQLite's ``substr`` counts
    characters, i.e. code points, like Python); the whole text's length is
    asked for only when the span turns out to run past its end.
    """
    _check_integers(start, end, "The selection")
    begin = max(0, start - CONTEXT_CHARS)
    row = db.execute(
        "select substr(text, ?, ?) from documents where id = ?",
        [begin + 1, max(0, end + CONTEXT_CHARS - begin), document_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"Document {document_id} does not exist (any more).")
    window = row[0]
    fits = len(window) >= end - begin
    start, end = check_span(end if fits else document_length(db, document_id), start, end)
    return start, end, quote_selector(window, start - begin, end - begin)


def _check_integers(start, end, what: str) -> None:
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        raise InvalidInput(f"{what} must be given as whole-number character positions.")


def check_span(length: int, start, end, *, what: str = "The selection") -> tuple[int, int]:
    """``(start, end)`` as ints if they select at least one of ``length`` characters."""
    _check_integers(start, end, what)
    if start == end:
        raise InvalidInput(f"{what} is empty; select at least one character.")
    if not 0 <= start < end <= length:
        raise InvalidInput(
            f"{what} ({start}-{end}) lies outside the document, which has {length} characters."
        )
    return start, end


def check_links(db, links: Iterable, *, annotations_must_exist: bool = True) -> tuple:
    """Validated links whose target documents, spans and annotations exist."""
    checked = []
    for link in links or ():
        link = check_link(link)
        if link.target_document_id is not None:
            length = document_length(db, link.target_document_id)
            if link.target_start is not None:
                check_span(length, link.target_start, link.target_end, what="The linked passage")
        if annotations_must_exist and link.target_annotation_id is not None:
            _load(db, link.target_annotation_id)
        checked.append(link)
    return tuple(checked)


def check_target(db, target) -> tuple[int | None, int | None, int | None]:
    """The optional second span: ``(document_id, start, end)``, a dict with those keys, or None."""
    if target is None:
        return None, None, None
    if isinstance(target, dict):
        target = (target.get("document_id"), target.get("start"), target.get("end"))
    try:
        document_id, start, end = target
    except (TypeError, ValueError):
        raise InvalidInput("The second passage must be given as document, start and end.") from None
    check_span(document_length(db, document_id), start, end, what="The second passage")
    return document_id, start, end


# ---------------------------------------------------------------- public API

def create_annotation(
    store: Store,
    document_id: int,
    start: int,
    end: int,
    *,
    note: str = "",
    tags: Iterable[str] = (),
    reliability: str | None = None,
    credibility: int | None = None,
    rationale: str = "",
    author: str = "",
    links: Iterable = (),
    target=None,
) -> Annotation:
    """Annotate ``document[start:end)``; the quote and its context are taken from the stored text.

    ``target`` is an optional second span ``(document_id, start, end)``, for a
    note on a pair of aligned passages. A bare highlight (nothing but the span)
    is allowed.
    """
    with store.transaction() as db:
        start, end, quote = quoted_span(db, document_id, start, end)
        target_document_id, target_start, target_end = check_target(db, target)
        now = utcnow()
        annotation = Annotation(
            id=str(uuid.uuid4()),
            document_id=document_id,
            start=start,
            end=end,
            **vars(quote),
            note=clean_text(note),
            tags=clean_tags(tags),
            reliability=check_reliability(reliability),
            credibility=check_credibility(credibility),
            rationale=clean_text(rationale),
            author=clean_author(author),
            created_at=now,
            modified_at=now,
            links=check_links(db, links),
            target_document_id=target_document_id,
            target_start=target_start,
            target_end=target_end,
        )
        write_annotation(db, annotation, new=True)
        record_history(db, annotation.id, "create", annotation.author, None, snapshot(annotation))
    return annotation


def _apply_changes(db, current: Annotation, changes: dict) -> Annotation:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"cannot edit {sorted(unknown)}; editable fields are {EDITABLE}")
    fields: dict = {}
    cleaners = {
        "note": clean_text, "tags": clean_tags, "reliability": check_reliability,
        "credibility": check_credibility, "rationale": clean_text,
    }
    for name, clean in cleaners.items():
        if name in changes:
            fields[name] = clean(changes[name])
    if "links" in changes:
        fields["links"] = check_links(db, changes["links"])
    if "target" in changes:
        names = ("target_document_id", "target_start", "target_end")
        fields.update(zip(names, check_target(db, changes["target"]), strict=True))
    if "start" in changes or "end" in changes:
        fields.update(_placed(db, current, changes.get("start", current.start),
                              changes.get("end", current.end)))
    return replace(current, **fields)


def _placed(db, annotation: Annotation, start, end) -> dict:
    start, end, quote = quoted_span(db, annotation.document_id, start, end)
    return dict(start=start, end=end, **vars(quote), anchor_status="anchored",
                anchor_confidence=1.0)


def _live(annotation: Annotation) -> Annotation:
    if annotation.is_deleted:
        raise InvalidInput("This annotation was deleted; restore it before changing it.")
    return annotation


def _save_change(db, before: Annotation, after: Annotation, action: str, author: str) -> Annotation:
    if after == before:
        return before
    after = replace(after, modified_at=utcnow())
    write_annotation(db, after, new=False)
    record_history(db, after.id, action, clean_author(author), snapshot(before), snapshot(after))
    return after


def update_annotation(store: Store, annotation_id: str, *, author: str, **changes) -> Annotation:
    """Change some of :data:`EDITABLE` (note, tags, scales, rationale, links, span, target).

    ``author`` is who makes the change (recorded in the history); the annotation
    keeps its original author. Changing ``start``/``end`` re-quotes the text and
    marks the annotation anchored. An edit that changes nothing records nothing.
    """
    with store.transaction() as db:
        current = _live(_load(db, annotation_id))
        return _save_change(db, current, _apply_changes(db, current, changes), "edit", author)


def delete_annotation(store: Store, annotation_id: str, *, author: str) -> None:
    """Soft delete: the annotation is hidden but kept; :func:`restore_annotation` brings it back."""
    with store.transaction() as db:
        current = _load(db, annotation_id)
        if not current.is_deleted:
            _save_change(db, current, replace(current, deleted_at=utcnow()), "delete", author)


def restore_annotation(store: Store, annotation_id: str, *, author: str) -> Annotation:
    """Bring back a deleted annotation (a no-op for one that is not deleted)."""
    with store.transaction() as db:
        current = _load(db, annotation_id)
        return _save_change(db, current, replace(current, deleted_at=None), "restore", author)


def place_annotation(store: Store, annotation_id: str, start: int, end: int, *, author: str):
    """A scholar places an annotation by hand (resolving a review item): re-quoted, anchored."""
    with store.transaction() as db:
        current = _live(_load(db, annotation_id))
        placed = replace(current, **_placed(db, current, start, end))
        return _save_change(db, current, placed, "place", author)


def get_annotation(store: Store, annotation_id: str) -> Annotation:
    """One annotation, deleted or not; :class:`NotFound` if the id is unknown."""
    return _load(store.db, annotation_id)


def list_annotations(
    store: Store, document_id: int | None = None, *, include_deleted: bool = False,
    status: str | None = None,
) -> list[Annotation]:
    """Annotations in text order, optionally of one document and/or one anchor status."""
    clauses, params = ["1"], []
    if document_id is not None:
        clauses.append("document_id = ?")
        params.append(document_id)
    if not include_deleted:
        clauses.append("deleted_at is null")
    if status is not None:
        if status not in ANCHOR_STATUSES:
            raise InvalidInput(f"Unknown anchor status {status!r}.")
        clauses.append("anchor_status = ?")
        params.append(status)
    return load_annotations(store.db, " and ".join(clauses), params)


def review_queue(store: Store) -> list[Annotation]:
    """Live annotations that need a scholar's eye: anchor status ``review`` (or ``orphaned``)."""
    return load_annotations(
        store.db, "deleted_at is null and anchor_status in ('review', 'orphaned')"
    )


def annotation_history(store: Store, annotation_id: str) -> list[dict]:
    """Every change, oldest first: ``id, annotation_id, action, author, at, before, after``.

    ``before``/``after`` are snapshots (dicts) or ``None``; rows made by
    :func:`undo_last` also have ``undoes`` (the history id they undid).
    """
    history = []
    for row in store.db.query(
        "select * from annotation_history where annotation_id = ? order by id", [annotation_id]
    ):
        entry = dict(row)
        entry.pop("undoes", None)  # the column (m010) repeats what the undo's snapshot says
        entry["before"] = json.loads(row["before"]) if row["before"] else None
        entry["after"] = json.loads(row["after"]) if row["after"] else None
        if entry["after"] and "undoes" in entry["after"]:
            entry["undoes"] = entry["after"].pop("undoes")
        history.append(entry)
    return history


# ---------------------------------------------------------------- undo

def _latest_undoable(db, author: str | None) -> dict | None:
    """The latest undoable change (by ``author``) that no undo names: walked from the
    newest row, each checked through the index on ``undoes`` (m010)."""
    marks = ",".join("?" * len(UNDOABLE))
    sql = (f"select * from annotation_history h where action in ({marks}) and not exists "
           "(select 1 from annotation_history u where u.undoes = h.id)")
    params: list = list(UNDOABLE)
    if author is not None:
        sql += " and author = ?"
        params.append(clean_author(author))
    rows = list(db.query(sql + " order by id desc limit 1", params))
    return rows[0] if rows else None


def _reverted(current: Annotation, row: dict) -> Annotation:
    """``current`` with every field that the change in ``row`` altered set back to its old value."""
    if row["before"] is None:
        return replace(current, deleted_at=current.deleted_at or utcnow())
    before, after = json.loads(row["before"]), json.loads(row["after"])
    old = from_snapshot(before)
    changed = {name for name in before if name != "modified_at" and before[name] != after[name]}
    return replace(current, **{name: getattr(old, name) for name in changed})


_UNDO_SENTENCES = {
    "create": "Removed the annotation on {quote} that {who} had made; it can still be restored.",
    "edit": "Undid {who}'s edit of the annotation on {quote}.",
    "delete": "Brought back the annotation on {quote} that {who} had deleted.",
    "restore": "Deleted again the annotation on {quote} that {who} had restored.",
    "place": "Put the annotation on {quote} back where it was before {who} placed it.",
}


def _quote_for_people(exact: str) -> str:
    words = " ".join(exact.split())
    return f"“{words[:40]}…”" if len(words) > 40 else f"“{words}”"


def undo_last(store: Store, *, author: str | None = None) -> str:
    """Undo the latest create, edit, delete, restore or placing (by ``author`` if given).

    Only the fields that change altered are set back, so a later edit by someone
    else survives. Undoing a creation deletes softly. Repeated calls go further
    back. Returns a sentence saying what was undone ("There is nothing to undo."
    when nothing is left).
    """
    with store.transaction() as db:
        row = _latest_undoable(db, author)
        if row is None:
            return "There is nothing to undo."
        current = _load(db, row["annotation_id"])
        reverted = replace(_reverted(current, row), modified_at=utcnow())
        write_annotation(db, reverted, new=False)
        after = {**snapshot(reverted), "undoes": row["id"]}
        record_history(db, current.id, "undo", clean_author(author or row["author"]),
                       snapshot(current), after)
    who = row["author"] or "someone"
    return _UNDO_SENTENCES[row["action"]].format(quote=_quote_for_people(current.exact), who=who)
