"""Per-run access to the scholar's database from Streamlit pages."""

from __future__ import annotations

from annotations.store import Store, default_db_path


def open_store() -> Store:
    """A store for this script run.

    Streamlit runs each rerun in a new thread and a SQLite connection must not
    cross threads, so the store is opened per run (well under a millisecond) and
    never cached in ``st.cache_resource``.
    """
    return Store(default_db_path())
