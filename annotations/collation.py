"""Alignments as data: run the collation engine on stored documents, keep the result,
and apply the scholar's decisions on top of it.

The aligner's output (``alignment_runs``/``alignment_links``) and the scholar's
decisions (``alignment_decisions``) are stored apart. Decisions are keyed by
document spans and quotes, so re-running the aligner never loses them.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from annotations.documents import StoredDocument, get_document, page_label_at, uncertain_words
from annotations.meaning import StoredVariant, Typing, dump_variants, load_variants
from annotations.store import Store, utcnow
from sources.carried import Carried
from sources.errors import InvalidInput
from sources.model import Span
from sources.segment import passage_finder
from sources.values import same_language

DECISIONS = ("confirmed", "rejected", "linked", "not-found")


@dataclass(frozen=True)
class PassageRef:
    """A passage of a stored document, located by page and label for citation."""

    document_id: int
    seq: int
    start: int
    end: int
    label: str | None
    page: str | None
    text: str
    last_page: str | None = None

    @property
    def pages(self) -> str:
        """The page or pages it stands on: "p. 8", "pp. 8–9", or "" for a text without pages.

        >>> PassageRef(1, 4, 0, 10, None, "8", "…", "9").pages
        'pp. 8–9'
        """
        if not self.page:
            return ""
        if self.last_page and self.last_page != self.page:
            return f"pp. {self.page}–{self.last_page}"
        return f"p. {self.page}"

    @property
    def place(self) -> str:
        """How a scholar cites it: "p. 4 § 7 (¶ 31)"."""
        parts = [self.pages] if self.page else []
        if self.label:
            parts.append(f"§ {self.label}")
        parts.append(f"(¶ {self.seq})")
        return " ".join(parts)


@dataclass(frozen=True)
class StoredLink:
    """A link between a base passage and a passage of another document."""

    kind: str
    a: PassageRef | None
    b: PassageRef | None
    b_document_id: int
    score: float
    method: str
    decision: str | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    variants: tuple[StoredVariant, ...] = ()
    carried: Carried | None = None  # translated links: the base sentences it lacks

    @property
    def flagged(self) -> tuple[StoredVariant, ...]:
        """The variants that may change what the text says (figures, dates, names, …)."""
        return tuple(v for v in self.variants if v.flagged)


@dataclass(frozen=True)
class LedgerRow:
    """One passage removed between the base and the first other version.

    ``reviewer`` and ``reviewed_at`` are those of the latest decision on it.
    """

    passage: PassageRef
    destinations: tuple[StoredLink, ...]
    status: str
    reviewer: str | None = None
    reviewed_at: str | None = None

    @property
    def carried(self) -> str:
        """How much of the passage its first destination carries: all, partly or none."""
        if not self.destinations:
            return "none"
        found = self.destinations[0].carried
        return found.status if found else "all"

    def missing_sentences(self) -> list[str]:
        """The sentences of the passage its first destination has no counterpart for."""
        found = self.destinations[0].carried if self.destinations else None
        if not found:
            return []
        offset = self.passage.start
        return [self.passage.text[s.start - offset:s.end - offset] for s in found.missing]

    @property
    def first_words(self) -> str:
        words = self.passage.text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


@dataclass(frozen=True)
class Comparison:
    """The base document against the others, as stored, with decisions applied.

    ``links`` between base and ``others[0]`` (the version compared side by side)
    cover every passage of both; links to the other documents are only the
    places where passages removed from ``others[0]`` were found again.
    """

    base: StoredDocument
    others: tuple[StoredDocument, ...]
    run_id: int
    seconds: float
    links: tuple[StoredLink, ...] = field(repr=False)

    @property
    def version(self) -> StoredDocument:
        return self.others[0]

    def pair_links(self) -> list[StoredLink]:
        """The side-by-side rows: links between base and the compared version, in order."""
        return self._pair_links

    @functools.cached_property
    def _pair_links(self) -> list[StoredLink]:
        return [link for link in self.links if link.b_document_id == self.version.id
                and link.method != "manual"]

    @functools.cached_property
    def _by_passage(self) -> dict[int, list[StoredLink]]:
        """The links of each base passage (by seq), built once: the ledger, the review
        status and the destinations read it instead of scanning every link."""
        index: dict[int, list[StoredLink]] = {}
        for link in self.links:
            if link.a is not None:
                index.setdefault(link.a.seq, []).append(link)
        return index

    def links_of(self, passage: PassageRef) -> list[StoredLink]:
        return self._by_passage.get(passage.seq, [])

    def destinations(self, passage: PassageRef) -> tuple[StoredLink, ...]:
        """Where a removed passage was found in the other documents (rejected ones left out)."""
        return tuple(
            link for link in self.links_of(passage)
            if link.b is not None
            and (link.b_document_id != self.version.id or link.method == "manual")
            and link.decision != "rejected"
        )

    def ledger(self) -> list[LedgerRow]:
        """Every passage removed from the compared version, with where it went."""
        return self._ledger

    @functools.cached_property
    def _ledger(self) -> list[LedgerRow]:
        rows = []
        for link in self.pair_links():
            if link.kind != "removed":
                continue
            found = self.destinations(link.a)
            latest = _latest_decision(self, link.a)
            rows.append(LedgerRow(link.a, found, _review_status(self, link.a, found),
                                  latest.decided_by if latest else None,
                                  latest.decided_at if latest else None))
        return rows

    def summary(self) -> dict[str, int]:
        """Counts per kind, passages found elsewhere, characters and pages affected."""
        counts = {kind: 0 for kind in ("equal", "changed", "added", "removed", "moved")}
        pages, chars = set(), 0
        for link in self.pair_links():
            counts[link.kind] = counts.get(link.kind, 0) + 1
            if link.kind != "equal":
                chars += _changed_chars(link)
                if link.a and link.a.page:
                    pages.add(link.a.page)
        ledger = self.ledger()
        counts["found elsewhere"] = sum(1 for row in ledger if row.destinations)
        counts["characters changed"] = chars
        counts["pages affected"] = len(pages)
        return counts

    def flagged(self) -> list[tuple[StoredLink, StoredVariant]]:
        """The variants that may change the meaning, in the order of :meth:`variants`."""
        return [(link, variant) for link, variant in self.variants() if variant.flagged]

    def variants(self) -> list[tuple[StoredLink, StoredVariant]]:
        """Every typed variant, in the base's order: the changed and moved pairs of the
        compared version, then the places where its cut passages were found again
        (translations). Other versions' own changes are left out: they are the "All
        versions" view's business, and counting them would credit them to this one."""
        cut = {link.a.seq for link in self.pair_links() if link.kind == "removed"}
        found = [(link, v) for link in self.links if link.decision != "rejected"
                 and (link.b_document_id == self.version.id
                      or (link.a is not None and link.a.seq in cut))
                 for v in link.variants]
        return sorted(found, key=lambda item: (item[0].b_document_id != self.version.id,
                                               item[1].variant.a.start if item[1].variant.a
                                               else item[0].a.start if item[0].a else 0))


def _changed_chars(link: StoredLink) -> int:
    if link.kind in ("removed", "added"):
        side = link.a or link.b
        return side.end - side.start
    if link.kind in ("changed", "moved") and link.a and link.b:
        return abs(len(link.a.text) - len(link.b.text)) + round(
            (1 - link.score) * max(len(link.a.text), len(link.b.text))
        )
    return 0


def _latest_decision(comparison: Comparison, passage: PassageRef) -> StoredLink | None:
    decided = [link for link in comparison.links_of(passage)
               if link.decision and link.decided_at]
    return max(decided, key=lambda link: link.decided_at, default=None)


def _review_status(comparison: Comparison, passage: PassageRef, found) -> str:
    decisions = [link.decision for link in comparison.links_of(passage) if link.decision]
    if any(link.method == "manual" for link in found):
        return "relinked"
    if "not-found" in decisions:
        return "not found"
    if "rejected" in decisions:
        return "wrong link"
    if "confirmed" in decisions:
        return "confirmed"
    return "unreviewed"


# --- running and caching -------------------------------------------------------------

def compare(
    store: Store,
    base_id: int,
    other_ids: Sequence[int],
    *,
    refresh: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Align ``base_id`` with ``other_ids`` (cached in the store) and apply decisions.

    The first of ``other_ids`` is the version compared passage by passage; in the
    others, passages removed from it are looked for (same language or not).
    """
    other_ids = list(dict.fromkeys(other_ids))
    if not other_ids or base_id in other_ids:
        raise InvalidInput("Choose a base document and at least one other document.")
    base = get_document(store, base_id)
    others = tuple(get_document(store, i) for i in other_ids)
    run = None if refresh else _cached_run(store, base_id, other_ids)
    if run is None:
        (progress or (lambda _: None))("Aligning the documents…")
        run = _run_and_save(store, base, others)
    links = _load_links(store, run["id"], base, others,
                        Typing(store, base.id, base.project_id, other_ids))
    links = _apply_decisions(store, base, others, links)
    return Comparison(base, others, run["id"], run["seconds"] or 0.0, tuple(links))


STAMP_SQL = """
select
  (select count(*) || ':' || coalesce(max(id), 0) from alignment_decisions
   where a_document_id = :base),
  (select count(*) || ':' || coalesce(max(id), 0) from variant_decisions
   where a_document_id = :base),
  (select count(*) || ':' || coalesce(max(id), 0) from variant_rules
   where project_id = (select project_id from documents where id = :base)),
  (select group_concat(id || '|' || title || '|' || coalesce(issuer, '') || '|'
     || coalesce(date, '') || '|' || coalesce(language, '') || '|' || kind || '|'
     || (select count(*) from documents n where n.supersedes = d.id), '\n')
   from documents d where id in (select value from json_each(:ids)))
"""


def comparison_stamp(store: Store, base_id: int, other_ids: Sequence[int]) -> tuple | None:
    """What a stored comparison depends on, cheaply read: its run (engine included), the
    scholar's decisions and rules, the documents' metadata. ``None`` while no run of this
    engine is stored. Equal stamps give equal :func:`compare` results, so the page keeps
    one built comparison per stamp (the read model) instead of rebuilding it every rerun."""
    other_ids = list(dict.fromkeys(other_ids))
    run = _cached_run(store, base_id, other_ids)
    if run is None:
        return None
    ids = json.dumps([base_id, *other_ids])
    row = store.db.execute(STAMP_SQL, {"base": base_id, "ids": ids}).fetchone()
    return (run["id"], *row)


def _params(other_ids: Sequence[int]) -> str:
    from sources.collate import engine_fingerprint

    return json.dumps({"engine": engine_fingerprint(), "others": list(other_ids)})


def _cached_run(store: Store, base_id: int, other_ids: Sequence[int]) -> dict | None:
    """The stored run of this document set by this very engine (code, parameters, libraries)."""
    rows = list(store.db["alignment_runs"].rows_where(
        "a_document_id = ? and params = ?", [base_id, _params(other_ids)],
        order_by="id desc", limit=1,
    ))
    return rows[0] if rows else None


def _stale_runs(db, base_id: int, other_ids: Sequence[int]) -> list[int]:
    """Runs of the same document set made by another engine (before an upgrade)."""
    rows = db["alignment_runs"].rows_where("a_document_id = ?", [base_id], select="id, params")
    return [row["id"] for row in rows
            if json.loads(row["params"] or "{}").get("others") == list(other_ids)]


def _run_and_save(store: Store, base: StoredDocument, others: tuple[StoredDocument, ...]) -> dict:
    from sources.collate import Witness, collate

    started = time.perf_counter()
    witnesses = [Witness(str(d.id), d.text, d.language, d.passages,
                         tuple(Span(w.start, w.end) for w in uncertain_words(store, d.id)))
                 for d in (base, *others)]
    result = collate(witnesses[0], witnesses[1:])
    seconds = time.perf_counter() - started
    other_ids = [d.id for d in others]
    params = _params(other_ids)
    run = {
        "a_document_id": base.id, "b_document_id": others[0].id,
        "method": json.loads(params)["engine"], "params": params, "created_at": utcnow(),
        "seconds": seconds,
    }
    with store.transaction() as db:
        # The scholar's decisions live apart (keyed by spans), so replacing a run loses none.
        stale = _stale_runs(db, base.id, other_ids)
        for table, column in (("alignment_links", "run_id"), ("alignment_runs", "id")):
            db.execute(f"delete from {table} where {column} in ({','.join('?' * len(stale))})",
                       stale)
        run_id = db["alignment_runs"].insert(run).last_pk
        db["alignment_links"].insert_all(_link_record(run_id, item) for item in result)
    return {**run, "id": run_id}


def _link_record(run_id: int, item) -> dict:
    link = item.link
    return {
        "run_id": run_id,
        "b_document_id": int(item.b_doc),
        "kind": link.kind,
        "a_start": link.a.start if link.a else None,
        "a_end": link.a.end if link.a else None,
        "b_start": link.b.start if link.b else None,
        "b_end": link.b.end if link.b else None,
        "score": float(link.score),
        "method": link.method,
        "variants": dump_variants(item.variants),
        "detail": json.dumps({"carried": item.carried.as_dict()}) if item.carried else None,
    }


LINKS_SQL = """
select b_document_id, kind, a_start, a_end, b_start, b_end, score, method, variants, detail
from alignment_links where run_id = ? order by id
"""


def _load_links(store, run_id, base, others, typing: Typing) -> list[StoredLink]:
    """The run's links, their variants typed by the scholar's decisions and rules."""
    base_ref, other_ref = _refs(base), {d.id: _refs(d) for d in others}
    return [
        StoredLink(
            kind=kind, a=base_ref(a_start, a_end), b=other_ref[b_id](b_start, b_end),
            b_document_id=b_id, score=score, method=method or "",
            variants=tuple(typing.apply(b_id, v) for v in load_variants(variants)),
            carried=_carried(detail),
        )
        for b_id, kind, a_start, a_end, b_start, b_end, score, method, variants, detail
        in store.db.execute(LINKS_SQL, [run_id])
    ]


def _carried(detail: str | None) -> Carried | None:
    data = json.loads(detail) if detail else {}
    return Carried.from_dict(data["carried"]) if "carried" in data else None


def _ref(doc: StoredDocument, start: int | None, end: int | None) -> PassageRef | None:
    return _refs(doc)(start, end)


def _refs(doc: StoredDocument) -> Callable[[int | None, int | None], PassageRef | None]:
    """The passage references of ``[start, end)`` spans of one document (``None`` for no
    span); made for many spans, the document's passages indexed once."""
    find, pages, text = passage_finder(doc.passages), doc.pages, doc.text

    def ref(start: int | None, end: int | None) -> PassageRef | None:
        if start is None:
            return None
        passage = find(start)
        return PassageRef(doc.id, passage.seq if passage else 0, start, end,
                          passage.label if passage else None, page_label_at(start, pages),
                          text[start:end], page_label_at(max(start, end - 1), pages))

    return ref


# --- the scholar's decisions --------------------------------------------------------

def _decision_rows(store: Store, base_id: int, other_ids) -> list[dict]:
    marks = ",".join("?" * len(other_ids))
    return list(store.db["alignment_decisions"].rows_where(
        f"a_document_id = ? and (b_document_id in ({marks}) or b_document_id is null)",
        [base_id, *other_ids], order_by="id",
    ))


def _apply_decisions(store, base, others, links: list[StoredLink]) -> list[StoredLink]:
    by_id = {d.id: d for d in others}
    latest: dict[tuple, dict] = {}
    for row in _decision_rows(store, base.id, list(by_id)):
        latest[(row["a_start"], row["b_document_id"], row["b_start"])] = row
    result = []
    for link in links:
        key = (link.a.start if link.a else None, link.b_document_id,
               link.b.start if link.b else None)
        row = latest.pop(key, None)
        if row is None and link.kind == "removed":
            row = latest.pop((link.a.start, None, None), None)
        result.append(_decided(link, row))
    for row in latest.values():
        if row["decision"] == "linked" and row["b_document_id"] in by_id:
            result.append(_manual_link(base, by_id[row["b_document_id"]], row))
    return result


def _decided(link: StoredLink, row: dict | None) -> StoredLink:
    if row is None:
        return link
    return replace(link, decision=row["decision"], decision_note=row["note"],
                   decided_by=row["author"] or None, decided_at=row["created_at"])


def _manual_link(base, other, row) -> StoredLink:
    kind = "moved" if same_language(base.language, other.language) else "translated"
    return StoredLink(
        kind=kind, a=_ref(base, row["a_start"], row["a_end"]),
        b=_ref(other, row["b_start"], row["b_end"]), b_document_id=other.id, score=1.0,
        method="manual", decision="linked", decision_note=row["note"],
        decided_by=row["author"] or None, decided_at=row["created_at"],
    )


def decide(
    store: Store,
    base_id: int,
    a: Span | None,
    decision: str,
    *,
    other_id: int | None = None,
    b: Span | None = None,
    note: str = "",
    author: str = "",
) -> None:
    """Record a scholar's decision on a link: confirmed, rejected, linked (by hand) or
    not-found (a removed passage is confirmed to appear nowhere).

    The latest decision on the same pair of spans wins; the earlier ones are kept
    as history.
    """
    if decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision “{decision}”.")
    if decision == "linked" and (other_id is None or b is None or a is None):
        raise InvalidInput("To link two passages by hand, choose a passage on each side.")
    base = get_document(store, base_id)
    other = get_document(store, other_id) if other_id is not None else None
    record = {
        "a_document_id": base_id, "b_document_id": other_id,
        "a_start": a.start if a else None, "a_end": a.end if a else None,
        "b_start": b.start if b else None, "b_end": b.end if b else None,
        "a_quote": a.slice(base.text) if a else None,
        "b_quote": b.slice(other.text) if (b and other) else None,
        "decision": decision, "note": note, "author": author, "created_at": utcnow(),
    }
    with store.transaction() as db:
        db["alignment_decisions"].insert(record)


def unlink(
    store: Store, base_id: int, a: Span, other_id: int, b: Span, *, author: str = ""
) -> None:
    """Undo a manual link (or reject a computed one): the pair is no longer linked."""
    decide(store, base_id, a, "rejected", other_id=other_id, b=b, author=author)


def carry_decisions(store: Store, old_id: int, new_id: int, *, threshold: float = 0.75) -> dict:
    """Copy the decisions that involve ``old_id`` onto its corrected version ``new_id``.

    Each side that pointed into the old text is found again in the new text as an
    annotation is: by its quote with the words around it in the old text (prefix and
    suffix, :data:`~annotations.model.CONTEXT_CHARS` each), near where the old place
    lands in the new text (:class:`~annotations.anchoring.OffsetMap`). Decisions
    that cannot be placed with confidence stay on the old version, which is kept,
    and are counted as ``left``; none is deleted.
    """
    from annotations.anchoring import OffsetMap, reanchor
    from annotations.model import CONTEXT_CHARS, TextQuoteSelector

    old_text, new_text = get_document(store, old_id).text, get_document(store, new_id).text
    offsets = OffsetMap(old_text, new_text)
    rows = list(store.db["alignment_decisions"].rows_where(
        "a_document_id = ? or b_document_id = ?", [old_id, old_id], order_by="id"))
    carried, left = [], 0
    for row in rows:
        copy = dict(row, id=None)
        for side in ("a", "b"):
            if row[f"{side}_document_id"] != old_id or row[f"{side}_start"] is None:
                continue
            start, end = row[f"{side}_start"], row[f"{side}_end"]
            selector = TextQuoteSelector(row[f"{side}_quote"] or "",
                                         old_text[max(0, start - CONTEXT_CHARS):start],
                                         old_text[end:end + CONTEXT_CHARS])
            anchor = reanchor(selector, offsets(start), new_text)
            if anchor is None or anchor.confidence < threshold:
                copy = None
                break
            copy.update({f"{side}_document_id": new_id, f"{side}_start": anchor.start,
                         f"{side}_end": anchor.end})
        if copy is None:
            left += 1
        else:
            carried.append(copy)
    with store.transaction() as db:
        db["alignment_decisions"].insert_all({k: v for k, v in c.items() if k != "id"}
                                             for c in carried)
    return {"carried": len(carried), "left": left}
