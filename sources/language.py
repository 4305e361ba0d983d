"""Guess the language of a text (ISO 639-1 code) with py3langid.

>>> detect_language("The delegates discussed the draft resolution at length and agreed.")
'en'
>>> detect_language("Les délégués ont longuement discuté du projet de résolution.")
'fr'
>>> detect_language("12 (3)") is None
True
"""

from __future__ import annotations

import py3langid

MIN_LETTERS = 20
SAMPLE_CHARS = 3_000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the main language ("fr", "en", ...), ``None`` for too little text.

    ``None`` too when py3langid answers with a language that has no two-letter
    code (it knows a few such, e.g. "gcf"). Reads at most three samples of 3,000
    characters (start, middle, end), so it costs the same on a page and on a
    book. "Too little" is under 20 letters.
    """
    sample = _sample(text)
    if sum(char.isalpha() for char in sample) < MIN_LETTERS:
        return None
    language, _score = py3langid.classify(sample)
    return language if len(language) == 2 else None


def load_model() -> None:
    """Load py3langid's model now (about 0.3 s, once per process) rather than at first use."""
    py3langid.classify("model")


def _sample(text: str) -> str:
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    middle = len(text) // 2 - SAMPLE_CHARS // 2
    return "\n".join(
        (text[:SAMPLE_CHARS], text[middle : middle + SAMPLE_CHARS], text[-SAMPLE_CHARS:])
    )
