"""Numbered, append-only schema migrations, applied in order when a store opens.

Never edit a migration that has shipped; add a new one at the end. Each step runs
inside the store's transaction, so a failing step leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    """Register ``fn`` as the next migration; its name is recorded in ``_migrations``."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_documents(db: sqlite_utils.Database) -> None:
    db["projects"].create(
        {"id": int, "name": str, "description": str, "created_at": str},
        pk="id",
        not_null={"name"},
    )
    db["projects"].create_index(["name"], unique=True)
    db["documents"].create(
        {
            "id": int,
            "project_id": int,
            "title": str,
            "issuer": str,
            "date": str,
            "language": str,
            "kind": str,
            "source_name": str,
            "media_type": str,
            "sha256": str,
            "original": bytes,
            "text": str,
            "imported_at": str,
            "version_of": int,
            "translation_of": int,
            "supersedes": int,
            "notes": str,
        },
        pk="id",
        not_null={"project_id", "title", "kind", "text", "sha256"},
        foreign_keys=[
            ("project_id", "projects", "id"),
            ("version_of", "documents", "id"),
            ("translation_of", "documents", "id"),
            ("supersedes", "documents", "id"),
        ],
    )
    db["documents"].create_index(["project_id", "sha256"], unique=True)
    db["pages"].create(
        {"id": int, "document_id": int, "seq": int, "label": str, "start": int, "end": int},
        pk="id",
        not_null={"document_id", "seq", "start", "end"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["pages"].create_index(["document_id", "seq"], unique=True)
    db["passages"].create(
        {
            "id": int,
            "document_id": int,
            "seq": int,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "page_first": str,
            "page_last": str,
        },
        pk="id",
        not_null={"document_id", "seq", "start", "end"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["passages"].create_index(["document_id", "seq"], unique=True)


@migration
def m002_alignments(db: sqlite_utils.Database) -> None:
    db["alignment_runs"].create(
        {
            "id": int,
            "a_document_id": int,
            "b_document_id": int,
            "method": str,
            "params": str,
            "created_at": str,
            "seconds": float,
        },
        pk="id",
        not_null={"a_document_id", "b_document_id", "method"},
        foreign_keys=[("a_document_id", "documents", "id"), ("b_document_id", "documents", "id")],
    )
    db["alignment_runs"].create_index(["a_document_id", "b_document_id"])
    db["alignment_links"].create(
        {
            "id": int,
            "run_id": int,
            "b_document_id": int,
            "kind": str,
            "a_start": int,
            "a_end": int,
            "b_start": int,
            "b_end": int,
            "score": float,
            "method": str,
            "detail": str,
        },
        pk="id",
        not_null={"run_id", "kind", "b_document_id"},
        foreign_keys=[("run_id", "alignment_runs", "id"), ("b_document_id", "documents", "id")],
    )
    db["alignment_links"].create_index(["run_id"])
    # A scholar's decisions are kept apart from what the aligner computed, keyed by
    # document spans and quotes so they survive re-running the aligner.
    db["alignment_decisions"].create(
        {
            "id": int,
            "a_document_id": int,
            "b_document_id": int,
            "a_start": int,
            "a_end": int,
            "b_start": int,
            "b_end": int,
            "a_quote": str,
            "b_quote": str,
            "decision": str,
            "note": str,
            "author": str,
            "created_at": str,
        },
        pk="id",
        not_null={"a_document_id", "decision"},
        foreign_keys=[("a_document_id", "documents", "id"), ("b_document_id", "documents", "id")],
    )
    db["alignment_decisions"].create_index(["a_document_id", "b_document_id"])


@migration
def m003_annotations(db: sqlite_utils.Database) -> None:
    db["annotations"].create(
        {
            "id": str,
            "document_id": int,
            "start": int,
            "end": int,
            "exact": str,
            "prefix": str,
            "suffix": str,
            "note": str,
            "tags": str,
            "reliability": str,
            "credibility": int,
            "rationale": str,
            "author": str,
            "created_at": str,
            "modified_at": str,
            "deleted_at": str,
            "anchor_status": str,
            "anchor_confidence": float,
            "target_document_id": int,
            "target_start": int,
            "target_end": int,
        },
        pk="id",
        not_null={"document_id", "start", "end", "exact"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("target_document_id", "documents", "id"),
        ],
    )
    db["annotations"].create_index(["document_id"])
    db["annotation_links"].create(
        {
            "id": int,
            "annotation_id": str,
            "link_type": str,
            "target_document_id": int,
            "target_start": int,
            "target_end": int,
            "target_annotation_id": str,
        },
        pk="id",
        not_null={"annotation_id", "link_type"},
        foreign_keys=[
            ("annotation_id", "annotations", "id"),
            ("target_document_id", "documents", "id"),
        ],
    )
    db["annotation_links"].create_index(["annotation_id"])
    db["annotation_history"].create(
        {
            "id": int,
            "annotation_id": str,
            "action": str,
            "author": str,
            "at": str,
            "before": str,
            "after": str,
        },
        pk="id",
        not_null={"annotation_id", "action", "at"},
    )
    db["annotation_history"].create_index(["annotation_id"])


@migration
def m004_search(db: sqlite_utils.Database) -> None:
    # Folding accents lets "credibilite" find "crédibilité".
    tokenize = "unicode61 remove_diacritics 2"
    db["documents"].enable_fts(["title", "text"], create_triggers=True, tokenize=tokenize)
    db["annotations"].enable_fts(
        ["exact", "note", "tags", "rationale"], create_triggers=True, tokenize=tokenize
    )
