"""Build the demo project's three documents from the Official Languages Act of Canada.

Run once by a developer (``python scripts/build_demo.py``); the outputs are
committed under ``annotations/demo_data/`` so the product needs no corpus at run
time. The demo re-enacts the case Palimpsest was made for: a French draft, a
French final text from which a whole Part was cut (and a few passages edited or
moved), and an English-only annex that carries the cut Part.

Contains information licensed under the Open Government Licence – Canada.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLA = ROOT.parent / "shared" / "corpora" / "canada-ola"
OUT = ROOT / "annotations" / "demo_data"
DRAFT_PARAS = range(1, 121)  # title, preamble, Parts I to III of the French text (2025)
CUT = range(72, 93)  # PARTIE II, "Actes législatifs et autres", cut from the final text
MOVED_FROM, MOVED_AFTER = 46, 67  # section 2.3 moved after 3.1 d)
EDITS = {  # wordings, then changes that alter the meaning (Compare lists those first)
    34: ("d’assurer le respect", "de garantir le respect"),
    40: ("est chargé d’assumer un rôle de premier plan", "assume un rôle central"),
    99: ("de veiller à ce que", "de s’assurer que"),
    44: ("les quinze premiers jours", "les trente premiers jours"),  # a figure
    70: ("Il doit être pourvu", "Il peut être pourvu"),  # an obligation
    108: ("offre la formation", "n’offre pas la formation"),  # a negation
}
ANNEX_EDITS = {  # the English annex disagrees with the French on a figure
    "simultaneously in both languages": "within 30 days in both languages",
}
BANNER_FR = (
    "[Exemple de démonstration de Palimpsest : texte construit à partir de la Loi sur les "
    "langues officielles du Canada (version 2025) ; {stage} arrêté le {day} ; ce n’est pas un "
    "texte officiel.]"
)
DRAFT_BANNER = BANNER_FR.format(stage="projet", day="3 mars 2025")
FINAL_BANNER = BANNER_FR.format(stage="texte", day="17 juin 2025")  # a date changed
BANNER_EN = (
    "[Palimpsest demo example: built from the Official Languages Act of Canada (2025 "
    "version); not an official text.]"
)
PER_PAGE = 10


def paragraphs(name: str) -> list[str]:
    return (OLA / "text" / name).read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def fr_to_en_groups() -> dict[int, list[int]]:
    with open(OLA / "gold" / "align_en_fr_2025.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    groups = {}
    for row in rows:
        for fr in row["fr_paras"].split(","):
            groups[int(fr)] = [int(en) for en in row["en_paras"].split(",")]
    return groups


def paginate(blocks: list[str], per_page: int = PER_PAGE) -> str:
    """Blank-line separated blocks, with a form feed line every ``per_page`` blocks."""
    pages = [blocks[i : i + per_page] for i in range(0, len(blocks), per_page)]
    return "\n\n\f\n\n".join("\n\n".join(page) for page in pages) + "\n"


def build() -> dict[str, str]:
    fr, en = paragraphs("fr_2025.txt"), paragraphs("en_2025.txt")
    draft = [DRAFT_BANNER] + [fr[n - 1] for n in DRAFT_PARAS]
    final = []
    for n in DRAFT_PARAS:
        if n in CUT or n == MOVED_FROM:
            continue
        text = fr[n - 1]
        if n in EDITS:
            old, new = EDITS[n]
            assert old in text, (n, old)
            text = text.replace(old, new, 1)
        final.append(text)
        if n == MOVED_AFTER:
            final.append(fr[MOVED_FROM - 1])
    groups = fr_to_en_groups()
    en_paras = sorted({e for n in CUT for e in groups[n]})
    annex = [BANNER_EN, "ANNEX — Part II of the draft, published in English only"]
    annex += [en[e - 1] for e in en_paras]
    for old, new in ANNEX_EDITS.items():
        [where] = [k for k, text in enumerate(annex) if old in text]
        annex[where] = annex[where].replace(old, new, 1)
    return {
        "draft_fr.txt": paginate(draft),
        "final_fr.txt": paginate([FINAL_BANNER] + final),
        "annex_en.txt": paginate(annex, per_page=8),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in build().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(name, len(text), "characters")


if __name__ == "__main__":
    main()
