"""The side-by-side collation view: aligned passages row by row, inline changes marked.

A Components v2 widget. Document text reaches the browser as data and becomes
DOM text nodes (``textContent``), never HTML, so a source containing
``<script>`` or ``<img onerror>`` is shown, not run. Each row may carry notes
("moved to p. 4 § 7", "found in the annex ...") and buttons; a click sends one
action back to Python as a trigger value (one rerun).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st


@dataclass(frozen=True)
class Cell:
    """One side of a row: where the passage stands, and its text as diff segments.

    ``segments`` are ``(op, text)`` pairs: -1 deleted, 0 unchanged, 1 inserted.
    """

    place: str
    segments: tuple[tuple[int, str], ...]
    language: str | None = None


@dataclass(frozen=True)
class RowNote:
    """A line under a row; ``action`` (a small dict) makes it a button."""

    text: str
    action: dict | None = None
    label: str = ""
    flagged: bool = False  # a change of meaning: marked by colour as well as by its words


@dataclass(frozen=True)
class Row:
    key: str
    kind: str
    badge: str
    a: Cell | None
    b: Cell | None
    notes: tuple[RowNote, ...] = field(default=())
    focus: bool = False


_CSS = """
.pal-cv { font-size: 0.95rem; line-height: 1.5; }
.pal-cv .pal-row { display: grid; grid-template-columns: 7.5rem 1fr 1fr; gap: 0.6rem;
  padding: 0.45rem 0.3rem; border-bottom: 1px solid rgba(128,128,128,0.25); }
.pal-cv .pal-row:focus-visible { outline: 2px solid rgba(120,80,220,0.9); outline-offset: 1px; }
.pal-cv .pal-row.pal-focus { outline: 3px solid rgba(255,140,0,0.8); border-radius: 4px; }
.pal-cv .pal-kind { font-size: 0.75rem; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.03em; padding: 0.1rem 0.35rem; border-radius: 3px; height: fit-content; }
.pal-cv .pal-equal .pal-kind { background: rgba(128,128,128,0.15); }
.pal-cv .pal-changed .pal-kind { background: rgba(255,150,0,0.35); }
.pal-cv .pal-removed .pal-kind { background: rgba(220,40,40,0.85); color: white; }
.pal-cv .pal-added .pal-kind { background: rgba(40,160,80,0.8); color: white; }
.pal-cv .pal-moved .pal-kind { background: rgba(50,110,230,0.85); color: white; }
.pal-cv .pal-removed { background: rgba(220,40,40,0.07); }
.pal-cv .pal-moved { background: rgba(50,110,230,0.06); }
.pal-cv .pal-added { background: rgba(40,160,80,0.07); }
.pal-cv .pal-place { font-size: 0.75rem; opacity: 0.7;
  font-family: var(--st-code-font, monospace); }
.pal-cv .pal-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.pal-cv .pal-empty { opacity: 0.45; font-style: italic; }
.pal-cv del { background: rgba(220,40,40,0.25); text-decoration: line-through; }
.pal-cv ins { background: rgba(40,160,80,0.28); text-decoration: none; }
.pal-cv .pal-notes { grid-column: 2 / span 2; display: flex; flex-direction: column;
  gap: 0.2rem; }
.pal-cv .pal-note { font-size: 0.85rem; }
.pal-cv .pal-note.pal-flagged { border-left: 4px solid rgba(230,120,0,0.95);
  padding-left: 0.4rem; font-weight: 600; }
.pal-cv .pal-note button { margin-left: 0.5rem; font-size: 0.8rem; cursor: pointer;
  border: 1px solid rgba(128,128,128,0.6); border-radius: 4px; background: transparent;
  color: inherit; padding: 0 0.4rem; }
"""

_JS = r"""
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function cell(side, emptyText) {
  if (!side) return el("div", "pal-cell pal-empty", emptyText);
  const box = el("div", "pal-cell");
  if (side.lang) box.lang = side.lang;
  box.appendChild(el("div", "pal-place", side.place));
  const body = el("div", "pal-text");
  for (const [op, text] of side.segments) {
    body.appendChild(el(op < 0 ? "del" : op > 0 ? "ins" : "span", null, text));
  }
  box.appendChild(body);
  return box;
}

function row(data, absent, send) {
  const line = el("div", "pal-row pal-" + data.kind.replace(/[^a-z-]/g, ""));
  line.id = "pal-row-" + data.key;
  line.setAttribute("data-kind", data.kind);
  line.setAttribute("data-testid", "collation-row");
  line.tabIndex = -1;  // one row at a time takes Tab (roving); arrows move between rows
  line.setAttribute("aria-label", data.badge + (data.a ? " " + data.a.place : "") +
                    (data.b ? " / " + data.b.place : ""));
  if (data.focus) line.classList.add("pal-focus");
  line.appendChild(el("div", "pal-kind", data.badge));
  line.appendChild(cell(data.a, absent.a));
  line.appendChild(cell(data.b, absent.b));
  if (data.notes.length) {
    const notes = el("div", "pal-notes");
    for (const note of data.notes) {
      const item = el("div", note.flagged ? "pal-note pal-flagged" : "pal-note", note.text);
      if (note.action) {
        const button = el("button", null, note.label || "open");
        button.type = "button";
        button.onclick = () => send("action", note.action);
        item.appendChild(button);
      }
      notes.appendChild(item);
    }
    line.appendChild(el("div"));
    line.appendChild(notes);
  }
  return line;
}

function walk(root, event) {
  const rows = Array.from(root.querySelectorAll(":scope > .pal-row"));
  const at = rows.indexOf(document.activeElement);
  if (at < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
  const moves = { ArrowDown: at + 1, j: at + 1, ArrowUp: at - 1, k: at - 1, Home: 0,
                  End: rows.length - 1 };
  const next = rows[moves[event.key]];
  if (event.key in moves) event.preventDefault();
  if (!next) return;
  rows[at].tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  next.scrollIntoView({ block: "nearest" });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(":scope > .pal-cv");
  if (!root) {
    root = el("div", "pal-cv");
    root.setAttribute("data-testid", "collation-view");
    root.setAttribute("role", "list");
    root.setAttribute("aria-label", "Rows of the comparison: arrows or J and K move " +
                      "between them, Home and End go to the first and last");
    root.addEventListener("keydown", (event) => walk(root, event));
    parentElement.appendChild(root);
  }
  if (root.getAttribute("data-sig") !== data.sig) {
    root.replaceChildren(...data.rows.map((r) => row(r, data.absent, setTriggerValue)));
    root.setAttribute("data-sig", data.sig);
    const focused = root.querySelector(".pal-focus");
    const first = focused || root.querySelector(".pal-row");
    if (first) first.tabIndex = 0;
    if (focused) focused.scrollIntoView({ block: "center" });
  }
}
"""

_COMPONENT = st.components.v2.component(
    "palimpsest.collation_view", css=_CSS, js=_JS, isolate_styles=False
)


ABSENT = ("not in the base", "not in this version")


def collation_view(rows: Sequence[Row], *, key: str,
                   absent: tuple[str, str] = ABSENT) -> dict | None:
    """Show ``rows``; return the action of the button the scholar clicked, if any.

    ``absent`` is what an empty cell says: on the left (the base side, an added
    passage) and on the right (the other version's side, a removed passage).
    """
    payload = {"rows": [_row_data(r) for r in rows], "absent": dict(zip("ab", absent, strict=True))}
    payload["sig"] = hashlib.blake2b(repr(payload).encode(), digest_size=12).hexdigest()
    result = _COMPONENT(key=key, data=payload, on_action_change=lambda: None, height="content")
    return result.action


def _row_data(row: Row) -> dict:
    return {
        "key": row.key,
        "kind": row.kind,
        "badge": row.badge,
        "a": _cell_data(row.a),
        "b": _cell_data(row.b),
        "notes": [{"text": n.text, "action": n.action, "label": n.label, "flagged": n.flagged}
                  for n in row.notes],
        "focus": row.focus,
    }


def _cell_data(cell: Cell | None) -> dict | None:
    if cell is None:
        return None
    segments = [list(segment) for segment in cell.segments]
    return {"place": cell.place, "segments": segments, "lang": cell.language}
