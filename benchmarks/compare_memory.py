"""Memory of the workbench's server while a scholar works through a long comparison,
against a server that only shows the same two texts with ``st.text``.

Run from the repository root: ``.venv/bin/python benchmarks/compare_memory.py``
(needs ``/usr/bin/chromium``; nothing is downloaded).

Input: two generated documents of ``--passages`` numbered paragraphs (5,000 by default;
the second drops 5 % and edits 10 %, as in ``compare_model.py``), imported on a fresh
database and compared for the first time inside the page. In a real headless Chromium
against a real Streamlit server: open Compare, then every tab, three pages of the
side-by-side view and the ledger. Printed: the server's resident memory (its process
and children) after the visit and at its peak (``VmHWM``), and the same for the
baseline server after it has shown the texts. Target (issue 14): under 500 MB.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from compare_model import documents  # noqa: E402

from annotations.documents import import_document  # noqa: E402
from annotations.store import Store  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_DEFAULT, ServedApps  # noqa: E402

TABS = ("What matters", "Side by side", "All versions", "Omission ledger", "Document map")
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
PLAIN_APP = """
import streamlit as st

from annotations.documents import get_document
from ui.session import open_store

store = open_store()
st.text(get_document(store, 1).text + "\\n\\n" + get_document(store, 2).text)
"""


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of ``pid`` and its descendants, in MB."""
    now = peak = 0.0
    for process in [pid, *_descendants(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        now += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return now, peak


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=600_000)


def walk_compare(page, url: str) -> None:
    page.goto(url, timeout=600_000)
    page.get_by_test_id("stMetric").first.wait_for(timeout=600_000)
    settle(page)
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        settle(page)
        if tab == "Side by side":
            page.get_by_text("All passages", exact=True).click()
            settle(page)
            pages = page.get_by_label("Page of rows", exact=False)
            for number in (2, 3, 50):
                pages.fill(str(number))
                pages.press("Enter")
                settle(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=5000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base_text, other_text = documents(args.passages)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        db = workdir / "bench.db"
        with Store(db) as store:
            base = import_document(store, base_text.encode(), "a.txt", language="en",
                                   kind="draft")
            other = import_document(store, other_text.encode(), "b.txt", language="en",
                                    kind="final")
        script = workdir / "plain_app.py"
        script.write_text(PLAIN_APP, encoding="utf-8")
        apps = ServedApps(workdir)
        browser = playwright.chromium.launch(executable_path=CHROMIUM_DEFAULT, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            plain_url = apps.start(script, db)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(plain_url, timeout=600_000)
            page.get_by_test_id("stText").wait_for(timeout=600_000)
            settle(page)
            plain = memory_mb(apps.processes[-1].pid)
            workbench = apps.start("workbench.py", db)
            page.goto(workbench, timeout=600_000)  # the router runs once
            settle(page)
            walk_compare(page, f"{workbench}/compare?base={base}&others={other}")
            compare = memory_mb(apps.processes[-1].pid)
        finally:
            browser.close()
            apps.stop_all()
    print(f"Server memory, {args.passages:,} passages a side; Compare aligned inside the page, "
          f"then every tab, 3 pages of rows and the ledger")
    print(f"{'server':<34}{'after (MB)':>12}{'peak (MB)':>12}")
    print(f"{'st.text of both texts':<34}{plain[0]:>12.0f}{plain[1]:>12.0f}")
    print(f"{'Compare':<34}{compare[0]:>12.0f}{compare[1]:>12.0f}")
    print(f"{'ratio Compare / st.text':<34}{compare[0] / plain[0]:>12.2f}"
          f"{compare[1] / plain[1]:>12.2f}")
    print(f"target: under 500 MB -> {'met' if compare[1] < 500 else 'NOT met'} (peak)")


if __name__ == "__main__":
    main()
