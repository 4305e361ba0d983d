"""Palimpsest workbench: the Streamlit entry point, a router listing every page."""

import streamlit as st

from ui.login import require_login

st.set_page_config(page_title="Palimpsest", page_icon="📜", layout="wide")
require_login()

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/sources.py", title="Sources", icon="📚"),
    st.Page("pages/read.py", title="Read & annotate", icon="🖍️"),
    st.Page("pages/compare.py", title="Compare", icon="🔀"),
    st.Page("pages/search.py", title="Search", icon="🔎"),
    st.Page("pages/review.py", title="Review queue", icon="🧭"),
    st.Page("pages/export.py", title="Export & backup", icon="📦"),
]
st.navigation(PAGES).run()
