"""Compare: what changed between versions, what was cut, and where it went."""

import streamlit as st

from annotations.documents import list_documents
from sources.errors import PalimpsestError
from ui.annotate import author_name, show_flash
from ui.compare import load_comparison
from ui.compare_widgets import (
    choose_witnesses,
    document_map,
    ledger_section,
    omissions_banner,
    side_by_side,
    summary_metrics,
)
from ui.meaning import meaning_banner, meaning_section
from ui.projects import current_project_id
from ui.session import keep_state, open_store
from ui.text import escape_markdown
from ui.witnesses import witnesses_section

store = open_store()
st.title("Compare")
show_flash()
author_name()  # asked once in the sidebar; recorded with decisions and annotations
documents = list_documents(store, current_project_id(store))
if len(documents) < 2:
    st.info("Import at least two versions of a document on the Sources page to compare them.")
    st.stop()

base, others = choose_witnesses(documents)
if base is None or not others:
    st.info("Choose a base document and at least one other version.")
    st.stop()

try:
    with st.status("Aligning…", expanded=False) as status:
        comparison = load_comparison(store, base.id, [d.id for d in others],
                                     progress=lambda message: status.update(label=message))
        status.update(label=f"Aligned in {comparison.seconds:.1f} s; kept in the database, so "
                            "reopening this comparison is instant.", state="complete")
except PalimpsestError as error:
    st.error(escape_markdown(str(error)))
    st.stop()

summary_metrics(comparison)
omissions_banner(comparison)
meaning_banner(comparison)
focus = st.query_params.get("p")
focus_seq = int(focus) if focus and focus.isdecimal() else None
# What may change the meaning comes first; a deep link to a passage opens it side by side.
# Only the open tab is computed and drawn (a rerun of a long comparison draws one view).
VIEWS = {
    "What matters": lambda: meaning_section(store, comparison),
    "Side by side": lambda: side_by_side(comparison, focus_seq),
    "All versions": lambda: witnesses_section(comparison),
    "Omission ledger": lambda: ledger_section(store, comparison),
    "Document map": lambda: document_map(comparison),
}
if focus_seq and st.session_state.get("compare_focus") != focus_seq:
    st.session_state["compare_focus"] = focus_seq
    st.session_state["compare_tab"] = "Side by side"
keep_state("compare_filter", "compare_search", "witness_differing", "meaning_types",
           "meaning_set_aside")
tabs = st.tabs(list(VIEWS), key="compare_tab", on_change="rerun")
for tab, draw in zip(tabs, VIEWS.values(), strict=True):
    if tab.open:
        with tab:
            draw()
