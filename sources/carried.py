"""What part of a passage its translation carries over, sentence by sentence.

An annex may carry a cut provision only in part. Each sentence of the passage is
compared (multilingual encoder, cosine) with each sentence of the translation and
each pair of neighbouring ones (a sentence translated in two). A sentence has no
counterpart when its best match is weak (cosine under :data:`CEILING`) *and* the
translation's sentence it matches best is matched better by another sentence of
the passage (by :data:`MARGIN`): the translation's sentences are taken, none is
left for it; unless, joined to a neighbour, it matches that neighbour's counterpart
better (two sentences translated as one). Tuned on five TransRead novels, held out
on the six others (see ``benchmarks/carried_over.py``). Without the encoder the sentence aligner's
groups with nothing on the other side are used (lengths and lexical evidence), which find
far fewer. "All", "partly" or "none" says how much the translation carries, and
the missing sentences are named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sources.model import Span
from sources.segment import split_sentences

STATUSES = ("all", "partly", "none")


@dataclass(frozen=True)
class Carried:
    """How many sentences the passage has, and which of them (spans) the translation lacks."""

    sentences: int
    missing: tuple[Span, ...] = ()

    @property
    def status(self) -> str:
        if not self.missing:
            return "all"
        return "none" if len(self.missing) >= self.sentences else "partly"

    def shifted(self, offset: int) -> Carried:
        return Carried(self.sentences, tuple(Span(s.start + offset, s.end + offset)
                                             for s in self.missing))

    def as_dict(self) -> dict:
        return {"sentences": self.sentences, "missing": [[s.start, s.end] for s in self.missing]}

    @classmethod
    def from_dict(cls, data: dict) -> Carried:
        return cls(int(data["sentences"]), tuple(Span(int(a), int(b)) for a, b in data["missing"]))


_LABEL = re.compile(r"(?:article|art\.|section|sec\.|§)?\s*[\dIVXLC]+(?:[.\-]\d+)*[.)]?"
                    r"(?:\s*\(\w{1,4}\))*", re.IGNORECASE)
"""A "sentence" that is only a provision's number ("Article 2.", "12 (1)") is not counted."""

CEILING = 0.65
MARGIN = -0.05


def carried_over(a: str, b: str, lang_a: str | None, lang_b: str | None, *,
                 method: str = "auto") -> Carried:
    """Which sentences of ``a`` (spans into ``a``) its translation ``b`` has no counterpart for."""
    a_spans = [s for s in split_sentences(a, lang_a) if not _LABEL.fullmatch(s.slice(a))]
    b_spans = [s for s in split_sentences(b, lang_b) if not _LABEL.fullmatch(s.slice(b))]
    if len(a_spans) <= 1 or not b_spans:
        return Carried(len(a_spans), () if b_spans else tuple(a_spans))
    missing = missing_sentences([s.slice(a) for s in a_spans], [s.slice(b) for s in b_spans],
                                lang_a=lang_a, lang_b=lang_b, method=method)
    return Carried(len(a_spans), tuple(a_spans[i] for i in missing))


def missing_sentences(a: Sequence[str], b: Sequence[str], *, lang_a: str | None = None,
                      lang_b: str | None = None, method: str = "auto") -> list[int]:
    """Indices of the sentences of ``a`` that no sentence of ``b`` translates."""
    from sources.crosslingual import align_sentences, embedder_available

    if not a or not b:
        return list(range(len(a)))
    if method == "lexical" or not embedder_available():
        groups = align_sentences(a, b, lang_a=lang_a, lang_b=lang_b, method="lexical")
        return sorted(i for a_side, b_side, _ in groups if not b_side for i in a_side)
    from sources.embedding import EmbeddingCache

    cache = EmbeddingCache()
    va, vb = cache.encode(a), cache.encode(b)
    single = va @ vb.T
    pairs = [f"{b[j]} {b[j + 1]}" for j in range(len(b) - 1)]
    best = single.max(axis=1)
    if pairs:
        best = np.maximum(best, (va @ cache.encode(pairs).T).max(axis=1))
    candidates = []
    for i in range(len(a)):
        j = int(single[i].argmax())
        rivals = [single[k, j] for k in range(len(a)) if k != i]
        margin = single[i, j] - max(rivals) if rivals else 1.0
        if best[i] < CEILING and margin < MARGIN:
            candidates.append(i)
    return [i for i in candidates if not _merged(i, a, single, vb, cache)]


MERGE_GAIN = 0.02
"""A sentence joined to its neighbour that matches the neighbour's counterpart better by
this much was translated together with it (two sentences made one), not left out."""


def _merged(i: int, a: Sequence[str], single: np.ndarray, vb: np.ndarray, cache) -> bool:
    for k in (i - 1, i + 1):
        if not 0 <= k < len(a):
            continue
        j = int(single[k].argmax())
        joined = f"{a[min(i, k)]} {a[max(i, k)]}"
        if float(cache.encode([joined])[0] @ vb[j]) > single[k, j] + MERGE_GAIN:
            return True
    return False
