"""How well :mod:`sources.crosslingual` aligns across languages, on the shared corpora.

Run from the repository root: ``.venv/bin/python benchmarks/crosslingual_quality.py
[--quick] [--fallback]``. Needs ``../shared/corpora``; prints one table per task with
precision, recall, F1, time and throughput. ``--quick`` runs the CI subset only;
``--fallback`` scores the anchor/length fallback instead of the embeddings.

Metrics
-------
* **strict / lax F1 of links** (sentences: Text+Berg de-fr, TransRead en-fr;
  passages: Canada OLA en-fr 2017 and 2025, UDHR en-fr): Vecalign's ``score.py``
  definitions (``sentalign.score.score_multiple``). A predicted group counts as a
  strict hit only if it equals a gold group on both sides; lax if it overlaps one
  on both sides. Precision is over all predicted groups, 1:0 and 0:1 included;
  recall over the gold groups that have both sides. Text+Berg is scored over
  ``test0``–``test6`` together, as the published numbers (Vecalign + LASER 0.902).
* **mission** (synthetic, from Canada OLA 2025): the French 2025 text is the draft;
  a block of 30 consecutive provisions is cut to make the final; the annex holds
  the English provisions of that block (from the gold groups) cut into runs of 3 to
  8 provisions, one run dropped (so some cut provisions have no counterpart), plus
  twice as many unrelated English provisions from elsewhere in the Act, also in
  runs, all runs shuffled. ``find_translations(cut French, annex)`` is scored against
  the gold pairs: precision = right links / links; recall = right links / the size
  of a largest one-to-one matching of the gold pairs (a French provision whose
  English is a 4-item list can be linked to one item only). Eight blocks (fixed
  seeds) are pooled.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sentalign.score import score_multiple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources import crosslingual  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
BOOKS = ("AlicesAdventuresInWonderland", "Candide", "DuCoteDeChezSwann", "Emma", "JaneEyre",
         "LaFauteDeLAbbeMouret", "LesConfessions", "LesTravailleursDeLaMer",
         "TheLastOfTheMohicans", "VingtMilleLieuesSousLesMers", "VoyageAuCentreDeLaTerre")
MISSION_STARTS = ((1, 20), (2, 80), (3, 140), (4, 200), (5, 260), (6, 320), (7, 380),
                  (8, 440))


@dataclass(frozen=True)
class Bitext:
    """Two texts as lists of units, and the gold groups ``(a indices, b indices)``."""

    name: str
    a: list[str]
    b: list[str]
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    lax_f1: float = float("nan")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _paragraphs(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def _indices(cell: str) -> tuple[int, ...]:
    return () if cell == "-" else tuple(int(x) - 1 for x in cell.split(","))


def _tsv_groups(path: Path, a_column: str, b_column: str) -> list[tuple]:
    header, *rows = _lines(path)
    names = header.split("\t")
    groups = []
    for row in rows:
        cells = dict(zip(names, row.split("\t"), strict=True))
        groups.append((_indices(cells[a_column]), _indices(cells[b_column])))
    return groups


def textberg(name: str) -> Bitext:
    """A Text+Berg file pair, German → French sentences."""
    folder = CORPORA / "textberg"
    gold = []
    for line in _lines(folder / f"{name}.defr"):
        left, right = line.split(":")
        gold.append((tuple(ast.literal_eval(left)), tuple(ast.literal_eval(right))))
    return Bitext(f"textberg/{name}", _lines(folder / f"{name}.de"),
                  _lines(folder / f"{name}.fr"), gold)


def transread(book: str) -> Bitext:
    """A TransRead book, English → French sentences."""
    folder = CORPORA / "transread" / book
    gold = _tsv_groups(folder / "links.tsv", "en_lines", "fr_lines")
    return Bitext(f"transread/{book}", _lines(folder / "en.txt"), _lines(folder / "fr.txt"), gold)


def ola(year: int) -> Bitext:
    """The Official Languages Act, English → French provisions."""
    folder = CORPORA / "canada-ola"
    gold = _tsv_groups(folder / "gold" / f"align_en_fr_{year}.tsv", "en_paras", "fr_paras")
    return Bitext(f"canada-ola/{year}", _paragraphs(folder / "text" / f"en_{year}.txt"),
                  _paragraphs(folder / "text" / f"fr_{year}.txt"), gold)


def udhr() -> Bitext:
    """The Universal Declaration of Human Rights, English → French paragraphs."""
    folder = CORPORA / "udhr"
    gold = _tsv_groups(folder / "gold" / "align_en_fr.tsv", "en_paras", "fr_paras")
    return Bitext("udhr", _paragraphs(folder / "en.txt"), _paragraphs(folder / "fr.txt"), gold)


def link_scores(bitexts: list[Bitext], predictions: list[list[tuple]]) -> Scores:
    """Vecalign's strict and lax scores, pooled over several bitexts."""
    gold = [[(list(a), list(b)) for a, b in bitext.gold] for bitext in bitexts]
    test = [[(list(a), list(b)) for a, b, *_ in groups] for groups in predictions]
    result = score_multiple(gold, test)
    return Scores(float(result["precision_strict"]), float(result["recall_strict"]),
                  float(result["f1_strict"]), float(result["f1_lax"]))


@dataclass(frozen=True)
class Mission:
    """A synthetic "cut passages found in an English annex" case with its gold pairs."""

    removed: list[str]
    annex: list[str]
    gold_pairs: set[tuple[int, int]]


def mission(seed: int, start: int, size: int = 30) -> Mission:
    """Cut ``size`` French provisions from ``start``; build a shuffled English annex."""
    act = ola(2025)
    rng = random.Random(seed)
    cut = list(range(start, start + size))
    english_of = {f: a for a, b in act.gold for f in b}
    wanted = sorted({e for f in cut for e in english_of[f]})
    runs = _runs(wanted, rng)
    runs.pop(rng.randrange(len(runs)))  # some cut provisions have no counterpart
    others = [e for e in range(len(act.a)) if e not in set(wanted)]
    distractor_start = rng.randrange(len(others) - 2 * len(wanted))
    runs += _runs(others[distractor_start : distractor_start + 2 * len(wanted)], rng)
    rng.shuffle(runs)
    annex_order = [e for run in runs for e in run]
    position = {e: k for k, e in enumerate(annex_order)}
    pairs = {(k, position[e]) for k, f in enumerate(cut) for e in english_of[f] if e in position}
    return Mission([act.b[f] for f in cut], [act.a[e] for e in annex_order], pairs)


def _runs(items: list[int], rng: random.Random) -> list[list[int]]:
    runs, k = [], 0
    while k < len(items):
        length = rng.randint(3, 8)
        runs.append(items[k : k + length])
        k += length
    return runs


def translation_scores(cases: list[Mission], predictions: list[list[tuple]]) -> Scores:
    """Precision over predicted links, recall over a largest one-to-one gold matching."""
    right = found = possible = 0
    for case, links in zip(cases, predictions, strict=True):
        found += len(links)
        right += sum((i, j) in case.gold_pairs for i, j, _ in links)
        possible += _matching_size(case)
    precision = right / found if found else 0.0
    recall = right / possible if possible else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _matching_size(case: Mission) -> int:
    grid = np.zeros((len(case.removed), len(case.annex)))
    for i, j in case.gold_pairs:
        grid[i, j] = 1
    rows, cols = linear_sum_assignment(grid, maximize=True)
    return int(grid[rows, cols].sum())


def run_links(bitexts: list[Bitext], align, method: str) -> tuple[list, float]:
    """Align every bitext; the predicted groups and the wall-clock seconds it took."""
    started = time.perf_counter()
    predictions = [align(bt.a, bt.b, method=method) for bt in bitexts]
    return predictions, time.perf_counter() - started


def run_mission(method: str) -> tuple[Scores, float, int]:
    cases = [mission(seed, start) for seed, start in MISSION_STARTS]
    started = time.perf_counter()
    predictions = [crosslingual.find_translations(case.removed, case.annex, lang_a="fr",
                                                  lang_b="en", method=method)
                   for case in cases]
    seconds = time.perf_counter() - started
    units = sum(len(c.removed) + len(c.annex) for c in cases)
    return translation_scores(cases, predictions), seconds, units


def tasks(quick: bool) -> list[tuple[str, list[Bitext], object]]:
    """``(name, bitexts, aligner)`` rows; a name starting with "pooled" reuses earlier rows."""
    sentences, passages = crosslingual.align_sentences, crosslingual.align_passages
    if quick:
        pair = [textberg("test0"), textberg("test2")]
        return [("Text+Berg test0+test2 (de-fr)", pair, sentences),
                ("TransRead Emma (en-fr)", [transread("Emma")], sentences),
                ("UDHR paragraphs (en-fr)", [udhr()], passages),
                ("Canada OLA 2025 provisions (en-fr)", [ola(2025)], passages)]
    rows = [("Text+Berg dev (de-fr, tuning)", [textberg("dev")], sentences),
            ("Text+Berg test0-6 (de-fr)", [textberg(f"test{k}") for k in range(7)], sentences)]
    rows += [(f"TransRead {book} (en-fr)", [transread(book)], sentences) for book in BOOKS]
    rows += [("pooled: TransRead all 11 books (en-fr)", [], sentences),
             ("Canada OLA 2017 provisions (en-fr)", [ola(2017)], passages),
             ("Canada OLA 2025 provisions (en-fr)", [ola(2025)], passages),
             ("UDHR paragraphs (en-fr)", [udhr()], passages)]
    return rows


def _row(name: str, scores: Scores, seconds: float, units: int) -> str:
    return (f"| {name} | {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} | "
            f"{scores.lax_f1:.3f} | {seconds:.1f} | {units / max(seconds, 1e-9):.0f} |")


def _units(bitexts: list[Bitext]) -> int:
    return sum(len(bt.a) + len(bt.b) for bt in bitexts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the CI subset only")
    parser.add_argument("--fallback", action="store_true", help="score the anchor fallback")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"The shared corpora are not at {CORPORA}.")
    method = "anchors" if args.fallback else "embedding"
    started = time.perf_counter()
    crosslingual.embedder_available()
    print(f"method: {method}; model load {time.perf_counter() - started:.1f} s\n")
    print("| task | strict P | strict R | strict F1 | lax F1 | seconds | units/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    books: list[tuple[Bitext, list, float]] = []
    for name, bitexts, align in tasks(args.quick):
        if name.startswith("pooled"):
            pooled = [bt for bt, _, _ in books]
            scores = link_scores(pooled, [p for _, p, _ in books])
            print(_row(name, scores, sum(t for _, _, t in books), _units(pooled)), flush=True)
            continue
        predictions, seconds = run_links(bitexts, align, method)
        if name.startswith("TransRead"):
            books.append((bitexts[0], predictions[0], seconds))
        print(_row(name, link_scores(bitexts, predictions), seconds, _units(bitexts)), flush=True)
    print(_row("Mission: cut FR block found in EN annex (P/R/F1)", *run_mission(method)))
    print(f"\nunits/s: sentences (or passages) of both sides aligned per wall-clock second. "
          f"CPU time of the whole run: {time.process_time():.0f} s (all threads); load "
          f"average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
