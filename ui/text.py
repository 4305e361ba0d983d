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


_CODE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$|(`+).+?\2", re.M | re.S)
_IMAGE = re.compile(r"!(?=\[)")
_DOLLAR = re.compile(r"(?<!\\)\$")


def note_markdown(note: str) -> str:
    r"""A note written in Markdown, made safe to show to a colleague.

    Images become links (``![x](https://tracker.example/p.png)`` would fetch the
    picture, a beacon telling its owner who opened the page) and dollar signs are
    escaped, so no LaTeX is drawn (``$ule{1000em}{1000em}$`` covered the page,
    and "$5 to $10" is money, not math). Code spans and fenced blocks are kept as
    written. Raw HTML is already shown as text by ``st.markdown``.

    >>> note_markdown("See ![map](https://t.example/p.png) and `![x](y)`, $5 to $10.")
    'See \\![map](https://t.example/p.png) and `![x](y)`, \\$5 to \\$10.'
    """
    out, start = [], 0
    for code in _CODE.finditer(note):
        out += [_defused(note[start : code.start()]), code.group(0)]
        start = code.end()
    return "".join(out) + _defused(note[start:])


def _defused(text: str) -> str:
    return _DOLLAR.sub(r"\$", _IMAGE.sub(r"\\!", text))


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 passage"``, ``"3 passages"``."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"
