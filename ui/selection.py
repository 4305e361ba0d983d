"""A document text the scholar can select, with highlights, passage labels and page markers.

:func:`text_selector` shows ``text`` through a Streamlit (Components v2) widget
and returns what the scholar selected as a :class:`Selection` in *code points*
into ``text`` (the browser counts UTF-16 units; the conversion happens here, at
the edge, with a precomputed table so that thousands of offsets cost nothing).

How it is built, and why:

* The text reaches the browser as data and becomes DOM **text nodes**
  (``createTextNode``); no document text ever goes through ``innerHTML``, so
  ``<script>`` or ``<img onerror>`` in a source is shown, not run.
* Passage labels and page markers are elements with no text node (their label is
  drawn by CSS ``::before`` from a ``data-label`` attribute, ``user-select: none``),
  so they never count in offsets; offsets are computed against the component's
  own text nodes only (each one knows where it starts).
* ``isolate_styles=False`` because a shadow root hides the selection from
  ``getSelection()``; the CSS is scoped under ``.palimpsest-selector``.
* The selection is sent as a *trigger* (one rerun) and kept in session state by
  a callback until :func:`clear_selection`; the kept selection is painted with
  the CSS Custom Highlight API, which marks a range without touching the DOM, so
  it survives clicks into the annotation form.
* The DOM is rebuilt only when the text, highlights or decorations change (a
  signature travels with the data), so reruns caused by other widgets keep the
  scroll position and the browser selection.
* From the keyboard: the text takes the focus (Tab); Shift+arrows select from the
  line at the top of the box (Ctrl or Alt with them: by word), ``P`` or Enter
  selects the paragraph there or around the selection, Alt+Down/Up selects the
  next or previous paragraph. A click on a highlight (not a drag) sends its ids
  (:func:`opened_highlights`), so the page can open the annotation.
* Selection events are ignored by Streamlit inside ``st.form``: do not put the
  selector in a form.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from sources.model import Page, Passage

HIGHLIGHT_KINDS = (
    "note",
    "removed",
    "moved",
    "changed",
    "added",
    "translated",
    "equal",
    "selected",
    "match",
    "uncertain",
)
_STATE_PREFIX = "_palimpsest_selection::"
_OPENED_PREFIX = "_palimpsest_opened::"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Highlight:
    """A span of the text to colour: ``kind`` is one of :data:`HIGHLIGHT_KINDS`.

    ``title`` is shown as a tooltip; ``id`` is written into the DOM
    (``data-hl-ids``) so that tests and scripts can find the highlight.
    """

    start: int
    end: int
    kind: str = "note"
    title: str = ""
    id: str = ""

    def __post_init__(self):
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad highlight span [{self.start}, {self.end})")
        if self.kind not in HIGHLIGHT_KINDS:
            raise ValueError(f"unknown highlight kind {self.kind!r}")


@dataclass(frozen=True)
class Selection:
    """What the scholar selected: ``text[start:end] == self.text`` (code points)."""

    start: int
    end: int
    text: str


class OffsetTable:
    """Converts offsets between code points and UTF-16 units for one text.

    Built once in O(n) (a regular expression finds the astral characters, the
    only ones that take two UTF-16 units); each conversion is a binary search.

    >>> table = OffsetTable("a😀b")
    >>> table.to_utf16(2), table.to_codepoint(3), table.to_codepoint(2)
    (3, 2, 1)
    """

    def __init__(self, text: str):
        self.length = len(text)
        self.astral = [match.start() for match in _ASTRAL.finditer(text)]
        self.astral_utf16 = [pos + rank for rank, pos in enumerate(self.astral)]
        self.utf16_length = self.length + len(self.astral)

    def to_utf16(self, offset: int) -> int:
        """UTF-16 offset of code-point ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), self.length)
        return offset + bisect.bisect_left(self.astral, offset)

    def to_codepoint(self, offset: int) -> int:
        """Code-point offset of UTF-16 ``offset``; inside a surrogate pair rounds down."""
        offset = min(max(offset, 0), self.utf16_length)
        before = bisect.bisect_right(self.astral_utf16, offset - 2)
        if before < len(self.astral_utf16) and self.astral_utf16[before] < offset:
            return self.astral[before]
        return offset - before


_CSS = """
.palimpsest-selector {
  position: relative;
  padding: 0.25rem 0;
  font-family: var(--st-font, "Source Serif Pro", Georgia, serif);
  font-size: 1rem;
  line-height: 1.65;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  color: var(--st-text-color, inherit);
  overflow-y: auto;
  cursor: text;
}
.palimpsest-selector .pl-chunk { display: block; position: relative; padding: 0 4.5rem 0 5.5rem;
  content-visibility: auto; contain-intrinsic-size: auto 900px; }
.palimpsest-selector.pl-full .pl-chunk { content-visibility: visible; }
.palimpsest-selector .pl-hl { border-radius: 2px; }
.palimpsest-selector .pl-k-note { background: rgba(255, 214, 0, 0.38); }
.palimpsest-selector .pl-k-removed { background: rgba(230, 60, 60, 0.28);
  text-decoration: line-through; }
.palimpsest-selector .pl-k-moved { background: rgba(60, 120, 230, 0.25); }
.palimpsest-selector .pl-k-changed { background: rgba(255, 150, 0, 0.32); }
.palimpsest-selector .pl-k-added { background: rgba(40, 170, 80, 0.28); }
.palimpsest-selector .pl-k-translated { background: rgba(140, 90, 200, 0.22); }
.palimpsest-selector .pl-k-equal { background: transparent; }
.palimpsest-selector .pl-k-match { outline: 2px solid rgba(255, 120, 0, 0.8); }
.palimpsest-selector .pl-k-selected { background: rgba(120, 80, 220, 0.30); }
.palimpsest-selector .pl-k-uncertain { text-decoration: underline wavy rgba(190, 30, 30, 0.85);
  text-decoration-skip-ink: none; text-underline-offset: 3px; }
.palimpsest-selector .pl-k-uncertain::after { content: "?"; font-size: 0.65em;
  vertical-align: super; color: rgba(190, 30, 30, 0.95); user-select: none;
  -webkit-user-select: none; }
.palimpsest-selector .pl-multi { box-shadow: inset 0 -2px 0 rgba(0, 0, 0, 0.35); }
.palimpsest-selector .pl-deco {
  user-select: none;
  -webkit-user-select: none;
  pointer-events: none;
  font-family: var(--st-code-font, monospace);
  font-size: 0.72rem;
  color: var(--st-text-color, #666);
  opacity: 0.6;
}
.palimpsest-selector .pl-passage { position: absolute; left: 0.25rem; width: 5rem;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; line-height: 2.3; }
.palimpsest-selector .pl-passage::before { content: attr(data-label); }
.palimpsest-selector .pl-page { position: absolute; right: 0.25rem; width: 4rem;
  text-align: right; white-space: nowrap; line-height: 2.3; }
.palimpsest-selector .pl-page::before { content: attr(data-label); }
.palimpsest-selector .pl-pagebreak { user-select: none; -webkit-user-select: none;
  border-left: 2px dotted rgba(128, 128, 128, 0.7); margin: 0 1px; }
.palimpsest-selector:focus-visible { outline: 2px solid rgba(120, 80, 220, 0.8);
  outline-offset: 2px; }
::highlight(palimpsest-mark) { background-color: rgba(120, 80, 220, 0.35); }
"""

_JS = r"""
const MARK = "palimpsest-mark";

function markRegistry() {
  if (typeof CSS === "undefined" || !CSS.highlights) return null;
  if (typeof Highlight === "undefined") return null;
  let mark = CSS.highlights.get(MARK);
  if (!mark) { mark = new Highlight(); CSS.highlights.set(MARK, mark); }
  return mark;
}

function decoration(cls, label) {
  const el = document.createElement("span");
  el.className = "pl-deco " + cls;
  el.setAttribute("data-label", label);
  el.setAttribute("aria-hidden", "true");
  el.contentEditable = "false";
  return el;
}

function addAt(map, pos, item) {
  if (!map.has(pos)) map.set(pos, []);
  map.get(pos).push(item);
}

function chunkBreaks(text, every) {
  // Start a new block after a blank line once a chunk has `every` units.
  const breaks = [];
  let last = 0;
  let at = text.indexOf("\n\n");
  while (at !== -1) {
    const after = at + 2;
    if (after - last >= every && after < text.length) { breaks.push(after); last = after; }
    at = text.indexOf("\n\n", after);
  }
  return breaks;
}

function build(state, data) {
  const text = data.text;
  const opens = new Map(), closes = new Map(), decos = new Map();
  const points = new Set([0, text.length]);
  data.highlights.forEach((h, i) => {
    if (h[1] <= h[0]) return;
    addAt(opens, h[0], i); addAt(closes, h[1], i); points.add(h[0]); points.add(h[1]);
  });
  const decorate = (cls) => (p) => { addAt(decos, p[0], decoration(cls, p[1])); points.add(p[0]); };
  data.pages.forEach(decorate("pl-page"));
  data.passages.forEach(decorate("pl-passage"));
  const breaks = new Set(chunkBreaks(text, data.chunk || 4000));
  breaks.forEach((b) => points.add(b));
  const sorted = Array.from(points).sort((a, b) => a - b);

  const root = state.root;
  // Same text (new highlights, say): keep the line that is at the top of the box there.
  const place = state.textSig === data.text_sig ? topPlace(state) : null;
  root.replaceChildren();
  state.nodes = []; state.starts = []; state.index = new WeakMap();
  const active = new Set();
  let chunk = document.createElement("div");
  chunk.className = "pl-chunk";
  const frag = document.createDocumentFragment();
  frag.appendChild(chunk);
  for (let k = 0; k < sorted.length; k++) {
    const pos = sorted[k];
    (closes.get(pos) || []).forEach((i) => active.delete(i));
    if (breaks.has(pos)) {
      chunk = document.createElement("div"); chunk.className = "pl-chunk"; frag.appendChild(chunk);
    }
    (decos.get(pos) || []).forEach((el) => chunk.appendChild(el));
    (opens.get(pos) || []).forEach((i) => active.add(i));
    if (k + 1 >= sorted.length) break;
    const next = sorted[k + 1];
    if (next <= pos) continue;
    const node = document.createTextNode(text.slice(pos, next));
    state.index.set(node, state.nodes.length);
    state.nodes.push(node); state.starts.push(pos);
    chunk.appendChild(active.size ? wrap(node, Array.from(active, (i) => data.highlights[i]))
                                  : node);
  }
  root.appendChild(frag);
  state.length = text.length;
  state.text = text;
  state.highlights = data.highlights;
  state.decoSig = data.deco_sig;
  state.keyAnchor = null; state.keyFocus = null;
  if (place) keepPlace(state, place); else root.scrollTop = 0;
}

function topPlace(state) {
  // The text offset shown at the top of the box, and how far below the top it is.
  const box = state.root.getBoundingClientRect();
  if (!state.nodes.length || state.root.scrollTop === 0) return null;
  const caret = document.caretRangeFromPoint
    ? document.caretRangeFromPoint(box.left + box.width / 2, box.top + 4) : null;
  if (!caret || !state.root.contains(caret.startContainer)) return null;
  const offset = toOffset(state, caret.startContainer, caret.startOffset);
  const rect = rangeOf(state, offset, offset).getBoundingClientRect();
  return { offset: offset, below: rect.top - box.top };
}

function keepPlace(state, place) {
  // Chunks off screen have guessed heights (content-visibility), so a saved scrollTop
  // would land elsewhere: put the remembered line back at its height, twice, as in
  // scrollToOffset, once every chunk above it has been laid out.
  const align = () => {
    const rect = rangeOf(state, place.offset, place.offset).getBoundingClientRect();
    const box = state.root.getBoundingClientRect();
    state.root.scrollTop += rect.top - box.top - place.below;
  };
  state.root.classList.add("pl-full");
  align();
  const frames = (n, then) => (n ? requestAnimationFrame(() => frames(n - 1, then)) : then());
  frames(2, () => {
    if (!state.root.isConnected) return;
    state.root.classList.remove("pl-full");
    align();
  });
}

function wrap(node, rows) {
  // ``node`` in a span dressed for the highlights ``rows``.
  const span = document.createElement("span");
  dress(span, rows);
  span.appendChild(node);
  return span;
}

function isMark(element) {
  return Boolean(element.classList && element.classList.contains("pl-hl"));
}

function dress(span, rows) {
  // The look of a piece of text under the highlights ``rows``, which the span keeps.
  const kinds = new Set(), ids = [], titles = [];
  rows.forEach((h) => {
    if (/^[a-z-]+$/.test(h[2])) kinds.add("pl-k-" + h[2]);
    if (h[4]) ids.push(h[4]);
    if (h[3]) titles.push(h[3]);
  });
  span.__rows = rows;
  span.className = "pl-hl " + Array.from(kinds).join(" ") + (rows.length > 1 ? " pl-multi" : "");
  if (ids.length) span.setAttribute("data-hl-ids", ids.join(" "));
  else span.removeAttribute("data-hl-ids");
  if (titles.length) span.title = titles.join("\n"); else span.removeAttribute("title");
}

const PATCH_MAX = 50;

function count(element, attribute) {
  // How many times the text was built anew / patched: for tests and scripts.
  element.setAttribute(attribute, String(Number(element.getAttribute(attribute) || 0) + 1));
}

function highlightKey(h) { return JSON.stringify(h); }

function addedHighlights(state, data) {
  // The highlights of ``data`` that were not shown, if that is the only change (same text,
  // same margins, none removed, a few added); else null, and the text is built anew.
  if (state.textSig !== data.text_sig || state.decoSig !== data.deco_sig) return null;
  const shown = new Map();
  (state.highlights || []).forEach((h) => {
    const key = highlightKey(h); shown.set(key, (shown.get(key) || 0) + 1);
  });
  const added = [];
  for (const h of data.highlights) {
    const key = highlightKey(h), left = shown.get(key) || 0;
    if (left) shown.set(key, left - 1); else if (h[1] > h[0]) added.push(h);
  }
  for (const left of shown.values()) if (left) return null;
  return added.length <= PATCH_MAX ? added : null;
}

function splitAt(state, offset) {
  // Make ``offset`` a boundary between two of our text nodes (each highlighted piece of
  // text keeps a span of its own).
  if (offset <= 0 || offset >= state.length) return;
  const lo = nodeIndexAt(state, offset);
  if (state.starts[lo] === offset) return;
  const node = state.nodes[lo];
  const tail = node.splitText(offset - state.starts[lo]);
  const span = node.parentNode;
  if (isMark(span)) {
    const copy = span.cloneNode(false);
    copy.__rows = span.__rows;
    span.parentNode.insertBefore(copy, span.nextSibling);
    copy.appendChild(tail);
  }
  state.nodes.splice(lo + 1, 0, tail);
  state.starts.splice(lo + 1, 0, offset);
  for (let k = lo + 1; k < state.nodes.length; k++) state.index.set(state.nodes[k], k);
}

function addHighlight(state, h) {
  if (h[0] >= state.length) return;  // past the text: nothing to wrap
  splitAt(state, h[0]); splitAt(state, h[1]);
  for (let k = nodeIndexAt(state, h[0]); k < state.nodes.length && state.starts[k] < h[1]; k++) {
    const node = state.nodes[k], parent = node.parentNode;
    if (isMark(parent)) {
      dress(parent, parent.__rows.concat([h]));
    } else {
      const next = node.nextSibling;
      parent.insertBefore(wrap(node, [h]), next);
    }
  }
}

function firstNodeAtOrAfter(state, container, offset) {
  // Index of the first of our text nodes that starts at or after the boundary point.
  const probe = document.createRange();
  probe.setStart(container, offset);
  let lo = 0, hi = state.nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (probe.comparePoint(state.nodes[mid], 0) < 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function toOffset(state, container, offset) {
  if (container.nodeType === Node.TEXT_NODE) {
    const own = state.index.get(container);
    if (own !== undefined) return state.starts[own] + offset;
  }
  const index = firstNodeAtOrAfter(state, container, offset);
  return index < state.nodes.length ? state.starts[index] : state.length;
}

function nodeIndexAt(state, offset) {
  // Index of the text node holding UTF-16 `offset` (the last one starting at or before
  // it); the text has at least one node.
  let lo = 0, hi = state.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (state.starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo;
}

function toPoint(state, offset) {
  // The (text node, offset) holding UTF-16 `offset`.
  if (!state.starts.length) return [state.root, 0];
  const lo = nodeIndexAt(state, offset);
  const node = state.nodes[lo];
  return [node, Math.min(Math.max(offset - state.starts[lo], 0), node.length)];
}

function rangeOf(state, start, end) {
  const range = document.createRange();
  const a = toPoint(state, start), b = toPoint(state, end);
  range.setStart(a[0], a[1]); range.setEnd(b[0], b[1]);
  return range;
}

function paintMark(state, mark) {
  const registry = markRegistry();
  if (!registry) return;
  if (state.markRange) { registry.delete(state.markRange); state.markRange = null; }
  if (mark && state.nodes.length) {
    state.markRange = rangeOf(state, mark[0], mark[1]);
    registry.add(state.markRange);
  }
}

function centre(state, offset) {
  const rect = rangeOf(state, offset, offset).getBoundingClientRect();
  const base = state.root.getBoundingClientRect();
  const pin = document.createElement("div");
  pin.style.cssText = "position:absolute;left:0;width:1px;height:1px;";
  pin.style.top = (rect.top - base.top + state.root.scrollTop) + "px";
  state.root.appendChild(pin);
  pin.scrollIntoView({ block: "center" });
  pin.remove();
}

function scrollToOffset(state, offset) {
  // Off-screen chunks are not laid out (content-visibility) and have guessed
  // heights, so a jump would land off target. Lay everything out for a few
  // frames (sizes are then remembered), jump, and jump again once settled.
  state.root.classList.add("pl-full");
  centre(state, offset);
  const frames = (n, then) => (n ? requestAnimationFrame(() => frames(n - 1, then)) : then());
  frames(2, () => {
    if (!state.root.isConnected) return;
    state.root.classList.remove("pl-full");
    centre(state, offset);
  });
}

function readSelection(state) {
  const selection = window.getSelection();
  if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(state.root)) return null;
  const start = toOffset(state, range.startContainer, range.startOffset);
  const end = toOffset(state, range.endContainer, range.endOffset);
  return end > start ? { start: start, end: end, sig: state.textSig } : null;
}

function listen(state) {
  const check = () => setTimeout(() => {
    if (!state.root.isConnected) return;
    const picked = readSelection(state);
    if (picked) state.send("selection", picked);
  }, 0);
  const onKey = (event) => { if (event.shiftKey || event.key === "Shift") check(); };
  const onClick = (event) => {
    // A click (not a drag) on a highlight opens its annotation beside the text.
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const mark = event.target.closest && event.target.closest(".pl-hl[data-hl-ids]");
    if (mark) state.send("opened", { ids: mark.getAttribute("data-hl-ids").split(" "),
                                     at: Date.now() });
  };
  const onKeyDown = (event) => keyboard(state, event, check);
  const onMouseUp = () => { state.keyAnchor = null; state.keyFocus = null; check(); };
  document.addEventListener("mouseup", onMouseUp);
  document.addEventListener("keyup", onKey);
  state.root.addEventListener("click", onClick);
  state.root.addEventListener("keydown", onKeyDown);
  return () => {
    document.removeEventListener("mouseup", onMouseUp);
    document.removeEventListener("keyup", onKey);
    state.root.removeEventListener("click", onClick);
    state.root.removeEventListener("keydown", onKeyDown);
  };
}

function visibleOffset(state) {
  // The text offset at the top of the box (where keyboard work starts).
  const place = topPlace(state);
  return place ? place.offset : 0;
}

function paragraphAround(text, offset) {
  // [start, end) of the paragraph (text between blank lines) holding `offset`.
  let start = text.lastIndexOf("\n\n", Math.max(offset - 1, 0));
  start = start === -1 ? 0 : start + 2;
  let end = text.indexOf("\n\n", offset);
  end = end === -1 ? text.length : end;
  while (end > start && /\s/.test(text[end - 1])) end--;
  while (start < end && /\s/.test(text[start])) start++;
  return [start, end];
}

function wordStep(text, offset, direction) {
  let at = offset;
  if (direction > 0) {
    while (at < text.length && /\s/.test(text[at])) at++;
    while (at < text.length && !/\s/.test(text[at])) at++;
  } else {
    while (at > 0 && /\s/.test(text[at - 1])) at--;
    while (at > 0 && !/\s/.test(text[at - 1])) at--;
  }
  return at;
}

function lineStep(state, offset, direction) {
  // The offset one line below (or above) `offset`, found at the same x.
  const rect = rangeOf(state, offset, offset).getBoundingClientRect();
  const lineHeight = parseFloat(getComputedStyle(state.root).lineHeight) || 24;
  const y = direction > 0 ? rect.bottom + lineHeight / 2 : rect.top - lineHeight / 2;
  const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(rect.left, y) : null;
  if (!caret || !state.root.contains(caret.startContainer)) {
    return direction > 0 ? Math.min(offset + 80, state.length) : Math.max(offset - 80, 0);
  }
  return toOffset(state, caret.startContainer, caret.startOffset);
}

function select(state, anchor, focus, check) {
  const selection = window.getSelection();
  const range = rangeOf(state, Math.min(anchor, focus), Math.max(anchor, focus));
  selection.removeAllRanges();
  selection.addRange(range);
  state.keyAnchor = anchor; state.keyFocus = focus;
  const rect = rangeOf(state, focus, focus).getBoundingClientRect();
  const box = state.root.getBoundingClientRect();
  if (rect.top < box.top || rect.bottom > box.bottom) centre(state, focus);
  if (anchor !== focus) check();
}

function keyboard(state, event, check) {
  // Shift+arrows select (Ctrl/Alt+Shift by word), "p" or Enter selects the paragraph
  // at the top of the box or around the selection, Alt+Down/Up walks the paragraphs.
  const text = state.text || "";
  const current = readSelection(state);
  const hasOwn = current && state.keyFocus !== undefined && state.keyFocus !== null;
  const anchor = hasOwn ? state.keyAnchor : (current ? current.start : visibleOffset(state));
  const focus = hasOwn ? state.keyFocus : (current ? current.end : anchor);
  const key = event.key;
  if (event.shiftKey && key.startsWith("Arrow")) {
    let next = focus;
    const byWord = event.ctrlKey || event.altKey;
    if (key === "ArrowRight") {
      next = byWord ? wordStep(text, focus, 1) : Math.min(focus + 1, text.length);
    }
    if (key === "ArrowLeft") next = byWord ? wordStep(text, focus, -1) : Math.max(focus - 1, 0);
    if (key === "ArrowDown") next = lineStep(state, focus, 1);
    if (key === "ArrowUp") next = lineStep(state, focus, -1);
    event.preventDefault();
    select(state, anchor, next, check);
    return;
  }
  if ((key === "p" || key === "Enter") && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const [start, end] = paragraphAround(text, current ? current.start : visibleOffset(state));
    event.preventDefault();
    if (end > start) select(state, start, end, check);
    return;
  }
  if (event.altKey && (key === "ArrowDown" || key === "ArrowUp")) {
    const [start, end] = paragraphAround(text, current ? current.start : visibleOffset(state));
    let at = key === "ArrowDown" ? text.indexOf("\n\n", end) : start - 2;
    if (key === "ArrowDown" && at === -1) at = end;
    const [s2, e2] = paragraphAround(text, Math.max(Math.min(at + (key === "ArrowDown" ? 2 : -1),
                                                             text.length), 0));
    event.preventDefault();
    if (e2 > s2) select(state, s2, e2, check);
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = parentElement.__palimpsest;
  if (!state) {
    // A clean-up may have run on this element without it being emptied: a stale copy
    // of the text left beside the new one would catch the selections (and hide them).
    for (const stale of parentElement.querySelectorAll(".palimpsest-selector")) stale.remove();
    state = { sig: null, textSig: null, nodes: [], starts: [], index: new WeakMap(), length: 0,
              markRange: null, focusKey: null };
    state.root = document.createElement("div");
    state.root.className = "palimpsest-selector";
    state.root.setAttribute("data-testid", "palimpsest-selector");
    state.root.tabIndex = 0;  // reachable with Tab; keyboard selection in keyboard()
    state.root.setAttribute("role", "document");
    state.root.setAttribute("aria-label", "Document text. Shift and the arrow keys select, " +
      "P selects the paragraph, Alt and the up or down arrow walk the paragraphs.");
    parentElement.appendChild(state.root);
    state.unlisten = listen(state);
    parentElement.__palimpsest = state;
  }
  state.send = setTriggerValue;
  state.root.style.maxHeight = data.height ? data.height + "px" : "";
  if (state.sig !== data.sig) {
    // A saved annotation adds a highlight: wrap its words where they are, keeping the
    // text, the scroll and the selection; anything else builds the text anew.
    const added = addedHighlights(state, data);
    if (added) {
      added.forEach((h) => addHighlight(state, h));
      state.highlights = data.highlights;
      count(state.root, "data-patched");
    } else {
      build(state, data);
      count(state.root, "data-built");
    }
    state.sig = data.sig;
    state.textSig = data.text_sig;
    state.focusKey = null;
    state.root.setAttribute("data-sig", data.sig);
  }
  paintMark(state, data.mark);
  const focusKey = data.focus ? data.focus.join(":") : null;
  if (focusKey && focusKey !== state.focusKey) scrollToOffset(state, data.focus[0]);
  state.focusKey = focusKey;
  state.root.setAttribute("data-ready", "1");
  return () => {
    state.unlisten();
    paintMark(state, null);
    state.root.remove();
    delete parentElement.__palimpsest;
  };
}
"""

_COMPONENT = st.components.v2.component(
    "palimpsest.text_selector", css=_CSS, js=_JS, isolate_styles=False
)


def text_selector(
    text: str,
    *,
    highlights: Sequence[Highlight] = (),
    passages: Sequence[Passage | tuple[int, int, str | None]] = (),
    pages: Sequence[Page | tuple[int, int, str]] = (),
    key: str,
    height: int | None = None,
    focus: tuple[int, int] | None = None,
) -> Selection | None:
    """Show ``text`` for selection; return the kept selection (code points) or ``None``.

    The selection is kept across reruns until :func:`clear_selection` (or until
    the text changes); whitespace at its ends is dropped, and a selection of
    nothing but whitespace is ``None``. ``focus`` scrolls to a span once. ``height`` in pixels
    makes the text scroll inside a box; ``None`` shows it whole. Passages with
    no label and pages are shown in the margins and never count in offsets.
    """
    table = OffsetTable(text)
    payload = _payload(text, table, highlights, passages, pages, height)
    kept = _kept_selection(key, text, table)
    payload["mark"] = [table.to_utf16(kept.start), table.to_utf16(kept.end)] if kept else None
    payload["focus"] = [table.to_utf16(focus[0]), table.to_utf16(focus[1])] if focus else None
    result = _COMPONENT(
        key=key, data=payload, on_selection_change=_keep_selection(key),
        on_opened_change=_keep_opened(key), height="content"
    )
    if result.selection is not None:  # normally already kept by the callback
        _store_raw(key, result.selection)
        kept = _kept_selection(key, text, table)
    return kept


def set_selection(key: str, text: str, start: int, end: int) -> Selection:
    """Make ``[start, end)`` the kept selection of selector ``key`` (deep links, tests).

    Call it before :func:`text_selector` with the same ``text``; offsets are
    clamped to the text.
    """
    start, end = sorted((min(max(start, 0), len(text)), min(max(end, 0), len(text))))
    st.session_state[_STATE_PREFIX + key] = {"cp": [start, end], "sig": _text_sig(text)}
    return Selection(start, end, text[start:end])


def clear_selection(key: str) -> None:
    """Forget the kept selection of selector ``key`` (after saving, or on Cancel)."""
    st.session_state.pop(_STATE_PREFIX + key, None)


def _payload(text, table, highlights, passages, pages, height) -> dict:
    data = {
        "text": text,
        "highlights": [_highlight_row(h, table) for h in highlights if h.end > h.start],
        "passages": _decorations(passages, table, _passage_label),
        "pages": _decorations(pages, table, _page_label),
        "height": height,
    }
    data["text_sig"] = _text_sig(text)
    margins = json.dumps([data["passages"], data["pages"]]).encode()
    data["deco_sig"] = hashlib.blake2b(margins, digest_size=16).hexdigest()
    digest = hashlib.blake2b(data["text_sig"].encode(), digest_size=16)
    digest.update(json.dumps(data["highlights"]).encode())
    digest.update(data["deco_sig"].encode())
    data["sig"] = digest.hexdigest()
    return data


def _text_sig(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _highlight_row(highlight: Highlight, table: OffsetTable) -> list:
    return [
        table.to_utf16(highlight.start),
        table.to_utf16(highlight.end),
        highlight.kind,
        highlight.title,
        highlight.id,
    ]


def _decorations(items, table: OffsetTable, label_of) -> list:
    rows = []
    for item in items:
        label = label_of(item)
        if label:
            rows.append([table.to_utf16(_start_of(item)), label])
    return rows


def _start_of(item) -> int:
    return item.start if isinstance(item, Page | Passage) else item[0]


def _passage_label(item) -> str | None:
    return item.label if isinstance(item, Passage) else item[2]


def _page_label(item) -> str:
    label = item.label if isinstance(item, Page) else item[2]
    return f"p. {label}" if label else ""


def _keep_selection(key: str):
    """The callback that moves a selection event into session state before the rerun."""

    def keep() -> None:
        state = st.session_state.get(key)
        raw = state.get("selection") if hasattr(state, "get") else None
        if raw is not None:
            _store_raw(key, raw)

    return keep


def _keep_opened(key: str):
    """The callback that keeps the ids of the highlight the scholar clicked."""

    def keep() -> None:
        state = st.session_state.get(key)
        raw = state.get("opened") if hasattr(state, "get") else None
        if isinstance(raw, dict) and isinstance(raw.get("ids"), list):
            ids = tuple(str(i) for i in raw["ids"][:20])
            count = st.session_state.get(_OPENED_PREFIX + key, ((), 0))[1] + 1
            st.session_state[_OPENED_PREFIX + key] = (ids, count)

    return keep


def opened_highlights(key: str) -> tuple[tuple[str, ...], str]:
    """The ids of the highlight last clicked in selector ``key`` (several if they overlap),
    and a token that changes with every click."""
    ids, count = st.session_state.get(_OPENED_PREFIX + key, ((), 0))
    return ids, str(count)


def _store_raw(key: str, raw) -> None:
    if isinstance(raw, dict) and {"start", "end", "sig"} <= raw.keys():
        st.session_state[_STATE_PREFIX + key] = {
            "utf16": [int(raw["start"]), int(raw["end"])],
            "sig": str(raw["sig"]),
        }


def _kept_selection(key: str, text: str, table: OffsetTable) -> Selection | None:
    kept = st.session_state.get(_STATE_PREFIX + key)
    if not kept:
        return None
    if kept["sig"] != _text_sig(text):
        clear_selection(key)
        return None
    if "cp" in kept:
        start, end = kept["cp"]
    else:
        start, end = (table.to_codepoint(offset) for offset in kept["utf16"])
        kept = {"cp": [start, end], "sig": _text_sig(text)}
        st.session_state[_STATE_PREFIX + key] = kept
    return _trimmed(text, start, end)


def _trimmed(text: str, start: int, end: int) -> Selection | None:
    """The selection without surrounding whitespace (what double-click drags along)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Selection(start, end, text[start:end]) if end > start else None
