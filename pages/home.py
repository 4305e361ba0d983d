"""Home: what is in this workbench, and where to start."""

import streamlit as st

from annotations.documents import list_documents
from annotations.projects import project_overview
from ui.documents import documents_table, start_links
from ui.projects import current_project_id
from ui.session import open_store
from ui.text import escape_markdown

store = open_store()
current = current_project_id(store)
st.title("Palimpsest")
st.write(
    "A source-criticism workbench: import the versions of a document, see what changed "
    "between them, what was cut and where it went (even into another language), and "
    "record your judgements on the text."
)
overview = project_overview(store)
if not overview:
    st.info("This workbench is empty. Start on the Sources page by importing documents, "
            "or load the demo with `palimpsest demo`.")
    st.page_link("pages/sources.py", label="Import documents", icon="📚")
    st.stop()

for project in overview:
    with st.container(border=True):
        st.subheader(escape_markdown(project.name))
        if project.id == current:
            st.caption(":material/check_circle: Current project: the other pages list its "
                       "documents (change it in the sidebar).")
        columns = st.columns(4)
        columns[0].metric("Documents", project.documents)
        columns[1].metric("Pages", project.pages)
        columns[2].metric("Annotations", project.annotations)
        columns[3].metric("Waiting for review", project.review)
        documents = list_documents(store, project.id)
        start_links(documents)
        documents_table(documents)
