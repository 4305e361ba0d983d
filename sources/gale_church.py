"""Length-based sentence alignment (Gale & Church 1993) with lexical evidence.

The fallback when the embedding model cannot be loaded: translations keep roughly
proportional lengths, and numbers, names and cognates (:mod:`sources.lexical`)
pull the path towards the right pairs. Monotone, ``x:y`` groups up to 3:1 / 1:3 and
2:2, plus ``1:0`` / ``0:1``. The search runs in a band around the diagonal, wide
enough for the length difference of the two texts plus 30 sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import erfc

from sources.lexical import lexical_similarity

Group = tuple[tuple[int, ...], tuple[int, ...], float]

# Prior probability of each group type (Gale & Church's table, plus 3:1 and 1:3).
PRIORS = {
    (1, 1): 0.89,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.0445,
    (1, 2): 0.0445,
    (2, 2): 0.011,
    (3, 1): 0.005,
    (1, 3): 0.005,
}
VARIANCE = 6.8
LEXICAL_WEIGHT = 4.0
BAND = 30
MOVES = [move for move in PRIORS if move != (0, 1)]
INSERTION = len(MOVES)


def align_by_length(a: Sequence[str], b: Sequence[str]) -> list[Group]:
    """Monotone groups covering every sentence of ``a`` and ``b`` once, in order."""
    if not a or not b:
        return [((i,), (), 0.0) for i in range(len(a))] + [((), (j,), 0.0) for j in range(len(b))]
    length_a = np.array([max(1, len(s)) for s in a], dtype=np.float64)
    length_b = np.array([max(1, len(s)) for s in b], dtype=np.float64)
    ratio = length_b.sum() / length_a.sum()
    evidence = lexical_similarity(a, b)
    costs = _Costs(np.concatenate([[0], np.cumsum(length_a)]),
                   np.concatenate([[0], np.cumsum(length_b)]), ratio, evidence)
    back = _forward(len(a), len(b), costs)
    return _traceback(back, len(a), len(b), costs)


class _Costs:
    """Cost of one group: -log prior - log P(length difference) - lexical bonus."""

    def __init__(self, cum_a, cum_b, ratio, evidence):
        self.cum_a, self.cum_b, self.ratio, self.evidence = cum_a, cum_b, ratio, evidence

    def length_probability(self, x, y, i, js: np.ndarray) -> np.ndarray:
        """P(length difference) of ``a[i-x:i]`` against ``b[j-y:j]`` for every ``j`` in ``js``."""
        la = self.cum_a[i] - self.cum_a[i - x]
        lb = self.cum_b[js] - self.cum_b[js - y]
        mean = np.maximum((la + lb / self.ratio) / 2, 1.0)
        delta = np.abs(lb - la * self.ratio) / np.sqrt(mean * VARIANCE)
        return np.maximum(erfc(delta / math.sqrt(2)), 1e-12)

    def lexical(self, x, y, i, js: np.ndarray) -> np.ndarray:
        """The strongest lexical evidence between ``a[i-x:i]`` and any of ``b[j-y:j]``."""
        rows = self.evidence[i - x : i].max(axis=0)
        return np.max([rows[js - k] for k in range(1, y + 1)], axis=0)

    def cost(self, x, y, i, js: np.ndarray) -> np.ndarray:
        if not (x and y):
            return np.full(len(js), 3.0 - math.log(PRIORS[(x, y)]))
        return (-math.log(PRIORS[(x, y)]) - np.log(self.length_probability(x, y, i, js))
                - LEXICAL_WEIGHT * self.lexical(x, y, i, js))

    def score(self, x, y, i, j) -> float:
        if not (x and y):
            return 0.0
        js = np.array([j])
        length = self.length_probability(x, y, i, js)[0]
        return float(min(1.0, 0.5 * length + 0.5 * self.lexical(x, y, i, js)[0]))


def _window(i: int, n: int, m: int) -> np.ndarray:
    centre = round(i * m / n)
    width = BAND + abs(n - m)
    return np.arange(max(0, centre - width), min(m, centre + width) + 1)


def _forward(n: int, m: int, costs: _Costs) -> np.ndarray:
    """Back-pointers: index into :data:`MOVES` of the best move into each grid point."""
    best = np.full((n + 1, m + 1), np.inf)
    back = np.full((n + 1, m + 1), -1, dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(n + 1):
        js = _window(i, n, m)
        for index, (x, y) in enumerate(MOVES):
            _relax(best, back, costs, i, js[js >= y], x, y, index)
        _insertions(best[i], back[i], js, costs.cost(0, 1, i, js[:1])[0])
    return back


def _relax(best, back, costs, i, js, x, y, index) -> None:
    if i < x or not len(js):
        return
    total = best[i - x, js - y] + costs.cost(x, y, i, js)
    better = total < best[i, js]
    best[i, js[better]] = total[better]
    back[i, js[better]] = index


def _insertions(row, back_row, js, step) -> None:
    """Let ``0:1`` moves run along the row: ``row[j] = min(row[j], row[j-1] + step)``."""
    lo, hi = js[0], js[-1] + 1
    window = row[lo:hi]
    offsets = np.arange(hi - lo) * step
    scanned = np.minimum.accumulate(window - offsets) + offsets
    better = scanned < window - 1e-12
    row[lo:hi] = np.where(better, scanned, window)
    back_row[lo:hi][better] = INSERTION


def _traceback(back: np.ndarray, n: int, m: int, costs: _Costs) -> list[Group]:
    groups = []
    i, j = n, m
    while (i, j) != (0, 0):
        x, y = (0, 1) if back[i, j] == INSERTION else MOVES[back[i, j]]
        groups.append((tuple(range(i - x, i)), tuple(range(j - y, j)), costs.score(x, y, i, j)))
        i, j = i - x, j - y
    return groups[::-1]
