"""OCR quality and speed on scans made here from real texts (issue 13).

Run from the repository root: ``.venv/bin/python benchmarks/ocr_quality.py [pages]``.
Needs Tesseract (French and English) and ``../shared/corpora``.

The scans are made by :mod:`tests.scans`: the corpus paragraphs typed page after
page in a typewriter-like monospace (DejaVu Sans Mono, 10 pt at 300 dpi, A4), and
a worn copy of each page (turned 1.5 degrees, blurred, speckled). Each set is
imported as an image-only PDF through :func:`sources.ingest.parse_file`, so the
numbers include rendering, OCR, reflow and placing the words.

Printed:
* **CER**: character error rate of the imported text against the typed text
  (Levenshtein distance / length, spaces normalised), French and English, clean
  and worn; pages per minute (one Tesseract process at a time, 2 cores here).
  Targets: CER <= 2 % clean, <= 5 % worn.
* **Alignment**: the paragraph pairs of Darwin's chapter 1, 1859 vs 1860, scored
  against the gold (``benchmarks/align_quality.py``) when the 1859 edition is a
  scan read by OCR and when it is born-digital. Target: within 0.02 F1.
* **Misreadings**: the same pages of the Official Languages Act, read by OCR and
  born-digital, aligned passage by passage; every ``number`` or ``date`` variant
  between them is an OCR misreading that Compare would show as a changed figure
  or date. Target: none.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from align_quality import darwin, evaluate, interpret, paragraphs, score_pairs  # noqa: E402

from sources.align import align_versions  # noqa: E402
from sources.ingest import parse_file  # noqa: E402
from sources.ocr import missing  # noqa: E402
from sources.variants import type_variants  # noqa: E402
from tests.scans import character_error_rate, degraded, scanned_pdf, typeset  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
SOURCES = {"French": "canada-ola/text/fr_2025.txt", "English": "canada-ola/text/en_2025.txt"}


def corpus_paragraphs(relative: str) -> list[str]:
    return (CORPORA / relative).read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def typed_text(pages) -> str:
    """The text typed on ``pages``, paragraphs as the scan shows them."""
    return " ".join(word for page in pages for word, _ in page.words)


def read_scan(images) -> tuple[str, float]:
    """The text an import makes of the images as an image-only PDF, and the seconds it took."""
    started = time.perf_counter()
    document = parse_file(scanned_pdf(*images), "scan.pdf")
    return document.text, time.perf_counter() - started


class Scans:
    """The typed pages of each language and what OCR read on them, clean and worn."""

    def __init__(self, pages: int):
        self.typed = {language: typeset(corpus_paragraphs(relative), pages=pages)
                      for language, relative in SOURCES.items()}
        self.read = {}
        for language, typed in self.typed.items():
            worn = [degraded(page.image, seed=n) for n, page in enumerate(typed)]
            for state, images in (("clean", [p.image for p in typed]), ("worn", worn)):
                self.read[language, state] = read_scan(images)

    def cer_rows(self) -> list[tuple[str, str, float, float]]:
        return [(language, state, character_error_rate(text, typed_text(self.typed[language])),
                 len(self.typed[language]) / seconds * 60)
                for (language, state), (text, seconds) in self.read.items()]

    def misreadings(self) -> list[tuple[str, str, str, str]]:
        """(language, type, typed words, OCR words) of every number or date variant between
        the clean OCR'd text and the typed text, aligned passage by passage."""
        found = []
        for language, relative in SOURCES.items():
            truth = "\n\n".join(_paragraphs_on(self.typed[language],
                                                corpus_paragraphs(relative)))
            text = self.read[language, "clean"][0]
            for link in align_versions(truth, text):
                if link.kind != "changed" or link.a is None or link.b is None:
                    continue
                code = "fr" if language == "French" else "en"
                for variant in type_variants(link.a.slice(truth), link.b.slice(text), code):
                    if variant.type in ("number", "date"):
                        found.append((language, variant.type, variant.old, variant.new))
        return found


def alignment_scores() -> tuple[float, float, int, int]:
    """Pair F1 of Darwin 1859/1860 born-digital and with 1859 read by OCR; paragraph
    counts of the typed and the OCR'd 1859.

    The reflow may join two paragraphs where one ends at the foot of a page with a
    full line (nothing on the page tells them apart), so the OCR'd passages are mapped
    back to the typed paragraphs they hold, by word position, before scoring."""
    case = darwin("1859", "1860")
    born = evaluate(case)["pairs"].f1
    typed = case.a_text.rstrip("\n").split("\n\n")
    text, _ = read_scan([p.image for p in typeset(typed)])
    a_pars, b_pars = paragraphs(text), paragraphs(case.b_text)
    found = interpret(align_versions(text, case.b_text, a_pars, b_pars), a_pars, b_pars)
    held = _held(typed, [text[p.start:p.end] for p in a_pars])
    pairs = frozenset((i, j) for k, j in found.pairs for i in held[k])
    return born, score_pairs(case, pairs).f1, len(typed), len(a_pars)


def _held(typed: list[str], read: list[str]) -> list[list[int]]:
    """For each passage read, the typed paragraphs it holds (most of their words)."""
    spans, position = [], 0
    for paragraph in typed:
        spans.append((position, position + len(paragraph.split())))
        position = spans[-1][1]
    held, position = [], 0
    for passage in read:
        end = position + len(passage.split())
        held.append([i for i, (a, b) in enumerate(spans)
                     if min(b, end) - max(a, position) > (b - a) / 2])
        position = end
    return held


def _paragraphs_on(typed, paragraphs: list[str]) -> list[str]:
    """The corpus paragraphs (or the start of the last) that the typed pages hold."""
    words, kept = sum(len(p.words) for p in typed), []
    for paragraph in paragraphs:
        size = len(paragraph.split())
        if words <= 0:
            break
        kept.append(paragraph if size <= words else " ".join(paragraph.split()[:words]))
        words -= size
    return kept


def main() -> None:
    absent = missing()
    if absent:
        sys.exit(absent)
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA} is missing: the scans are made from its texts.")
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    print(f"OCR quality (Tesseract, DejaVu Sans Mono 10 pt at 300 dpi, {pages} A4 pages a set)")
    print(f"{'set':<18}{'CER':>8}{'target':>9}{'pages/min':>11}")
    scans = Scans(pages)
    for language, state, cer, speed in scans.cer_rows():
        target = "2 %" if state == "clean" else "5 %"
        print(f"{language + ' ' + state:<18}{cer:>8.2%}{target:>9}{speed:>11.1f}")
    born, ocr_f1, typed_count, read_count = alignment_scores()
    print(f"\nDarwin 1859/1860 paragraph pairs F1: born-digital {born:.3f}, 1859 scanned "
          f"{ocr_f1:.3f} (difference {born - ocr_f1:+.3f}; target within 0.02); "
          f"paragraphs typed {typed_count}, read {read_count}")
    found = scans.misreadings()
    print(f"\nOCR misreadings Compare would show as a changed figure or date ({pages} pages "
          f"of the Official Languages Act in each language): {len(found)} (target 0)")
    for language, kind, old, new in found[:20]:
        print(f"  {language} {kind}: {old!r} -> {new!r}")


if __name__ == "__main__":
    main()
