"""Speed of the text selector on a long document, against a plain ``st.text`` of the same text.

Run from the repository root: ``.venv/bin/python benchmarks/selection_speed.py``
(needs ``/usr/bin/chromium``; nothing is downloaded).

Input: about 600,000 characters (Frankenstein 1818 followed by the start of
1831 from ``../shared/corpora``, or generated prose when the corpora are
absent), with an astral character every ~50,000 characters so the UTF-16
conversion is exercised, 300 page markers, one passage label per paragraph and
1,700 highlights.

Measured in a real headless Chromium against a real Streamlit server, each the
median of ``--repeat`` runs:

* first render: from ``page.goto`` until the text is laid out (two animation
  frames after the component says it is ready, or after ``st.text`` shows the
  text); baseline: a page with only ``st.text(text)``.
* selection -> Python -> saved: from the DOM selection (Range + mouseup) until
  the page shows that the annotation was saved, and until its new highlight is
  in the DOM (the rerun that adds a highlight rebuilds the text's DOM);
  baseline: a button on the ``st.text`` page whose click saves the same
  annotation and shows it.
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

from annotations.documents import import_document  # noqa: E402
from annotations.store import Store  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_DEFAULT, ServedApps, range_select  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora" / "frankenstein" / "witnesses"
TARGET_CHARS = 600_000
PAGES = 300
HIGHLIGHTS = 1_700

APP = '''
import os
import random

import streamlit as st

from annotations.documents import get_document
from annotations.notes import create_annotation, list_annotations
from ui.selection import Highlight, clear_selection, text_selector
from ui.session import open_store

store = open_store()
doc = get_document(store, 1)
text = doc.text


@st.cache_data
def synthetic(length: int):
    rng = random.Random(7)
    spans = sorted(rng.randrange(0, length - 100) for _ in range({highlights}))
    highlights = [(s, s + rng.randrange(10, 90), rng.choice(["note", "changed", "moved"]))
                  for s in spans]
    step = length // {pages}
    pages = [(i * step, min(length, (i + 1) * step), str(i + 1)) for i in range({pages})]
    return highlights, pages


if "saved" in st.session_state:
    st.write(st.session_state["saved"])
if os.environ["BENCH_MODE"] == "plain":
    if st.button("Save"):
        made = create_annotation(store, doc.id, 10, 20, note="bench")
        st.session_state["saved"] = f"saved {{made.id}}"
        st.rerun()
    st.text(text)
else:
    spans, pages = synthetic(len(text))
    highlights = [Highlight(s, e, k) for s, e, k in spans]
    highlights += [Highlight(a.start, a.end, "note", id=a.id)
                   for a in list_annotations(store, doc.id)]
    selection = text_selector(text, highlights=highlights, pages=pages,
                              passages=[(p.start, p.end, p.label or str(p.seq))
                                        for p in doc.passages],
                              key="bench", height=700)
    if selection:
        made = create_annotation(store, doc.id, selection.start, selection.end, note="bench")
        clear_selection("bench")
        st.session_state["saved"] = f"saved {{made.id}}"
        st.rerun()
'''

LAID_OUT = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def long_text() -> str:
    if CORPORA.is_dir():
        text = (CORPORA / "f1818.txt").read_text(encoding="utf-8")
        text += "\n\n" + (CORPORA / "f1831.txt").read_text(encoding="utf-8")
    else:
        rng = random.Random(3)
        words = "the of and to in that was his with had my which for but not as".split()
        paragraphs = [" ".join(rng.choice(words) for _ in range(120)) + "." for _ in range(1200)]
        text = "\n\n".join(paragraphs)
    text = text[:TARGET_CHARS]
    return "".join(
        part + ("😀" if i % 50_000 == 49_999 else "") for i, part in enumerate(text)
    )


def first_render(browser, url: str, ready: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=120_000)
    page.evaluate(LAID_OUT)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def selection_round_trip(browser, url: str, occurrence: int) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid=palimpsest-selector][data-ready='1']", timeout=120_000)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    started = time.perf_counter()
    range_select(page, "Frankenstein" if CORPORA.is_dir() else "which", occurrence=occurrence)
    saved = page.wait_for_selector("text=/^saved /", timeout=120_000)
    to_python = time.perf_counter() - started
    annotation_id = saved.inner_text().split()[1]
    page.wait_for_selector(f"[data-hl-ids~='{annotation_id}']", timeout=120_000)
    page.evaluate(LAID_OUT)
    to_visible = time.perf_counter() - started
    context.close()
    return to_python, to_visible


def button_round_trip(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid=stText]", timeout=120_000)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    started = time.perf_counter()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=/^saved /", timeout=120_000)
    page.evaluate(LAID_OUT)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def serve(apps: ServedApps, workdir: Path, mode: str, db: Path) -> str:
    script = workdir / f"bench_{mode}.py"
    script.write_text(f"import os\nos.environ['BENCH_MODE'] = {mode!r}\n"
                      + APP.format(highlights=HIGHLIGHTS, pages=PAGES))
    return apps.start(script, db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    text = long_text()
    print(f"text: {len(text):,} code points, {len(text.encode('utf-16-le')) // 2:,} UTF-16 "
          f"units; {HIGHLIGHTS:,} highlights, {PAGES} page markers")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        workdir = Path(tmp)
        dbs = {mode: workdir / f"{mode}.db" for mode in ("plain", "selector")}
        for db in dbs.values():
            with Store(db) as store:
                import_document(store, text.encode("utf-8"), "long.txt", title="Long")
        apps = ServedApps(workdir)
        try:
            urls = {mode: serve(apps, workdir, mode, db) for mode, db in dbs.items()}
            browser = playwright.chromium.launch(executable_path=CHROMIUM_DEFAULT,
                                                 headless=True, args=CHROMIUM_ARGS)
            report(browser, urls, args.repeat)
            browser.close()
        finally:
            apps.stop_all()


def report(browser, urls: dict[str, str], repeat: int) -> None:
    ready = "[data-testid=palimpsest-selector][data-ready='1']"
    plain = statistics.median(
        first_render(browser, urls["plain"], "[data-testid=stText]") for _ in range(repeat))
    selector = statistics.median(first_render(browser, urls["selector"], ready)
                                 for _ in range(repeat))
    print(f"first render   st.text {plain:6.2f} s | text_selector {selector:6.2f} s "
          f"| ratio {selector / plain:.2f}")
    trips = [selection_round_trip(browser, urls["selector"], k) for k in range(repeat)]
    to_python = statistics.median(t[0] for t in trips)
    to_visible = statistics.median(t[1] for t in trips)
    button = statistics.median(button_round_trip(browser, urls["plain"]) for _ in range(repeat))
    print(f"save round trip  button on st.text page {button:6.2f} s | selection -> saved "
          f"{to_python:6.2f} s (ratio {to_python / button:.2f}) | -> highlight shown "
          f"{to_visible:6.2f} s (ratio {to_visible / button:.2f})")


if __name__ == "__main__":
    main()
