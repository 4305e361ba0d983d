"""The "All versions" tab of the Compare page: every witness side by side, through the base."""

from __future__ import annotations

import json

import altair as alt
import streamlit as st

from annotations.apparatus import witnesses_tei
from annotations.collation import Comparison
from annotations.witnesses import WitnessRow, WitnessTable, table_json, witness_table
from sources.align import inline_diff
from ui.text import escape_markdown, plural

ROWS_PER_PAGE = 10
STATUS_WORDS = {
    "equal": "same as A", "changed": "changed", "moved": "moved here from elsewhere",
    "translated": "translated", "added": "added", "absent": "absent",
    "not compared": "not compared (another language: only cut passages are looked for)",
}


def witnesses_section(comparison: Comparison) -> None:
    """Sigla, a heat map of how many witnesses differ where, the rows, and the exports."""
    table = witness_table(comparison)
    st.caption("Every version aligned through the base (A), passage by passage. Words a "
               "version adds are **bold** and highlighted, words it drops are ~~struck "
               "through~~.")
    st.markdown("  \n".join(f"**{siglum}**: {escape_markdown(table.description(k))}"
                            for k, siglum in enumerate(table.sigla)))
    _heat_map(table)
    only_differing = st.toggle("Only passages where versions differ", value=True,
                               key="witness_differing")
    rows = [(k, row) for k, row in enumerate(table.rows) if row.differing or not only_differing]
    # The rows in one container: a shorter last page does not move the downloads under it
    # (moved, the old buttons stayed on the page beside the new ones until the run ended).
    with st.container():
        if not rows:
            st.info("Every version reads like the base here.")
        else:
            pages = (len(rows) + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE
            page = st.number_input(f"Page (of {pages})", 1, pages, 1, key="witness_page") \
                if pages > 1 else 1
            for index, row in rows[(page - 1) * ROWS_PER_PAGE: page * ROWS_PER_PAGE]:
                _row(table, index, row)
    _downloads(comparison, table)


def _heat_map(table: WitnessTable) -> None:
    others = len(table.witnesses) - 1
    data = [{"row": k + 1, "passage": f"¶ {row.base.seq}" if row.base else "not in A",
             "differing": row.differing,
             "versions": ", ".join(f"{s}: {c.status}" for s, c in
                                   zip(table.sigla[1:], row.cells[1:], strict=True))}
            for k, row in enumerate(table.rows)]
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("row:O", title="passages of the text, in order", axis=alt.Axis(labels=False)),
        y=alt.Y("differing:Q", title="versions that differ",
                scale=alt.Scale(domain=[0, max(others, 1)])),
        color=alt.Color("differing:Q", scale=alt.Scale(scheme="orangered",
                                                       domain=[0, max(others, 1)]), legend=None),
        tooltip=["passage:N", "differing:Q", "versions:N"])
    st.altair_chart(chart, height=160, key="witness_heat_map")
    counts = [row.differing for row in table.rows]
    st.caption(f"{plural(len(counts), 'passage')}; {sum(1 for c in counts if c)} differ in at "
               f"least one version, {sum(1 for c in counts if c == others)} in all "
               f"{others}.")


def _row(table: WitnessTable, index: int, row: WitnessRow) -> None:
    with st.container(border=True, key=f"witness_row_{index}"):
        where = f"¶ {row.base.seq}" if row.base else "Not in the base"
        st.markdown(f"**{escape_markdown(where)}** · {row.differing} of "
                    f"{len(table.witnesses) - 1} versions differ")
        base_text = row.base.text if row.base else ""
        for column, siglum, cell in zip(st.columns(len(row.cells)), table.sigla, row.cells,
                                        strict=True):
            with column:
                status = "base" if siglum == "A" and row.base else STATUS_WORDS[cell.status]
                st.markdown(f"**{siglum}** · {escape_markdown(status)}")
                if cell.status in ("changed", "moved") and base_text:
                    st.markdown(marked_text(base_text, cell.text))
                elif cell.passages and (cell.status != "equal" or siglum == "A"):
                    st.markdown(escape_markdown(cell.text))


def marked_text(base: str, text: str) -> str:
    """``text`` as Markdown with its differences from ``base`` marked in words and style.

    >>> marked_text("the old cat", "the young cat")
    'the ~~old~~**:orange-background[young]** cat'
    """
    parts = []
    for op, piece in inline_diff(base, text):
        stripped = piece.strip()
        if not stripped:
            parts.append(escape_markdown(piece) if op >= 0 else "")
            continue
        lead, tail = piece[:len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
        inner = escape_markdown(stripped)
        if op == 1:
            inner = f"**:orange-background[{inner}]**"
        elif op == -1:
            inner = f"~~{inner}~~"
        parts.append(lead + inner + tail)
    return "".join(parts)


def _downloads(comparison: Comparison, table: WitnessTable) -> None:
    name = f"collation-{comparison.base.id}-{'-'.join(str(d.id) for d in comparison.others)}"
    left, right = st.columns(2)
    left.download_button(
        "Download all versions (TEI critical apparatus)",
        lambda: witnesses_tei(table).encode("utf-8"), file_name=f"{name}.xml",
        mime="application/tei+xml", key="witnesses_tei", on_click="ignore")
    right.download_button(
        "Download all versions (JSON)",
        lambda: json.dumps(table_json(table), ensure_ascii=False, indent=1).encode("utf-8"),
        file_name=f"{name}.json", mime="application/json", key="witnesses_json",
        on_click="ignore")
