"""Turning a :class:`~annotations.collation.Comparison` into what the Compare page shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from annotations.collation import (
    Comparison,
    LedgerRow,
    PassageRef,
    StoredLink,
    compare,
    comparison_stamp,
)
from annotations.store import Store
from sources.align import inline_diff
from sources.variants import TYPE_LABELS
from ui.collation_view import Cell, Row, RowNote

FILTERS = {
    "all": "All passages",
    "changes": "Changes only",
    "removed": "Removed",
    "moved": "Moved",
    "translated": "Found elsewhere",
}
QUOTE_CHARS = 80
BADGES = {"equal": "same", "changed": "changed", "added": "added", "removed": "removed",
          "moved": "moved"}


def load_comparison(store: Store, base_id: int, other_ids: Sequence[int],
                    progress: Callable[[str], None]) -> Comparison:
    """The comparison the page shows, built once per stored run, decisions, rules and
    metadata (:func:`~annotations.collation.comparison_stamp`) and kept for every rerun
    and session: a filter, the next page or another tab reads it instead of loading the
    links again. The first look at two documents aligns them (``progress`` is told)."""
    other_ids = tuple(dict.fromkeys(other_ids))
    stamp = comparison_stamp(store, base_id, other_ids)
    if stamp is None:
        return compare(store, base_id, list(other_ids), progress=progress)
    return _built(store.path, base_id, other_ids, stamp)


@st.cache_resource(max_entries=4, show_spinner=False)
def _built(db_path: str, base_id: int, other_ids: tuple[int, ...], stamp: tuple) -> Comparison:
    with Store(db_path) as store:
        return compare(store, base_id, list(other_ids))


def titles(comparison: Comparison) -> dict[int, str]:
    return {d.id: d.title for d in (comparison.base, *comparison.others)}


def absent_texts(comparison: Comparison) -> tuple[str, str]:
    """What an empty cell says: left, an added passage; right, a removed one."""
    return (f"not in “{comparison.base.title}”", f"not in “{comparison.version.title}”")


def build_rows(comparison: Comparison, links: Sequence[StoredLink] | None = None, *,
               focus_seq: int | None = None) -> list[Row]:
    """The rows of ``links`` (by default every link between base and the compared version,
    in reading order), their changes marked word by word: build only the rows shown."""
    names = titles(comparison)
    return [_row(comparison, link, names, focus_seq)
            for link in (comparison.pair_links() if links is None else links)]


def is_focused(link: StoredLink, focus_seq: int | None) -> bool:
    """Whether ``link``'s base passage is the one a deep link (``?p=``) points at."""
    return focus_seq is not None and link.a is not None and link.a.seq == focus_seq


def _row(comparison: Comparison, link: StoredLink, names, focus_seq) -> Row:
    a_cell, b_cell = _cells(link, comparison)
    notes: list[RowNote] = []
    if link.kind == "moved":
        notes.append(RowNote(f"Moved: {link.a.place} in the base is now at {link.b.place} "
                             f"in “{names[link.b_document_id]}”."))
    notes.extend(RowNote(line, flagged=True) for line in variant_notes(link))
    if link.kind == "removed":
        notes.extend(_removed_notes(comparison, link, names))
        found = comparison.destinations(link.a)
        if found:
            dest = found[0]
            notes.extend(RowNote(line, flagged=True) for line in variant_notes(dest))
            b_cell = Cell(f"{names[dest.b_document_id]} · {dest.b.place}",
                          ((0, dest.b.text),), _language(comparison, dest.b_document_id))
    key = f"{link.a.seq if link.a else 'x'}-{link.b.seq if link.b else 'x'}"
    focus = is_focused(link, focus_seq)
    badge = BADGES.get(link.kind, link.kind)
    return Row(key, link.kind, badge, a_cell, b_cell, tuple(notes), focus)


def short_quote(text: str) -> str:
    """``text`` on one line, cut at :data:`QUOTE_CHARS`; "(nothing)" when empty."""
    words = " ".join(text.split())
    if not words:
        return "(nothing)"
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS - 1] + "…"


def variant_notes(link: StoredLink) -> list[str]:
    """Lines under a side-by-side row naming its flagged variants (by label, not colour)."""
    verb = "disagrees" if link.kind == "translated" else "changed"
    return [f"{TYPE_LABELS[v.type].capitalize()} {verb}: “{short_quote(v.old)}” → "
            f"“{short_quote(v.new)}”" for v in link.flagged]


def _cells(link: StoredLink, comparison: Comparison) -> tuple[Cell | None, Cell | None]:
    base_lang = comparison.base.language
    other_lang = comparison.version.language
    if link.a and link.b and link.kind in ("changed", "moved") and link.a.text != link.b.text:
        ops = inline_diff(link.a.text, link.b.text)
        a_segments = tuple((op, text) for op, text in ops if op <= 0)
        b_segments = tuple((op, text) for op, text in ops if op >= 0)
        return (
            Cell(link.a.place, a_segments, base_lang),
            Cell(link.b.place, b_segments, other_lang),
        )
    return (_plain(link.a, base_lang), _plain(link.b, other_lang))


def _plain(ref: PassageRef | None, language) -> Cell | None:
    return Cell(ref.place, ((0, ref.text),), language) if ref else None


def _language(comparison: Comparison, document_id: int) -> str | None:
    return next((d.language for d in comparison.others if d.id == document_id), None)


def _removed_notes(comparison: Comparison, link: StoredLink, names) -> list[RowNote]:
    version = names[comparison.version.id]
    found = comparison.destinations(link.a)
    if not found:
        return [RowNote(f"Not in “{version}”, and not found in any other document.")]
    notes = []
    for dest in found:
        how = "linked by hand" if dest.method == "manual" else f"score {dest.score:.2f}"
        notes.append(RowNote(
            f"Not in “{version}”; found in “{names[dest.b_document_id]}”, {dest.b.place} ({how}).",
            action=_open_action(dest), label="open there",
        ))
    return notes


def _open_action(link: StoredLink) -> dict:
    return {"type": "open", "doc": link.b_document_id, "start": link.b.start, "end": link.b.end}


def filter_links(comparison: Comparison, choice: str, query: str) -> list[StoredLink]:
    """The links between base and version kept by the filter ``choice`` (a key of
    :data:`FILTERS`) whose texts contain ``query`` (case-insensitive): what the rows show,
    found without building the rows."""
    needle = query.strip().casefold()
    return [link for link in comparison.pair_links() if _passes(choice, link, comparison)
            and (not needle or needle in _shown_text(link, comparison).casefold())]


def _passes(choice: str, link: StoredLink, comparison: Comparison) -> bool:
    if choice == "changes":
        return link.kind != "equal"
    if choice == "translated":
        return link.kind == "removed" and bool(comparison.destinations(link.a))
    if choice in ("removed", "moved"):
        return link.kind == choice
    return True


def _shown_text(link: StoredLink, comparison: Comparison) -> str:
    """The texts a row of ``link`` shows: both sides; for a removed passage, where it went."""
    other = link.b
    if link.kind == "removed" and (found := comparison.destinations(link.a)):
        other = found[0].b
    return " ".join(ref.text for ref in (link.a, other) if ref)


def ledger_table(comparison: Comparison) -> list[dict]:
    """The omission ledger as plain rows for a table and for CSV export."""
    names = titles(comparison)
    return [_ledger_row(row, names) for row in comparison.ledger()]


def _ledger_row(row: LedgerRow, names) -> dict:
    dest = row.destinations[0] if row.destinations else None
    return {
        "¶": row.passage.seq,
        "page": row.passage.page or "",
        "label": row.passage.label or "",
        "characters": row.passage.end - row.passage.start,
        "first words": row.first_words,
        "went to": names[dest.b_document_id] if dest else "not found anywhere",
        "there": _places_there(row, dest),
        "score": round(dest.score, 2) if dest else None,
        "method": dest.method if dest else "",
        "carried over": row.carried,
        "disagrees on": _disagreements(dest),
        "status": row.status,
    }


def _places_there(row: LedgerRow, dest: StoredLink | None) -> str:
    """Where the passage is in its first destination's document: every paragraph of it
    when the translator split it ("(¶ 2); (¶ 3)")."""
    if dest is None:
        return ""
    return "; ".join(d.b.place for d in row.destinations if d.b_document_id == dest.b_document_id)


def _disagreements(dest: StoredLink | None) -> str:
    """The figures and dates a cut passage and its translation disagree on: "20 → 25"."""
    if dest is None:
        return ""
    return "; ".join(f"{TYPE_LABELS[v.type]}: {short_quote(v.old)} → {short_quote(v.new)}"
                     for v in dest.flagged)


def ledger_export(comparison: Comparison) -> list[dict]:
    """The omission ledger in full, for CSV: whole texts on both sides, pages, review.

    One row per removed passage; its first destination in full, any others named in
    "also found in".
    """
    names = titles(comparison)
    return [_export_row(row, names) for row in comparison.ledger()]


def _export_row(row: LedgerRow, names) -> dict:
    dest, *more = row.destinations or (None,)
    note = next((d.decision_note for d in row.destinations if d.decision_note), "")
    return {
        "¶": row.passage.seq,
        "pages": row.passage.pages,
        "label": row.passage.label or "",
        "characters": row.passage.end - row.passage.start,
        "removed text": row.passage.text,
        "went to": names[dest.b_document_id] if dest else "not found anywhere",
        "there": dest.b.place if dest else "",
        "destination pages": dest.b.pages if dest else "",
        "destination text": dest.b.text if dest else "",
        "score": round(dest.score, 2) if dest else None,
        "method": dest.method if dest else "",
        "carried over": row.carried,
        "missing sentences": " | ".join(row.missing_sentences()),
        "disagrees on": _disagreements(dest),
        "also found in": "; ".join(f"{names[d.b_document_id]}, {d.b.place}" for d in more),
        "status": row.status,
        "reviewed by": row.reviewer or "",
        "reviewed on": row.reviewed_at or "",
        "review note": note or "",
    }


def ledger_choice_label(row: LedgerRow) -> str:
    where = f"p. {row.passage.page} " if row.passage.page else ""
    return f"¶ {row.passage.seq} {where}— {row.first_words}"
