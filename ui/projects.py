"""The current project: chosen in the sidebar, remembered in the session and the URL.

Every list of documents follows it. It is found, in this order, from:

1. a document named in the URL (``?doc=`` or ``?base=``): a link to a document
   opens its project, so deep links cited elsewhere keep working;
2. ``?project=<id>`` in the URL, which survives a reload;
3. the session (what the scholar chose last in this tab);
4. the most recently created or imported-into project that is not the demo.
"""

from __future__ import annotations

import streamlit as st

from annotations.documents import list_documents
from annotations.projects import (
    MAX_NAME_CHARS,
    create_project,
    default_project_id,
    delete_project,
    get_project,
    list_projects,
    project_of_document,
    rename_project,
)
from annotations.store import Store
from sources.errors import PalimpsestError
from ui.text import escape_markdown

PROJECT_KEY = "current_project"
CHOICE_KEY = "project_choice"
MESSAGE_KEY = "project_message"
DOCUMENT_PARAMS = ("doc", "base")
# Widgets of other pages that hold documents of one project. When the project changes
# they are reset, so each page picks its defaults among the new project's documents.
DOCUMENT_CHOICES = ("compare_base", "compare_others", "read_document", "search_document",
                    "export_scope", "export_tei_document")


def current_project_id(store: Store) -> int | None:
    """The id of the project the scholar works in (``None`` in an empty workbench)."""
    ids = {p.id for p in list_projects(store)}
    remembered = st.session_state.get(PROJECT_KEY)
    for candidate in (_linked_project(store), _url_number("project"), remembered):
        if candidate in ids:
            chosen = candidate
            break
    else:
        chosen = default_project_id(store)
    if remembered is not None and chosen != remembered:
        for key in DOCUMENT_CHOICES:
            st.session_state.pop(key, None)  # runs before any page draws its widgets
    st.session_state[PROJECT_KEY] = chosen
    return chosen


def set_current_project(project_id: int) -> None:
    """Make ``project_id`` current from the next run on (the URL says so; the sidebar follows).

    The URL loses the old project's document links, which would pull the scholar back.
    """
    st.query_params.from_dict({"project": str(project_id)})


def project_switcher(store: Store) -> None:
    """The sidebar select box of projects, shown on every page (called by the router)."""
    projects = list_projects(store)
    current = current_project_id(store)
    if not projects:
        return
    names = {p.id: p.name for p in projects}  # unique: the database has an index on name
    if st.session_state.get(CHOICE_KEY) != current:
        st.session_state[CHOICE_KEY] = current  # allowed: the widget is not drawn yet this run
    st.sidebar.selectbox("Project", list(names), key=CHOICE_KEY, format_func=names.get,
                         on_change=lambda: set_current_project(st.session_state[CHOICE_KEY]))
    if not any(name in st.query_params for name in DOCUMENT_PARAMS):
        if st.query_params.get("project") != str(current):
            st.query_params["project"] = str(current)


def project_forms(store: Store, project_id: int | None) -> None:
    """Create a project; rename the current one, or delete it while it holds no documents."""
    if message := st.session_state.pop(MESSAGE_KEY, None):
        st.success(message)
    new, rename = st.columns(2)
    with new.form("new_project", clear_on_submit=True):
        name = st.text_input("New project", key="new_project_name", max_chars=MAX_NAME_CHARS)
        if st.form_submit_button("Create project"):
            _create(store, name)
    if project_id is None:
        return
    with rename.form(f"rename_project_{project_id}"):
        name = st.text_input("Name of this project", value=get_project(store, project_id).name,
                             max_chars=MAX_NAME_CHARS, key=f"rename_project_{project_id}_name")
        if st.form_submit_button("Rename"):
            _rename(store, project_id, name)
    if not list_documents(store, project_id) and st.button(
            "Delete this empty project", key=f"delete_project_{project_id}"):
        _delete(store, project_id)


def _create(store: Store, name: str) -> None:
    try:
        project = get_project(store, create_project(store, name))
    except PalimpsestError as error:
        st.error(escape_markdown(str(error)))
        return
    set_current_project(project.id)
    _done(f"Project “{escape_markdown(project.name)}” created; new imports go into it.")


def _rename(store: Store, project_id: int, name: str) -> None:
    try:
        rename_project(store, project_id, name)
    except PalimpsestError as error:
        st.error(escape_markdown(str(error)))
        return
    _done(f"Project renamed “{escape_markdown(get_project(store, project_id).name)}”.")


def _delete(store: Store, project_id: int) -> None:
    try:
        delete_project(store, project_id)
    except PalimpsestError as error:  # a document arrived from another tab meanwhile
        st.error(escape_markdown(str(error)))
        return
    st.query_params.clear()
    _done("Project deleted.")


def _done(message: str) -> None:
    """Say ``message`` after the rerun that shows the change (sidebar included)."""
    st.session_state[MESSAGE_KEY] = message
    st.rerun()


def _linked_project(store: Store) -> int | None:
    for name in DOCUMENT_PARAMS:
        if (document_id := _url_number(name)) is not None:
            return project_of_document(store, document_id)
    return None


def _url_number(name: str) -> int | None:
    """The first whole number of a URL parameter (``base=3`` or ``others=3,4``), if any."""
    first = st.query_params.get(name, "").split(",")[0].strip()
    return int(first) if first.isdecimal() and len(first) < 19 else None
