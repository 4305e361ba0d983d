"""The Compare page's data path at 5,000 passages: loading a stored comparison and reading
its ledger and summary, against reading the same links' rows from SQLite.

Run from the repository root: ``.venv/bin/python benchmarks/compare_model.py``.

Two generated documents of 5,000 numbered paragraphs (the second drops 5 % and edits
10 %) are aligned once; then, median of ``--repeat``:

* **baseline**: ``select * from alignment_links`` of the run (the rows any reader of
  the comparison must at least fetch);
* **load**: :func:`annotations.collation.compare` answered from the stored run (links,
  passages, decisions and variant rules applied), as every rerun of the Compare page
  did before the read model;
* **ledger + summary**: what the banner, the metrics and the ledger read;
* **rerun**: what a rerun does now: :func:`comparison_stamp` (is the built comparison
  still right?) and the built comparison's ledger and summary, kept between reruns.

Targets (issue 14): loading ≤ 0.1 s; a rerun ≤ 0.2 s of Python.
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

from annotations.collation import compare, comparison_stamp  # noqa: E402
from annotations.documents import import_document  # noqa: E402
from annotations.store import Store  # noqa: E402

WORDS = ("the of report commission delegates province witnesses villages government "
         "rapporteur human rights assembly council article paragraph").split()


def documents(passages: int, seed: int = 3) -> tuple[str, str]:
    rng = random.Random(seed)
    base = [f"{i}. " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + "."
            for i in range(passages)]
    other = []
    for paragraph in base:
        roll = rng.random()
        if roll < 0.05:
            continue
        other.append(paragraph.replace("report", "draft", 1) + " Added." if roll < 0.15
                     else paragraph)
    return "\n\n".join(base), "\n\n".join(other)


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base_text, other_text = documents(args.passages)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        base = import_document(store, base_text.encode(), "a.txt", language="en", kind="draft")
        other = import_document(store, other_text.encode(), "b.txt", language="en",
                                kind="final")
        started = time.perf_counter()
        built = compare(store, base, [other])
        aligned = time.perf_counter() - started
        rows = median_time(lambda: store.db.execute(
            "select * from alignment_links where run_id = ?", [built.run_id]).fetchall(),
            args.repeat)
        load = median_time(lambda: compare(store, base, [other]), args.repeat)
        fresh = [compare(store, base, [other]) for _ in range(args.repeat)]
        reads = iter(fresh)

        def read_fresh() -> None:
            comparison = next(reads)
            comparison.ledger()
            comparison.summary()

        first_read = median_time(read_fresh, args.repeat)

        def rerun() -> None:
            comparison_stamp(store, base, [other])
            built.ledger()
            built.summary()

        again = median_time(rerun, args.repeat)
    print(f"Compare data path, {args.passages:,} passages a side ({len(built.links):,} links; "
          f"aligned once in {aligned:.2f} s); median of {args.repeat}")
    print(f"{'step':<42}{'seconds':>9}{'× baseline':>12}{'target':>9}")
    for label, seconds, target in (
        ("baseline: the run's link rows from SQLite", rows, ""),
        ("load the stored comparison", load, "0.1 s"),
        ("first ledger + summary of a loaded one", first_read, ""),
        ("rerun: stamp check + ledger + summary", again, "0.2 s"),
    ):
        print(f"{label:<42}{seconds:>9.3f}{seconds / rows:>12.1f}{target:>9}")


if __name__ == "__main__":
    main()
