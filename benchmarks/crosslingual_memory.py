"""Time and peak memory of cross-lingual alignment on two 5,000-passage documents.

Run from the repository root: ``.venv/bin/python benchmarks/crosslingual_memory.py
[--size N]``. Needs ``../shared/corpora``: the French and English passages are the
sentences of the TransRead novels (5,924 French, 5,973 English), the first ``N``
of each side (default 5,000), the English in reverse order by blocks of 50 so the
order must be found, not assumed.

Each measurement runs in a fresh process and reports its peak resident memory
(``ru_maxrss``) and wall-clock time:

* **baseline**: load the encoder, embed both sides, compute their cosine matrix
  (``float32``): what any embedding aligner must at least do;
* **find_translations**: the cut-passage search (one-to-one, then n:m groups);
* **align_passages**: the full alignment (groups covering every passage).

The target (issue 15): under 1 GB for two 5,000-passage documents.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
BLOCK = 50


def passages(size: int) -> tuple[list[str], list[str]]:
    french, english = [], []
    for book in sorted((CORPORA / "transread").iterdir()):
        if book.is_dir():
            french += (book / "fr.txt").read_text(encoding="utf-8").splitlines()
            english += (book / "en.txt").read_text(encoding="utf-8").splitlines()
    french, english = french[:size], english[:size]
    blocks = [english[k:k + BLOCK] for k in range(0, len(english), BLOCK)]
    return french, [line for block in reversed(blocks) for line in block]


def measure(task: str, size: int) -> dict:
    """Run one task in this process (called in a child) and return its numbers."""
    sys.path.insert(0, str(ROOT))
    from sources import crosslingual
    from sources.embedding import EmbeddingCache

    french, english = passages(size)
    crosslingual.embedder_available()
    started = time.perf_counter()
    if task == "baseline":
        cache = EmbeddingCache()
        cosine = cache.encode(french) @ cache.encode(english).T
        result = int(cosine.shape[0])
    elif task == "find_translations":
        result = len(crosslingual.find_translations(french, english, lang_a="fr", lang_b="en"))
    else:
        result = len(crosslingual.align_passages(french, english, lang_a="fr", lang_b="en"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"task": task, "seconds": seconds, "peak_mb": peak, "result": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.size)))
        return
    if not CORPORA.is_dir():
        sys.exit(f"The shared corpora are not at {CORPORA}.")
    print(f"{args.size} French × {args.size} English passages (TransRead sentences)\n")
    print("| task | seconds | peak memory (MB) | × baseline time | × baseline memory | links |")
    print("|---|---:|---:|---:|---:|---:|")
    baseline = None
    for task in ("baseline", "find_translations", "align_passages"):
        out = subprocess.run([sys.executable, __file__, "--size", str(args.size), "--child", task],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        baseline = baseline or row
        print(f"| {task} | {row['seconds']:.1f} | {row['peak_mb']:.0f} | "
              f"{row['seconds'] / baseline['seconds']:.2f} | "
              f"{row['peak_mb'] / baseline['peak_mb']:.2f} | {row['result']} |", flush=True)
    print("\nTarget: under 1,024 MB for the aligners at 5,000 × 5,000.")


if __name__ == "__main__":
    main()
