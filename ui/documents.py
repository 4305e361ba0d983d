"""Widgets that show and pick documents."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from annotations.documents import DocumentSummary
from ui.text import escape_markdown

KIND_LABELS = {
    "draft": "Draft",
    "final": "Final",
    "annex": "Annex",
    "translation": "Translation",
    "edition": "Edition",
    "other": "Other",
}


def document_label(doc: DocumentSummary) -> str:
    """How a document is named in every list: title, kind, language, and its version if any."""
    language = (doc.language or "?").upper()
    label = f"{doc.title} · {KIND_LABELS.get(doc.kind, doc.kind)} · {language}"
    return f"{label} · {version_label(doc)}" if doc.has_versions else label


def version_label(doc: DocumentSummary) -> str:
    """ "v2", or "v1, superseded by v2" for a version that a corrected re-import replaced."""
    later = f", superseded by v{doc.version + 1}" if doc.superseded_by else ""
    return f"v{doc.version}{later}"


def document_labels(documents: list[DocumentSummary]) -> dict[int, str]:
    """Labels for a list of documents, each one different (a select box needs that)."""
    labels = {d.id: document_label(d) for d in documents}
    counts = Counter(labels.values())
    return {i: f"{label} (document {i})" if counts[label] > 1 else label
            for i, label in labels.items()}


def documents_table(documents: list[DocumentSummary]) -> None:
    """The project's documents as a sortable table (all text shown as plain text)."""
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "kind": KIND_LABELS.get(d.kind, d.kind),
            "language": d.language or "",
            "pages": d.pages,
            "passages": d.passages,
            "characters": d.chars,
            "date": d.date or "",
            "issuer": d.issuer or "",
            "file": d.source_name or "",
        }
        for d in documents
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def pick_document(documents: list[DocumentSummary], *, label: str, key: str,
                  default_id: int | None = None, on_change=None) -> DocumentSummary | None:
    """A select box over documents; ``default_id`` (e.g. from the URL) is preselected.

    The default only applies while the widget has no state of its own (Streamlit
    refuses both at once).
    """
    if not documents:
        return None
    ids = [d.id for d in documents]
    index = ids.index(default_id) if default_id in ids else 0
    by_id = {d.id: d for d in documents}
    labels = document_labels(documents)  # distinct: Streamlit finds the choice by its label
    chosen = st.selectbox(label, ids, index=None if key in st.session_state else index,
                          key=key, on_change=on_change, format_func=labels.get)
    return by_id[chosen if chosen in by_id else ids[index]]


def default_witnesses(
    documents: list[DocumentSummary],
) -> tuple[DocumentSummary, list[DocumentSummary]]:
    """What to compare when nobody said: the first draft against the rest of its project,
    the final text first (compared side by side), then editions, annexes, translations."""
    base = next((d for d in documents if d.kind == "draft"), documents[0])
    order = {"final": 0, "edition": 1, "annex": 2, "translation": 3}
    others = sorted((d for d in documents if d.project_id == base.project_id and d.id != base.id),
                    key=lambda d: (order.get(d.kind, 4), d.id))
    return base, others


def start_links(documents: list[DocumentSummary]) -> None:
    """Where to start with a project: compare its versions, read its base text."""
    if len(documents) < 2:
        return
    base, others = default_witnesses(documents)
    ids = ",".join(str(d.id) for d in others)
    columns = st.columns(2)
    columns[0].page_link(
        "pages/compare.py",
        label=f"Compare “{escape_markdown(base.title)}” with its other versions",
        icon=":material/compare:", query_params={"base": str(base.id), "others": ids},
    )
    columns[1].page_link(
        "pages/read.py", label=f"Read and annotate “{escape_markdown(base.title)}”",
        icon=":material/edit_note:", query_params={"doc": str(base.id)},
    )
