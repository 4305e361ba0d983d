"""Putting document and user text into Streamlit's Markdown-rendered elements safely."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def escape_markdown(text: str) -> str:
    r"""Text that ``st.markdown`` shows exactly as written.

    >>> escape_markdown("*a* [b](c)")
    '\\*a\\* \\[b\\]\\(c\\)'
    """
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 passage"``, ``"3 passages"``."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"
