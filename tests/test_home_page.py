"""The Home page: an empty workbench says where to start; the demo shows its documents."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from annotations.demo import load_demo
from annotations.store import Store
from tests.conftest import ROOT
from ui.text import escape_markdown


def open_home() -> AppTest:
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_empty_workbench_points_to_sources(db_path):
    at = open_home()
    assert "empty" in at.info[0].value


def test_demo_project_shows_three_documents_with_page_counts(db_path):
    with Store(db_path) as store:
        load_demo(store)
    at = open_home()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Documents": "3", "Pages": "27", "Annotations": "5",
                       "Waiting for review": "0"}
    table = at.dataframe[0].value
    assert list(table["kind"]) == ["Draft", "Final", "Annex"]
    assert list(table["language"]) == ["fr", "fr", "en"]
    assert list(table["pages"]) == [13, 10, 4]


def test_a_file_that_is_not_a_database_is_named_not_raised(db_path):
    db_path.write_bytes(b"Notes for chapter 3, not a database. " * 200)
    before = db_path.read_bytes()
    at = open_home()
    assert [e.value for e in at.error] == [escape_markdown(
        f"Palimpsest cannot open the database {db_path} (file is not a database); check that "
        "it is a Palimpsest database file and that you may write to it. Nothing was changed in it."
    )]
    assert db_path.read_bytes() == before
