"""Speed of the Compare page on a long pair, against a plain ``st.text`` page of the same text.

Run from the repository root: ``.venv/bin/python benchmarks/compare_render.py``
(needs ``/usr/bin/chromium``; nothing is downloaded).

Input: Frankenstein 1818 against 1831 from ``../shared/corpora`` (generated prose
with scattered edits when the corpora are absent), each cut into about 300
pages with form feeds at paragraph boundaries.

Printed:

* alignment: ``compare()`` on a fresh database (cold, once), then the same call
  answered from the stored run (cached, median of ``--repeat``);
* in a real headless Chromium against a real Streamlit server, median of
  ``--repeat`` fresh sessions: from ``page.goto`` until the first collation rows
  are visible and laid out (two animation frames later), and until the script
  run is over (``notRunning``). Baseline, measured the same way in the same run:
  a one-line app, ``st.text(base + "\\n\\n" + other)``;
* the same for a comparison nobody has opened yet (the stored run deleted before
  each visit): the alignment then runs inside the page, as for a scholar's
  first look at two documents just imported.

The workbench's home page is opened once before measuring: a fresh server runs
a ``pages/`` file opened by its URL without the router (see
``tests/e2e/test_compare_flow.py``), which is not what a scholar sees.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotations.collation import compare  # noqa: E402
from annotations.documents import import_document  # noqa: E402
from annotations.store import Store  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_DEFAULT, ServedApps  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora" / "frankenstein" / "witnesses"
PAGES = 300
VIEWPORT = {"width": 1400, "height": 900}
LAID_OUT = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
ROWS = "[data-testid=collation-row]"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"

PLAIN_APP = """
import streamlit as st

from annotations.documents import get_document
from ui.session import open_store

store = open_store()
st.text(get_document(store, {base}).text + "\\n\\n" + get_document(store, {other}).text)
"""


def witnesses() -> tuple[str, str, str]:
    """Base and other text, and where they come from."""
    if (CORPORA / "f1818.txt").is_file() and (CORPORA / "f1831.txt").is_file():
        base = (CORPORA / "f1818.txt").read_text(encoding="utf-8")
        other = (CORPORA / "f1831.txt").read_text(encoding="utf-8")
        return base, other, "Frankenstein 1818 vs 1831"
    return (*generated_pair(), "generated prose (corpora absent)")


def generated_pair() -> tuple[str, str]:
    rng = random.Random(5)
    words = "the of and to in that was his with had my which for but not as".split()
    paragraphs = [" ".join(rng.choice(words) for _ in range(rng.randrange(40, 160))) + "."
                  for _ in range(700)]
    edited = []
    for paragraph in paragraphs:
        roll = rng.random()
        if roll < 0.05:
            continue
        edited.append(paragraph.replace(" was ", " had been ", 1) if roll < 0.3 else paragraph)
    return "\n\n".join(paragraphs) + "\n", "\n\n".join(edited) + "\n"


def paginate(text: str, pages: int = PAGES) -> str:
    """Put a form feed before the paragraph that starts each ~1/pages of the text."""
    step = max(1, len(text) // pages)
    out, next_break = [], step
    position = 0
    for paragraph in text.split("\n\n"):
        if position >= next_break:
            paragraph = "\f" + paragraph
            next_break += step
        out.append(paragraph)
        position += len(paragraph) + 2
    return "\n\n".join(out)


def build_db(path: Path, base: str, other: str) -> tuple[int, int]:
    with Store(path) as store:
        base_id = import_document(store, base.encode(), "base.txt", title="Base", kind="draft")
        other_id = import_document(store, other.encode(), "other.txt", title="Other",
                                   kind="final", version_of=base_id)
    return base_id, other_id


def alignment_times(path: Path, ids: tuple[int, int], repeat: int) -> tuple[float, float, int]:
    base_id, other_id = ids
    with Store(path) as store:
        started = time.perf_counter()
        comparison = compare(store, base_id, [other_id])
        cold = time.perf_counter() - started
        cached = []
        for _ in range(repeat):
            started = time.perf_counter()
            compare(store, base_id, [other_id])
            cached.append(time.perf_counter() - started)
    return cold, statistics.median(cached), len(comparison.pair_links())


def visit(browser, url: str, ready: str) -> tuple[float, float]:
    """Seconds from ``goto`` until ``ready`` is visible and laid out, and until the run ends."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=300_000)
    page.locator(ready).first.wait_for(state="visible", timeout=300_000)
    page.evaluate(LAID_OUT)
    shown = time.perf_counter() - started
    page.wait_for_selector(IDLE, timeout=300_000)
    idle = time.perf_counter() - started
    context.close()
    return shown, idle


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure_pages(browser, urls: dict[str, str], db: Path,
                  repeat: int) -> dict[str, tuple[float, float]]:
    visit(browser, urls["home"], IDLE)  # the router runs once (see the module docstring)
    visit(browser, urls["compare"], ROWS)  # warm-up: imports and caches of the server
    visit(browser, urls["plain"], "[data-testid=stText]")
    return {
        "plain": medians([visit(browser, urls["plain"], "[data-testid=stText]")
                          for _ in range(repeat)]),
        "compare": medians([visit(browser, urls["compare"], ROWS) for _ in range(repeat)]),
        "new": medians([visit_unaligned(browser, urls["compare"], db) for _ in range(repeat)]),
    }


def visit_unaligned(browser, url: str, db: Path) -> tuple[float, float]:
    """A visit to a comparison that is not stored yet: the page aligns the documents."""
    with Store(db) as store, store.transaction() as conn:
        conn.execute("delete from alignment_links")
        conn.execute("delete from alignment_runs")
    return visit(browser, url, ROWS)


def serve(workdir: Path, apps: ServedApps, db: Path, ids: tuple[int, int]) -> dict[str, str]:
    script = workdir / "plain_app.py"
    script.write_text(PLAIN_APP.format(base=ids[0], other=ids[1]), encoding="utf-8")
    workbench = apps.start("workbench.py", db)
    return {
        "home": workbench,
        # A link to the first passage opens the side-by-side view (only the open tab is
        # drawn; without it the page opens on "What matters").
        "compare": f"{workbench}/compare?base={ids[0]}&others={ids[1]}&p=1",
        "plain": apps.start(script, db),
    }


def report(label: str, sizes: tuple[int, int], alignment, pages) -> None:
    cold, cached, links = alignment
    print(f"input: {label}; {sizes[0]:,} + {sizes[1]:,} characters, ~{PAGES} pages each, "
          f"{links:,} aligned rows")
    print(f"alignment      cold {cold:8.2f} s | cached load {cached:8.3f} s")
    print(f"{'page':<28}{'first rows visible':>20}{'run finished':>16}")
    plain, rows, new = pages["plain"], pages["compare"], pages["new"]
    print(f"{'st.text of both texts':<28}{plain[0]:>18.2f} s{plain[1]:>14.2f} s")
    print(f"{'Compare (side by side)':<28}{rows[0]:>18.2f} s{rows[1]:>14.2f} s")
    print(f"{'Compare, first time (aligns)':<28}{new[0]:>18.2f} s{new[1]:>14.2f} s")
    print(f"{'ratio Compare / st.text':<28}{rows[0] / plain[0]:>20.2f}{rows[1] / plain[1]:>16.2f}")
    print(f"{'ratio first time / st.text':<28}{new[0] / plain[0]:>20.2f}{new[1] / plain[1]:>16.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base, other, label = witnesses()
    base, other = paginate(base), paginate(other)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        db = workdir / "bench.db"
        ids = build_db(db, base, other)
        alignment = alignment_times(db, ids, args.repeat)
        apps = ServedApps(workdir)
        try:
            urls = serve(workdir, apps, db, ids)
            browser = playwright.chromium.launch(executable_path=CHROMIUM_DEFAULT,
                                                 headless=True, args=CHROMIUM_ARGS)
            pages = measure_pages(browser, urls, db, args.repeat)
            browser.close()
        finally:
            apps.stop_all()
    report(label, (len(base), len(other)), alignment, pages)


if __name__ == "__main__":
    main()
