"""Turn the bytes of a text file into ``str``, or refuse with a sentence a historian understands.

Order of trust: a byte-order mark; UTF-8; an encoding the file declares (HTML
``<meta charset>``, XML declaration); Windows-1252 when the result reads like
Western European text; then charset-normalizer's best guess. Anything that is
not UTF-8 gets a warning naming the encoding used.

A declared encoding is taken the way browsers take it (WHATWG Encoding): only
the encodings of the web count, so Python-only codecs ("undefined", "rot13",
"unicode_escape", "utf-7" ...) are ignored; "iso-8859-1" and "ascii" mean
Windows-1252, and a page declaring UTF-16 in ASCII bytes cannot be UTF-16, so
it is read as UTF-8 (and sniffed when it is not).

>>> browser_codec("ISO-8859-1"), browser_codec("utf-16"), browser_codec("undefined")
('cp1252', 'utf-8', None)

>>> decode_text("Été".encode("cp1252")).encoding
'cp1252'
>>> decode_text(b"\\xef\\xbb\\xbfplain").text
'plain'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from sources.errors import ImportRefused

NOT_TEXT = (
    "This file does not look like text (it contains binary data); if it is a document, "
    "save it as plain text, Markdown, HTML, DOCX, PDF or TEI XML and import that."
)
MIXED = (
    "This file mixes several text encodings, so some of its letters cannot be read "
    "reliably; open it in a text editor, save it as UTF-8 and import it again."
)
CUT_OFF = "The file ends in the middle of a character; it was cut off there."

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WESTERN_EXTRA = set("ªº°§¶·«»¿¡€‚„…†‡‰‹›‘’“”•–—˜™ŒœŠšŽžŸ×÷ ")
# The encodings of the web (WHATWG Encoding), as Python names them ...
_WEB_CODECS = frozenset(
    "utf-8 cp866 iso8859-2 iso8859-3 iso8859-4 iso8859-5 iso8859-6 iso8859-7 iso8859-8 "
    "iso8859-10 iso8859-13 iso8859-14 iso8859-15 iso8859-16 koi8-r koi8-u mac-roman "
    "mac-cyrillic cp874 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 "
    "gb18030 big5hkscs euc_jp iso2022_jp cp932 cp949".split()
)
# ... and the labels a browser reads as another encoding than Python's codec of that name.
_AS_BROWSERS_READ = {
    "ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
    "euc_kr": "cp949", "shift_jis": "cp932", "utf-16": "utf-8", "utf-16-le": "utf-8",
    "utf-16-be": "utf-8", "x-user-defined": "cp1252", "x-mac-cyrillic": "mac-cyrillic",
    "iso-8859-8-i": "iso8859-8",
}  # fmt: skip
_NAMES = {
    "cp1252": "Windows Western European (cp1252)",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
}


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used, and what the scholar should know about it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` (a UTF-8 BOM is dropped); raise ImportRefused if it is not text."""
    bom = _with_bom(data)
    if bom is not None:
        return bom
    if b"\x00" in data:
        raise ImportRefused(NOT_TEXT)
    decoded = _utf8(data) or _declared(data, declared) or _legacy(data)
    if len(_CONTROL.findall(decoded.text)) > max(2, len(decoded.text) // 100):
        raise ImportRefused(NOT_TEXT)
    return decoded


def _with_bom(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise ImportRefused(MIXED) from error
            return Decoded(text, codec, _warning(codec))
    return None


def _utf8(data: bytes) -> Decoded | None:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            text = data[: error.start].decode("utf-8")
            return Decoded(text, "utf-8", (CUT_OFF,))
        return None


def _declared(data: bytes, declared: str | None) -> Decoded | None:
    codec = browser_codec(declared or "")
    if codec is None:
        return None
    try:
        return Decoded(data.decode(codec), codec, _warning(codec))
    except UnicodeDecodeError:
        return None


def browser_codec(label: str) -> str | None:
    """The Python codec a browser would decode a declared ``label`` with; None: ignore it."""
    label = label.strip().lower()
    try:
        name = _AS_BROWSERS_READ.get(label) or codecs.lookup(label).name
    except LookupError:
        return None
    name = _AS_BROWSERS_READ.get(name, name)
    return name if name in _WEB_CODECS else None


def _legacy(data: bytes) -> Decoded:
    """Not UTF-8: refuse mixtures, prefer Windows-1252 for Western text, else charset-normalizer."""
    if len(_UTF8_MULTIBYTE.findall(data)) >= 3:
        raise ImportRefused(MIXED)
    western = _western(data)
    if western is not None:
        return western
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ImportRefused(NOT_TEXT)
    return Decoded(str(best), best.encoding, _warning(best.encoding))


def _western(data: bytes) -> Decoded | None:
    """Windows-1252 (or Latin-1) if accented letters are a minority, as in French or German."""
    codec = "cp1252"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        codec, text = "latin_1", data.decode("latin_1")
    accented = [char for char in text if ord(char) > 127]
    letters = sum(char.isalpha() for char in text)
    if not all(char.isalpha() or char in _WESTERN_EXTRA for char in accented):
        return None
    if letters >= 30 and sum(char.isalpha() for char in accented) > 0.3 * letters:
        return None  # mostly non-ASCII letters: Cyrillic, Greek ... in some other code page
    return Decoded(text, codec, _warning(codec))


def _warning(codec: str) -> tuple[str, ...]:
    if codec.replace("_", "-") in ("utf-8", "utf-8-sig"):
        return ()
    name = _NAMES.get(codec, codec)
    return (f"The file is not in UTF-8; it was read as {name}: check that accents look right.",)


def declared_encoding(head: bytes) -> str | None:
    """The encoding an HTML or XML file names in its first bytes (``<meta charset>``, ``<?xml``)."""
    match = re.search(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", head[:4096])
    return match.group(1).decode("ascii") if match else None
