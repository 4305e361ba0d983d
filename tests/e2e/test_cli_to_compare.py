"""Two documents imported with the command line open in the browser at a Compare deep link.

Nothing is computed before the page runs: the alignment happens when the scholar
opens ``/compare?base=A&others=B`` for the first time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from annotations.store import Store
from tests.e2e.conftest import open_app
from tests.e2e.test_compare_flow import open_tab

pytestmark = pytest.mark.browser

DRAFT = """Report of the Special Rapporteur

1. The Rapporteur visited the camps in March and heard forty witnesses.

2. Thirteen pages of testimony describe summary executions in three provinces.

3. The Rapporteur recommends that the inquiry continue.
"""
FINAL = """Report of the Special Rapporteur

1. The Rapporteur visited the camps in March and heard many witnesses.

3. The Rapporteur recommends that the inquiry continue.
"""


def palimpsest(*args: str, db) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "palimpsest", *args, "--db", str(db)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PALIMPSEST_DB": ""},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_cli_imports_open_at_a_compare_deep_link(page, served_app, tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "final.txt").write_text(FINAL, encoding="utf-8")
    out = palimpsest("import", str(tmp_path / "draft.txt"), "--kind", "draft", "--language",
                     "en", db=db)
    out += palimpsest("import", str(tmp_path / "final.txt"), "--kind", "final", "--language",
                      "en", db=db)
    base, other = (int(n) for n in re.findall(r"imported as document (\d+)", out))
    with Store(db) as store:
        assert store.count("alignment_runs") == 0

    open_app(page, served_app("workbench.py", db), f"compare?base={base}&others={other}")

    expect(page.get_by_test_id("stException")).to_have_count(0)
    def metric(label: str):
        return page.get_by_test_id("stMetric").filter(
            has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))

    expect(metric("Removed").get_by_test_id("stMetricValue")).to_have_text("1", timeout=60_000)
    expect(metric("Changed").get_by_test_id("stMetricValue")).to_have_text("1")
    expect(metric("Equal").get_by_test_id("stMetricValue")).to_have_text("2")
    open_tab(page, "Side by side")  # Compare opens on "What matters"
    row = page.locator("#pal-row-3-x")  # ¶ 3 of the draft, with nothing facing it
    expect(row).to_contain_text("summary executions")
    expect(row).to_contain_text(f"not in “{FINAL.splitlines()[0]}”")
    with Store(db) as store:
        assert store.count("alignment_runs") == 1
