"""How well :mod:`sources.variants` says what a change means, on real passages.

Run from the repository root: ``.venv/bin/python benchmarks/variant_quality.py``.
Needs ``../shared/corpora`` (the Official Languages Act 2025 and the UDHR, French
and English; Frankenstein 1818/1831 for the cost).

The evaluation is built here, from real provisions: into each passage one change
is planted, of one known type, and :func:`sources.variants.type_variants` types
the pair (passage, changed passage):

* ``number``, ``date``, ``name``: a clause is added to both versions ("dans un
  délai de 30 jours", "le 1er juillet 1989", "à Ottawa") and its value changed in
  one (digits and words, French and English notations);
* ``negation`` and ``modality``: the passage's own verb is negated ("peut" → "ne
  peut pas", "shall" → "shall not") or its modal changed ("doit" → "peut",
  "shall" → "may");
* ``formal``: an apostrophe, a comma, the case or the accents of a word, or a
  figure written another way with the same value ("8 000" / "8000", "trente" /
  "30");
* ``lexical``: a word replaced by another (no meaning type should fire).

Per type: recall (the planted change got its type) and precision (of the
variants given that type, how many were the planted change of that type); the
rate of formal-only changes flagged as meaningful.

Across languages, on the gold French-English pairs of both corpora: the rate of
real translation pairs with a reported discrepancy, pairs with a clause of equal
value in both languages (in different notations) flagged, and the recall and
precision of planted disagreements on a figure or a date.

Cost: the time to type every changed and moved pair of Frankenstein 1818/1831
against the time to align the pair, both measured in this run (best of
``--repeat``).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sources.align import align_versions  # noqa: E402
from sources.variants import FLAGGED, discrepancies, type_variants  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
TYPES = ("number", "date", "name", "negation", "modality", "formal", "lexical")
TARGETS = {"number": 0.90, "date": 0.90, "negation": 0.90, "modality": 0.90, "name": 0.80}

FR_NUMBER_WORDS = ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "dix", "douze",
                   "quinze", "vingt", "trente", "quarante", "cinquante", "soixante"]
EN_NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve",
                   "fifteen", "twenty", "thirty", "forty", "fifty", "sixty"]
WORD_VALUES = [2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 30, 40, 50, 60]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
PLACES = ["Ottawa", "Montréal", "Genève", "Québec", "Toronto", "Halifax", "Winnipeg",
          "Bruxelles", "Vancouver", "Moncton", "Regina", "Iqaluit"]
FR_BODIES = ["ministère de la Justice", "ministère des Finances", "Conseil du Trésor",
             "Bureau du Conseil privé", "Commissariat aux langues officielles"]
EN_BODIES = ["Department of Justice", "Department of Finance", "Treasury Board",
             "Privy Council Office", "Office of the Commissioner of Official Languages"]
FR_NEGATE = {"peut": "ne peut pas", "peuvent": "ne peuvent pas", "doit": "ne doit pas",
             "doivent": "ne doivent pas", "est": "n’est pas", "sont": "ne sont pas",
             "a": "n’a pas", "ont": "n’ont pas"}
EN_NEGATE = {"may": "may not", "shall": "shall not", "must": "must not", "is": "is not",
             "are": "are not", "can": "cannot", "has": "has not", "have": "have not"}
FR_MODAL = {"doit": "peut", "peut": "doit", "doivent": "peuvent", "peuvent": "doivent",
            "est tenu de": "peut", "est tenue de": "peut", "sont tenus de": "peuvent"}
EN_MODAL = {"shall": "may", "may": "shall", "must": "may", "should": "must", "can": "must"}
FR_SYNONYMS = {"comité": "conseil", "rapport": "document", "mesures": "dispositions",
               "personne": "particulier", "publier": "diffuser", "droit": "faculté",
               "public": "citoyens", "texte": "écrit", "loi": "législation"}
EN_SYNONYMS = {"committee": "board", "report": "statement", "measures": "steps",
               "person": "individual", "publish": "issue", "right": "entitlement",
               "public": "citizens", "text": "writing", "Act": "statute"}


@dataclass(frozen=True)
class Case:
    planted: str
    language: str
    a: str
    b: str


# --- passages -------------------------------------------------------------------------------

def paragraphs(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def one_to_one(gold: Path, en: list[str], fr: list[str]) -> list[tuple[str, str]]:
    """(French, English) paragraph pairs that the gold aligns one to one."""
    pairs = []
    with open(gold, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            e, f = row["en_paras"].split(","), row["fr_paras"].split(",")
            if len(e) == len(f) == 1 and e[0].isdigit() and f[0].isdigit():
                pairs.append((fr[int(f[0]) - 1], en[int(e[0]) - 1]))
    return [(f, e) for f, e in pairs if len(f.split()) >= 6 and len(e.split()) >= 6]


def corpus_pairs() -> dict[str, list[tuple[str, str]]]:
    """The gold pairs by corpus: the Act's were looked at while writing the rules for
    cross-references, the UDHR's were not (report them apart)."""
    ola, udhr = CORPORA / "canada-ola", CORPORA / "udhr"
    return {
        "Official Languages Act": one_to_one(ola / "gold" / "align_en_fr_2025.tsv",
                                             paragraphs(ola / "text" / "en_2025.txt"),
                                             paragraphs(ola / "text" / "fr_2025.txt")),
        "UDHR": one_to_one(udhr / "gold" / "align_en_fr.tsv", paragraphs(udhr / "en.txt"),
                           paragraphs(udhr / "fr.txt")),
    }


# --- planting --------------------------------------------------------------------------------

def with_clause(passage: str, clause: str) -> str:
    return passage.rstrip(" .;:") + ", " + clause + "."


def grouped(n: int, language: str) -> str:
    text = f"{n:,}"
    return text.replace(",", "\u202f") if language == "fr" else text


def figure_pair(rng: random.Random, language: str) -> tuple[str, str]:
    """A figure changed: digits, grouped amounts, or words."""
    style = rng.choice(("digits", "amount", "words", "percent"))
    if style == "words":
        i, j = rng.sample(range(len(WORD_VALUES)), 2)
        words = FR_NUMBER_WORDS if language == "fr" else EN_NUMBER_WORDS
        unit = "jours" if language == "fr" else "days"
        return f"{words[i]} {unit}", f"{words[j]} {unit}"
    if style == "amount":
        n = rng.randrange(1_000, 900_000)
        m = n * rng.choice((2, 10)) if rng.random() < 0.5 else n + rng.randrange(1, 999)
        return ((f"{grouped(n, 'fr')} $", f"{grouped(m, 'fr')} $") if language == "fr"
                else (f"${n:,}", f"${m:,}"))
    if style == "percent":
        n, m = rng.sample(range(1, 99), 2)
        return (f"{n} %", f"{m} %") if language == "fr" else (f"{n}%", f"{m}%")
    n, m = rng.sample(range(2, 365), 2)
    return (f"{n} jours", f"{m} jours") if language == "fr" else (f"{n} days", f"{m} days")


def date_text(day: int, month: int, year: int, language: str, rng: random.Random) -> str:
    if language == "fr":
        return f"{'1er' if day == 1 else day} {FR_MONTHS[month - 1]} {year}"
    if rng.random() < 0.5:
        return f"{EN_MONTHS[month - 1]} {day}, {year}"
    return f"{day} {EN_MONTHS[month - 1]} {year}"


def date_pair(rng: random.Random, language: str) -> tuple[str, str]:
    day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1950, 2025)
    which = rng.choice(("day", "month", "year"))
    other = {"day": ((day % 28) + 1, month, year), "month": (day, month % 12 + 1, year),
             "year": (day, month, year + rng.randrange(1, 9))}[which]
    state = rng.getstate()
    first = date_text(day, month, year, language, rng)
    rng.setstate(state)  # the same English order on both sides
    return first, date_text(*other, language, rng)


def name_pair(rng: random.Random, language: str) -> tuple[str, str]:
    if rng.random() < 0.5:
        x, y = rng.sample(PLACES, 2)
        return (f"à {x}", f"à {y}") if language == "fr" else (f"in {x}", f"in {y}")
    bodies = FR_BODIES if language == "fr" else EN_BODIES
    x, y = rng.sample(bodies, 2)
    return (f"avec le {x}", f"avec le {y}") if language == "fr" else (f"with the {x}",
                                                                       f"with the {y}")


def clause(kind: str, pair: tuple[str, str], language: str) -> tuple[str, str]:
    lead = {"number": ("dans un délai de", "within"), "date": ("à compter du", "from"),
            "name": ("", "")}[kind][language == "en"]
    return tuple(f"{lead} {x}".strip() for x in pair)


def replace_word(passage: str, table: dict[str, str]) -> str | None:
    for old, new in table.items():
        match = re.search(rf"(?<![\w’']){re.escape(old)}(?![\w’'])", passage)
        if match:
            return passage[:match.start()] + new + passage[match.end():]
    return None


def formal_change(passage: str, rng: random.Random, language: str) -> tuple[str, str] | None:
    options = []
    if "’" in passage:
        options.append((passage, passage.replace("’", "'", 1)))
    if ", " in passage:
        options.append((passage, passage.replace(", ", " ", 1)))
    accented = re.search(r"\b\w*[éèêàç]\w*\b", passage)
    if accented:
        word = accented.group()
        plain = word.translate(str.maketrans("éèêàç", "eeeac"))
        options.append((passage, passage.replace(word, plain, 1)))
    lower = re.search(r"(?<=\s)[a-zà-ÿ]{5,}\b", passage)
    if lower:
        word = lower.group()
        options.append((passage, passage.replace(" " + word, " " + word.capitalize(), 1)))
    n = rng.randrange(1_000, 900_000)
    if language == "fr":
        options.append((with_clause(passage, f"pour {grouped(n, 'fr')} $"),
                        with_clause(passage, f"pour {n} $")))
        k = rng.randrange(len(WORD_VALUES))
        options.append((with_clause(passage, f"dans un délai de {FR_NUMBER_WORDS[k]} jours"),
                        with_clause(passage, f"dans un délai de {WORD_VALUES[k]} jours")))
    else:
        options.append((with_clause(passage, f"for ${n:,}"), with_clause(passage, f"for ${n}")))
        k = rng.randrange(len(WORD_VALUES))
        options.append((with_clause(passage, f"within {EN_NUMBER_WORDS[k]} days"),
                        with_clause(passage, f"within {WORD_VALUES[k]} days")))
    return rng.choice(options)


def plant(kind: str, passage: str, language: str, rng: random.Random) -> Case | None:
    if kind in ("number", "date", "name"):
        pair = {"number": figure_pair, "date": date_pair, "name": name_pair}[kind](rng, language)
        old, new = clause(kind, pair, language)
        return Case(kind, language, with_clause(passage, old), with_clause(passage, new))
    if kind in ("negation", "modality", "lexical"):
        table = {("negation", "fr"): FR_NEGATE, ("negation", "en"): EN_NEGATE,
                 ("modality", "fr"): FR_MODAL, ("modality", "en"): EN_MODAL,
                 ("lexical", "fr"): FR_SYNONYMS, ("lexical", "en"): EN_SYNONYMS}[kind, language]
        changed = replace_word(passage, table)
        return Case(kind, language, passage, changed) if changed else None
    pair = formal_change(passage, rng, language)
    return Case("formal", language, *pair) if pair and pair[0] != pair[1] else None


def build_cases(pairs: list[tuple[str, str]], seed: int = 1986) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for k, (fr, en) in enumerate(pairs):
        for language, passage in (("fr", fr), ("en", en)):
            kind = TYPES[(k + (language == "en")) % len(TYPES)]
            case = plant(kind, passage, language, rng)
            if case:
                cases.append(case)
    return cases


# --- scoring ---------------------------------------------------------------------------------

def score_types(cases: list[Case]) -> dict:
    found, given, hits = Counter(), Counter(), Counter()
    formal_flagged = formal_total = 0
    for case in cases:
        variants = type_variants(case.a, case.b, case.language)
        types = [v.type for v in variants]
        found[case.planted] += 1
        hits[case.planted] += case.planted in types
        for t in types:
            given[t] += 1
        if case.planted == "formal":
            formal_total += 1
            formal_flagged += any(t in FLAGGED for t in types)
    correct = Counter({t: hits[t] for t in TYPES})  # one planted change per case
    return {
        t: {"cases": found[t], "recall": hits[t] / found[t] if found[t] else None,
            "precision": correct[t] / given[t] if given[t] else None}
        for t in TYPES
    } | {"formal flagged": formal_flagged / formal_total if formal_total else None}


EQUAL_CLAUSES = [
    ("dans un délai de trente jours", "within 30 days"),
    ("pour un montant de 8 000 $", "for an amount of $8,000"),
    ("à compter du 1er juillet 1989", "from July 1, 1989"),
    ("à compter du 10 décembre 1948", "from 10 December 1948"),
    ("pour 25 % des voix", "for 25 per cent of the votes"),
    ("dans les deux langues officielles", "in both official languages"),
    ("pour 2,5 millions de dollars", "for 2.5 million dollars"),
    ("en 1986", "in 1986"),
]
DIFFERENT_CLAUSES = [
    (("dans un délai de vingt jours", "within 25 days"), "number"),
    (("pour un montant de 8 000 $", "for an amount of $80,000"), "number"),
    (("à compter du 1er juillet 1989", "from August 1, 1989"), "date"),
    (("à compter du 10 décembre 1948", "from 10 December 1949"), "date"),
    (("pour 25 % des voix", "for 35 per cent of the votes"), "number"),
    (("pour 2,5 millions de dollars", "for 25 million dollars"), "number"),
    (("en 1986", "in 1987"), "date"),
    (("dans un délai de 30 jours", "within 60 days"), "number"),
]


def score_languages(pairs: list[tuple[str, str]], seed: int = 1986) -> dict:
    rng = random.Random(seed)
    real = sum(bool(discrepancies(fr, en, "fr", "en")) for fr, en in pairs)
    equal = sum(bool(discrepancies(with_clause(fr, c_fr), with_clause(en, c_en), "fr", "en"))
                for fr, en in pairs for c_fr, c_en in [rng.choice(EQUAL_CLAUSES)])
    hits = reported = correct = 0
    for fr, en in pairs:
        (c_fr, c_en), kind = rng.choice(DIFFERENT_CLAUSES)
        found = discrepancies(with_clause(fr, c_fr), with_clause(en, c_en), "fr", "en")
        planted = [v for v in found if v.type == kind and (
            (v.a and v.a.start >= len(fr)) or (v.b and v.b.start >= len(en)))]
        hits += bool(planted)
        reported += len(found)
        correct += min(len(planted), 1)
    return {"pairs": len(pairs), "real pairs flagged": real / len(pairs),
            "equal values flagged": equal / len(pairs),
            "disagreement recall": hits / len(pairs),
            "disagreement precision": correct / reported if reported else None}


def cost(repeat: int) -> dict:
    witnesses = CORPORA / "frankenstein" / "witnesses"
    a = (witnesses / "f1818.txt").read_text(encoding="utf-8")
    b = (witnesses / "f1831.txt").read_text(encoding="utf-8")
    align_best = type_best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        links = align_versions(a, b)
        align_best = min(align_best, time.perf_counter() - started)
        pairs = [(link.a.slice(a), link.b.slice(b)) for link in links
                 if link.kind in ("changed", "moved") and link.a and link.b]
        started = time.perf_counter()
        typed = sum(len(type_variants(x, y, "en")) for x, y in pairs)
        type_best = min(type_best, time.perf_counter() - started)
    return {"pairs typed": len(pairs), "variants": typed, "align s": align_best,
            "typing s": type_best, "ratio": type_best / align_best}


def fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"The shared corpora are not at {CORPORA}.")
    by_corpus = corpus_pairs()
    pairs = [pair for found in by_corpus.values() for pair in found]
    cases = build_cases(pairs)
    print(f"Typed variants: {len(cases)} planted changes in {len(pairs)} French-English "
          "provision pairs (Official Languages Act 2025, UDHR), each version on its own")
    print(f"{'type':<10}{'cases':>7}{'recall':>9}{'precision':>11}{'target':>8}")
    scores = score_types(cases)
    for t in TYPES:
        s = scores[t]
        target = f"{TARGETS[t]:.2f}" if t in TARGETS else ""
        print(f"{t:<10}{s['cases']:>7}{fmt(s['recall']):>9}{fmt(s['precision']):>11}{target:>8}")
    print(f"formal-only changes flagged: {fmt(scores['formal flagged'])} (target ≤ 0.05)")
    print()
    for corpus, found in by_corpus.items():
        across = score_languages(found)
        print(f"Across languages, {corpus} ({across['pairs']} gold pairs):")
        print(f"  real translations with a reported discrepancy: "
              f"{fmt(across['real pairs flagged'])}")
        print(f"  equal values in two notations flagged: {fmt(across['equal values flagged'])} "
              "(target ≤ 0.05)")
        print(f"  planted disagreements found (recall): {fmt(across['disagreement recall'])}; "
              f"precision: {fmt(across['disagreement precision'])}")
    print()
    spent = cost(args.repeat)
    print(f"Cost on Frankenstein 1818/1831: aligning {spent['align s']:.2f} s, typing "
          f"{spent['pairs typed']} changed and moved pairs ({spent['variants']} variants) "
          f"{spent['typing s']:.2f} s: {spent['ratio']:.0%} of the alignment time "
          "(target ≤ 30 %)")


if __name__ == "__main__":
    main()
