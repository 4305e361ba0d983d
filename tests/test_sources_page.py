"""The Sources page (AppTest through the router): upload with per-file metadata, refuse,
edit metadata, delete."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from annotations.demo import load_demo
from annotations.documents import import_document, list_documents
from annotations.store import Store
from tests import hostile, make_samples
from tests.conftest import ROOT, shown
from ui.import_job import Upload, import_uploads


def open_sources(db_path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes, str], edits: dict | None = None) -> AppTest:
    """Choose ``files``, change cells of the import table (``{row: {column: value}}``), import."""
    at.file_uploader[0].set_value(list(files))  # the import uploader comes first on the page
    at.run()
    if edits:
        at.session_state[at.data_editor[0].key] = {
            "edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.button(key="import_go").click()
    return at.run()


def viewer(at: AppTest):
    """The select box of the document shown below the table (one per project)."""
    (box,) = [b for b in at.selectbox if (b.key or "").startswith("open_document_choice_")]
    return box


def messages(at: AppTest) -> list[str]:
    return [shown(e.value) for e in [*at.success, *at.error]]


def test_upload_several_files_lists_them_with_pages_and_passages(db_path):
    at = open_sources(db_path)
    at = upload(
        at,
        ("draft.txt", make_samples.text_paged(), "text/plain"),
        ("report.docx", make_samples.docx(), "application/octet-stream"),
    )
    assert not at.exception
    imported = [shown(s.value).split(" It is listed")[0] for s in at.success]
    assert imported == ["draft.txt: imported.", "report.docx: imported."]
    table = at.dataframe[0].value
    assert list(table["kind"]) == ["Draft", "Final"]  # named a draft; then the next version
    assert table.iloc[0]["pages"] >= 2
    assert (table["passages"] > 0).all()
    with Store(db_path) as store:
        assert [d.source_name for d in list_documents(store)] == ["draft.txt", "report.docx"]


@pytest.mark.parametrize(("build", "filename", "message"), hostile.REFUSED[:8])
def test_refused_upload_shows_the_reason_and_changes_nothing(db_path, build, filename, message):
    at = open_sources(db_path)
    with Store(db_path) as store:
        before = store.row_counts()
    at = upload(at, (filename, build(), "application/octet-stream"))
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1 and message in errors[0] and errors[0].startswith(filename)
    with Store(db_path) as store:
        assert store.row_counts() == before


def test_duplicate_upload_names_the_first_document_and_opens_it(db_path):
    with Store(db_path) as store:
        first = import_document(store, make_samples.text_utf8(), "first.txt")
        import_document(store, make_samples.text_paged(), "second.txt")
    at = upload(open_sources(db_path), ("again.txt", make_samples.text_utf8(), "text/plain"))
    assert "imported before" in shown(at.error[0].value)
    with Store(db_path) as store:
        project = list_documents(store)[0].project_id
        assert len(list_documents(store)) == 2
    assert at.selectbox(key=f"open_document_choice_{project}").value == first


def test_edit_metadata_then_delete_with_confirmation(db_path):
    with Store(db_path) as store:
        doc_id = import_document(store, make_samples.text_utf8(), "a.txt")
    at = open_sources(db_path)
    at.text_input(key=f"edit_{doc_id}_issuer").set_value("United Nations")
    at.text_input(key=f"edit_{doc_id}_date").set_value("1986-11-05")
    at.selectbox(key=f"edit_{doc_id}_kind").set_value("final")
    form_buttons = [b for b in at.button if b.label == "Save metadata"]
    form_buttons[0].click().run()
    assert not at.exception
    with Store(db_path) as store:
        (doc,) = list_documents(store)
    assert (doc.issuer, doc.date, doc.kind) == ("United Nations", "1986-11-05", "final")

    delete = at.button(key=f"delete_{doc_id}")
    assert delete.disabled
    at.checkbox(key=f"confirm_delete_{doc_id}").check().run()
    at.button(key=f"delete_{doc_id}").click().run()
    assert not at.exception
    with Store(db_path) as store:
        assert list_documents(store) == []


DRAFT = "Projet de rapport\n\nPremier paragraphe du projet.\n\nDeuxième paragraphe.\n"
FINAL = "Rapport final\n\nPremier paragraphe du rapport.\n"
ANNEX = "Annex\n\nThe paragraphs that were cut from the report.\n"


def test_each_file_of_one_upload_keeps_its_own_title_kind_and_language(db_path):
    at = open_sources(db_path)
    at = upload(
        at,
        ("a.txt", DRAFT.encode(), "text/plain"),
        ("b.txt", FINAL.encode(), "text/plain"),
        ("c.txt", ANNEX.encode(), "text/plain"),
        edits={0: {"title": "Projet *A*", "language": "FR"},
               1: {"date": "1986-11-05"},  # title: the first line of the file
               2: {"title": "Annex", "kind": "annex", "language": "en", "issuer": "UN"}},
    )
    assert not at.exception, at.exception
    with Store(db_path) as store:
        stored = [(d.source_name, d.title, d.kind, d.language, d.date, d.issuer)
                  for d in list_documents(store)]
    assert stored == [
        ("a.txt", "Projet *A*", "draft", "fr", None, None),
        ("b.txt", "Rapport final", "final", "fr", "1986-11-05", None),
        ("c.txt", "Annex", "annex", "en", None, "UN"),
    ]
    assert [shown(s.value) for s in at.success][0] == (
        "a.txt: imported. It is listed as Projet *A* · Draft · FR.")


def test_the_import_table_proposes_kinds_from_the_file_names_never_other(db_path):
    at = open_sources(db_path)
    at.file_uploader[0].set_value([
        ("notes.txt", DRAFT.encode(), "text/plain"),
        ("rapport-final.txt", FINAL.encode(), "text/plain"),
        ("Annexe_II.txt", ANNEX.encode(), "text/plain"),
        ("memo.txt", b"A memo.\n", "text/plain"),
    ]).run()
    table = at.data_editor[0].value
    assert list(table["file"]) == ["notes.txt", "rapport-final.txt", "Annexe_II.txt", "memo.txt"]
    assert list(table["title"]) == ["", "", "", ""]  # empty: the title inside the file
    assert list(table["kind"]) == ["draft", "final", "annex", "final"]


def test_the_outcome_stays_until_the_next_import(db_path):
    at = upload(open_sources(db_path), ("a.txt", DRAFT.encode(), "text/plain"),
                ("empty.txt", b"", "text/plain"))
    expected = ["a.txt: imported. It is listed as Projet de rapport · Draft · FR.",
                "empty.txt: not imported. The file is empty."]
    assert messages(at) == expected
    at.run()  # a rerun, or a second click on a button whose files are already imported
    assert messages(at) == expected
    at.checkbox(key=f"confirm_delete_{viewer(at).value}").check().run()
    assert messages(at) == expected
    at = upload(at, ("b.txt", FINAL.encode(), "text/plain"))
    assert [line.split(" It is")[0] for line in messages(at)] == ["b.txt: imported."]


def test_after_an_import_the_viewer_shows_the_new_file_not_the_demo(db_path):
    with Store(db_path) as store:
        demo = load_demo(store)
    at = open_sources(db_path)
    assert viewer(at).value == demo["draft"]
    at = upload(at, ("a.txt", DRAFT.encode(), "text/plain"),
                ("b.txt", FINAL.encode(), "text/plain"))
    assert not at.exception, at.exception
    with Store(db_path) as store:
        mine = [d for d in list_documents(store) if d.id not in demo.values()]
    assert [d.source_name for d in mine] == ["a.txt", "b.txt"]
    assert viewer(at).value == mine[-1].id
    assert at.dataframe[-1].value["text"][0] == "Rapport final"  # its passages below
    assert list(at.dataframe[0].value["file"]) == ["a.txt", "b.txt"]  # not next to the demo


def test_a_double_click_imports_each_file_once_and_reports_the_first_success(store):
    files = [Upload("u1", "a.txt", DRAFT.encode()), Upload("u2", "b.txt", FINAL.encode())]
    rows = [{"title": "A", "kind": "draft"}, {"title": "B", "kind": "final"}]
    done: dict = {}
    first = import_uploads(store, files, rows, project_id=None, done=done)
    # The second click's run gets the same upload, interrupted or not.
    second = import_uploads(store, files, rows, project_id=None, done=done)
    assert second == first and all(o.imported for o in first)
    assert [d.title for d in list_documents(store)] == ["A", "B"]


def test_a_background_import_reports_each_file_and_forgets_it_once_stale(store):
    from ui.import_job import ImportJob, find_job

    uploads = [Upload("u1", "a.txt", DRAFT.encode()), Upload("u2", "b.txt", b"")]
    job = ImportJob(store.path, uploads, [{"kind": "draft"}, {"kind": "final"}],
                    project_id=None, done={}).start()
    assert job.finished.wait(60) and job.failure is None
    assert [o.imported for o in job.outcomes] == [True, False]
    assert job.fraction() == 1.0 and job.status() == "Reading b.txt (file 2 of 2)…"
    assert find_job(job.id) is job and not job.stale()
    assert job.stale(after=-1)
    later = ImportJob(store.path, [], [], project_id=None, done={})
    job.stale = lambda: True  # an hour on
    later.start().finished.wait(10)
    assert find_job(job.id) is None and find_job(later.id) is later
