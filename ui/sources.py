"""Widgets of the Sources page: metadata fields and the passage table."""

from __future__ import annotations

import streamlit as st

from annotations.documents import DocumentSummary, StoredDocument
from sources.ingest import MAX_IMPORT_BYTES
from sources.model import KINDS
from ui.documents import KIND_LABELS

MAX_UPLOAD_MB = MAX_IMPORT_BYTES // (1024 * 1024)


def metadata_fields(*, key: str, current: DocumentSummary | None = None) -> dict:
    """Issuer, date, language and kind inputs; returns what the import/update functions take.

    On import the title is asked too (empty: taken from the file), and an empty
    language means "detect it".
    """
    fields = {}
    if current is None:
        fields["title"] = st.text_input("Title (empty: from the file)", key=f"{key}_title") or None
    columns = st.columns(4)
    kind_index = KINDS.index(current.kind) if current else KINDS.index("other")
    fields["kind"] = columns[0].selectbox("Kind", KINDS, index=kind_index, key=f"{key}_kind",
                                          format_func=KIND_LABELS.get)
    fields["language"] = columns[1].text_input(
        "Language (ISO code, empty: detect)", value=(current.language or "") if current else "",
        key=f"{key}_language", max_chars=8).strip().lower() or None
    fields["date"] = columns[2].text_input(
        "Date", value=(current.date or "") if current else "", key=f"{key}_date").strip() or None
    fields["issuer"] = columns[3].text_input(
        "Issuer", value=(current.issuer or "") if current else "", key=f"{key}_issuer"
    ).strip() or None
    return fields


def passages_table(doc: StoredDocument) -> None:
    """The document as passages with their page and label, as plain-text cells."""
    pages = len(doc.pages) or "no"
    st.caption(f"{len(doc.passages)} passages, {pages} pages, {doc.chars:,} characters")
    rows = [
        {
            "§": p.seq,
            "page": doc.page_label(p.start) or "",
            "label": p.label or "",
            "text": doc.text[p.start : p.end],
        }
        for p in doc.passages
    ]
    st.dataframe(rows, hide_index=True, width="stretch", height=420)
