"""A tiny app around ``text_selector`` for browser tests: shows what Python received."""

import json

import streamlit as st

from sources.text import normalise_text
from ui.selection import Highlight, clear_selection, text_selector

TEXT = normalise_text(
    "Préambule 😀 des parties.\n\n"
    "Article 1. Le ministre q\u0303uo de\u0301cide, en été, sans délai 👩\u200d👩\u200d👧 ici.\n\n"
    "Article 2. <img src=x onerror=alert(1)> et <script>alert(2)</script> restent du texte.\n\n"
    "Fin 🇨🇦 du document."
)
ARTICLE_1 = TEXT.index("Article 1")
ARTICLE_2 = TEXT.index("Article 2")
EMOJI_WORD = TEXT.index("des parties")
# Highlights added later (an annotation saved): across another one and a passage label,
# inside one, and across the page break.
EXTRA = [
    Highlight(EMOJI_WORD - 4, ARTICLE_1 + 12, "moved", "across", id="x1"),
    Highlight(ARTICLE_2 + 2, ARTICLE_2 + 5, "note", "inside", id="x2"),
    Highlight(ARTICLE_2 - 3, ARTICLE_2 + 20, "note", "over the page break", id="x3"),
]


def main() -> None:
    st.title("Selection test")
    if st.button("Add highlights"):
        st.session_state["extra"] = True
    extra = EXTRA if st.session_state.get("extra") or st.query_params.get("extra") else []
    selection = text_selector(
        TEXT,
        highlights=[
            Highlight(EMOJI_WORD, EMOJI_WORD + 3, "note", "a note", id="n1"),
            Highlight(ARTICLE_2, ARTICLE_2 + 9, "changed", "<b>title</b>", id="c1"),
            *extra,
        ],
        passages=[(ARTICLE_1, ARTICLE_1 + 9, "1"), (ARTICLE_2, ARTICLE_2 + 9, "2")],
        pages=[(0, ARTICLE_2, "1"), (ARTICLE_2, len(TEXT), "2")],
        key="selector",
        height=400,
    )
    if selection is None:
        st.code("none", language=None)
    else:
        st.code(json.dumps({"start": selection.start, "end": selection.end,
                            "text": selection.text}, ensure_ascii=False), language=None)
    if st.button("Clear selection"):
        clear_selection("selector")
        st.rerun()


if __name__ == "__main__":  # streamlit runs the script as __main__; tests import TEXT
    main()
