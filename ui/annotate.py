"""Streamlit helpers of the Read & annotate page: deep links, the annotation form and list.

Document text, titles, quotes and tags are shown as plain text (Markdown
characters escaped); notes are Markdown shown with ``st.markdown``, which
escapes raw HTML. Nothing here passes HTML through.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from annotations.documents import DocumentSummary, StoredDocument, get_document
from annotations.model import (
    CREDIBILITY,
    CREDIBILITY_MEANINGS,
    LINK_TYPES,
    RELIABILITY,
    RELIABILITY_MEANINGS,
    Annotation,
    AnnotationLink,
)
from annotations.notes import create_annotation, delete_annotation, undo_last, update_annotation
from sources.errors import PalimpsestError
from ui.browser_memory import browser_memory, recalled
from ui.documents import document_labels
from ui.scroll import scroll_into_view
from ui.selection import Highlight, Selection, clear_selection
from ui.session import open_store
from ui.text import escape_markdown, note_markdown

AUTHOR_KEY = "palimpsest_author"
FLASH_KEY = "read_flash"
FOCUS_KEY = "read_focus"
LINK_KEY = "read_applied_link"
EDITING_KEY = "read_editing"
DOCUMENT_KEY = "read_document"
# The document being read, kept apart from the select box's own state: a widget's
# state can be dropped between reruns under load (it then falls back to its
# first option), this key cannot.
CURRENT_KEY = "read_current_document"


def choose_document(document_id: int) -> None:
    """Open ``document_id`` on the Read page (a deep link, or a link followed)."""
    st.session_state[CURRENT_KEY] = document_id
    st.session_state[DOCUMENT_KEY] = document_id


def keep_choice() -> None:
    """The select box's callback: the scholar picked another document."""
    st.session_state[CURRENT_KEY] = st.session_state[DOCUMENT_KEY]
QUOTE_CHARS = 160
LIST_PAGE_SIZE = 25


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The quote on one line, cut in the middle when long."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    half = limit // 2
    return f"{words[:half]} … {words[-half:]}"


def reliability_label(grade: str | None) -> str:
    return f"{grade} – {RELIABILITY_MEANINGS[grade]}" if grade else "not graded"


def credibility_label(grade: int | None) -> str:
    return f"{grade} – {CREDIBILITY_MEANINGS[grade]}" if grade else "not graded"


# ---------------------------------------------------------------- session: author, flash, links

AUTHOR_WIDGET = AUTHOR_KEY + "_input"
AUTHOR_CHANGED = AUTHOR_KEY + "_changed"
AUTHOR_MEMORY = AUTHOR_KEY + "_memory"


def author_name() -> str:
    """Who annotates: asked in the sidebar, remembered by this browser (reloads, new tabs)."""
    if AUTHOR_WIDGET not in st.session_state:
        st.session_state[AUTHOR_WIDGET] = st.session_state.get(AUTHOR_KEY, "")
    name = st.sidebar.text_input(
        "Your name", key=AUTHOR_WIDGET, on_change=_author_typed,
        help="Recorded with every annotation and change you make; this browser remembers it.",
    ).strip()
    st.session_state[AUTHOR_KEY] = name
    with st.sidebar:
        browser_memory("author", name, changed=st.session_state.get(AUTHOR_CHANGED, False),
                       key=AUTHOR_MEMORY, on_recall=_author_recalled)
    return name


def _author_typed() -> None:
    st.session_state[AUTHOR_CHANGED] = True


def _author_recalled() -> None:
    """The browser remembered a name: use it unless the scholar has typed one since."""
    name = recalled(AUTHOR_MEMORY)
    if name and not st.session_state.get(AUTHOR_CHANGED):
        st.session_state[AUTHOR_WIDGET] = name
        st.session_state[AUTHOR_KEY] = name


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` once, after the next rerun."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> None:
    """The message of the last action, in a slot that exists on every run.

    The slot is there even when empty, so the elements after it keep their place
    in the page and the text below is not rebuilt (nor scrolled back to the top).
    """
    slot = st.empty()
    kind, message = st.session_state.pop(FLASH_KEY, (None, None))
    if message:
        getattr(slot, kind)(message)


def read_link() -> tuple[int | None, tuple[int, int] | None]:
    """``doc`` and the ``start``/``end`` span from the URL (``None`` when absent or malformed)."""
    params = st.query_params
    doc, start, end = (_as_int(params.get(name)) for name in ("doc", "start", "end"))
    span = (start, end) if start is not None and end is not None and end > start else None
    return doc, span


def _as_int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdecimal() else None


def link_is_new(doc: int | None, span: tuple[int, int] | None) -> bool:
    """True the first time this session sees this URL link (so it is followed once)."""
    seen = (doc, span)
    if st.session_state.get(LINK_KEY) == seen:
        return False
    st.session_state[LINK_KEY] = seen
    return doc is not None


def set_url(document_id: int, span: tuple[int, int] | None = None, *, follow=False) -> None:
    """Make the address bar a deep link to the document (and span) on show.

    With ``follow`` the next run opens the link (selects and scrolls to the span)
    as if it had just been typed.
    """
    wanted = {"doc": str(document_id)}
    if span:
        wanted |= {"start": str(span[0]), "end": str(span[1])}
    if dict(st.query_params) != wanted:
        st.query_params.clear()
        st.query_params.update(wanted)
    if follow:
        st.session_state.pop(LINK_KEY, None)
    else:
        st.session_state[LINK_KEY] = (document_id, span)


def take_focus() -> tuple[int, int] | None:
    """The span to scroll to on this run, if a button or link asked for one."""
    return st.session_state.pop(FOCUS_KEY, None)


# ---------------------------------------------------------------- the document

def document_header(doc: StoredDocument) -> None:
    """Title and metadata, as plain text."""
    st.subheader(escape_markdown(doc.title), anchor=False)
    facts = [
        *([_version_fact(doc)] if doc.has_versions else []),
        doc.kind,
        (doc.language or "language unknown").upper(),
        doc.date or "undated",
        doc.issuer or "issuer unknown",
        _count(len(doc.pages), "page"),
        _count(len(doc.passages), "passage"),
        f"{len(doc.text):,} characters",
    ]
    st.caption(escape_markdown(" · ".join(facts)))
    if doc.superseded_by:
        st.page_link("pages/read.py", label=f"Open the corrected version (v{doc.version + 1})",
                     icon=":material/update:", query_params={"doc": str(doc.superseded_by)})


def _version_fact(doc: StoredDocument) -> str:
    if doc.superseded_by:
        return (f"version {doc.version}, superseded by v{doc.version + 1} "
                f"(document {doc.superseded_by})")
    return f"version {doc.version}"


def _count(number: int, noun: str) -> str:
    return f"{number or 'no'} {noun}{'' if number == 1 else 's'}"


def annotation_highlights(annotations: Sequence[Annotation]) -> list[Highlight]:
    """One highlight per placed annotation; the tooltip is the start of its note."""
    return [
        Highlight(a.start, a.end, "note", _tooltip(a), id=a.id)
        for a in annotations
        if a.anchor_status == "anchored" and a.end > a.start
    ]


def _tooltip(annotation: Annotation) -> str:
    parts = [short_quote(annotation.note, 120)] if annotation.note else []
    if annotation.tags:
        parts.append("Tags: " + "; ".join(annotation.tags))
    return "\n".join(parts) or "Annotation"


# ---------------------------------------------------------------- the form

@st.fragment
def annotation_form(document_id: int, selection: Selection, documents: Sequence[DocumentSummary],
                    *, selector_key: str) -> None:
    """The fields of a new annotation on ``selection``; Save stores it, Cancel forgets it.

    A fragment: typing in the fields reruns only the form, not the (long) text.
    """
    st.markdown("**New annotation on**")
    st.text(short_quote(selection.text))
    prefix = f"new_{document_id}"
    fields = _note_fields(prefix)
    fields["links"] = _link_fields(prefix, documents)
    author = st.session_state.get(AUTHOR_KEY, "")
    if not author:
        st.info("Type your name in the sidebar: it is recorded with your annotations.")
    save, cancel = st.columns(2)
    if save.button("Save annotation", type="primary", key=f"{prefix}_save", disabled=not author):
        _save_new(document_id, selection, fields, author, selector_key, prefix)
    if cancel.button("Cancel", key=f"{prefix}_cancel"):
        clear_selection(selector_key)
        st.rerun(scope="app")


def pair_annotation_form(base_id: int, a: tuple[int, int], other_id: int, b: tuple[int, int],
                         *, link_type: str, key: str) -> None:
    """Annotate a link between two passages (e.g. a cut passage and its translation).

    The annotation sits on the base passage, names the other passage as its second
    target, and carries a typed link to it, so it shows on the Read page and in
    every export.
    """
    fields = _note_fields(key)
    author = st.session_state.get(AUTHOR_KEY, "")
    if not author:
        st.info("Type your name in the sidebar: it is recorded with your annotations.")
    if st.button("Save annotation on this pair", key=f"{key}_save", disabled=not author):
        link = AnnotationLink(link_type, other_id, b[0], b[1], None)
        try:
            with open_store() as store:
                create_annotation(store, base_id, a[0], a[1], author=author, links=(link,),
                                  target=(other_id, b[0], b[1]), **fields)
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
            return
        _forget_fields(key)
        st.success("Annotation saved; it shows on the Read page of the base document.")


def _note_fields(prefix: str, current: Annotation | None = None) -> dict:
    note = st.text_area("Note (Markdown)", value=current.note if current else "",
                        key=f"{prefix}_note")
    tags = st.text_input("Tags (separate with ;)", key=f"{prefix}_tags",
                         value="; ".join(current.tags) if current else "")
    left, right = st.columns(2)
    reliability = left.selectbox(
        "Source reliability", (None, *RELIABILITY), format_func=reliability_label,
        index=_index((None, *RELIABILITY), current.reliability if current else None),
        key=f"{prefix}_reliability", help="Admiralty scale: how far the source can be trusted.",
    )
    credibility = right.selectbox(
        "Information credibility", (None, *CREDIBILITY), format_func=credibility_label,
        index=_index((None, *CREDIBILITY), current.credibility if current else None),
        key=f"{prefix}_credibility", help="Admiralty scale: how likely the information is true.",
    )
    rationale = st.text_area("Rationale for the grading", key=f"{prefix}_rationale", height=80,
                             value=current.rationale if current else "")
    return {"note": note, "tags": tags.split(";"), "reliability": reliability,
            "credibility": credibility, "rationale": rationale}


def _index(options: tuple, value) -> int:
    return options.index(value) if value in options else 0


def _link_fields(prefix: str, documents: Sequence[DocumentSummary]) -> tuple[AnnotationLink, ...]:
    with st.expander("Link to another passage"):
        link_type = st.selectbox("Link type", (None, *LINK_TYPES), key=f"{prefix}_link_type",
                                 format_func=lambda t: t or "no link")
        labels = document_labels(list(documents))
        target = st.selectbox("Target document", list(labels), key=f"{prefix}_link_doc",
                              format_func=labels.get)
        span = _passage_choice(prefix, target) if target is not None else None
    if not link_type or target is None:
        return ()
    start, end = span or (None, None)
    return (AnnotationLink(link_type, target, start, end),)


def _passage_choice(prefix: str, document_id: int) -> tuple[int, int] | None:
    with open_store() as store:
        doc = get_document(store, document_id)
    options = [None, *range(len(doc.passages))]
    choice = st.selectbox(
        "Target passage", options, key=f"{prefix}_link_passage_{document_id}",
        format_func=lambda i: "the whole document" if i is None else _passage_label(doc, i),
    )
    if choice is None:
        return None
    passage = doc.passages[choice]
    return passage.start, passage.end


def _passage_label(doc: StoredDocument, index: int) -> str:
    passage = doc.passages[index]
    label = passage.label or f"¶ {passage.seq}"
    return f"{label}: {short_quote(doc.text[passage.start:passage.end], 60)}"


def _save_new(document_id, selection, fields, author, selector_key, prefix) -> None:
    try:
        with open_store() as store:
            create_annotation(store, document_id, selection.start, selection.end,
                              author=author, **fields)
    except PalimpsestError as error:
        st.error(escape_markdown(str(error)))
        return
    clear_selection(selector_key)
    _forget_fields(prefix)
    flash(f"Annotation saved on “{short_quote(selection.text, 60)}”.")
    st.rerun(scope="app")


def _forget_fields(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix + "_")]:
        del st.session_state[key]


# ---------------------------------------------------------------- the list

def undo_button(author: str) -> None:
    """Undo the latest change made by this author (anyone's, when no name is given)."""
    if st.button("↶ Undo my last change", key="read_undo"):
        with open_store() as store:
            message = undo_last(store, author=author or None)
        flash(message, "info")
        st.rerun()


def annotation_list(annotations: Sequence[Annotation], documents: Sequence[DocumentSummary],
                    *, author: str, opened: Sequence[str] = (), opened_token: str = "") -> None:
    """The document's annotations in text order, each with Show, Edit and Delete.

    ``opened``: ids of annotations whose highlight the scholar clicked; they come
    first, marked, and the page scrolls to them.

    Long lists are filtered (quote, note, tags, author) and shown
    :data:`LIST_PAGE_SIZE` at a time, so a heavily annotated document stays fast.
    """
    if not annotations:
        st.caption("No annotations on this document yet.")
        return
    shown = _filtered(annotations) if len(annotations) > LIST_PAGE_SIZE else list(annotations)
    titles = {d.id: d.title for d in documents}
    chosen = [a for a in annotations if a.id in set(opened)]
    for annotation in chosen:  # clicked in the text: first, whatever the filter and page
        with st.container(border=True, key=f"annotation_{annotation.id}"):
            st.caption("Opened from the text")
            if st.session_state.get(EDITING_KEY) == annotation.id:
                _edit_form(annotation, author)
            else:
                _annotation_card(annotation, titles, author)
    if chosen:
        scroll_into_view(f"annotation_{chosen[0].id}", opened_token)
    for annotation in [a for a in _page_of(shown) if a not in chosen]:
        with st.container(border=True, key=f"annotation_{annotation.id}"):
            if st.session_state.get(EDITING_KEY) == annotation.id:
                _edit_form(annotation, author)
            else:
                _annotation_card(annotation, titles, author)


def _filtered(annotations: Sequence[Annotation]) -> list[Annotation]:
    words = st.text_input("Filter annotations", key="read_list_filter",
                          placeholder="a word of the quote, note, tags or author").casefold()
    if not words.strip():
        return list(annotations)
    return [a for a in annotations if words.strip() in _haystack(a)]


def _haystack(annotation: Annotation) -> str:
    return " ".join([annotation.exact, annotation.note, " ".join(annotation.tags),
                     annotation.author]).casefold()


def _page_of(annotations: list[Annotation]) -> list[Annotation]:
    pages = max(1, -(-len(annotations) // LIST_PAGE_SIZE))
    if pages == 1:
        return annotations
    if st.session_state.get("read_list_page", 1) > pages:  # the filter left fewer pages
        st.session_state["read_list_page"] = 1
    number = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages,
                             key="read_list_page")
    first = (int(number) - 1) * LIST_PAGE_SIZE
    st.caption(f"Annotations {first + 1}–{min(first + LIST_PAGE_SIZE, len(annotations))} "
               f"of {len(annotations)}")
    return annotations[first : first + LIST_PAGE_SIZE]


def _annotation_card(annotation: Annotation, titles: dict[int, str], author: str) -> None:
    st.markdown("> " + escape_markdown(short_quote(annotation.exact)))
    if annotation.anchor_status != "anchored":
        st.warning("This annotation could not be placed with confidence in this version: "
                   "check where it belongs.")
    if annotation.note:
        st.markdown(note_markdown(annotation.note))  # raw HTML shown as text, no images
    st.caption(escape_markdown(_facts(annotation)))
    for number, link in enumerate(annotation.links):
        _link_line(annotation, number, link, titles)
    _card_buttons(annotation, author)


def _facts(annotation: Annotation) -> str:
    facts = [
        f"Reliability {reliability_label(annotation.reliability)}",
        f"credibility {credibility_label(annotation.credibility)}",
    ]
    if annotation.tags:
        facts.append("tags: " + "; ".join(annotation.tags))
    facts.append(f"by {annotation.author or 'unknown'}, {annotation.modified_at[:10]}")
    facts = [" · ".join(facts)]
    if annotation.rationale:
        facts.append(f"Rationale: {annotation.rationale}")
    return "\n".join(facts)


def _link_line(annotation: Annotation, number: int, link: AnnotationLink, titles) -> None:
    target = titles.get(link.target_document_id, "another annotation")
    text, button = st.columns([4, 1])
    text.caption(escape_markdown(f"{link.link_type} → {target}"))
    if link.target_document_id is not None and button.button(
        "Open", key=f"link_{annotation.id}_{number}"
    ):
        span = (link.target_start, link.target_end) if link.target_start is not None else None
        set_url(link.target_document_id, span, follow=True)
        st.rerun()


def _card_buttons(annotation: Annotation, author: str) -> None:
    # In a row that wraps: each button as wide as its label, in a narrow column too.
    with st.container(horizontal=True, gap="small"):
        show = st.button("Show in text", key=f"show_{annotation.id}")
        edit = st.button("Edit", key=f"edit_{annotation.id}")
        delete = st.button("Delete", key=f"delete_{annotation.id}")
    if show:
        st.session_state[FOCUS_KEY] = (annotation.start, annotation.end)
        st.rerun()
    if edit:
        st.session_state[EDITING_KEY] = annotation.id
        st.rerun()
    if delete:
        with open_store() as store:
            delete_annotation(store, annotation.id, author=author)
        flash(f"Annotation on “{short_quote(annotation.exact, 60)}” deleted; "
              "“Undo my last change” brings it back.", "info")
        st.rerun()


def _edit_form(annotation: Annotation, author: str) -> None:
    st.markdown("> " + escape_markdown(short_quote(annotation.exact)))
    prefix = f"edit_{annotation.id}"
    with st.form(prefix):
        fields = _note_fields(prefix, annotation)
        saved = st.form_submit_button("Save changes", type="primary")
        cancelled = st.form_submit_button("Cancel")
    if saved:
        try:
            with open_store() as store:
                update_annotation(store, annotation.id, author=author, **fields)
        except PalimpsestError as error:
            st.error(escape_markdown(str(error)))
            return
        flash("Annotation updated.")
    if saved or cancelled:
        st.session_state.pop(EDITING_KEY, None)
        _forget_fields(prefix)
        st.rerun()
