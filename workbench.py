"""Palimpsest workbench: the Streamlit entry point, a router listing every page."""

import streamlit as st

from ui.login import require_login, signed_in
from ui.projects import project_switcher
from ui.session import open_store

st.set_page_config(page_title="Palimpsest", page_icon=":material/history_edu:", layout="wide")
PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/sources.py", title="Sources", icon=":material/library_books:"),
    st.Page("pages/read.py", title="Read & annotate", icon=":material/edit_note:"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:"),
    st.Page("pages/search.py", title="Search", icon=":material/search:"),
    st.Page("pages/review.py", title="Review queue", icon=":material/rule:"),
    st.Page("pages/export.py", title="Export & backup", icon=":material/archive:"),
]
# The page is chosen from the URL before the login gate, so that signing in from a
# deep link (/read?doc=2) lands there; the menu stays hidden until then.
page = st.navigation(PAGES, position="sidebar" if signed_in() else "hidden")
require_login()
with open_store() as store:
    project_switcher(store)  # every page lists the documents of the project chosen here
page.run()
