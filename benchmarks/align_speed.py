"""Speed of :func:`sources.align.align_versions` against a plain difflib collation.

Run from the repository root: ``.venv/bin/python benchmarks/align_speed.py``.

Inputs: the ~1 MB synthetic pair of ``align_quality.py`` (200 moves, 100
deletions, 200 edits, 100 insertions) and the three Frankenstein witness pairs.
Both sides get the same paragraphs, so segmentation is not timed.

Baseline, measured in the same run: ``difflib.SequenceMatcher(autojunk=False)``
over the paragraphs, then over the words of each replaced stretch (what a
careful programmer writes first). Each timing is the best of ``--repeat`` runs.
Peak resident memory is the process maximum (``resource.getrusage``), so it
includes the interpreter, the libraries and both texts.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import align_quality as quality  # noqa: E402

from sources.align import align_versions  # noqa: E402


def baseline(a_blocks: list[str], b_blocks: list[str]) -> int:
    """Paragraph diff, then word diff inside replaced stretches; returns the opcode count."""
    count = 0
    matcher = SequenceMatcher(None, a_blocks, b_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        count += 1
        if tag == "replace":
            a_words = " ".join(a_blocks[i1:i2]).split()
            b_words = " ".join(b_blocks[j1:j2]).split()
            count += len(SequenceMatcher(None, a_words, b_words, autojunk=False).get_opcodes())
    return count


def best_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(name: str, a_text: str, b_text: str, repeat: int) -> None:
    a_pars, b_pars = quality.paragraphs(a_text), quality.paragraphs(b_text)
    a_blocks = [a_text[p.start : p.end] for p in a_pars]
    b_blocks = [b_text[p.start : p.end] for p in b_pars]
    ours = best_time(lambda: align_versions(a_text, b_text, a_pars, b_pars), repeat)
    theirs = best_time(lambda: baseline(a_blocks, b_blocks), repeat)
    size = (len(a_text.encode()) + len(b_text.encode())) / 2 / 1e6
    print(f"{name:<26}{size:>7.2f}{len(a_pars):>7}{len(b_pars):>7}"
          f"{ours:>10.3f}{theirs:>10.3f}{theirs / ours:>8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not quality.CORPORA.exists():
        sys.exit(f"No corpora at {quality.CORPORA}; nothing to measure.")
    print(f"{'pair':<26}{'MB':>7}{'A par':>7}{'B par':>7}{'ours s':>10}{'difflib s':>10}"
          f"{'ratio':>9}")
    synthetic = quality.synthetic()
    measure("synthetic (moves)", synthetic.a_text, synthetic.b_text, args.repeat)
    witnesses = quality.CORPORA / "frankenstein" / "witnesses"
    for a, b in (("f1818", "f1831"), ("f1818", "f1823"), ("fMS", "f1818")):
        texts = [quality.read(witnesses / f"{w}.txt") for w in (a, b)]
        measure(f"frankenstein {a}/{b}", *texts, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak:.0f} MB")


if __name__ == "__main__":
    main()
