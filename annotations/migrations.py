"""Numbered, append-only schema migrations, applied in order when a store opens.

Never edit a migration that has shipped; add a new one at the end. Each step runs
inside the store's transaction, so a failing step leaves the file as it was. A
step marked :func:`rebuilds_tables` runs with foreign keys off (SQLite's
documented way to change a constraint: build the new table, copy, drop, rename)
and the store checks every foreign key before it commits.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    """Register ``fn`` as the next migration; its name is recorded in ``_migrations``."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def rebuilds_tables(fn: Callable[[sqlite_utils.Database], None]):
    """Mark a migration that rebuilds tables: the store switches foreign keys off around it."""
    fn.rebuilds_tables = True
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


# m005: deletion declared in the schema. Each table that points at documents,
# alignment runs or annotations is rebuilt with the same columns, and says what
# deleting the row it points at does: CASCADE (the row cannot exist without it)
# or SET NULL (a pointer that may be absent). Rows keep their rowids, which the
# FTS5 indexes of m004 use; indexes and triggers are recreated as they were.
_DOCUMENT = 'REFERENCES "documents"("id")'
M005_TABLES = {
    "documents": f"""
        "id" INTEGER PRIMARY KEY,
        "project_id" INTEGER NOT NULL REFERENCES "projects"("id"),
        "title" TEXT NOT NULL, "issuer" TEXT, "date" TEXT, "language" TEXT,
        "kind" TEXT NOT NULL, "source_name" TEXT, "media_type" TEXT,
        "sha256" TEXT NOT NULL, "original" BLOB, "text" TEXT NOT NULL, "imported_at" TEXT,
        "version_of" INTEGER {_DOCUMENT} ON DELETE SET NULL,
        "translation_of" INTEGER {_DOCUMENT} ON DELETE SET NULL,
        "supersedes" INTEGER {_DOCUMENT} ON DELETE SET NULL,
        "notes" TEXT""",
    "pages": f"""
        "id" INTEGER PRIMARY KEY,
        "document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "seq" INTEGER NOT NULL, "label" TEXT, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL""",
    "passages": f"""
        "id" INTEGER PRIMARY KEY,
        "document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "seq" INTEGER NOT NULL, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
        "label" TEXT, "kind" TEXT, "page_first" TEXT, "page_last" TEXT""",
    "alignment_runs": f"""
        "id" INTEGER PRIMARY KEY,
        "a_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "b_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "method" TEXT NOT NULL, "params" TEXT, "created_at" TEXT, "seconds" REAL""",
    "alignment_links": f"""
        "id" INTEGER PRIMARY KEY,
        "run_id" INTEGER NOT NULL REFERENCES "alignment_runs"("id") ON DELETE CASCADE,
        "b_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "kind" TEXT NOT NULL, "a_start" INTEGER, "a_end" INTEGER, "b_start" INTEGER,
        "b_end" INTEGER, "score" REAL, "method" TEXT, "detail" TEXT""",
    "alignment_decisions": f"""
        "id" INTEGER PRIMARY KEY,
        "a_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "b_document_id" INTEGER {_DOCUMENT} ON DELETE CASCADE,
        "a_start" INTEGER, "a_end" INTEGER, "b_start" INTEGER, "b_end" INTEGER,
        "a_quote" TEXT, "b_quote" TEXT, "decision" TEXT NOT NULL, "note" TEXT, "author" TEXT,
        "created_at" TEXT""",
    "annotations": f"""
        "id" TEXT PRIMARY KEY,
        "document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, "exact" TEXT NOT NULL,
        "prefix" TEXT, "suffix" TEXT, "note" TEXT, "tags" TEXT, "reliability" TEXT,
        "credibility" INTEGER, "rationale" TEXT, "author" TEXT, "created_at" TEXT,
        "modified_at" TEXT, "deleted_at" TEXT, "anchor_status" TEXT, "anchor_confidence" REAL,
        "target_document_id" INTEGER {_DOCUMENT} ON DELETE SET NULL,
        "target_start" INTEGER, "target_end" INTEGER""",
    "annotation_links": f"""
        "id" INTEGER PRIMARY KEY,
        "annotation_id" TEXT NOT NULL REFERENCES "annotations"("id") ON DELETE CASCADE,
        "link_type" TEXT NOT NULL,
        "target_document_id" INTEGER {_DOCUMENT} ON DELETE SET NULL,
        "target_start" INTEGER, "target_end" INTEGER, "target_annotation_id" TEXT""",
    "annotation_history": """
        "id" INTEGER PRIMARY KEY,
        "annotation_id" TEXT NOT NULL REFERENCES "annotations"("id") ON DELETE CASCADE,
        "action" TEXT NOT NULL, "author" TEXT, "at" TEXT NOT NULL, "before" TEXT,
        "after" TEXT""",
}
# Foreign-key columns no index led yet (a deletion would scan the whole table).
M005_INDEXES = (
    ("documents", "version_of"), ("documents", "translation_of"), ("documents", "supersedes"),
    ("alignment_runs", "b_document_id"), ("alignment_links", "b_document_id"),
    ("alignment_decisions", "b_document_id"), ("annotations", "target_document_id"),
    ("annotation_links", "target_document_id"),
)
M005_TRIGGERS = (
    # SET NULL clears only the key: a second target's span goes with its document.
    """CREATE TRIGGER "annotations_target_gone" AFTER UPDATE OF "target_document_id"
       ON "annotations" WHEN new."target_document_id" IS NULL
         AND (new."target_start" IS NOT NULL OR new."target_end" IS NOT NULL) BEGIN
         UPDATE "annotations" SET "target_start" = NULL, "target_end" = NULL
         WHERE rowid = new.rowid;
       END""",
    # A link left pointing at nothing (no document, no annotation) is gone with its target.
    """CREATE TRIGGER "annotation_links_target_gone" AFTER UPDATE OF "target_document_id"
       ON "annotation_links" WHEN new."target_document_id" IS NULL BEGIN
         DELETE FROM "annotation_links" WHERE "id" = new."id" AND "target_annotation_id" IS NULL;
         UPDATE "annotation_links" SET "target_start" = NULL, "target_end" = NULL
         WHERE "id" = new."id" AND ("target_start" IS NOT NULL OR "target_end" IS NOT NULL);
       END""",
    # A stored comparison names every witness in params.others (annotations.collation),
    # not only the first in b_document_id: it is void without any of them.
    """CREATE TRIGGER "alignment_runs_witness_gone" AFTER DELETE ON "documents" BEGIN
         DELETE FROM "alignment_runs" WHERE CASE WHEN json_valid("params") THEN EXISTS (
           SELECT 1 FROM json_each("params", '$.others') WHERE json_each.value = old."id")
         ELSE 0 END;
       END""",
)


@migration
@rebuilds_tables
def m005_declared_deletion(db: sqlite_utils.Database) -> None:
    # History of annotations that no longer exist could not satisfy the new key.
    db.execute("DELETE FROM annotation_history WHERE annotation_id NOT IN "
               "(SELECT id FROM annotations)")
    for table, columns in M005_TABLES.items():
        rebuild_table(db, table, columns)
    for table, column in M005_INDEXES:
        db[table].create_index([column])
    for trigger in M005_TRIGGERS:
        db.execute(trigger)


def rebuild_table(db: sqlite_utils.Database, table: str, columns: str) -> None:
    """Replace ``table`` by one declared with ``columns``, keeping rows, rowids, indexes, triggers.

    Steps 4-8 of https://www.sqlite.org/lang_altertable.html#otheralter; the caller
    has switched foreign keys off and checks them before committing.
    """
    attached = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", [table])]
    names = ", ".join(f'"{name}"' for name in db[table].columns_dict)
    # Keep the rowid even where it is not the primary key (the FTS index points at it).
    rowid = "" if _rowid_is_primary_key(db, table) else "rowid, "
    new = f"_new_{table}"
    db.execute(f'CREATE TABLE "{new}" ({columns}\n)')
    db.execute(f'INSERT INTO "{new}" ({rowid}{names}) SELECT {rowid}{names} FROM "{table}"')
    db.execute(f'DROP TABLE "{table}"')
    db.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for sql in attached:
        db.execute(sql)


def _rowid_is_primary_key(db: sqlite_utils.Database, table: str) -> bool:
    keys = [column for column in db[table].columns if column.is_pk]
    return len(keys) == 1 and keys[0].type.upper() == "INTEGER"


@migration
def m006_import_notes(db: sqlite_utils.Database) -> None:
    # What the import had to say about the file (an encoding guessed, pages without text,
    # running heads and page numbers taken out of the text): a JSON list of sentences.
    db.execute("ALTER TABLE documents ADD COLUMN import_notes TEXT NOT NULL DEFAULT '[]'")


@migration
def m007_variants(db: sqlite_utils.Database) -> None:
    # What each difference means (sources.variants): a JSON list on every stored link,
    # the scholar's re-typings of single variants, and rules declared for a project
    # ("treat ’ and ' as the same"). Decisions are keyed by spans and quotes, like the
    # ledger's, so re-running the aligner keeps them.
    db.execute("ALTER TABLE alignment_links ADD COLUMN variants TEXT NOT NULL DEFAULT '[]'")
    db.execute(f"""
        CREATE TABLE "variant_decisions" (
            "id" INTEGER PRIMARY KEY,
            "a_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
            "b_document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
            "a_start" INTEGER, "a_end" INTEGER, "b_start" INTEGER, "b_end" INTEGER,
            "old" TEXT NOT NULL, "new" TEXT NOT NULL, "type" TEXT NOT NULL,
            "significant" INTEGER NOT NULL, "author" TEXT, "created_at" TEXT NOT NULL)""")
    db.execute('CREATE INDEX "idx_variant_decisions_pair" '
               'ON "variant_decisions" ("a_document_id", "b_document_id")')
    db.execute('CREATE INDEX "idx_variant_decisions_b" ON "variant_decisions" ("b_document_id")')
    db.execute("""
        CREATE TABLE "variant_rules" (
            "id" INTEGER PRIMARY KEY,
            "project_id" INTEGER NOT NULL REFERENCES "projects"("id") ON DELETE CASCADE,
            "old" TEXT NOT NULL, "new" TEXT NOT NULL, "type" TEXT NOT NULL,
            "author" TEXT, "created_at" TEXT NOT NULL)""")
    db.execute('CREATE INDEX "idx_variant_rules_project" ON "variant_rules" ("project_id")')


@migration
def m008_word_boxes(db: sqlite_utils.Database) -> None:
    # Scans read by OCR (issue 13): where each word is printed (the page's seq, its box as
    # fractions of the page from the top left) and Tesseract's confidence in it (0-100),
    # and each passage's confidence: its words' mean, weighted by their length (NULL for a
    # passage not read by OCR). Offsets are code points into the document's text.
    db.execute("ALTER TABLE passages ADD COLUMN confidence REAL")
    db.execute(f"""
        CREATE TABLE "word_boxes" (
            "document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
            "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, "page" INTEGER NOT NULL,
            "left" REAL NOT NULL, "top" REAL NOT NULL, "right" REAL NOT NULL,
            "bottom" REAL NOT NULL, "confidence" REAL)""")
    db.execute('CREATE INDEX "idx_word_boxes_document" ON "word_boxes" ("document_id", "start")')


@migration
def m009_corrections(db: sqlite_utils.Database) -> None:
    # Corrections of a document's text made on the Read page (issue 13): each makes a new
    # version (``document_id``, superseding ``previous_id``); the passage, the text before
    # and after, who and when. Undoing one is a correction back (``undoes``).
    db.execute(f"""
        CREATE TABLE "corrections" (
            "id" INTEGER PRIMARY KEY,
            "document_id" INTEGER NOT NULL {_DOCUMENT} ON DELETE CASCADE,
            "previous_id" INTEGER {_DOCUMENT} ON DELETE SET NULL,
            "passage_seq" INTEGER NOT NULL, "before" TEXT NOT NULL, "after" TEXT NOT NULL,
            "author" TEXT, "created_at" TEXT NOT NULL,
            "undoes" INTEGER REFERENCES "corrections"("id") ON DELETE SET NULL)""")
    db.execute('CREATE INDEX "idx_corrections_document" ON "corrections" ("document_id")')
    db.execute('CREATE INDEX "idx_corrections_previous" ON "corrections" ("previous_id")')
    db.execute('CREATE INDEX "idx_corrections_undoes" ON "corrections" ("undoes")')


@migration
def m010_undo_index(db: sqlite_utils.Database) -> None:
    # Undo finds the latest change not yet undone through an index (issue 14): each undo
    # row names the row it undid in a column of its own (it was only inside its JSON).
    db.execute("ALTER TABLE annotation_history ADD COLUMN undoes INTEGER")
    db.execute("UPDATE annotation_history SET undoes = json_extract(after, '$.undoes') "
               "WHERE action = 'undo'")
    db.execute('CREATE INDEX "idx_annotation_history_undoes" ON "annotation_history" ("undoes")')
