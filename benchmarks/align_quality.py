"""How well :func:`sources.align.align_versions` recovers known correspondences.

Run from the repository root: ``.venv/bin/python benchmarks/align_quality.py``.
Needs ``../shared/corpora``; prints one table per corpus pair.

Passages are the corpus paragraphs (blank-line separated blocks, the convention
of every gold file), so the scores measure alignment, not segmentation.

Metrics
-------
* **pair P/R/F1**: the set of paragraph pairs (A paragraph, B paragraph) that
  our ``equal``/``changed``/``moved`` links join (a moved block is expanded
  paragraph by paragraph, a split gives one pair per piece) against the gold
  pairs. Gold pairs that are only marginal are *don't care* (neither counted
  when found nor when missed): Frankenstein pairs sharing less than 20 % of the
  smaller paragraph's letters (a few words spilling over a paragraph break),
  Canada provisions kept under the same number but rewritten (gold similarity
  < 0.5: a removal plus an insertion is as right as a change) and the gold's
  "most similar other provision" hints (relettered or renumbered provisions).
* **status P/R/F1**: every paragraph of A and of B gets a status, ``unchanged``
  (our ``equal``, or ``moved`` with identical text), ``changed`` (our
  ``changed``/``moved``), or ``absent`` (our ``removed``/``added``), scored per
  status against the gold status of that paragraph. Gold statuses that say
  neither (Frankenstein ``mostly_absent``; paragraphs of a don't-care pair) are
  left out. Frankenstein's "unchanged" is the Variorum's normalised reading
  (case-insensitive, ``&`` = "and"), so a few paragraphs we call changed are
  unchanged for the gold.
* **synthetic**: a ~1 MB text made of unrelated real texts (Frankenstein MS and
  1831, Darwin 1872, Canada's Official Languages Act EN and FR 2025, duplicates
  dropped); version B moves 200 paragraphs (40 of them also edited), deletes
  100, edits 200 (about one word in ten) and inserts 100 paragraphs of *Candide*.
  Truth is known for every paragraph, so we score each link kind as a set of
  ``(kind, A paragraph, B paragraph)`` triples, plus the share of moved
  paragraphs found as ``moved`` to the right place.
"""

from __future__ import annotations

import csv
import random
import sys
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sources.align import align_versions  # noqa: E402
from sources.model import Link, Passage  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
STATUSES = ("unchanged", "changed", "absent")
KINDS = ("equal", "changed", "moved", "removed", "added")


@dataclass(frozen=True)
class Case:
    """Two texts, their paragraphs and what the gold says about them (0-based paragraphs)."""

    name: str
    a_text: str
    b_text: str
    pairs: frozenset[tuple[int, int]]
    dont_care: frozenset[tuple[int, int]] = frozenset()
    a_status: dict[int, str] = field(default_factory=dict)
    b_status: dict[int, str] = field(default_factory=dict)
    triples: frozenset[tuple[str, int | None, int | None]] = frozenset()


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def paragraphs(text: str) -> tuple[Passage, ...]:
    """The corpus convention: paragraph n is ``text.rstrip("\\n").split("\\n\\n")[n-1]``."""
    passages, start = [], 0
    for seq, block in enumerate(text.rstrip("\n").split("\n\n")):
        passages.append(Passage(seq, start, start + len(block)))
        start += len(block) + 2
    return tuple(passages)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- scoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    pairs: frozenset[tuple[int, int]]
    a_status: dict[int, str]
    b_status: dict[int, str]
    triples: frozenset[tuple[str, int | None, int | None]]


def predict(case: Case) -> Prediction:
    a_pars, b_pars = paragraphs(case.a_text), paragraphs(case.b_text)
    links = align_versions(case.a_text, case.b_text, a_pars, b_pars)
    return interpret(links, a_pars, b_pars)


def interpret(links: Iterable[Link], a_pars, b_pars) -> Prediction:
    """Turn links back into paragraph pairs, statuses and (kind, a, b) triples."""
    a_at, b_at = _index(a_pars), _index(b_pars)
    pairs, triples, a_status, b_status = set(), set(), {}, {}
    for link in links:
        a_idx, b_idx = _covered(link.a, a_at), _covered(link.b, b_at)
        status = _status(link)
        for i in a_idx:
            a_status[i] = _worst(a_status.get(i), status)
        for j in b_idx:
            b_status[j] = _worst(b_status.get(j), status)
        for i, j in _pairs(a_idx, b_idx):
            pairs.add((i, j))
            triples.add((link.kind, i, j))
        triples.update((link.kind, i, None) for i in a_idx if not b_idx)
        triples.update((link.kind, None, j) for j in b_idx if not a_idx)
    return Prediction(frozenset(pairs), a_status, b_status, frozenset(triples))


def _index(passages: Sequence[Passage]) -> dict[str, dict[int, int]]:
    return {
        "start": {p.start: k for k, p in enumerate(passages)},
        "end": {p.end: k for k, p in enumerate(passages)},
    }


def _covered(span, at) -> list[int]:
    if span is None:
        return []
    return list(range(at["start"][span.start], at["end"][span.end] + 1))


def _pairs(a_idx: list[int], b_idx: list[int]) -> list[tuple[int, int]]:
    if len(a_idx) == len(b_idx):
        return list(zip(a_idx, b_idx, strict=True))
    return [(i, j) for i in a_idx for j in b_idx]


def _status(link: Link) -> str:
    if link.kind == "equal" or (link.kind == "moved" and link.score == 1.0):
        return "unchanged"
    return "absent" if link.kind in ("removed", "added") else "changed"


def _worst(old: str | None, new: str) -> str:
    order = {None: -1, "unchanged": 0, "changed": 1, "absent": 2}
    return new if order[new] > order[old] else old


def score_pairs(case: Case, found: frozenset[tuple[int, int]]) -> Score:
    counted = found - case.dont_care
    tp = len(counted & case.pairs)
    return Score(tp, len(counted - case.pairs), len(case.pairs - counted))


def score_status(gold: dict[int, str], found: dict[int, str], status: str) -> Score:
    tp = sum(1 for k, s in gold.items() if s == status and found.get(k) == status)
    fp = sum(1 for k, s in gold.items() if s != status and found.get(k) == status)
    fn = sum(1 for k, s in gold.items() if s == status and found.get(k) != status)
    return Score(tp, fp, fn)


def score_kind(case: Case, found: frozenset, kind: str) -> Score:
    gold = {t for t in case.triples if t[0] == kind}
    mine = {t for t in found if t[0] == kind}
    return Score(len(gold & mine), len(mine - gold), len(gold - mine))


def evaluate(case: Case) -> dict[str, Score]:
    """Every score of one case, keyed ``pairs``, ``A unchanged`` ... or ``kind moved`` ..."""
    found = predict(case)
    scores = {"pairs": score_pairs(case, found.pairs)}
    sides = (("A", case.a_status, found.a_status), ("B", case.b_status, found.b_status))
    for side, gold, mine in sides:
        for status in STATUSES:
            if any(s == status for s in gold.values()):
                scores[f"{side} {status}"] = score_status(gold, mine, status)
    if case.triples:
        scores.update({f"kind {kind}": score_kind(case, found.triples, kind) for kind in KINDS})
    return scores


# -- corpora -------------------------------------------------------------------------------


def frankenstein(a: str, b: str) -> Case:
    base = CORPORA / "frankenstein"
    a_text, b_text = read(base / "witnesses" / f"{a}.txt"), read(base / "witnesses" / f"{b}.txt")
    status_rows = read_tsv(base / "gold" / f"paragraph_status_{a}_vs_{b}.tsv")
    letters = {(r["witness"], int(r["para"]) - 1): int(r["chars"]) for r in status_rows}
    pairs, dont_care = set(), set()
    for row in read_tsv(base / "gold" / f"paragraphs_{a}_{b}.tsv"):
        i, j = int(row[f"{a}_para"]) - 1, int(row[f"{b}_para"]) - 1
        smaller = min(letters[(a, i)], letters[(b, j)])
        core = int(row["shared_chars"]) >= 0.2 * smaller
        (pairs if core else dont_care).add((i, j))
    mapping = {"unchanged": "unchanged", "changed": "changed", "absent": "absent",
               "not_extant": "absent"}
    statuses = {a: {}, b: {}}
    for row in status_rows:
        if row["status"] in mapping:
            statuses[row["witness"]][int(row["para"]) - 1] = mapping[row["status"]]
    return Case(f"frankenstein {a}/{b}", a_text, b_text, frozenset(pairs), frozenset(dont_care),
                statuses[a], statuses[b])


def darwin(a: str, b: str) -> Case:
    base = CORPORA / "darwin"
    pairs = set()
    unit_paras = {}
    for row in read_tsv(base / "gold" / "paragraphs.tsv"):
        i, j = row[f"para_{a}"], row[f"para_{b}"]
        unit_paras[row["unit"]] = (i, j)
        if i != "-" and j != "-":
            pairs.add((int(i) - 1, int(j) - 1))
    a_status, b_status = {}, {}
    for row in read_tsv(base / "gold" / "changes.tsv"):
        if (row["from"], row["to"]) != (a, b):
            continue
        i, j = unit_paras[row["unit"]]
        status = {"added": "absent", "removed": "absent"}.get(row["status"], row["status"])
        if i != "-":
            a_status[int(i) - 1] = status
        if j != "-":
            b_status[int(j) - 1] = status
    texts = [read(base / "editions" / f"{year}.txt") for year in (a, b)]
    return Case(f"darwin {a}/{b}", *texts, frozenset(pairs), frozenset(), a_status, b_status)


def canada(language: str) -> Case:
    base = CORPORA / "canada-ola"
    rows = read_tsv(base / "gold" / f"changes_{language}_2017_2025.tsv")
    new_para = {row["new_id"]: int(row["new_para"]) - 1 for row in rows if row["new_para"] != "-"}
    old_para = {row["old_id"]: int(row["old_para"]) - 1 for row in rows if row["old_para"] != "-"}
    pairs, dont_care, a_status, b_status = set(), set(), {}, {}
    for row in rows:
        i = int(row["old_para"]) - 1 if row["old_para"] != "-" else None
        j = int(row["new_para"]) - 1 if row["new_para"] != "-" else None
        status = {"modified": "changed", "deleted": "absent", "inserted": "absent"}.get(
            row["status"], row["status"])
        rewritten = row["status"] == "modified" and float(row["similarity"]) < 0.5
        if i is not None and j is not None:
            (dont_care if rewritten else pairs).add((i, j))
        hinted = _hint_pairs(row, i, j, old_para, new_para)
        dont_care |= hinted
        if not rewritten and not hinted:
            if i is not None:
                a_status[i] = status
            if j is not None:
                b_status[j] = status
    texts = [read(base / "text" / f"{language}_{year}.txt") for year in (2017, 2025)]
    return Case(f"canada {language} 2017/2025", *texts, frozenset(pairs), frozenset(dont_care),
                a_status, b_status)


def _hint_pairs(row, i, j, old_para, new_para) -> set[tuple[int, int]]:
    if not row["most_similar_other"]:
        return set()
    other = row["most_similar_other"].rsplit("=", 1)[0]
    if i is not None and other in new_para:
        return {(i, new_para[other])}
    if j is not None and other in old_para:
        return {(old_para[other], j)}
    return set()


def real_cases() -> list[Case]:
    cases = [frankenstein("f1818", "f1831"), frankenstein("f1818", "f1823"),
             frankenstein("fMS", "f1818")]
    years = ["1859", "1860", "1861", "1866", "1869", "1872"]
    cases += [darwin(a, b) for a, b in zip(years, years[1:], strict=False)]
    return cases + [canada("en"), canada("fr")]


# -- synthetic ------------------------------------------------------------------------------


def source_paragraphs() -> list[str]:
    """About 1 MB of real, mutually unrelated paragraphs, each text once."""
    files = ["frankenstein/witnesses/fMS.txt", "frankenstein/witnesses/f1831.txt",
             "darwin/editions/1872.txt", "canada-ola/text/en_2025.txt",
             "canada-ola/text/fr_2025.txt"]
    seen, kept = set(), []
    for name in files:
        for block in read(CORPORA / name).rstrip("\n").split("\n\n"):
            key = " ".join(block.split())
            if key and key not in seen:
                seen.add(key)
                kept.append(block)
    return kept


def new_paragraphs(count: int, rng: random.Random) -> list[str]:
    lines = read(CORPORA / "transread" / "Candide" / "en.txt").splitlines()
    start = rng.randrange(0, len(lines) - 5 * count + 1)
    return [" ".join(lines[start + 5 * k : start + 5 * k + 5]) for k in range(count)]


def edit(text: str, rng: random.Random) -> str:
    """Change about one word in ten: replace, drop or double it."""
    words = text.split(" ")
    for _ in range(max(1, len(words) // 10)):
        k = rng.randrange(len(words))
        action = rng.choice(("replace", "drop", "insert"))
        if action == "replace":
            words[k] = rng.choice(("very", "quite", "certain", "former", "said"))
        elif action == "drop" and len(words) > 1:
            del words[k]
        else:
            words.insert(k, rng.choice(("indeed", "then", "thus")))
    return " ".join(words)


def synthetic(seed: int = 7, moves: int = 200, deletes: int = 100, edits: int = 200,
              inserts: int = 100, moved_edits: int = 40) -> Case:
    """A ~1 MB pair with known moves, deletions, edits and insertions."""
    rng = random.Random(seed)
    a = source_paragraphs()
    wordy = [k for k, p in enumerate(a) if len(p.split()) >= 12]
    chosen = rng.sample(wordy, moves + deletes + edits)
    moved, deleted, edited = (set(chosen[:moves]), set(chosen[moves:moves + deletes]),
                              set(chosen[moves + deletes:]))
    moved_edited = set(rng.sample(sorted(moved), moved_edits))
    stay = [k for k in range(len(a)) if k not in moved and k not in deleted]
    b: list[tuple[str, int | None]] = [(edit(a[k], rng) if k in edited else a[k], k) for k in stay]
    for k in sorted(moved):
        text = edit(a[k], rng) if k in moved_edited else a[k]
        b.insert(_far_position(len(b), bisect(stay, k), rng), (text, k))
    for text in new_paragraphs(inserts, rng):
        b.insert(rng.randrange(len(b) + 1), (text, None))
    return _synthetic_case(a, b, moved, deleted, edited)


def _far_position(size: int, home: int, rng: random.Random) -> int:
    while True:
        position = rng.randrange(size + 1)
        if abs(position - home) > 20:
            return position


def _synthetic_case(a, b, moved, deleted, edited) -> Case:
    a_text, b_text = "\n\n".join(a) + "\n", "\n\n".join(text for text, _ in b) + "\n"
    triples, pairs, a_status, b_status = set(), set(), {}, {}
    where = {origin: j for j, (_, origin) in enumerate(b) if origin is not None}
    for i, text in enumerate(a):
        j = where.get(i)
        kind = ("removed" if j is None else "moved" if i in moved else
                "changed" if b[j][0] != text else "equal")
        triples.add((kind, i, j))
        if j is not None:
            pairs.add((i, j))
        a_status[i] = _truth_status(kind, text, b[j][0] if j is not None else None)
        if j is not None:
            b_status[j] = a_status[i]
    for j, (_, origin) in enumerate(b):
        if origin is None:
            triples.add(("added", None, j))
            b_status[j] = "absent"
    return Case("synthetic 1 MB", a_text, b_text, frozenset(pairs), frozenset(),
                a_status, b_status, frozenset(triples))


def _truth_status(kind: str, a: str, b: str | None) -> str:
    if b is None:
        return "absent"
    return "unchanged" if " ".join(a.split()) == " ".join(b.split()) else "changed"


# -- report ----------------------------------------------------------------------------------


def table(case: Case, scores: dict[str, Score]) -> str:
    lines = [f"## {case.name}", f"{'':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, s in scores.items():
        lines.append(f"{name:<16}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                     f"{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    return "\n".join(lines)


def moved_found(case: Case) -> float:
    found = predict(case).triples
    gold = [t for t in case.triples if t[0] == "moved"]
    return sum(1 for t in gold if t in found) / len(gold)


def main() -> None:
    if not CORPORA.exists():
        sys.exit(f"No corpora at {CORPORA}; nothing to measure.")
    for case in real_cases():
        print(table(case, evaluate(case)), end="\n\n")
    case = synthetic()
    print(table(case, evaluate(case)))
    print(f"moved paragraphs found at the right place: {moved_found(case):.2%}")


if __name__ == "__main__":
    main()

