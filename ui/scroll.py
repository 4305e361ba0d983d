"""Bring one element of the page into view, once per request (a Components v2 widget).

Streamlit has no "scroll to this element"; the Read page needs it when the scholar
clicks a highlight and its annotation opens in the list beside the text.
"""

from __future__ import annotations

import streamlit as st

_JS = r"""
export default function (component) {
  const { data, parentElement } = component;
  if (!data.target || parentElement.__palimpsestScrolled === data.token) return;
  parentElement.__palimpsestScrolled = data.token;
  const find = (tries) => {
    const element = document.querySelector(".st-key-" + CSS.escape(data.target));
    if (element) element.scrollIntoView({ block: "nearest", behavior: "smooth" });
    else if (tries > 0) setTimeout(() => find(tries - 1), 100);
  };
  find(20);
}
"""

_COMPONENT = st.components.v2.component("palimpsest.scroll", js=_JS)


def scroll_into_view(target_key: str, token: str) -> None:
    """Scroll the element made with ``key=target_key`` into view, once per ``token``."""
    _COMPONENT(key="palimpsest_scroll", data={"target": target_key, "token": token}, height=0)
