"""Full-text search over document texts and annotations (SQLite FTS5).

The FTS tables fold case and accents (``unicode61 remove_diacritics 2``), so
"credibilite" finds "crédibilité". Whatever the user types is turned into
quoted FTS5 strings, so operators (``AND``, ``NEAR(``, ``*``, stray quotes and
parentheses) are searched as words and never break the query. Words are ANDed;
``"a phrase"`` in double quotes is a phrase; a word ending in ``*`` is a prefix.

>>> fts_query('treaty "Soviet Union" AND NEAR( cred*')
'"treaty" "Soviet Union" "AND" "NEAR" "cred"*'
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from annotations.model import (
    LINK_TYPES,
    check_credibility,
    check_reliability,
    clean_author,
    clean_text,
)
from annotations.store import Store
from sources.errors import InvalidInput

SNIPPET_CONTEXT = 60
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    """One hit: a place in a document text, or an annotation (``annotation_id`` set).

    For a document hit ``start``/``end`` is the first match in the text (``0, 0``
    when only the title matched); for an annotation hit it is the annotated span.
    ``snippet`` is plain text: show it as text, never as HTML.
    """

    kind: str  # "document" | "annotation"
    document_id: int
    title: str
    start: int
    end: int
    snippet: str
    annotation_id: str | None = None


def fts_query(query: str) -> str:
    """A safe FTS5 query for what the user typed ("" if it holds no word at all)."""
    parts = []
    for match in _TOKEN.finditer(unicodedata.normalize("NFC", query or "")):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        prefix = word.endswith("*")
        words = _WORD.findall(word)
        if words:
            parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def _fold(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    ).casefold()


def _shorten(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened by :data:`SNIPPET_CONTEXT`, whitespace collapsed, "…" at cuts.

    A text that fits in the snippet is shown whole; cuts fall between words.

    >>> _shorten("Cut from the French final; kept in English only (zostera).", 50, 57)
    'Cut from the French final; kept in English only (zostera).'
    >>> cut = _shorten("word " * 40 + "needle " + "word " * 40, 200, 206)
    >>> cut.split(" needle ") == ["…" + "word " * 11 + "word", "word " * 11 + "word…"]
    True
    """
    if len(text) <= 2 * SNIPPET_CONTEXT + (end - start):
        return " ".join(text.split())
    begin, stop = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
    if begin > 0 and not text[begin - 1].isspace():  # move the cut to the next word
        begin = next((i + 1 for i in range(begin, start) if text[i].isspace()), begin)
    if stop < len(text) and not text[stop].isspace():  # and back to the end of a word
        stop = next((i for i in range(stop, end, -1) if text[i - 1].isspace()), stop)
    body = " ".join(text[begin:stop].split())
    return ("…" if begin > 0 else "") + body + ("…" if stop < len(text) else "")


def _annotation_snippet(row: dict, query: str) -> str:
    """The first of note, quote, rationale, tags that holds a query word, shortened around it."""
    words = [_fold(word) for word in _WORD.findall(query)]
    tags = ", ".join(_tags_of(row))
    for field in (row["note"] or "", row["exact"] or "", row["rationale"] or "", tags):
        folded = _fold(field)
        hits = [folded.find(word) for word in words if word in folded]
        if hits and len(folded) == len(field):
            return _shorten(field, min(hits), min(hits))
        if hits:
            return _shorten(field, 0, 0)
    return _shorten(row["note"] or row["exact"] or "", 0, 0)


def _tags_of(row: dict) -> list[str]:
    return json.loads(row["tags"] or "[]")


def _annotation_filters(document_id, tag, author, reliability, credibility, link_type):
    clauses, params = ["a.deleted_at is null"], []
    if document_id is not None:
        clauses.append("a.document_id = ?")
        params.append(document_id)
    if tag:
        clauses.append("exists (select 1 from json_each(a.tags) "
                       "where palimpsest_casefold(value) = ?)")
        params.append(" ".join(clean_text(tag).split()).casefold())
    if author:
        clauses.append("a.author = ?")
        params.append(clean_author(author))
    if reliability:
        clauses.append("a.reliability = ?")
        params.append(check_reliability(reliability))
    if credibility is not None and credibility != "":
        clauses.append("a.credibility = ?")
        params.append(check_credibility(credibility))
    if link_type:
        if link_type not in LINK_TYPES:
            raise InvalidInput(
                f"Unknown link type {str(link_type)[:40]!r}; use one of: {', '.join(LINK_TYPES)}."
            )
        clauses.append("exists (select 1 from annotation_links l "
                       "where l.annotation_id = a.id and l.link_type = ?)")
        params.append(link_type)
    return clauses, params


def _annotation_hits(store: Store, match: str, query: str, clauses, params, limit) -> list:
    if match:
        sql = ("select a.*, d.title as doc_title from annotations_fts f "
               "join annotations a on a.rowid = f.rowid join documents d on d.id = a.document_id "
               f"where annotations_fts match ? and {' and '.join(clauses)} order by f.rank limit ?")
        rows = store.db.query(sql, [match, *params, limit])
    else:
        sql = ("select a.*, d.title as doc_title from annotations a "
               f"join documents d on d.id = a.document_id where {' and '.join(clauses)} "
               "order by a.modified_at desc, a.id limit ?")
        rows = store.db.query(sql, [*params, limit])
    return [
        SearchHit("annotation", row["document_id"], row["doc_title"], row["start"], row["end"],
                  _annotation_snippet(row, query), row["id"])
        for row in rows
    ]


def _document_hit(row) -> SearchHit:
    document_id, title, text, marked = row
    first = marked.find(_START) if marked else -1
    if first == -1:
        return SearchHit("document", document_id, title, 0, 0, _shorten(text, 0, 0))
    stop = marked.find(_STOP, first)
    end = stop - 1 if stop != -1 else first
    return SearchHit("document", document_id, title, first, end, _shorten(text, first, end))


def _document_hits(store: Store, match: str, document_id, limit) -> list[SearchHit]:
    sql = ("select d.id, d.title, d.text, highlight(documents_fts, 1, char(2), char(3)) "
           "from documents_fts f join documents d on d.id = f.rowid where documents_fts match ?")
    params: list = [match]
    if document_id is not None:
        sql += " and d.id = ?"
        params.append(document_id)
    rows = store.db.execute(sql + " order by f.rank limit ?", [*params, limit]).fetchall()
    return [_document_hit(row) for row in rows]


def search(
    store: Store,
    query: str,
    *,
    document_id: int | None = None,
    tag: str | None = None,
    author: str | None = None,
    reliability: str | None = None,
    credibility: int | None = None,
    link_type: str | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Annotations (best first), then document texts (best first), at most ``limit`` hits.

    The annotation filters (tag, author, scales, link type) leave document hits
    out. With no words but some filter, every annotation passing the filters is
    listed (newest first); with neither, nothing is returned.
    """
    if not isinstance(limit, int) or limit < 1:
        raise InvalidInput("The number of results must be a whole number of at least 1.")
    match = fts_query(query)
    filtered = any(value not in (None, "") for value in
                   (tag, author, reliability, credibility, link_type))
    if not match and not filtered:
        return []
    clauses, params = _annotation_filters(document_id, tag, author, reliability, credibility,
                                          link_type)
    # SQLite's lower() only knows ASCII; tags compare like Python's casefold ("Égypte" = "égypte")
    store.db.conn.create_function("palimpsest_casefold", 1, _casefold, deterministic=True)
    hits = _annotation_hits(store, match, query or "", clauses, params, limit)
    if match and not filtered and len(hits) < limit:
        hits += _document_hits(store, match, document_id, limit - len(hits))
    return hits
