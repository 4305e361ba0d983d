"""Streamlit helpers of the Search page: the query box, the filters, and the hits.

Snippets, titles and labels are document or user text: they are shown with
``st.text`` or escaped Markdown, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from annotations.documents import DocumentSummary, StoredDocument, get_document
from annotations.model import CREDIBILITY, LINK_TYPES, RELIABILITY
from annotations.search import SearchHit
from annotations.store import Store
from sources.model import Passage
from sources.segment import passage_at
from ui.annotate import credibility_label, escape_markdown, reliability_label
from ui.documents import document_labels

QUERY_KEY = "search_query"
LAST_QUERY_KEY = "search_last_query"
APPLIED_LINK_KEY = "search_applied_q"
RESULT_LIMIT = 50
ANNOTATION_FILTERS = ("tag", "author", "reliability", "credibility", "link_type")
KIND_HEADINGS = {"annotation": "Annotations", "document": "Document texts"}


@dataclass(frozen=True)
class HitView:
    """A hit with what the scholar needs to cite it: page and passage of its start."""

    hit: SearchHit
    page: str | None = None
    passage: str | None = None

    @property
    def place(self) -> str:
        """Where the hit is, e.g. "p. 4 · § 12 (¶ 31)" ("" when nothing is known)."""
        parts = [f"p. {self.page}" if self.page else "", self.passage or ""]
        return " · ".join(part for part in parts if part)

    @property
    def link(self) -> dict[str, str]:
        """Query parameters of the Read page that open the hit in context."""
        params = {"doc": str(self.hit.document_id)}
        if self.hit.end > self.hit.start:
            params |= {"start": str(self.hit.start), "end": str(self.hit.end)}
        return params


# ---------------------------------------------------------------- input

def query_box() -> str:
    """The search box; ``?q=`` fills it when the URL is new, and typing keeps the URL in step."""
    linked = st.query_params.get("q")
    if linked is not None and linked != st.session_state.get(APPLIED_LINK_KEY):
        st.session_state[QUERY_KEY] = linked
    elif QUERY_KEY not in st.session_state:  # back from another page: the last search
        st.session_state[QUERY_KEY] = st.session_state.get(LAST_QUERY_KEY, "")
    query = st.text_input(
        "Search notes, quotes, tags and document texts", key=QUERY_KEY,
        placeholder='words, "a phrase", or a prefix*',
        help='All words must occur; "quoted words" are a phrase; a word ending in * is a '
             "prefix. Accents and case are ignored.",
    )
    _keep_in_url(query)
    return query


def _keep_in_url(query: str) -> None:
    st.session_state[LAST_QUERY_KEY] = query
    st.session_state[APPLIED_LINK_KEY] = query or None
    if query and st.query_params.get("q") != query:
        st.query_params["q"] = query
    elif not query and "q" in st.query_params:
        del st.query_params["q"]


def search_filters(documents: Sequence[DocumentSummary]) -> dict:
    """Filter widgets; returns the keyword arguments of :func:`annotations.search.search`."""
    labels = document_labels(list(documents))
    with st.expander("Filters"):
        document_id = st.selectbox(
            "Document", [None, *labels], key="search_document",
            format_func=lambda i: "all documents" if i is None else labels[i],
        )
        st.caption("The filters below look at annotations only: with any of them set, "
                   "document texts are not searched.")
        left, right = st.columns(2)
        tag = left.text_input("Tag", key="search_tag")
        author = right.text_input("Author", key="search_author")
        reliability = left.selectbox("Source reliability", (None, *RELIABILITY),
                                     format_func=_any(reliability_label), key="search_reliability")
        credibility = right.selectbox("Information credibility", (None, *CREDIBILITY),
                                      format_func=_any(credibility_label), key="search_credibility")
        link_type = left.selectbox("Link type", (None, *LINK_TYPES), key="search_link_type",
                                   format_func=lambda t: t or "any")
    return {"document_id": document_id, "tag": tag.strip() or None,
            "author": author.strip() or None, "reliability": reliability,
            "credibility": credibility, "link_type": link_type}


def no_hits_message(query: str, filters: dict) -> str | None:
    """What to say when nothing was found (``None`` when nothing was asked yet)."""
    annotation_filters = [filters.get(name) for name in ANNOTATION_FILTERS]
    if query.strip():
        scope = " with these filters" if any(v is not None for v in annotation_filters) else ""
        return f"Nothing matches “{escape_markdown(query.strip())}”{scope}."
    if any(value is not None for value in annotation_filters):
        return "No annotation passes these filters."
    return None


def _any(label):
    return lambda value: "any" if value is None else label(value)


# ---------------------------------------------------------------- hits

def describe_hits(store: Store, hits: Sequence[SearchHit]) -> list[HitView]:
    """Each hit with the page and passage where it starts (each document read once)."""
    documents: dict[int, StoredDocument] = {}
    views = []
    for hit in hits:
        if hit.document_id not in documents:
            documents[hit.document_id] = get_document(store, hit.document_id)
        views.append(_view(hit, documents[hit.document_id]))
    return views


def _view(hit: SearchHit, doc: StoredDocument) -> HitView:
    if hit.kind == "document" and hit.end <= hit.start:  # only the title matched
        return HitView(hit)
    return HitView(hit, doc.page_label(hit.start), passage_label(doc.passages, hit.start))


def passage_label(passages: Sequence[Passage], offset: int) -> str | None:
    """How the passage holding ``offset`` is cited: "§ 12 (¶ 31)", or "¶ 31" without a label.

    An offset between passages (in a blank line) belongs to the passage before it.
    """
    passage = passage_at(passages, offset)
    if passage is None:
        return None
    return f"{passage.label} (¶ {passage.seq})" if passage.label else f"¶ {passage.seq}"


def show_hits(views: Sequence[HitView]) -> None:
    """Annotation hits, then document hits, each a card with a link into the Read page."""
    if len(views) >= RESULT_LIMIT:
        st.caption(f"Only the first {RESULT_LIMIT} hits are shown, best first: add words or "
                   "filters to narrow the search.")
    for kind, heading in KIND_HEADINGS.items():
        group = [view for view in views if view.hit.kind == kind]
        if group:
            st.subheader(f"{heading} ({len(group)})", anchor=False)
            for number, view in enumerate(group):
                _hit_card(view, f"{kind}_{number}")


def _hit_card(view: HitView, key: str) -> None:
    with st.container(border=True, key=f"search_hit_{key}"):
        st.markdown(f"**{escape_markdown(view.hit.title)}**")
        if view.place:
            st.caption(escape_markdown(view.place))
        st.text(view.hit.snippet)
        st.page_link("pages/read.py", label="Open in context", icon=":material/edit_note:",
                     query_params=view.link)
