"""Projects in the workbench (AppTest through the router): create, rename and switch; every
list and the default witnesses of Compare follow the current project."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from annotations.demo import load_demo
from annotations.documents import import_document, list_documents
from annotations.projects import create_project, list_projects
from annotations.store import Store
from tests.conftest import ROOT, shown

DRAFT = ("Rapport sur la situation\n\n1. Le Comité s'est réuni à Genève du 3 au 14 mars.\n\n"
         "2. Treize pages de témoignages décrivent des exécutions sommaires.\n\n"
         "3. Le Comité recommande la poursuite de l'enquête.\n")
FINAL = ("Rapport sur la situation\n\n1. Le Comité s'est réuni à Genève du 3 au 14 mars.\n\n"
         "3. Le Comité recommande la poursuite de l'enquête.\n")


def open_page(page: str = "pages/home.py", **params) -> AppTest:
    """A page through the router, with URL parameters.

    AppTest runs the router (and so the sidebar) on the first run only; after
    ``switch_page`` it runs the page alone, which finds the current project itself.
    """
    at = AppTest.from_file(str(ROOT / "workbench.py"), default_timeout=90)
    if page == "pages/home.py":
        at.query_params.update({name: str(value) for name, value in params.items()})
    at.run()
    if page != "pages/home.py":
        at.switch_page(page)
        at.query_params.update({name: str(value) for name, value in params.items()})
        at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def current(at: AppTest) -> int:
    """The current project, as every page reads it."""
    return at.session_state["current_project"]


@pytest.fixture
def two_projects(db_path):
    """The demo, and the scholar's own project with a draft and a final text."""
    with Store(db_path) as store:
        demo = load_demo(store)
        mine = create_project(store, "Afghanistan 1986")
        draft = import_document(store, DRAFT.encode(), "draft.txt", project_id=mine,
                                kind="draft", language="fr", title="Projet de rapport")
        final = import_document(store, FINAL.encode(), "final.txt", project_id=mine,
                                kind="final", language="fr", title="Rapport final")
        demo_project = list_documents(store)[0].project_id
    return {"demo": demo, "demo_project": demo_project, "mine": mine,
            "draft": draft, "final": final}


def test_creating_a_project_on_sources_makes_it_current(db_path):
    at = open_page("pages/sources.py")
    at.text_input(key="new_project_name").set_value("  Afghanistan   1986 ")
    button(at, "Create project").click().run()
    assert not at.exception, at.exception
    with Store(db_path) as store:
        (project,) = list_projects(store)
    assert project.name == "Afghanistan 1986"
    assert [shown(s.value) for s in at.success] == [
        "Project “Afghanistan 1986” created; new imports go into it."]
    assert current(at) == project.id
    assert at.query_params["project"] == str(project.id)


def test_a_second_project_with_the_same_name_is_refused(db_path):
    with Store(db_path) as store:
        create_project(store, "Afghanistan 1986")
    at = open_page("pages/sources.py")
    at.text_input(key="new_project_name").set_value("afghanistan 1986")
    button(at, "Create project").click().run()
    assert [shown(e.value) for e in at.error] == [
        "There is already a project called “Afghanistan 1986”; choose another name."]
    with Store(db_path) as store:
        assert [p.name for p in list_projects(store)] == ["Afghanistan 1986"]


def test_renaming_the_current_project_shows_the_new_name_in_the_sidebar(two_projects, db_path):
    mine = two_projects["mine"]
    at = open_page("pages/sources.py")
    at.text_input(key=f"rename_project_{mine}_name").set_value("Report *1986*")
    button(at, "Rename").click().run()
    assert not at.exception, at.exception
    with Store(db_path) as store:
        assert [p.name for p in list_projects(store)][-1] == "Report *1986*"
    assert open_page().selectbox(key="project_choice").options == [
        "Demo: the cut Part (Official Languages Act)", "Report *1986*"]
    assert [shown(s.value) for s in at.success] == ["Project renamed “Report *1986*”."]


def test_the_scholars_project_is_current_by_default_and_lists_only_its_documents(two_projects):
    at = open_page("pages/sources.py")
    assert current(at) == two_projects["mine"]
    assert list(at.dataframe[0].value["file"]) == ["draft.txt", "final.txt"]


def test_switching_project_in_the_sidebar_changes_the_lists_and_survives_a_reload(two_projects):
    demo_project = two_projects["demo_project"]
    at = open_page()
    assert at.selectbox(key="project_choice").value == two_projects["mine"]
    at.selectbox(key="project_choice").set_value(demo_project).run()
    assert not at.exception, at.exception
    assert at.query_params["project"] == str(demo_project)
    at.switch_page("pages/sources.py").run()
    assert list(at.dataframe[0].value["kind"]) == ["Draft", "Final", "Annex"]
    reloaded = open_page(project=demo_project)
    assert reloaded.selectbox(key="project_choice").value == demo_project
    reloaded.switch_page("pages/sources.py").run()
    assert list(reloaded.dataframe[0].value["kind"]) == ["Draft", "Final", "Annex"]


def test_imports_go_into_the_current_project(two_projects, db_path):
    at = open_page("pages/sources.py")
    at.file_uploader[0].set_value([("annexe.txt", b"Annex text, in English.\n", "text/plain")])
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    with Store(db_path) as store:
        docs = list_documents(store, two_projects["mine"])
    assert [(d.source_name, d.kind) for d in docs][-1] == ("annexe.txt", "annex")


def test_imports_while_in_the_demo_go_into_my_project_not_into_the_demo(db_path):
    with Store(db_path) as store:
        demo = load_demo(store)
    at = open_page("pages/sources.py")
    at.file_uploader[0].set_value([("a.txt", DRAFT.encode(), "text/plain")])
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception, at.exception
    with Store(db_path) as store:
        projects = {p.id: p.name for p in list_projects(store)}
        (doc,) = [d for d in list_documents(store) if d.id not in demo.values()]
    assert projects[doc.project_id] == "My project"
    assert current(at) == doc.project_id


def test_compare_preselects_the_current_projects_witnesses_not_the_demo(two_projects):
    at = open_page("pages/compare.py")
    assert at.selectbox(key="compare_base").value == two_projects["draft"]
    assert at.multiselect(key="compare_others").value == [two_projects["final"]]
    assert at.selectbox(key="compare_base").options == ["Projet de rapport · Draft · FR",
                                                         "Rapport final · Final · FR"]


def test_read_search_and_export_list_the_current_projects_documents(two_projects):
    titles = ["Projet de rapport · Draft · FR", "Rapport final · Final · FR"]
    assert open_page("pages/read.py").selectbox(key="read_document").options == titles
    assert open_page("pages/search.py").selectbox(key="search_document").options[1:] == titles
    assert open_page("pages/export.py").multiselect(key="export_scope").options == titles


def test_a_link_to_a_document_opens_its_project(two_projects):
    demo_draft = two_projects["demo"]["draft"]
    at = open_page("pages/read.py", doc=demo_draft)
    assert current(at) == two_projects["demo_project"]
    assert at.selectbox(key="read_document").value == demo_draft


def test_home_marks_the_current_project(two_projects):
    at = open_page()
    blocks = [b for b in at.main.children.values() if isinstance(b, Block)]
    marked = [b for b in blocks if any("Current project" in c.value for c in b.caption)]
    assert [b.subheader[0].value for b in marked] == ["Afghanistan 1986"]


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999999", "1e3", "٣", ""])
def test_a_hostile_project_in_the_url_falls_back_to_the_default(two_projects, value):
    at = open_page("pages/sources.py", project=value)
    assert current(at) == two_projects["mine"]


def test_after_a_switch_compare_starts_from_the_new_projects_witnesses(two_projects, db_path):
    with Store(db_path) as store:
        other = create_project(store, "Other")
        draft = import_document(store, DRAFT.encode(), "d.txt", project_id=other, kind="draft")
        final = import_document(store, FINAL.encode(), "f.txt", project_id=other, kind="final")
    at = open_page("pages/compare.py", project=two_projects["mine"])
    assert at.multiselect(key="compare_others").value == [two_projects["final"]]
    at.query_params.clear()
    at.query_params["project"] = str(other)  # what the sidebar's select box does
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="compare_base").value == draft
    assert at.multiselect(key="compare_others").value == [final]
