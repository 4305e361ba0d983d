"""Many people annotating at once, at full size: browser sessions on one workbench plus
background writers on the same database file.

    .venv/bin/python benchmarks/load_sessions.py --sessions 8 --rounds 100 --writers 2

First a baseline in the same run: one session alone saves ``--baseline-rounds``
annotations. Then every session saves ``--rounds`` annotations (undoing its own
latest every third round) while the writers create, edit and delete. Prints
annotations per second, median and slowest save, and the ratios against the
baseline; then checks the database as tests/e2e/test_load.py does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from annotations.documents import import_document  # noqa: E402
from annotations.store import Store  # noqa: E402
from tests.e2e import test_load as load  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_DEFAULT, ServedApps  # noqa: E402


def add_document(db: Path, sessions: int, rounds: int, name: str) -> int:
    with Store(db) as store:
        return import_document(store, load.document_text(sessions, rounds).encode(), name,
                               title=name, language="en")


def measure(browser, url: str, db: Path, sessions: int, rounds: int, writers: int,
            pause: float = load.WRITER_PAUSE_S) -> dict:
    """Run the sessions (and writers); returns timings and what was done."""
    document_id = add_document(db, sessions, rounds, f"load-{sessions}x{rounds}.txt")
    pages = load.open_sessions(browser, url, document_id, sessions)
    try:
        with load.Writers(str(db), document_id, writers, pause) as background:
            started = time.perf_counter()
            done = load.run_sessions(pages, rounds)
            elapsed = time.perf_counter() - started
            reports = background.finish() if writers else []
        load.assert_no_error_on(pages)
    finally:
        for page in pages:
            page.context.close()
    return {"elapsed": elapsed, "done": done, "reports": reports, "document_id": document_id}


def summary(label: str, result: dict, sessions: int, rounds: int) -> dict:
    seconds = result["done"]["save_seconds"]
    rate = sessions * rounds / result["elapsed"]
    writes = sum(r["create"] + r["edit"] + r["delete"] for r in result["reports"])
    numbers = {"rate": rate, "median": statistics.median(seconds), "slowest": max(seconds)}
    print(f"{label:<9} {sessions:>2} sessions x {rounds:>3} saves in {result['elapsed']:7.1f} s: "
          f"{rate:6.2f} UI annotations/s, save median {numbers['median']:.2f} s, "
          f"slowest {numbers['slowest']:.2f} s; background writes {writes} "
          f"({writes / result['elapsed']:.0f}/s)")
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--writer-pause", type=float, default=load.WRITER_PAUSE_S,
                        help="seconds each writer waits between two annotations")
    parser.add_argument("--baseline-rounds", type=int, default=10)
    parser.add_argument("--chromium", default=CHROMIUM_DEFAULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        apps = ServedApps(Path(folder))
        db = Path(folder) / "workbench.db"
        Store(db).close()
        try:
            url = apps.start("workbench.py", db)
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True,
                                                 args=CHROMIUM_ARGS)
            alone = measure(browser, url, db, 1, args.baseline_rounds, 0)
            base = summary("baseline", alone, 1, args.baseline_rounds)
            crowd = measure(browser, url, db, args.sessions, args.rounds, args.writers,
                            args.writer_pause)
            under = summary("load", crowd, args.sessions, args.rounds)
            load.assert_database_agrees(db, args.sessions, args.rounds, crowd["done"],
                                        crowd["reports"], document_id=crowd["document_id"])
            print(f"ratio     throughput x{under['rate'] / base['rate']:.2f}, "
                  f"median save x{under['median'] / base['median']:.2f}, "
                  f"slowest save x{under['slowest'] / base['slowest']:.2f} (load / baseline)")
            print("database  integrity ok; counts agree with what the sessions and writers did")
            browser.close()
        finally:
            apps.stop_all()


if __name__ == "__main__":
    main()
