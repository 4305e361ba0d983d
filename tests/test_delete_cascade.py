"""Deleting a document: the schema says what goes with it, and database errors speak to people.

Migration m005 rebuilds the tables with ``ON DELETE CASCADE`` / ``SET NULL`` and an
index on every foreign-key column; these tests pin the declared schema, delete
the later witness of a stored comparison, upgrade a database built with the
older migrations (every row kept, search still working), and check that SQLite's
errors reach the user as a sentence.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from streamlit.testing.v1 import AppTest

from annotations import collation, migrations
from annotations.collation import compare, decide
from annotations.demo import load_demo
from annotations.documents import delete_document, get_document, import_document
from annotations.model import AnnotationLink
from annotations.notes import (
    annotation_history,
    create_annotation,
    get_annotation,
    update_annotation,
)
from annotations.search import search
from annotations.store import MigrationFailed, Store, StoreError
from sources.errors import PalimpsestError
from sources.model import Span
from tests.conftest import ROOT

PARAGRAPHS = [
    "The committee met in Geneva on the fifth of November.",
    "Section 12 lists the withdrawal timetable agreed by both sides over nine months.",
    "The delegation reserved its position on the frontier question for later talks.",
    "Observers from neutral states will verify every stage of the withdrawal.",
    "The report closes with thanks to the interpreters and the secretariat staff.",
]
DRAFT = "\n\n".join(PARAGRAPHS) + "\n"
FINAL = "\n\n".join(PARAGRAPHS[:2] + PARAGRAPHS[3:]) + "\n"  # the frontier paragraph cut
ANNEX = f"Annex\n\n{PARAGRAPHS[2]}\n\nA zanzibarite note on sources closes the annex.\n"
ANNEX_V2 = ANNEX.replace("closes", "ends")
OLD_MIGRATIONS = [step for step in migrations.MIGRATIONS if step[0] < "m005"]

# What deleting a row of the referenced table does to each foreign key.
DECLARED = {
    ("documents", "project_id"): "NO ACTION",
    ("documents", "version_of"): "SET NULL",
    ("documents", "translation_of"): "SET NULL",
    ("documents", "supersedes"): "SET NULL",
    ("pages", "document_id"): "CASCADE",
    ("passages", "document_id"): "CASCADE",
    ("alignment_runs", "a_document_id"): "CASCADE",
    ("alignment_runs", "b_document_id"): "CASCADE",
    ("alignment_links", "run_id"): "CASCADE",
    ("alignment_links", "b_document_id"): "CASCADE",
    ("alignment_decisions", "a_document_id"): "CASCADE",
    ("alignment_decisions", "b_document_id"): "CASCADE",
    ("annotations", "document_id"): "CASCADE",
    ("annotations", "target_document_id"): "SET NULL",
    ("annotation_links", "annotation_id"): "CASCADE",
    ("annotation_links", "target_document_id"): "SET NULL",
    ("annotation_history", "annotation_id"): "CASCADE",
    ("variant_decisions", "a_document_id"): "CASCADE",
    ("variant_decisions", "b_document_id"): "CASCADE",
    ("variant_rules", "project_id"): "CASCADE",
    ("word_boxes", "document_id"): "CASCADE",
    ("corrections", "document_id"): "CASCADE",
    ("corrections", "previous_id"): "SET NULL",
    ("corrections", "undoes"): "SET NULL",
}


def foreign_keys(store: Store) -> dict[tuple[str, str], str]:
    found = {}
    for table in store.db.table_names():
        for row in store.db.execute(f"PRAGMA foreign_key_list('{table}')"):
            found[(table, row[3])] = row[6]
    return found


def orphans(store: Store) -> list:
    return store.db.execute("PRAGMA foreign_key_check").fetchall()


def count(store: Store, table: str, where: str = "1", params=()) -> int:
    return store.db.execute(f"select count(*) from {table} where {where}", params).fetchone()[0]


def build_project(store: Store) -> dict:
    """Three witnesses compared and reviewed, a later version, annotations (links, history)."""
    ids = {"draft": import_document(store, DRAFT.encode(), "draft.txt", language="en",
                                    kind="draft")}
    ids["final"] = import_document(store, FINAL.encode(), "final.txt", language="en",
                                   kind="final", version_of=ids["draft"])
    ids["annex"] = import_document(store, ANNEX.encode(), "annex.txt", language="en",
                                   kind="annex", translation_of=ids["draft"])
    ids["annex_v2"] = import_document(store, ANNEX_V2.encode(), "annex2.txt", language="en",
                                      kind="annex", supersedes=ids["annex"])
    compare(store, ids["draft"], [ids["final"], ids["annex"]])
    cut = span_of(DRAFT, PARAGRAPHS[2])
    decide(store, ids["draft"], cut, "confirmed", other_id=ids["annex"],
           b=span_of(ANNEX, PARAGRAPHS[2]), author="Ada")
    decide(store, ids["draft"], span_of(DRAFT, PARAGRAPHS[0]), "confirmed",
           other_id=ids["final"], b=span_of(FINAL, PARAGRAPHS[0]), author="Ada")
    on_final = create_annotation(store, ids["final"], 0, 13, note="Opening kept.", author="Ada",
                                 links=[AnnotationLink("removed-from", ids["draft"], 0, 13)])
    odd = span_of(ANNEX, "zanzibarite")
    on_annex = create_annotation(store, ids["annex"], odd.start, odd.end,
                                 note="A quokkaesque remark.", author="Bob")
    update_annotation(store, on_annex.id, author="Bob", note="A quokkaesque remark, reread.")
    annex_span = span_of(ANNEX, PARAGRAPHS[2])
    on_draft = create_annotation(
        store, ids["draft"], cut.start, cut.end, note="Cut, then published in the annex.",
        author="Ada", target=(ids["annex"], annex_span.start, annex_span.end),
        links=[
            AnnotationLink("translation-of", ids["annex"], annex_span.start, annex_span.end),
            AnnotationLink("corroborates", ids["final"], 0, 13),
            AnnotationLink("quotes", ids["annex"], 0, 5, on_final.id),
        ],
    )
    return {**ids, "on_final": on_final.id, "on_annex": on_annex.id, "on_draft": on_draft.id}


def upgraded_contents(store: Store) -> dict[str, list]:
    """:func:`table_contents` of a file upgraded from before m005, as it was before m006.

    m006 appends a column of import notes to documents, m007 one of variants to
    alignment links: empty ('[]') for rows made before them, and dropped here so the
    rows compare with the old ones; m008 one of OCR confidence to passages (NULL: no
    OCR). The tables m007, m008 and m009 add start empty.
    """
    after = table_contents(store)
    for table, empty in (("documents", "[]"), ("alignment_links", "[]"), ("passages", None)):
        assert {row[-1] for row in after[table]} == {empty}
        after[table] = [row[:-1] for row in after[table]]
    assert after.pop("variant_decisions") == after.pop("variant_rules") == []
    assert after.pop("word_boxes") == after.pop("corrections") == []
    after["annotation_history"] = [row[:-1] for row in after["annotation_history"]]  # m010
    return after


def span_of(text: str, phrase: str) -> Span:
    start = text.index(phrase)
    return Span(start, start + len(phrase))


def table_contents(store: Store) -> dict[str, list]:
    """Every row of every table (FTS shadow tables aside), with its rowid."""
    return {
        table: store.db.execute(f'select rowid, * from "{table}" order by rowid').fetchall()
        for table in store.db.table_names()
        if "_fts" not in table and table != "_migrations"
    }


def old_database(path, monkeypatch) -> tuple[dict, dict]:
    """A database built and filled with the migrations before m005 only; ids and contents."""
    monkeypatch.setattr("annotations.store.MIGRATIONS", OLD_MIGRATIONS)
    current = collation._link_record  # links as that schema stored them: no variants column
    monkeypatch.setattr("annotations.collation._link_record", lambda run_id, item: {
        k: v for k, v in current(run_id, item).items() if k != "variants"})
    monkeypatch.setattr("annotations.collation.LINKS_SQL", collation.LINKS_SQL.replace(
        "method, variants, detail", "method, '[]', detail"))  # read back without it
    monkeypatch.setattr("annotations.collation.uncertain_words", lambda store, doc_id: ())
    with Store(path) as old:
        ids = build_project(old)
        assert "REFERENCES" in old.db["pages"].schema and "CASCADE" not in old.db["pages"].schema
        contents = table_contents(old)
    monkeypatch.undo()
    return ids, contents


# ---------------------------------------------------------------- the declared schema


def test_schema_declares_what_deleting_takes_along(store):
    assert foreign_keys(store) == DECLARED


def test_every_foreign_key_column_leads_an_index(store):
    leading = set()
    for table in store.db.table_names():
        for index in store.db.execute(f"PRAGMA index_list('{table}')").fetchall():
            first = store.db.execute(f"PRAGMA index_info('{index[1]}')").fetchone()
            leading.add((table, first[2]))
    assert set(DECLARED) - leading == set()


def test_a_second_target_without_its_document_loses_its_span(store):
    ids = build_project(store)
    with store.transaction() as db:
        db.execute("update annotations set target_document_id = null where id = ?",
                   [ids["on_draft"]])
    annotation = get_annotation(store, ids["on_draft"])
    assert (annotation.target_document_id, annotation.target_start,
            annotation.target_end) == (None, None, None)


# ---------------------------------------------------------------- deleting


def test_deleting_the_later_witness_of_a_stored_comparison(store):
    ids = build_project(store)
    assert count(store, "alignment_links", "b_document_id = ?", [ids["annex"]]) > 0
    before = store.row_counts()
    history_of_annex = len(annotation_history(store, ids["on_annex"]))
    annex_pages, annex_passages = (count(store, table, "document_id = ?", [ids["annex"]])
                                   for table in ("pages", "passages"))

    delete_document(store, ids["annex"])

    assert orphans(store) == [] and store.integrity_ok()
    after = store.row_counts()
    assert before["documents"] - after["documents"] == 1
    assert before["pages"] - after["pages"] == annex_pages
    assert before["passages"] - after["passages"] == annex_passages == 3
    # The comparison included the annex: it goes whole (links into the final too).
    assert (after["alignment_runs"], after["alignment_links"]) == (0, 0)
    assert after["alignment_decisions"] == 1
    assert count(store, "alignment_decisions", "b_document_id = ?", [ids["final"]]) == 1
    assert before["annotations"] - after["annotations"] == 1
    assert before["annotation_history"] - after["annotation_history"] == history_of_annex == 2
    # The link that pointed only into the annex points nowhere and is gone.
    assert before["annotation_links"] - after["annotation_links"] == 1

    kept = get_annotation(store, ids["on_draft"])
    assert (kept.target_document_id, kept.target_start, kept.target_end) == (None, None, None)
    assert kept.links == (
        AnnotationLink("corroborates", ids["final"], 0, 13),
        AnnotationLink("quotes", None, None, None, ids["on_final"]),
    )
    assert get_document(store, ids["annex_v2"]).supersedes is None
    assert get_document(store, ids["final"]).version_of == ids["draft"]
    assert compare(store, ids["draft"], [ids["final"]]).summary()  # recomputed, no crash


def test_deleting_the_base_takes_its_comparisons_and_unlinks_its_versions(store):
    ids = build_project(store)
    assert search(store, "frontier")

    delete_document(store, ids["draft"])

    assert orphans(store) == [] and store.integrity_ok()
    for table in ("pages", "passages", "annotations"):
        assert count(store, table, "document_id = ?", [ids["draft"]]) == 0
    assert store.count("alignment_runs") == store.count("alignment_decisions") == 0
    assert count(store, "annotation_history", "annotation_id = ?", [ids["on_draft"]]) == 0
    assert get_document(store, ids["final"]).version_of is None
    assert get_document(store, ids["annex"]).translation_of is None
    assert get_annotation(store, ids["on_final"]).links == ()  # it pointed into the base only
    assert [hit.document_id for hit in search(store, "secretariat")] == [ids["final"]]
    assert search(store, "published") == []  # the note on the base left the index


def test_deleting_the_demo_annex(store):
    ids = load_demo(store)
    delete_document(store, ids["annex"])
    assert orphans(store) == [] and store.integrity_ok()
    assert count(store, "alignment_links", "b_document_id = ?", [ids["annex"]]) == 0
    assert store.count("documents") == 2


def test_the_sources_page_deletes_the_demo_annex(db_path):
    with Store(db_path) as store:
        ids = load_demo(store)
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    at.session_state["open_document"] = ids["annex"]
    at.run()
    at.switch_page("pages/sources.py").run()
    at.checkbox(key=f"confirm_delete_{ids['annex']}").check().run()
    at.button(key=f"delete_{ids['annex']}").click().run()
    assert not at.exception, at.exception
    with Store(db_path) as store:
        assert store.count("documents") == 2 and orphans(store) == []


# ---------------------------------------------------------------- upgrading an existing file


def test_upgrade_keeps_every_row_and_search_works(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    ids, before = old_database(path, monkeypatch)
    raw = sqlite3.connect(path)
    with raw:  # history of an annotation that no longer exists: the one kind of row dropped
        raw.execute("insert into annotation_history (annotation_id, action, at) "
                    "values ('gone', 'edit', '2020-01-01')")
    raw.close()

    with Store(path) as store:
        assert store.applied_migrations()[-6:] == [
            "m005_declared_deletion", "m006_import_notes", "m007_variants", "m008_word_boxes",
            "m009_corrections", "m010_undo_index"]
        assert upgraded_contents(store) == before
        assert foreign_keys(store) == DECLARED
        assert orphans(store) == [] and store.integrity_ok()
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert [(h.kind, h.document_id) for h in search(store, "zanzibarite")] == [
            ("annotation", ids["annex"]), ("document", ids["annex"]),
            ("document", ids["annex_v2"])]
        assert [h.annotation_id for h in search(store, "quokkaesque")] == [ids["on_annex"]]
        # The search triggers were rebuilt with the tables.
        update_annotation(store, ids["on_final"], author="Ada", note="A wombatlike hunch.")
        assert [h.annotation_id for h in search(store, "wombatlike")] == [ids["on_final"]]
        import_document(store, b"A platypodal memo.\n", "memo.txt", language="en")
        assert [h.title for h in search(store, "platypodal")] == ["memo"]
        delete_document(store, ids["annex"])
        assert [(h.kind, h.document_id) for h in search(store, "zanzibarite")] == [
            ("document", ids["annex_v2"])]
        assert search(store, "quokkaesque") == []
        assert orphans(store) == [] and store.integrity_ok()
    backup = sqlite3.connect(path.with_name("old.db.before-m005_declared_deletion.bak"))
    pages_schema = backup.execute("select sql from sqlite_master where name = 'pages'").fetchone()
    backup.close()
    assert "REFERENCES" in pages_schema[0] and "CASCADE" not in pages_schema[0]


def test_upgrade_refused_when_rows_point_nowhere_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "broken.db"
    old_database(path, monkeypatch)
    monkeypatch.setattr("annotations.store.MIGRATIONS", OLD_MIGRATIONS)
    store = Store(path)
    store.db.execute("PRAGMA foreign_keys = OFF")
    with store.transaction() as db:
        db["pages"].insert({"document_id": 999, "seq": 1, "label": "1", "start": 0, "end": 1})
    store.db.execute("PRAGMA foreign_keys = ON")
    schema = store.db.execute("select sql from sqlite_master order by name").fetchall()
    counts = store.row_counts()
    monkeypatch.undo()

    with pytest.raises(MigrationFailed, match="left unchanged"):
        store.migrate()

    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("select sql from sqlite_master order by name").fetchall() == schema
    assert store.row_counts() == counts
    assert "m005_declared_deletion" not in store.applied_migrations()
    store.close()


# ---------------------------------------------------------------- errors for people


def test_a_refused_write_is_a_sentence_and_saves_nothing(store):
    before = store.row_counts()
    with pytest.raises(StoreError) as caught, store.transaction() as db:
        db["projects"].insert({"name": "half"})
        db["pages"].insert({"document_id": 999, "seq": 1, "label": "1", "start": 0, "end": 1})
    error = caught.value
    assert isinstance(error, PalimpsestError)
    assert isinstance(error, sqlite3.IntegrityError)  # callers that caught SQLite's still do
    assert isinstance(error.__cause__, sqlite3.IntegrityError)
    assert str(error).startswith("The database refused this change")
    assert "nothing was saved" in str(error)
    assert store.row_counts() == before


def test_a_file_that_is_not_a_database_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my notes, not a database. " * 200)
    with pytest.raises(StoreError, match="cannot open") as caught:
        Store(path)
    assert isinstance(caught.value, PalimpsestError) and str(path) in str(caught.value)
    with pytest.raises(StoreError, match="cannot open"):
        Store(tmp_path)  # a folder


def test_sessions_opening_an_old_file_at_once_upgrade_it_once(tmp_path, monkeypatch):
    path = tmp_path / "shared.db"
    _, before = old_database(path, monkeypatch)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(path).close()
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(path) as store:
        assert store.applied_migrations().count("m005_declared_deletion") == 1
        assert upgraded_contents(store) == before
    backup = sqlite3.connect(path.with_name("shared.db.before-m005_declared_deletion.bak"))
    (pages,) = backup.execute("select sql from sqlite_master where name = 'pages'").fetchone()
    backup.close()
    assert "CASCADE" not in pages  # the copy from before the upgrade, not after


def test_a_refused_delete_is_a_sentence_and_changes_nothing(db_path):
    with Store(db_path) as store:
        ids = load_demo(store)
        before = table_contents(store)
    raw = sqlite3.connect(db_path)  # a rule SQLite enforces: this file forbids deleting documents
    with raw:
        raw.execute("create trigger keep_documents before delete on documents "
                    "begin select raise(abort, 'documents are kept in this archive'); end")
    raw.close()
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    at.session_state["open_document"] = ids["annex"]
    at.run()
    at.switch_page("pages/sources.py").run()
    at.checkbox(key=f"confirm_delete_{ids['annex']}").check().run()
    at.button(key=f"delete_{ids['annex']}").click().run()
    assert not at.exception, at.exception
    [error] = at.error
    assert error.value.startswith("Not deleted: ") and error.value.endswith("Nothing was changed.")
    assert "documents are kept in this archive" in error.value
    with Store(db_path) as store:
        assert table_contents(store) == before
