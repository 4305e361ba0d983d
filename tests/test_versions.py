"""Versions of a document: numbered, marked when superseded, and each stays open when read."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from annotations.corrections import reimport_document
from annotations.documents import get_document, import_document, list_documents
from annotations.store import Store
from tests.conftest import ROOT
from ui.documents import document_labels

FIRST = "Report\n\nThe committee met in Geneva.\n\nIt heard witnesses from three provinces.\n"
CORRECTED = "Report\n\nThe committee met in Geneva.\n\nIt heard witnesses from four provinces.\n"
SECOND_FIX = "Report\n\nThe committee met in Geneva.\n\nIt heard witnesses from five provinces.\n"


@pytest.fixture
def versions(tmp_path, monkeypatch):
    path = tmp_path / "versions.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    with Store(path) as store:
        old = import_document(store, FIRST.encode(), "report.txt", kind="draft", language="en")
        new, _ = reimport_document(store, old, CORRECTED.encode(), "report-fixed.txt")
    return path, old, new


def test_versions_are_numbered_and_the_old_one_names_its_successor(versions):
    path, old, new = versions
    with Store(path) as store:
        newest, _ = reimport_document(store, new, SECOND_FIX.encode(), "report-fixed-2.txt")
        by_id = {d.id: d for d in list_documents(store)}
        assert [(by_id[i].version, by_id[i].superseded_by) for i in (old, new, newest)] == [
            (1, new), (2, newest), (3, None)]
        assert get_document(store, new).version == 2
        labels = document_labels(list(by_id.values()))
    assert labels[old] == "Report · Draft · EN · v1, superseded by v2"
    assert labels[new] == "Report · Draft · EN · v2, superseded by v3"
    assert labels[newest] == "Report · Draft · EN · v3"


def test_documents_that_would_share_a_label_are_told_apart(store):
    first = import_document(store, b"Notes\n\nOne text.\n", "a.txt", language="en")
    second = import_document(store, b"Notes\n\nAnother text.\n", "b.txt", language="en")
    labels = document_labels(list_documents(store))
    assert labels[first] != labels[second]
    assert labels[first] == f"Notes · Other · EN (document {first})"


def open_read(doc: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/read.py")
    at.query_params["doc"] = str(doc)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("which", ["old", "new"])
def test_either_version_stays_open_across_reruns(versions, which):
    _, old, new = versions
    doc = {"old": old, "new": new}[which]
    at = open_read(doc)
    at.sidebar.text_input[0].set_value("Ada").run()  # any rerun: here, typing a name
    assert not at.exception, at.exception
    assert at.query_params["doc"] == str(doc)
    assert at.selectbox(key="read_document").value == doc
    header = " ".join(caption.value for caption in at.caption)
    if which == "old":
        assert "superseded by v2" in header
    else:
        assert "version 2" in header
