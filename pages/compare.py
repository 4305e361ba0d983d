"""Compare: what changed between versions, what was cut, and where it went."""

import streamlit as st

from annotations.documents import list_documents
from sources.errors import PalimpsestError
from ui.annotate import author_name, show_flash
from ui.collation_view import collation_view
from ui.compare import FILTERS, absent_texts, build_rows, filter_rows, load_comparison
from ui.compare_widgets import (
    choose_witnesses,
    document_map,
    handle_action,
    ledger_section,
    omissions_banner,
    page_window,
    summary_metrics,
)
from ui.meaning import meaning_banner, meaning_section
from ui.projects import current_project_id
from ui.session import open_store
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
matters, side, versions, ledger, chart = st.tabs(
    ["What matters", "Side by side", "All versions", "Omission ledger", "Document map"],
    default="Side by side" if focus_seq else "What matters")

with matters:
    meaning_section(store, comparison)

with side:
    columns = st.columns([2, 3])
    # A deep link shows every passage around the cited one; otherwise changes come first.
    choice = columns[0].radio("Show", list(FILTERS), format_func=FILTERS.get, horizontal=True,
                              index=0 if focus_seq else 1, key="compare_filter")
    query = columns[1].text_input("Search in this comparison", key="compare_search")
    links = comparison.pair_links()
    rows = filter_rows(build_rows(comparison, focus_seq=focus_seq), links, comparison,
                       choice, query)
    window = page_window(rows, focus_seq)
    action = collation_view(window, key="collation", absent=absent_texts(comparison))
    if action:
        handle_action(store, comparison, action)

with versions:
    witnesses_section(comparison)

with ledger:
    ledger_section(store, comparison)

with chart:
    document_map(comparison)
