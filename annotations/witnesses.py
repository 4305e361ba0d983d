"""All witnesses of a comparison at once: one row per passage, one cell per witness.

A stored comparison (:func:`annotations.collation.compare`) aligns each other
document with the base. :func:`witness_table` reads those links back as a table
aligned *through the base*: a row per base passage, in the base's order, where each
witness's cell says what it has there (``equal``, ``changed``, ``moved``,
``translated``, ``absent``; ``not compared`` for a witness in another language,
where only the passages cut from the compared version are looked for), and rows for
passages that are in no base passage, placed after the base passage that comes
before them in their witness. Passages two witnesses add at the same place are one
row when their texts are alike (Darwin's paragraphs added in 1869 and kept in 1872).

Each witness has a siglum: ``A`` for the base, then ``B``, ``C``… in the order of
the comparison. :func:`table_json` and :func:`annotations.apparatus.witnesses_tei`
export the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from annotations.collation import Comparison, PassageRef, StoredLink
from annotations.documents import StoredDocument

SIGLA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIFFERENT = frozenset({"changed", "moved", "translated", "added", "absent"})
"""Statuses that count as "differs from the base" in the heat map."""
SAME_ADDITION = 70
"""Least similarity (rapidfuzz ratio, 0–100) for two added passages to share a row."""
_PREFERENCE = {"equal": 0, "changed": 1, "moved": 2, "translated": 3}
"""What a witness has at a base passage, when several links say: the first of these."""


@dataclass(frozen=True)
class Cell:
    """What one witness has at one row: a status (``equal``, ``changed``, ``moved``,
    ``translated``, ``added``, ``absent``, ``not compared``) and its passages (none
    when absent)."""

    status: str
    passages: tuple[PassageRef, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.passages)


@dataclass(frozen=True)
class WitnessRow:
    """One place of the text: the base passage (``None`` for an addition) and the cells
    of the base and of every other witness, base first."""

    base: PassageRef | None
    cells: tuple[Cell, ...]

    @property
    def differing(self) -> int:
        """How many witnesses differ from the base here (for a passage the base lacks:
        how many witnesses have it)."""
        if self.base is None:
            return sum(cell.status == "added" for cell in self.cells[1:])
        return sum(cell.status in DIFFERENT for cell in self.cells[1:])


@dataclass(frozen=True)
class WitnessTable:
    witnesses: tuple[StoredDocument, ...]  # the base first
    rows: tuple[WitnessRow, ...]

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(SIGLA[k] for k in range(len(self.witnesses)))

    def description(self, k: int) -> str:
        """What witness ``k`` is: "Origin (1860) (final · en · 1860)"."""
        doc = self.witnesses[k]
        details = " · ".join(v for v in (doc.kind, doc.language, doc.date) if v)
        return doc.title + (f" ({details})" if details else "")


def witness_table(comparison: Comparison) -> WitnessTable:
    """The comparison as rows of cells, aligned through the base (see the module doc)."""
    if len(comparison.others) > len(SIGLA) - 1:
        raise ValueError(f"at most {len(SIGLA) - 1} witnesses besides the base")
    base_refs = _base_passages(comparison)
    by_witness = [_links_of(comparison, doc) for doc in comparison.others]
    compared = [_compared(comparison, doc) for doc in comparison.others]
    additions = _additions(comparison, compared)
    rows = list(additions.get(0, []))  # added before the first base passage
    for seq, ref in base_refs.items():
        cells = [Cell("equal", (ref,))]
        cells += [_cell(links.get(seq, []), done)
                  for links, done in zip(by_witness, compared, strict=True)]
        rows.append(WitnessRow(ref, tuple(cells)))
        rows += additions.get(seq, [])
    return WitnessTable((comparison.base, *comparison.others), tuple(rows))


def _base_passages(comparison: Comparison) -> dict[int, PassageRef]:
    """Every base passage by number, from the links (each same-language witness covers all)."""
    refs = {link.a.seq: link.a for link in comparison.links if link.a is not None}
    base = comparison.base
    for passage in base.passages:
        if passage.seq not in refs:
            refs[passage.seq] = PassageRef(base.id, passage.seq, passage.start, passage.end,
                                           passage.label, base.page_label(passage.start),
                                           base.text[passage.start:passage.end])
    return dict(sorted(refs.items()))


def _links_of(comparison: Comparison, doc: StoredDocument) -> dict[int, list[StoredLink]]:
    """A witness's links by base passage number, rejected ones left out."""
    found: dict[int, list[StoredLink]] = {}
    for link in comparison.links:
        if link.b_document_id == doc.id and link.a is not None and link.decision != "rejected":
            found.setdefault(link.a.seq, []).append(link)
    return found


def _compared(comparison: Comparison, doc: StoredDocument) -> bool:
    """Whether every base passage was aligned with this witness (same language)."""
    return any(link.b_document_id == doc.id and link.kind in ("equal", "changed", "removed")
               for link in comparison.links)


def _cell(links: list[StoredLink], compared: bool) -> Cell:
    """The cell of one witness at one base passage."""
    present = [x for x in links if x.kind in _PREFERENCE and x.b]
    if not present:
        return Cell("absent" if compared else "not compared")
    kind = min(present, key=lambda x: _PREFERENCE[x.kind]).kind
    passages = sorted({x.b for x in present if x.kind == kind}, key=lambda p: p.start)
    return Cell(kind, tuple(passages))


def _additions(comparison: Comparison, compared: list[bool]) -> dict[int, list[WitnessRow]]:
    """Rows of passages no base passage has, keyed by the base passage they follow.

    A witness's added passage lies between two base passages (the ones its
    neighbours are aligned with); an added row of another witness in that stretch
    with a like text (:data:`SAME_ADDITION`) takes it, else it gets a row of its own
    after the first of the two.
    """
    rows: dict[int, list[WitnessRow]] = {}
    width = len(comparison.others) + 1
    for k, doc in enumerate(comparison.others, start=1):
        ordered = sorted((x for x in comparison.links if x.b_document_id == doc.id and x.b),
                         key=lambda x: x.b.start)
        anchors = [x.a.seq if x.kind in ("equal", "changed") and x.a else None for x in ordered]
        last = (-1, -1)  # the witness's additions keep their order
        for position, link in enumerate(ordered):
            if link.kind != "added" or link.a is not None:
                continue
            after = max((a for a in anchors[:position] if a is not None), default=0)
            before = min((a for a in anchors[position:] if a is not None), default=10**9)
            place = _same_addition(rows, after, before, last, k, link.b.text)
            if place is None:
                rows.setdefault(after, []).append(WitnessRow(None, tuple(
                    Cell("absent") for _ in range(width))))
                place = (after, len(rows[after]) - 1)
            key, index = place
            cells = list(rows[key][index].cells)
            cells[k] = Cell("added", (link.b,))
            rows[key][index] = WitnessRow(None, tuple(cells))
            last = place
    for bucket in rows.values():
        for index, row in enumerate(bucket):
            bucket[index] = WitnessRow(None, tuple(
                cell if cell.status == "added" or done else Cell("not compared")
                for cell, done in zip(row.cells, (True, *compared), strict=True)))
    return rows


def _same_addition(rows: dict[int, list[WitnessRow]], after: int, before: int,
                   last: tuple[int, int], k: int, text: str) -> tuple[int, int] | None:
    """The first added row between base passages ``after`` and ``before``, past ``last``,
    whose text is like ``text`` and that has no cell of witness ``k`` yet."""
    for key in sorted(key for key in rows if after <= key < before):
        for index, row in enumerate(rows[key]):
            if (key, index) <= last or row.cells[k].status != "absent":
                continue
            texts = [c.text for c in row.cells if c.status == "added"]
            if texts and fuzz.ratio(texts[0], text) >= SAME_ADDITION:
                return key, index
    return None


def table_json(table: WitnessTable) -> dict:
    """The table as plain data, for ``json.dumps``: witnesses with sigla, rows with cells."""
    return {
        "witnesses": [
            {"siglum": siglum, "document_id": doc.id, "title": doc.title, "kind": doc.kind,
             "language": doc.language, "date": doc.date}
            for siglum, doc in zip(table.sigla, table.witnesses, strict=True)],
        "rows": [
            {"base_passage": row.base.seq if row.base else None,
             "witnesses_differing": row.differing,
             "cells": {siglum: {"status": cell.status,
                                "passages": [p.seq for p in cell.passages],
                                "place": cell.passages[0].place if cell.passages else None,
                                "text": cell.text}
                       for siglum, cell in zip(table.sigla, row.cells, strict=True)}}
            for row in table.rows],
    }
