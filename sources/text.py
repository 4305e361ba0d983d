"""Text normalisation and offset conversion.

>>> normalise_text("Cafe\\u0301\\r\\nfin")
'Café\\nfin'
>>> utf16_to_codepoint("a😀b", 3)
2
>>> codepoint_to_utf16("a😀b", 2)
3
>>> has_visible_text("\\u3000\\u00a0\\u200b\\ufeff \\n"), has_visible_text("\\u200b.")
(False, True)
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf"))


def normalise_text(text: str) -> str:
    """NFC, with every newline convention turned into ``\\n``; nothing else changes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has a character a reader can see.

    Spaces of every kind (category Z: ideographic space, no-break space), controls
    and format characters (zero-width space and joiners, byte-order marks) are not;
    :meth:`str.strip` would keep the zero-width ones.
    """
    return any(unicodedata.category(char) not in _INVISIBLE for char in text)


_UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    r"""``text`` safe to print on a terminal: control characters (carriage return, escape
    ...) and bidi controls, which can overwrite or reorder what is shown, are written as
    visible escapes; newlines stay.

    >>> print(printable("Report\r\x1b[2K\u202eFAKE"))
    Report\r\x1b[2K\u202eFAKE
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group(0)
    return {"\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Turn a UTF-16 code-unit offset (what browsers count) into a code-point offset.

    An offset that falls inside a surrogate pair is rounded down to the character.
    """
    units = 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if units + width > offset:
            return index
        units += width
    return len(text)


def codepoint_to_utf16(text: str, offset: int) -> int:
    """Turn a code-point offset into a UTF-16 code-unit offset."""
    prefix = text[:offset]
    return len(prefix) + sum(1 for char in prefix if ord(char) > 0xFFFF)
