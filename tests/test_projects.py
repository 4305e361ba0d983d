"""Projects in the core: create, rename, delete when empty, the default one, names as stored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.demo import DEMO_PROJECT
from annotations.documents import import_document, list_documents
from annotations.projects import (
    clean_project_name,
    create_project,
    default_project_id,
    delete_project,
    get_project,
    list_projects,
    project_of_document,
    project_overview,
    rename_project,
)
from sources.errors import InvalidInput, NotFound


def names(store) -> list[str]:
    return [p.name for p in list_projects(store)]


def test_a_new_project_is_stored_trimmed_and_in_nfc(store):
    project_id = create_project(store, "  Rapport  de \t 1986 \n")
    assert get_project(store, project_id).name == "Rapport de 1986"
    decomposed = create_project(store, "Cafe\u0301")
    assert get_project(store, decomposed).name == "Caf\u00e9"
    assert names(store) == ["Rapport de 1986", "Caf\u00e9"]
    assert [p.documents for p in project_overview(store)] == [0, 0]


@pytest.mark.parametrize("name", ["Afghanistan 1986", "afghanistan 1986", " AFGHANISTAN  1986 "])
def test_a_name_already_taken_in_any_case_is_refused_with_a_sentence(store, name):
    create_project(store, "Afghanistan 1986")
    with pytest.raises(InvalidInput, match="There is already a project called “Afghanistan 1986”"):
        create_project(store, name)
    assert names(store) == ["Afghanistan 1986"]


@pytest.mark.parametrize(("name", "message"), [
    ("", "needs a name"),
    (" \t\n ", "needs a name"),
    ("x" * 201, "at most 200 characters"),
    ("bad\x00name", "control characters"),
    ("broken \ud800", "broken Unicode"),
])
def test_an_unusable_name_is_refused_and_nothing_is_created(store, name, message):
    with pytest.raises(InvalidInput, match=message):
        create_project(store, name)
    assert list_projects(store) == []


def test_rename_keeps_the_documents_and_refuses_another_projects_name(store):
    first = create_project(store, "First")
    create_project(store, "Second")
    doc = import_document(store, b"Some text.\n", "a.txt", project_id=first)
    rename_project(store, first, "  Afghanistan, the 1986 report ")
    assert get_project(store, first).name == "Afghanistan, the 1986 report"
    assert [d.id for d in list_documents(store, first)] == [doc]
    with pytest.raises(InvalidInput, match="already a project called “Second”"):
        rename_project(store, first, "second")
    rename_project(store, first, "AFGHANISTAN, the 1986 report")  # its own name, in another case
    assert names(store) == ["AFGHANISTAN, the 1986 report", "Second"]
    with pytest.raises(NotFound, match="no project 99"):
        rename_project(store, 99, "Third")


def test_only_an_empty_project_can_be_deleted(store):
    full = create_project(store, "Full")
    empty = create_project(store, "Empty")
    import_document(store, b"Some text.\n", "a.txt", project_id=full)
    with pytest.raises(InvalidInput, match="“Full” still holds 1 document; only an empty"):
        delete_project(store, full)
    delete_project(store, empty)
    assert names(store) == ["Full"] and len(list_documents(store)) == 1


def test_the_default_project_is_the_latest_one_that_is_not_the_demo(store):
    assert default_project_id(store) is None
    demo = create_project(store, DEMO_PROJECT)
    assert default_project_id(store) == demo  # the only one
    older = create_project(store, "Older")
    newer = create_project(store, "Newer")
    assert default_project_id(store) == newer
    store.db.execute("update projects set created_at = '2020-01-01T00:00:00+00:00'")
    import_document(store, b"Recent work.\n", "a.txt", project_id=older)
    assert default_project_id(store) == older  # imported into most recently
    import_document(store, b"Demo text.\n", "d.txt", project_id=demo)
    assert default_project_id(store) == older  # the demo never wins over the scholar's own


def test_project_of_document_and_unknown_ids(store):
    project = create_project(store, "P")
    doc = import_document(store, b"Some text.\n", "a.txt", project_id=project)
    assert project_of_document(store, doc) == project
    assert [project_of_document(store, i) for i in (0, doc + 1, 2**63, 10**30)] == [None] * 4
    with pytest.raises(NotFound):
        get_project(store, 10**30)


@given(st.text(max_size=60))
def test_a_cleaned_name_is_a_fixed_point(text):
    try:
        cleaned = clean_project_name(text)
    except InvalidInput:
        return
    assert clean_project_name(cleaned) == cleaned
    assert cleaned == cleaned.strip() and "  " not in cleaned and cleaned
