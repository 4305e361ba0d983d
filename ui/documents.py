"""Widgets that show and pick documents."""

from __future__ import annotations

import streamlit as st

from annotations.documents import DocumentSummary

KIND_LABELS = {
    "draft": "Draft",
    "final": "Final",
    "annex": "Annex",
    "translation": "Translation",
    "edition": "Edition",
    "other": "Other",
}


def document_label(doc: DocumentSummary) -> str:
    """How a document is named in every list: title, kind and language."""
    language = (doc.language or "?").upper()
    return f"{doc.title} · {KIND_LABELS.get(doc.kind, doc.kind)} · {language}"


def documents_table(documents: list[DocumentSummary]) -> None:
    """The project's documents as a sortable table (all text shown as plain text)."""
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "kind": KIND_LABELS.get(d.kind, d.kind),
            "language": d.language or "",
            "date": d.date or "",
            "issuer": d.issuer or "",
            "pages": d.pages,
            "passages": d.passages,
            "characters": d.chars,
            "file": d.source_name or "",
        }
        for d in documents
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def pick_document(documents: list[DocumentSummary], *, label: str, key: str,
                  default_id: int | None = None) -> DocumentSummary | None:
    """A select box over documents; ``default_id`` (e.g. from the URL) is preselected."""
    if not documents:
        return None
    ids = [d.id for d in documents]
    index = ids.index(default_id) if default_id in ids else 0
    by_id = {d.id: d for d in documents}
    chosen = st.selectbox(label, ids, index=index, key=key,
                          format_func=lambda i: document_label(by_id[i]))
    return by_id[chosen]
