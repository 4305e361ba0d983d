"""The Sources page (AppTest through the router): upload, refuse, edit metadata, delete."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from annotations.documents import import_document, list_documents
from annotations.store import Store
from tests import hostile, make_samples
from tests.conftest import ROOT, shown


def open_sources(db_path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes, str], kind: str = "other") -> AppTest:
    at.file_uploader(key="import_files").set_value(list(files))
    at.selectbox(key="import_kind").set_value(kind)
    at.button[0].click()  # the form's submit button comes first on the page
    return at.run()


def test_upload_several_files_lists_them_with_pages_and_passages(db_path):
    at = open_sources(db_path)
    at = upload(
        at,
        ("draft.txt", make_samples.text_paged(), "text/plain"),
        ("report.docx", make_samples.docx(), "application/octet-stream"),
        kind="draft",
    )
    assert not at.exception
    imported = [shown(s.value) for s in at.success]
    assert imported == ["draft.txt: imported.", "report.docx: imported."]
    table = at.dataframe[0].value
    assert list(table["kind"]) == ["Draft", "Draft"]
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


def test_duplicate_upload_names_the_first_document(db_path):
    with Store(db_path) as store:
        import_document(store, make_samples.text_utf8(), "first.txt")
    at = upload(open_sources(db_path), ("again.txt", make_samples.text_utf8(), "text/plain"))
    assert "imported before" in shown(at.error[0].value)


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
