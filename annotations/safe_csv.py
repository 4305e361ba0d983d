"""CSV that opens safely in Excel and LibreOffice, and reads back exactly as written.

Every CSV the product writes goes through :func:`write_csv`: UTF-8 with a byte
order mark (so Excel detects the encoding), ``\\r\\n`` line ends, and any cell
that a spreadsheet could take for a formula (one beginning with ``=``, ``+``,
``-``, ``@``, tab or carriage return) prefixed with an apostrophe (OWASP "CSV
injection"). A cell that already begins with an apostrophe gets one more, so
:func:`read_csv` can remove exactly one and every value comes back as typed.

>>> neutralise('=HYPERLINK("http://x","y")')
'\\'=HYPERLINK("http://x","y")'
>>> restore(neutralise("'quoted")) == "'quoted"
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from sources.errors import InvalidInput

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"
_MAX_FIELD = 100 * 1024 * 1024


def neutralise(value: object) -> str:
    """The cell text for ``value`` (``None`` is empty), made inert for spreadsheets."""
    cell = "" if value is None else str(value)
    if cell.startswith(FORMULA_STARTS) or cell.startswith(_GUARD):
        return _GUARD + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: drop the one apostrophe it added."""
    return cell[1:] if cell.startswith(_GUARD) else cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8-with-BOM CSV bytes; every cell (the header too) neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_bytes(records: Iterable[Mapping[str, object]]) -> bytes:
    """:func:`write_csv` for a list of dicts; columns are the keys in order of first appearance.

    >>> csv_bytes([{"a": 1, "b": "=2"}]).decode("utf-8-sig")
    "a,b\\r\\n1,'=2\\r\\n"
    """
    records = list(records)
    header = list(dict.fromkeys(key for record in records for key in record))
    return write_csv(header, ([record.get(key) for key in header] for record in records))


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows (header -> text dicts) of a UTF-8 CSV, neutralisation undone.

    Raises :class:`InvalidInput` for a file that is not UTF-8, is empty, or has
    rows longer than the header.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "This file is not UTF-8 text; save it from your spreadsheet as “CSV UTF-8” "
            "and try again."
        ) from None
    if csv.field_size_limit() < _MAX_FIELD:
        csv.field_size_limit(_MAX_FIELD)  # long notes are legitimate
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise InvalidInput(f"This CSV file cannot be read ({error}).") from None
    if not table or not any(table[0]):
        raise InvalidInput("This CSV file is empty: it has no header row.")
    header = [restore(name).strip() for name in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        if len(cells) > len(header):
            raise InvalidInput(f"Row {number} of the CSV file has more cells than the header row.")
        cells = cells + [""] * (len(header) - len(cells))
        rows.append({name: restore(cell) for name, cell in zip(header, cells, strict=True)})
    return header, rows
