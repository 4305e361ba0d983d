"""Language-independent evidence that two passages translate each other.

Translations keep numbers, dates, proper names and many cognates ("institution",
"Parlement"/"Parliament", "Kangchenjunga"). This lexical evidence serves twice: as extra
evidence beside the embeddings (cross-references such as "71.09 à 71.11" /
"71.09 to 71.11" separate near-duplicate provisions) and as the whole similarity
when the embedding model is unavailable.

>>> sorted(numbers("voir les articles 71.09 à 71.11, en 1988"))
['1988', '71.09', '71.11']
>>> round(float(lexical_similarity(["Himalaya 8848 m"], ["l'Himalaya (8848 m)"])[0, 0]), 2)
1.0
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, diags

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
PREFIX = 4
NUMBER_WEIGHT = 2.0
NAME_WEIGHT = 1.5


def numbers(text: str) -> set[str]:
    """The numbers written in digits ("71.09", "1988"), without leading zeros."""
    return {n.lstrip("0") or "0" for n in _NUMBER.findall(text)}


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lexical_terms(text: str) -> Counter:
    """Weighted terms: numbers, capitalised words, 4-letter prefixes of longer words."""
    found: Counter = Counter()
    for number in numbers(text):
        found["#" + number] += NUMBER_WEIGHT
    for index, word in enumerate(_WORD.findall(text)):
        if len(word) < PREFIX:
            continue
        found["~" + _fold(word)[:PREFIX]] += 1.0
        if index and word[0].isupper():
            found["^" + _fold(word)] += NAME_WEIGHT
    return found


BLOCK = 512
"""Rows computed at a time: the products stay sparse until a block is made dense."""


def _matrix(bags: list[Counter], vocabulary: dict[str, int], idf: np.ndarray) -> csr_matrix:
    """Sparse rows of idf-weighted, L2-normalised bags."""
    rows, columns, values = [], [], []
    for row, bag in enumerate(bags):
        for key, weight in bag.items():
            rows.append(row)
            columns.append(vocabulary[key])
            values.append(weight * idf[vocabulary[key]])
    matrix = csr_matrix((np.asarray(values, dtype=np.float32), (rows, columns)),
                        shape=(len(bags), len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return csr_matrix(diags(1 / np.maximum(norms, 1e-9)).astype(np.float32) @ matrix)


def _dense_product(left: csr_matrix, right: csr_matrix) -> np.ndarray:
    """``left @ right.T`` as a dense ``float32`` array, made a block of rows at a time."""
    result = np.zeros((left.shape[0], right.shape[0]), dtype=np.float32)
    right_t = right.T.tocsc()
    for start in range(0, left.shape[0], BLOCK):
        result[start:start + BLOCK] = (left[start:start + BLOCK] @ right_t).toarray()
    return result


def lexical_similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Cosine of idf-weighted bags of lexical terms, shape ``(len(a), len(b))``, in ``[0, 1]``.

    Only terms present on both sides count (a French word shared with no English
    passage says nothing), weighted by how rare they are among the passages.
    """
    bags_a = [lexical_terms(text) for text in a]
    bags_b = [lexical_terms(text) for text in b]
    shared = set().union(*bags_a) & set().union(*bags_b) if a and b else set()
    vocabulary = {key: index for index, key in enumerate(sorted(shared))}
    if not vocabulary:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    frequency = np.zeros(len(vocabulary))
    for bag in bags_a + bags_b:
        for key in bag.keys() & shared:
            frequency[vocabulary[key]] += 1
    idf = np.log((len(a) + len(b) + 1) / frequency).astype(np.float32)
    bags_a = [Counter({k: v for k, v in bag.items() if k in shared}) for bag in bags_a]
    bags_b = [Counter({k: v for k, v in bag.items() if k in shared}) for bag in bags_b]
    return _dense_product(_matrix(bags_a, vocabulary, idf), _matrix(bags_b, vocabulary, idf))


def number_agreement(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Jaccard overlap of digit numbers, ``(len(a), len(b))``; NaN where either side has none."""
    sets_a = [numbers(text) for text in a]
    sets_b = [numbers(text) for text in b]
    vocabulary = {n: i for i, n in enumerate(sorted(set().union(*sets_a, *sets_b)))}
    left = _indicator(sets_a, vocabulary)
    right = _indicator(sets_b, vocabulary)
    result = _dense_product(left, right)  # shared numbers, then the Jaccard overlap in place
    size_a = np.array([len(found) for found in sets_a], dtype=np.float32)
    size_b = np.array([len(found) for found in sets_b], dtype=np.float32)
    for start in range(0, len(sets_a), BLOCK):
        block = result[start:start + BLOCK]
        with np.errstate(invalid="ignore", divide="ignore"):
            block /= size_a[start:start + BLOCK, None] + size_b[None, :] - block
    result[size_a == 0, :] = np.nan
    result[:, size_b == 0] = np.nan
    return result


def _indicator(sets: list[set[str]], vocabulary: dict[str, int]) -> csr_matrix:
    rows = [row for row, found in enumerate(sets) for _ in found]
    columns = [vocabulary[n] for found in sets for n in found]
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)),
                      shape=(len(sets), len(vocabulary)))
