"""Parse XML without ever expanding or fetching anything.

Entity declarations are refused outright (billion laughs, external entities such
as ``<!ENTITY x SYSTEM "file:///etc/passwd">``); the parser loads no DTD, uses no
network and keeps libxml2's size limits.

>>> parse_xml(b"<TEI><text><p>Hi</p></text></TEI>").tag
'TEI'
>>> parse_xml(b'<!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>')  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sources.errors.ImportRefused: This XML file declares entities (<!ENTITY ...>), ...
"""

from __future__ import annotations

from lxml import etree

from sources.errors import ImportRefused

ENTITIES = (
    "This XML file declares entities (<!ENTITY ...>), which Palimpsest never expands for safety; "
    "remove its DOCTYPE declaration and import it again."
)
_NEEDLE = "<!ENTITY"
_ENCODED_NEEDLES = tuple(
    _NEEDLE.encode(codec) for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def refuse_entities(data: bytes) -> None:
    """Raise ImportRefused if the raw bytes declare an entity, before any parser runs."""
    if any(needle in data for needle in _ENCODED_NEEDLES):
        raise ImportRefused(ENTITIES)


def parse_xml(data: bytes) -> etree._Element:
    """The root element; entities, DTDs, network and huge trees all refused."""
    refuse_entities(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ImportRefused(
            f"This XML file is not well-formed (line {error.lineno}: {error.msg}), so it cannot be "
            "read; correct it in an XML editor and import it again."
        ) from error
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ImportRefused(ENTITIES)  # declared in an encoding the byte check cannot see
    return root
