"""Speed of :func:`sources.ingest.parse_file` against simply reading the file.

Run from the repository root: ``.venv/bin/python benchmarks/import_speed.py``.

Inputs: a 300-page PDF built with fpdf2 (running head, page numbers, numbered
paragraphs) and 1 MB of plain text (the corpora's witnesses when
``../shared/corpora`` is present, else generated prose). Baseline, measured in
the same run: ``Path.read_bytes`` plus a decode of the same file. When
``annotations.documents.import_document`` exists, a full import into a fresh
temporary-file Store is timed too. Each timing is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.ingest import parse_file  # noqa: E402
from tests import make_samples  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
TEXT_BYTES = 1_000_000


def one_megabyte_text() -> tuple[bytes, str]:
    """About 1 MB of UTF-8 prose, cut at a paragraph boundary."""
    files = sorted(CORPORA.glob("frankenstein/**/*.txt")) + sorted(CORPORA.glob("*/text/*.txt"))
    if files:
        text, source = "", "corpora"
        for path in files:
            text += path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
            if len(text.encode()) >= TEXT_BYTES:
                break
    else:
        paragraph = "The delegates met again, and the minutes of the last session were read. "
        text, source = (paragraph * 6 + "\n\n") * 2400, "generated"
    data = text.encode("utf-8")[:TEXT_BYTES]
    cut = data.rfind(b"\n\n")
    return data[:cut] + b"\n", source


def best_of(repeat: int, action) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def plain_read(path: Path, encoding: str) -> float:
    return len(path.read_bytes().decode(encoding))


def full_import(data: bytes, filename: str, folder: Path) -> None:
    from annotations.documents import import_document
    from annotations.store import Store

    path = folder / f"bench-{time.perf_counter_ns()}.db"
    with Store(path) as store:
        import_document(store, data, filename)


def importer_available() -> bool:
    try:
        from annotations.documents import import_document  # noqa: F401
    except ImportError:
        return False
    return True


def measure(name: str, data: bytes, encoding: str, repeat: int, folder: Path) -> dict:
    path = folder / name
    path.write_bytes(data)
    document = parse_file(data, name)
    row = {
        "file": name,
        "bytes": len(data),
        "pages": len(document.pages),
        "passages": len(document.passages),
        "read": best_of(repeat, lambda: plain_read(path, encoding)),
        "parse": best_of(repeat, lambda: parse_file(path.read_bytes(), name)),
    }
    if importer_available():
        row["import"] = best_of(repeat, lambda: full_import(path.read_bytes(), name, folder))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300)
    arguments = parser.parse_args()
    started = time.perf_counter()
    pdf, _ = make_samples.pdf_pages(arguments.pages)
    print(f"built a {arguments.pages}-page PDF in {time.perf_counter() - started:.1f} s")
    text, source = one_megabyte_text()
    print(f"1 MB text from: {source}")
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            measure("book.pdf", pdf, "latin-1", arguments.repeat, Path(folder)),
            measure("witnesses.txt", text, "utf-8", arguments.repeat, Path(folder)),
        ]
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    has_import = all("import" in row for row in rows)
    header = f"{'file':<15}{'bytes':>11}{'pages':>7}{'passages':>10}{'read s':>10}{'parse s':>10}"
    header += f"{'parse/read':>12}" + (f"{'import s':>10}{'import/read':>13}" if has_import else "")
    print(header)
    for row in rows:
        line = (
            f"{row['file']:<15}{row['bytes']:>11,}{row['pages']:>7}{row['passages']:>10}"
            f"{row['read']:>10.4f}{row['parse']:>10.3f}{row['parse'] / row['read']:>12.0f}"
        )
        if has_import:
            line += f"{row['import']:>10.3f}{row['import'] / row['read']:>13.0f}"
        print(line)
    if not has_import:
        print("annotations.documents.import_document not found: full import not timed")


if __name__ == "__main__":
    main()
