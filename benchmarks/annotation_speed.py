"""Speed of the annotation core on a book-sized document, against plain baselines.

Run from the repository root: ``.venv/bin/python benchmarks/annotation_speed.py``.

Input: ~600,000 characters (about 300 printed pages): Frankenstein 1818 plus the
English Candide from ``../shared/corpora`` when present, else generated prose.
1,700 annotations on random word-aligned spans (seeded) are created with
:func:`create_annotation` in a temporary-file store (WAL, one transaction each).
The document is then edited (a preface inserted, a word changed in every 20th
paragraph, every 50th paragraph deleted) and :func:`carry_annotations` re-anchors
all of them on the new version.

Baselines, measured in the same run on the same machine:

* creating: a plain ``INSERT`` + ``COMMIT`` per row into a bare table;
* exporting: ``SELECT *`` of the annotations written with ``csv.writer``;
* re-anchoring: one ``str.find`` of every quote in the new text (the least any
  re-anchoring must do).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.anchoring import carry_annotations  # noqa: E402
from annotations.export import export_csv, export_jsonld, export_tei  # noqa: E402
from annotations.notes import create_annotation  # noqa: E402
from annotations.search import search  # noqa: E402
from annotations.store import Store  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
TARGET_CHARS = 600_000


def book_text() -> tuple[str, str]:
    """About :data:`TARGET_CHARS` of prose in paragraphs, and where it came from."""
    files = [CORPORA / "frankenstein" / "witnesses" / "f1818.txt",
             CORPORA / "transread" / "Candide" / "en.txt"]
    if all(path.exists() for path in files):
        novel = files[0].read_text(encoding="utf-8").strip()
        sentences = files[1].read_text(encoding="utf-8").split("\n")  # one sentence a line
        tale = "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6))
        text = novel + "\n\n" + tale
        return text[: text.rfind("\n\n", 0, TARGET_CHARS)], "corpora"
    rng = random.Random(3)
    words = ("treaty delegation withdrawal border commission protocol minutes session envoy "
             "ministry draft article clause annex ratified signed agreed reserved").split()
    paragraphs, size = [], 0
    while size < TARGET_CHARS:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(40, 160))) + "."
        paragraphs.append(paragraph.capitalize())
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:TARGET_CHARS], "generated"


def edited(text: str) -> str:
    """The next version: a preface, a word changed in every 20th paragraph, every 50th gone."""
    paragraphs = text.split("\n\n")
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if index % 50 == 49:
            continue
        if index % 20 == 0:
            paragraph = re.sub(r"\bthe\b", "this", paragraph, count=1)
        kept.append(paragraph)
    return "PREFACE TO THE SECOND EDITION.\n\n" + "Revised by the author. " * 80 + "\n\n" + (
        "\n\n".join(kept))


def spans(text: str, count: int) -> list[tuple[int, int]]:
    starts = [m.start() for m in re.finditer(r"\b\w", text)]
    rng = random.Random(11)
    chosen = []
    for _ in range(count):
        first = rng.randrange(len(starts) - 40)
        chosen.append((starts[first], starts[first + rng.randint(1, 25)] - 1))
    return chosen


def add_document(store: Store, text: str, title: str) -> int:
    with store.transaction() as db:
        found = db.execute("select id from projects where name = 'bench'").fetchone()
        project = found[0] if found else db["projects"].insert({"name": "bench"}).last_pk
        return db["documents"].insert({"project_id": project, "title": title, "kind": "final",
                                       "text": text, "sha256": title}).last_pk


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def baseline_inserts(folder: Path, rows: list[tuple[int, int, str]]) -> float:
    conn = sqlite3.connect(folder / "plain.db")
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = normal")
    conn.execute("create table plain (id integer primary key, start int, end int, exact text)")
    start = time.perf_counter()
    for row in rows:
        conn.execute("begin immediate")
        conn.execute("insert into plain (start, end, exact) values (?, ?, ?)", row)
        conn.execute("commit")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def baseline_export(store: Store) -> float:
    def write():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in store.db.execute("select * from annotations"):
            writer.writerow(row)
        return buffer.getvalue()
    return timed(write)[0]


def report(name: str, seconds: float, baseline: float, extra: str = "") -> None:
    print(f"{name:<34}{seconds:9.3f} s   baseline {baseline:8.3f} s   "
          f"ratio {seconds / baseline:7.1f}x  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=1700)
    args = parser.parse_args()
    text, source = book_text()
    new_text = edited(text)
    chosen = spans(text, args.annotations)
    print(f"text: {len(text):,} characters ({source}); edited: {len(new_text):,}; "
          f"{len(chosen):,} annotations")
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        old_id, new_id = add_document(store, text, "v1"), add_document(store, new_text, "v2")
        plain = baseline_inserts(Path(folder), [(s, e, text[s:e]) for s, e in chosen])
        create, _ = timed(lambda: [create_annotation(store, old_id, s, e, note="note", tags=["t"],
                                                     author="bench") for s, e in chosen])
        report("create_annotation", create, plain,
               f"{len(chosen) / create:,.0f}/s vs {len(chosen) / plain:,.0f}/s")
        plain_export = baseline_export(store)
        for name, action in (("export_csv", lambda: export_csv(store)),
                             ("export_jsonld", lambda: export_jsonld(store)),
                             ("export_tei", lambda: export_tei(store, old_id))):
            seconds, data = timed(action)
            report(name, seconds, plain_export, f"{len(data):,} bytes")
        finds, _ = timed(lambda: [new_text.find(text[s:e]) for s, e in chosen])
        carry, counts = timed(lambda: carry_annotations(store, old_id, new_id))
        report("carry_annotations (re-anchor)", carry, finds,
               f"{counts} ({1000 * carry / len(chosen):.2f} ms each)")
        query, hits = timed(lambda: search(store, "the creature"))
        print(f"{'search (50 hits)':<34}{query:9.3f} s   {len(hits)} hits")


if __name__ == "__main__":
    main()
