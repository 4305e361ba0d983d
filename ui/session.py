"""Per-run access to the scholar's database from Streamlit pages."""

from __future__ import annotations

import streamlit as st

from annotations.store import Store, StoreError, default_db_path
from ui.text import escape_markdown


def open_store() -> Store:
    """A store for this script run, or a sentence and the end of the run.

    Streamlit runs each rerun in a new thread and a SQLite connection must not
    cross threads, so the store is opened per run (well under a millisecond) and
    never cached in ``st.cache_resource``. A file SQLite refuses (not a database,
    a newer schema, a locked or read-only folder) stops the page with the reason,
    never a traceback.
    """
    try:
        return Store(default_db_path())
    except StoreError as error:
        st.error(escape_markdown(f"{error} Nothing was changed in it."))
        st.stop()
        raise  # st.stop() raises; this line is for type checkers and plain Python


def keep_state(*keys: str) -> None:
    """Keep the values of these widgets while they are not drawn (in a tab that is closed,
    Streamlit would forget them): each value is written back as the session's own."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
