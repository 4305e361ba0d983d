"""Shared fixtures: a real SQLite store per test, and the shared corpora when present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotations.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


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
    if not CORPORA.is_dir():
        pytest.skip(f"the shared corpora are not at {CORPORA}; evaluation skipped")
    return CORPORA


def shown(markdown: str) -> str:
    """What a reader sees of Markdown source that escapes its punctuation (``ui.text``)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")
