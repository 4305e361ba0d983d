"""Search: annotations and document texts, with filters; every hit opens in context.

Deep link: ``?q=<words>`` fills the search box.
"""

import streamlit as st

from annotations.documents import list_documents
from annotations.search import search
from sources.errors import PalimpsestError
from ui.projects import current_project_id
from ui.search import (
    RESULT_LIMIT,
    describe_hits,
    no_hits_message,
    query_box,
    search_filters,
    show_hits,
)
from ui.session import open_store
from ui.text import escape_markdown

store = open_store()
st.title("Search")
documents = list_documents(store, current_project_id(store))
if not documents:
    st.info("No documents yet: import one on the Sources page first.")
    st.stop()

query = query_box()
filters = search_filters(documents)
try:
    hits = search(store, query, limit=RESULT_LIMIT, **filters)
except PalimpsestError as error:
    st.error(escape_markdown(str(error)))
    st.stop()

if hits:
    show_hits(describe_hits(store, hits))
elif message := no_hits_message(query, filters):
    st.info(message)
else:
    st.caption("Type a word of a note, a quote, a tag or a document, or choose a filter.")
