"""The widgets of the Compare page: witness choice, summary, ledger review, document map."""

from __future__ import annotations

import altair as alt
import streamlit as st

from annotations.collation import Comparison, LedgerRow, StoredLink, decide
from annotations.documents import DocumentSummary, get_document
from sources.model import Span
from ui.annotate import AUTHOR_KEY, pair_annotation_form
from ui.collation_view import Cell, Row, collation_view
from ui.compare import (
    FILTERS,
    absent_texts,
    build_rows,
    filter_links,
    is_focused,
    ledger_choice_label,
    ledger_export,
    ledger_table,
    titles,
)
from ui.documents import default_witnesses, document_labels
from ui.page_view import page_beside
from ui.selection import Selection
from ui.text import escape_markdown, plural

ROWS_PER_PAGE = 40
KIND_COLOURS = {
    "equal": "#c8c8c8", "changed": "#f5a623", "removed": "#d0021b", "added": "#2e9e4f",
    "moved": "#2f6fdc", "translated": "#8b5cc7", "unmatched": "#eeeeee",
}


def _ids_param(name: str) -> list[int]:
    raw = st.query_params.get(name, "")
    return [int(part) for part in raw.split(",") if part.strip().isdecimal()]


def choose_witnesses(documents: list[DocumentSummary]):
    """Base and other versions, from the URL (``base``, ``others``) or sensible defaults."""
    by_id = {d.id: d for d in documents}
    default_base, default_others = default_witnesses(documents)
    base_ids = [i for i in _ids_param("base") if i in by_id] or [default_base.id]
    other_ids = [i for i in _ids_param("others") if i in by_id] or [d.id for d in default_others]
    ids = list(by_id)
    labels = document_labels(documents)
    columns = st.columns([2, 3])
    base_id = columns[0].selectbox("Base", ids, index=ids.index(base_ids[0]), key="compare_base",
                                   format_func=labels.get)
    chosen = columns[1].multiselect(
        "Compared with (the first side by side; the others are searched for what was cut)",
        [i for i in ids if i != base_id],
        default=[i for i in other_ids if i != base_id],
        format_func=labels.get, key="compare_others",
    )
    st.query_params["base"] = str(base_id)
    st.query_params["others"] = ",".join(str(i) for i in chosen)
    return by_id[base_id], [by_id[i] for i in chosen]


def summary_metrics(comparison: Comparison) -> None:
    counts = comparison.summary()
    names = ("equal", "changed", "added", "removed", "moved", "found elsewhere",
             "characters changed", "pages affected")
    for column, name in zip(st.columns(len(names)), names, strict=True):
        column.metric(name.capitalize(), f"{counts.get(name, 0):,}")


def omissions_banner(comparison: Comparison) -> None:
    """One sentence that makes the cuts impossible to miss."""
    rows = comparison.ledger()
    base = escape_markdown(comparison.base.title)
    version = escape_markdown(comparison.version.title)
    if not rows:
        st.success(f"Nothing of “{base}” is missing from “{version}”.")
        return
    found = sum(1 for row in rows if row.destinations)
    partly = sum(1 for row in rows if row.carried == "partly")
    pages = sorted({row.passage.page for row in rows if row.passage.page}, key=_page_order)
    where = (f" ({'page' if len(pages) == 1 else 'pages'} {escape_markdown(', '.join(pages))})"
             if pages else "")
    st.warning(
        f"{plural(len(rows), 'passage')} of “{base}”{where} "
        f"{'is' if len(rows) == 1 else 'are'} not in “{version}”; {found} found in another "
        f"document, {len(rows) - found} nowhere"
        f"{f', {partly} of them only in part' if partly else ''}. See the Omission ledger.",
        icon=":material/content_cut:")


def _page_order(label: str):
    return (0, int(label), "") if label.isdecimal() else (1, 0, label)


def page_window(links: list[StoredLink], focus_seq: int | None) -> list[StoredLink]:
    """The links of one page of the view; the page holding the focused passage first."""
    if not links:
        st.info("No passage matches.")
        return []
    pages = (len(links) - 1) // ROWS_PER_PAGE + 1
    focused = next((i for i, link in enumerate(links) if is_focused(link, focus_seq)), None)
    start_page = focused // ROWS_PER_PAGE + 1 if focused is not None else 1
    page = st.number_input(f"Page of rows (of {pages})", 1, pages, start_page, key="compare_page")
    first = (page - 1) * ROWS_PER_PAGE
    return links[first : first + ROWS_PER_PAGE]


@st.fragment
def side_by_side(comparison: Comparison, focus_seq: int | None) -> None:
    """The "Side by side" tab: the versions row by row, a page of rows at a time. A
    fragment: a filter, a search or another page reruns this view, not the page around it."""
    columns = st.columns([2, 3])
    # A deep link shows every passage around the cited one; otherwise changes first.
    choice = columns[0].radio("Show", list(FILTERS), format_func=FILTERS.get, horizontal=True,
                              index=0 if focus_seq else 1, key="compare_filter")
    query = columns[1].text_input("Search in this comparison", key="compare_search")
    shown = page_window(filter_links(comparison, choice, query), focus_seq)
    action = collation_view(build_rows(comparison, shown, focus_seq=focus_seq), key="collation",
                            absent=absent_texts(comparison))
    if action and action.get("type") == "open":  # a passage opened on the Read page
        st.switch_page("pages/read.py", query_params={
            "doc": str(action["doc"]), "start": str(action["start"]), "end": str(action["end"]),
        })


def ledger_section(store, comparison: Comparison) -> None:
    """The omission ledger: every removed passage, where it went, and its review."""
    rows = comparison.ledger()
    table = ledger_table(comparison)
    st.caption(
        f"{plural(len(rows), 'passage')} of “{escape_markdown(comparison.base.title)}” "
        f"missing from “{escape_markdown(comparison.version.title)}”; "
        f"{sum(1 for r in rows if r.destinations)} found in another document."
    )
    if not rows:
        return
    st.dataframe(table, hide_index=True, width="stretch", key="ledger_table")
    _ledger_download(ledger_export(comparison), comparison)
    _review(store, comparison, rows)


def _ledger_download(table: list[dict], comparison: Comparison) -> None:
    from annotations.safe_csv import csv_bytes

    st.download_button(
        "Download the ledger (CSV for Excel: full texts, pages, review)", csv_bytes(table),
        file_name=f"omissions-{comparison.base.id}-{comparison.version.id}.csv",
        mime="text/csv", key="ledger_csv",
    )


def _review(store, comparison: Comparison, rows: list[LedgerRow]) -> None:
    st.subheader("Review a removed passage")
    focus = st.query_params.get("p")
    by_seq = {row.passage.seq: row for row in rows}
    seqs = list(by_seq)
    index = seqs.index(int(focus)) if focus and focus.isdecimal() and int(focus) in seqs else 0
    # Choose by ¶ number, not by row object: a decision changes the row (its status),
    # and the select box would hand back the stale one.
    seq = st.selectbox("Removed passage", seqs, index=index, key="ledger_choice",
                       format_func=lambda s: ledger_choice_label(by_seq[s]))
    row = by_seq[seq]
    names = titles(comparison)
    dest = row.destinations[0] if row.destinations else None
    b_cell = Cell(f"{names[dest.b_document_id]} · {dest.b.place}", ((0, dest.b.text),)) \
        if dest else None
    collation_view([Row(f"review-{row.passage.seq}", "removed", row.status,
                        Cell(row.passage.place, ((0, row.passage.text),)), b_cell)],
                   key="ledger_review_view")
    page_beside(store, comparison.base, Selection(row.passage.start, row.passage.end,
                                                  row.passage.text),
                key=f"ledger_page_image_{comparison.base.id}",
                label="Show the removed passage on its page")
    missing = row.missing_sentences()
    if missing:
        total = dest.carried.sentences
        st.warning(
            f"{total - len(missing)} of {total} sentences are in "
            f"“{escape_markdown(names[dest.b_document_id])}”; missing: "
            + " ".join(f"“{escape_markdown(sentence)}”" for sentence in missing),
            icon=":material/content_cut:")
    _review_buttons(store, comparison, row, dest)
    if dest is not None:
        with st.expander("Annotate this pair (a note on the cut passage and where it went)"):
            pair_annotation_form(
                comparison.base.id, (row.passage.start, row.passage.end), dest.b_document_id,
                (dest.b.start, dest.b.end), key=f"pair_{row.passage.seq}",
                link_type="translation-of" if dest.kind == "translated" else "moved-to",
            )
    _manual_link(store, comparison, row)


def _review_buttons(store, comparison, row: LedgerRow, dest) -> None:
    a = Span(row.passage.start, row.passage.end)
    columns = st.columns(3)
    author = st.session_state.get(AUTHOR_KEY, "")
    if dest is not None:
        b = Span(dest.b.start, dest.b.end)
        if columns[0].button("Confirm this link", key="ledger_confirm"):
            decide(store, comparison.base.id, a, "confirmed", other_id=dest.b_document_id, b=b,
                   author=author)
            st.rerun()
        if columns[1].button("Wrong link", key="ledger_reject"):
            decide(store, comparison.base.id, a, "rejected", other_id=dest.b_document_id, b=b,
                   author=author)
            st.rerun()
    elif columns[2].button("Confirm: found nowhere", key="ledger_notfound"):
        decide(store, comparison.base.id, a, "not-found", author=author)
        st.rerun()


def _manual_link(store, comparison: Comparison, row: LedgerRow) -> None:
    with st.expander("Link this passage by hand"):
        by_id = {d.id: d for d in comparison.others}
        target = st.selectbox("Document", list(by_id), key="manual_doc",
                              format_func=document_labels([d.summary for d in by_id.values()]).get)
        doc = get_document(store, target)
        passage = st.selectbox(
            "Passage", doc.passages, key="manual_passage",
            format_func=lambda p: f"¶ {p.seq} {p.label or ''} — {doc.text[p.start:p.end][:80]}",
        )
        if passage is not None and st.button("Link these passages", key="manual_go"):
            decide(store, comparison.base.id, Span(row.passage.start, row.passage.end), "linked",
                   other_id=doc.id, b=Span(passage.start, passage.end),
                   author=st.session_state.get(AUTHOR_KEY, ""))
            st.rerun()


def _map_data(comparison: Comparison) -> tuple[list[dict], list[dict]]:
    docs = (comparison.base, *comparison.others)
    column = {d.id: i for i, d in enumerate(docs)}
    kinds: dict[tuple[int, int], str] = {}
    bands = []
    for link in comparison.links:
        b_col = column[link.b_document_id]
        if link.a:
            kinds.setdefault((0, link.a.seq), link.kind)
        if link.b:
            kinds[(b_col, link.b.seq)] = link.kind
        if link.a and link.b and (link.kind in ("moved", "translated") or b_col > 1):
            bands.append(_band(comparison, link, b_col, docs))
    blocks = [
        {"x": i - 0.3, "x2": i + 0.3, "y": p.start / max(len(d.text), 1),
         "y2": p.end / max(len(d.text), 1), "document": d.title, "passage": p.seq,
         "label": p.label or "", "kind": kinds.get((i, p.seq), "unmatched")}
        for i, d in enumerate(docs) for p in d.passages
    ]
    return blocks, bands


def _band(comparison, link, b_col, docs) -> dict:
    base_len = max(len(comparison.base.text), 1)
    other_len = max(len(docs[b_col].text), 1)
    return {"x": 0.3, "x2": b_col - 0.3, "y": (link.a.start + link.a.end) / 2 / base_len,
            "y2": (link.b.start + link.b.end) / 2 / other_len, "kind": link.kind}


def document_map(comparison: Comparison) -> None:
    """Both documents as columns of passages coloured by kind, bands for moves and finds."""
    blocks, bands = _map_data(comparison)
    colour = alt.Color("kind:N", scale=alt.Scale(domain=list(KIND_COLOURS),
                                                 range=list(KIND_COLOURS.values())))
    pick = alt.selection_point(fields=["document", "passage"], name="pick")
    y_axis = alt.Y("y:Q", scale=alt.Scale(reverse=True), axis=None)
    rects = alt.Chart(alt.Data(values=blocks)).mark_rect(stroke="white", strokeWidth=0.3).encode(
        x=alt.X("x:Q", axis=None), x2="x2:Q", y=y_axis, y2="y2:Q", color=colour,
        tooltip=["document:N", "passage:Q", "label:N", "kind:N"],
    ).add_params(pick)
    lines = alt.Chart(alt.Data(values=bands)).mark_rule(opacity=0.55, strokeWidth=1.5).encode(
        x="x:Q", x2="x2:Q", y=y_axis, y2="y2:Q", color=colour,
    )
    names = [{"x": i, "name": d.title} for i, d in enumerate((comparison.base, *comparison.others))]
    heads = alt.Chart(alt.Data(values=names)).mark_text(dy=-8, fontWeight="bold").encode(
        x="x:Q", y=alt.value(0), text="name:N")
    event = st.altair_chart(rects + lines + heads, on_select="rerun", key="document_map",
                            height=620)
    _follow_map_pick(comparison, event)


def _follow_map_pick(comparison: Comparison, event) -> None:
    picked = (event or {}).get("selection", {}).get("pick") or []
    if not picked:
        st.caption("Click a passage to find it in the side-by-side view.")
        return
    choice = picked[0]
    if choice.get("document") == comparison.base.title:
        st.query_params["p"] = str(choice["passage"])
        st.info(f"¶ {choice['passage']} of the base is now highlighted in the Side by side tab.")
