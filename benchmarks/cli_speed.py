"""A whole ``palimpsest align`` process on a 1 MB pair, against a plain difflib process.

Run from the repository root: ``.venv/bin/python benchmarks/cli_speed.py [--repeat N]``.
Needs ``../shared/corpora`` (the ~1 MB synthetic pair of ``align_quality.py``:
200 moves, 100 deletions, 200 edits, 100 insertions).

Baseline, measured in the same run: a Python process that reads the two files,
splits them into paragraphs and runs ``difflib.SequenceMatcher(autojunk=False)``
over the paragraphs, then over the words of each replaced stretch, and prints the
opcode count: what a scholar's own script would do. Each timing is the best of
``--repeat`` runs, wall clock, process start to exit.

Target (issue 14): ``palimpsest align`` at most 2× the baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

BASELINE = r"""
import sys
from difflib import SequenceMatcher
a = open(sys.argv[1], encoding="utf-8").read().split("\n\n")
b = open(sys.argv[2], encoding="utf-8").read().split("\n\n")
count = 0
for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
    count += 1
    if tag == "replace":
        words = SequenceMatcher(None, " ".join(a[i1:i2]).split(), " ".join(b[j1:j2]).split(),
                                autojunk=False)
        count += len(words.get_opcodes())
print(count)
"""


def best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import align_quality as quality

    if not quality.CORPORA.is_dir():
        sys.exit(f"The shared corpora are not at {quality.CORPORA}.")
    case = quality.synthetic()
    palimpsest = str(Path(sys.executable).with_name("palimpsest"))
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "a.txt", Path(folder) / "b.txt"
        a.write_text(case.a_text, encoding="utf-8")
        b.write_text(case.b_text, encoding="utf-8")
        size = (a.stat().st_size + b.stat().st_size) / 2 / 1e6
        rows = [
            ("baseline: python + difflib, paragraphs then words",
             [sys.executable, "-c", BASELINE, str(a), str(b)]),
            ("python -c pass (interpreter start-up alone)", [sys.executable, "-c", "pass"]),
            ("palimpsest align --format jsonl, languages given",
             [palimpsest, "align", str(a), str(b), "--format", "jsonl",
              "--language-of", f"{a}=en", "--language-of", f"{b}=en"]),
            ("palimpsest align --format jsonl", [palimpsest, "align", str(a), str(b),
                                                  "--format", "jsonl"]),
            ("palimpsest align (summary)", [palimpsest, "align", str(a), str(b)]),
            ("palimpsest --help (start-up of the command)", [palimpsest, "--help"]),
        ]
        print(f"a {size:.2f} MB pair; best of {args.repeat} runs\n")
        print("| process | seconds | × baseline |")
        print("|---|---:|---:|")
        baseline = None
        for name, command in rows:
            seconds = best(command, args.repeat)
            baseline = baseline or seconds
            print(f"| {name} | {seconds:.2f} | {seconds / baseline:.2f} |", flush=True)
    print("\nTarget: palimpsest align ≤ 2× the baseline.")


if __name__ == "__main__":
    main()
