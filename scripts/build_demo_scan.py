"""Make the demo's scanned page: the first paragraphs of ``draft_fr.txt`` typed on an A4
page at 300 dpi (DejaVu Sans Mono), one word stained so that OCR is unsure of it.

Run from the repository root: ``.venv/bin/python scripts/build_demo_scan.py``; writes
``annotations/demo_data/scan_fr.png``. The demo reads it by OCR when it loads, so a new
user sees OCR, the page image beside the text and a correction at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scans import image_bytes, smudged, typeset  # noqa: E402

DATA = ROOT / "annotations" / "demo_data"
PARAGRAPHS = 6  # the long title and the first recitals of the preamble
STAINED = {"Constitution"}


def main() -> None:
    paragraphs = (DATA / "draft_fr.txt").read_text(encoding="utf-8").split("\n\n")[1:]
    (page,) = typeset(paragraphs[:PARAGRAPHS], pages=1)
    (DATA / "scan_fr.png").write_bytes(image_bytes(smudged(page, STAINED, radius=4.5)))


if __name__ == "__main__":
    main()
