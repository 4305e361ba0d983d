"""Which sentences of a passage its translation leaves out (:mod:`sources.carried`).

Run from the repository root: ``.venv/bin/python benchmarks/carried_over.py``.
Needs ``../shared/corpora``.

Passages are made of four consecutive sentences that the TransRead gold aligns
one to one (French and English novels), and of the gold one-to-one provision pairs
of the Official Languages Act (2025) and the UDHR whose sides have the same number
of sentences (2 or more; sentence *i* then translates sentence *i*). In half of the
passages one English sentence is dropped at random: the French sentence it
translated should be reported missing; in the other half nothing should be.
Prints precision, recall and F1 over the (passage, sentence) items reported
missing, and the share of untouched passages with a false alarm. The rule's two
thresholds were chosen on the first five TransRead novels ("tuning"); the six
others and the two legal corpora are held out.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from variant_quality import CORPORA, corpus_pairs  # noqa: E402

from sources.carried import missing_sentences  # noqa: E402
from sources.segment import split_sentences  # noqa: E402

BOOKS = ("AlicesAdventuresInWonderland", "Candide", "DuCoteDeChezSwann", "Emma", "JaneEyre",
         "LaFauteDeLAbbeMouret", "LesConfessions", "LesTravailleursDeLaMer",
         "TheLastOfTheMohicans", "VingtMilleLieuesSousLesMers", "VoyageAuCentreDeLaTerre")
TUNING = BOOKS[:5]
WINDOW, PER_BOOK = 4, 60


def novel_passages(book: str) -> list[tuple[list[str], list[str]]]:
    folder = CORPORA / "transread" / book
    en = (folder / "en.txt").read_text(encoding="utf-8").split("\n")
    fr = (folder / "fr.txt").read_text(encoding="utf-8").split("\n")
    with open(folder / "links.tsv", encoding="utf-8") as handle:
        ones = [(int(r["en_lines"]), int(r["fr_lines"]))
                for r in csv.DictReader(handle, delimiter="\t") if r["type"] == "1:1"]
    passages = []
    for k in range(0, len(ones) - WINDOW, WINDOW):
        window = ones[k:k + WINDOW]
        if all(window[i + 1] == (window[i][0] + 1, window[i][1] + 1) for i in range(WINDOW - 1)):
            passages.append(([fr[f - 1] for _, f in window], [en[e - 1] for e, _ in window]))
    return passages[:PER_BOOK]


def legal_passages(pairs) -> list[tuple[list[str], list[str]]]:
    found = []
    for fr, en in pairs:
        fr_spans, en_spans = split_sentences(fr, "fr"), split_sentences(en, "en")
        if len(fr_spans) >= 2 and len(fr_spans) == len(en_spans):
            found.append(([s.slice(fr) for s in fr_spans], [s.slice(en) for s in en_spans]))
    return found


def sets() -> dict[str, list[tuple[list[str], list[str]]]]:
    legal = corpus_pairs()
    return {
        "TransRead, 5 novels (tuning)": [p for b in TUNING for p in novel_passages(b)],
        "TransRead, 6 novels (held out)": [p for b in BOOKS if b not in TUNING
                                           for p in novel_passages(b)],
        "Official Languages Act (held out)": legal_passages(legal["Official Languages Act"]),
        "UDHR (held out)": legal_passages(legal["UDHR"]),
    }


def score(passages, method: str, seed: int = 1986) -> dict:
    rng = random.Random(seed)
    tp = fp = fn = alarms = untouched = 0
    started = time.perf_counter()
    for fr, en in passages:
        drop = rng.randrange(len(en)) if rng.random() < 0.5 else None
        kept = [s for k, s in enumerate(en) if k != drop]
        reported = set(missing_sentences(fr, kept, lang_a="fr", lang_b="en", method=method))
        dropped = set() if drop is None else {drop}
        tp, fp, fn = tp + len(reported & dropped), fp + len(reported - dropped), fn + len(
            dropped - reported)
        if drop is None:
            untouched += 1
            alarms += bool(reported)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"passages": len(passages), "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "false alarms": alarms / untouched if untouched else 0.0,
            "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=("auto", "lexical"), action="append")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"The shared corpora are not at {CORPORA}.")
    found = sets()
    print(f"{'method':<9}{'set':<36}{'passages':>9}{'P':>7}{'R':>7}{'F1':>7}{'alarms':>8}"
          f"{'s':>6}")
    for method in args.method or ["auto", "lexical"]:
        for name, passages in found.items():
            s = score(passages, method)
            print(f"{method:<9}{name:<36}{s['passages']:>9}{s['precision']:>7.3f}"
                  f"{s['recall']:>7.3f}{s['f1']:>7.3f}{s['false alarms']:>8.3f}"
                  f"{s['seconds']:>6.1f}")
    print("target: F1 ≥ 0.90 on the dropped sentences (held out)")


if __name__ == "__main__":
    main()
