"""The Export & backup page through the router (AppTest): real downloads, imports, a restore.

Downloads are deferred (made on click); the tests run the button's callable the
way the server does (``MediaFileManager.execute_deferred``) and read the bytes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from lxml import etree
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from annotations.backup import SQLITE_MAGIC, backup_bytes
from annotations.documents import import_document
from annotations.export import export_csv, export_jsonld
from annotations.notes import create_annotation, list_annotations, review_queue
from annotations.safe_csv import csv_bytes
from annotations.store import Store
from tests.conftest import ROOT, shown
from ui.annotate import escape_markdown
from ui.export import import_report

TEXT = (
    "Article 1. The parties agree.\n\n"
    "Article 2. The treaty was signed at Geneva.\f\n\n"
    "Article 3. =SUM(A1) is not a formula here.\n"
)
OTHER = "A second document about harbours.\n"
TODAY = date.today().isoformat()


class RecordingManager(MediaFileManager):
    """The media file manager AppTest makes for each run, kept so tests can run downloads."""

    made: list[MediaFileManager] = []

    def __init__(self, storage):
        super().__init__(storage)
        RecordingManager.made.append(self)


@pytest.fixture(autouse=True)
def recorded_media(monkeypatch):
    RecordingManager.made = []
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", RecordingManager)


def fetch(at: AppTest, key: str) -> tuple[str, bytes]:
    """File name and bytes of the download button ``key``, made as a click would make them."""
    [button] = [b for b in at.download_button if b.proto.id.endswith(f"-{key}")]
    file_id = button.proto.deferred_file_id
    manager = RecordingManager.made[-1]
    name = manager._deferred_callables[file_id]["filename"]
    url = manager.execute_deferred(file_id)
    stored = manager.read_file(url.rsplit("/", 1)[-1].split(".")[0])
    return name, stored.content


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the accents with the BOM
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def project(db_path):
    with Store(db_path) as store:
        treaty = import_document(store, TEXT.encode(), "treaty.txt", title="Treaty",
                                 kind="final", language="en")
        other = import_document(store, OTHER.encode(), "other.txt", title="Harbours")
        start = TEXT.index("signed at Geneva")
        note = create_annotation(store, treaty, start, start + 16, note="Signed *where*? Genève.",
                                 tags=["place", "treaty"], reliability="B", credibility=2,
                                 author="Ada")
        formula = TEXT.index("=SUM(A1)")
        create_annotation(store, treaty, formula, formula + 8, note="=HYPERLINK(\"x\")",
                          author="Ada")
        create_annotation(store, other, 2, 8, note="Harbour note", author="Bob")
    return {"treaty": treaty, "other": other, "note": note, "path": db_path}


def open_export(name: str = "Eve") -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/export.py")
    at.run()
    at.sidebar.text_input[0].input(name).run()
    assert not at.exception, at.exception
    return at


def test_csv_download_has_the_annotation_row_with_quote_offsets_page_and_note(project):
    at = open_export()
    name, data = fetch(at, "export_csv")
    assert name == f"palimpsest-annotations-{TODAY}.csv"
    rows = csv_rows(data)
    assert len(rows) == 3
    note = project["note"]
    [row] = [r for r in rows if r["id"] == note.id]
    assert (row["exact"], row["start"], row["end"]) == ("signed at Geneva", str(note.start),
                                                         str(note.end))
    assert (row["page"], row["note"], row["tags"]) == ("1", "Signed *where*? Genève.",
                                                        "place;treaty")
    assert (row["document_title"], row["reliability"], row["credibility"]) == ("Treaty", "B", "2")
    formula = [r for r in rows if r["exact"] == "'=SUM(A1)"]
    assert formula and formula[0]["note"] == "'=HYPERLINK(\"x\")"  # inert in a spreadsheet


def test_the_scope_limits_the_csv_and_json_ld_to_the_chosen_documents(project):
    at = open_export()
    at.multiselect(key="export_scope").set_value([project["other"]]).run()
    _, data = fetch(at, "export_csv")
    assert [r["note"] for r in csv_rows(data)] == ["Harbour note"]
    name, data = fetch(at, "export_jsonld")
    assert name == f"palimpsest-annotations-{TODAY}.jsonld"
    collection = json.loads(data)
    assert collection["type"] == "AnnotationCollection" and collection["total"] == 1
    [item] = collection["first"]["items"]
    assert item["body"][0]["value"] == "Harbour note"


def test_tei_download_is_the_chosen_document_with_its_annotations(project):
    at = open_export()
    at.selectbox(key="export_tei_document").set_value(project["treaty"]).run()
    name, data = fetch(at, "export_tei")
    assert name == f"doc-{project['treaty']}.xml"
    tree = etree.fromstring(data)
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    assert tree.findtext(".//tei:titleStmt/tei:title", namespaces=ns) == "Treaty"
    assert len(tree.findall(".//tei:listAnnotation/tei:annotation", ns)) == 2
    assert "signed at Geneva" in "".join(tree.find(".//tei:ab", ns).itertext())


def test_backup_download_is_the_whole_database_named_with_the_date(project):
    at = open_export()
    assert any("holds 2 documents and 3 annotations" in m.value for m in at.markdown)
    assert any("palimpsest restore" in c.value for c in at.caption)  # beyond the upload limit
    name, data = fetch(at, "backup_download")
    assert name == f"palimpsest-backup-{TODAY}.sqlite"
    assert data.startswith(SQLITE_MAGIC)
    copy = project["path"].with_name("copy.db")
    copy.write_bytes(data)
    with Store(copy) as store:
        assert len(list_annotations(store)) == 3


def test_importing_a_csv_counts_what_was_added_and_what_waits_for_review(project, tmp_path):
    with Store(tmp_path / "colleague.db") as colleague:  # the same document, elsewhere
        treaty = import_document(colleague, TEXT.encode(), "treaty.txt", title="Treaty")
        create_annotation(colleague, treaty, 0, 10, note="From a colleague", author="Zoé")
        exported = export_csv(colleague)
    moved = csv_bytes([{"document_title": "Treaty", "start": 0, "end": 9,
                        "exact": "words that are nowhere in this treaty", "note": "lost"}])
    at = open_export()
    at.file_uploader(key="import_file_0").upload("colleague.csv", exported, "text/csv").run()
    at.button(key="import_go").click().run()
    assert at.success[0].value == "1 annotation imported."
    at.file_uploader(key="import_file_1").upload("moved.csv", moved, "text/csv").run()
    at.button(key="import_go").click().run()
    assert at.success[0].value == import_report(1, 1)
    with Store(project["path"]) as store:
        notes = {a.note: a for a in list_annotations(store, project["treaty"])}
        assert notes["From a colleague"].author == "Zoé"
        assert [a.note for a in review_queue(store)] == ["lost"]


def test_importing_json_ld_again_adds_nothing(project):
    with Store(project["path"]) as store:
        exported = export_jsonld(store).encode()
    at = open_export()
    at.file_uploader(key="import_file_0").upload("notes.jsonld", exported, "application/ld+json")
    at.run()
    at.button(key="import_go").click().run()
    assert at.success[0].value.startswith("No new annotations")


def test_a_bad_import_file_is_refused_with_its_name_and_nothing_changes(project):
    bad = csv_bytes([{"document_id": project["treaty"], "start": 5, "end": 500000}])
    at = open_export()
    at.file_uploader(key="import_file_0").upload("bad.csv", bad, "text/csv").run()
    at.button(key="import_go").click().run()
    assert shown(at.error[0].value).startswith("bad.csv: Row 2 of the CSV file")
    assert "Nothing was imported" in at.error[0].value
    with Store(project["path"]) as store:
        assert len(list_annotations(store)) == 3


def test_restore_needs_confirmation_replaces_everything_and_keeps_the_old_file(project):
    with Store(project["path"]) as store:
        saved = backup_bytes(store)
        create_annotation(store, project["other"], 0, 1, note="after the backup", author="Ada")
    at = open_export()
    at.file_uploader(key="restore_file_0").upload("backup.sqlite", saved).run()
    assert at.button(key="restore_go").disabled
    at.checkbox(key="restore_confirm_0").check().run()
    at.button(key="restore_go").click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith("Backup restored: the workbench now holds 2 documents and 3 "
                              "annotations.")
    kept = next(project["path"].parent.glob("workbench.db.before-restore-*.bak"))
    assert message.endswith(f"was kept as {escape_markdown(str(kept))}")
    with Store(project["path"]) as store:
        assert "after the backup" not in {a.note for a in list_annotations(store)}
    with Store(kept) as store:
        assert "after the backup" in {a.note for a in list_annotations(store)}
    assert not at.checkbox(key="restore_confirm_1").value  # asked again next time


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_is_replaced(project):
    at = open_export()
    at.file_uploader(key="restore_file_0").upload("notes.txt", b"just some words").run()
    at.checkbox(key="restore_confirm_0").check().run()
    at.button(key="restore_go").click().run()
    assert "not a Palimpsest backup" in at.error[0].value
    with Store(project["path"]) as store:
        assert len(list_annotations(store)) == 3


def test_without_documents_export_says_where_to_import(db_path):
    at = open_export()
    assert "Sources page" in at.info[0].value
