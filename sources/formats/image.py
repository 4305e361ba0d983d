"""Page images (PNG, JPEG, TIFF, a multi-page TIFF a page per frame), read by OCR.

The image is checked before it is decoded: its size in pixels (a small file can
declare a gigapixel image, a "decompression bomb"), the number of its frames and
that it can be decoded at all; then each page is read by Tesseract
(:mod:`sources.ocr`) and the lines join into paragraphs as a PDF's do.
"""

from __future__ import annotations

import io

from sources import ocr
from sources.errors import ImportRefused
from sources.formats.pdf import NOTHING_READ, build, scanned_page
from sources.model import ParsedDocument

MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "TIFF": "image/tiff"}
DAMAGED = (
    "This image is damaged or incomplete and cannot be read; export it again from the "
    "scanner's program and import the new file."
)
NOT_READ = (
    "This file is an image (a scan): Palimpsest reads it with OCR, which was turned off for "
    "this import; import it again with OCR on."
)
TOO_LARGE = (
    "Page {page} of this image is {width:,} \u00d7 {height:,} pixels, more than the "
    "{limit:,} million pixels Palimpsest reads on one page; the file may be built to exhaust "
    "the computer. A page scanned at 300 dpi is about 9 million pixels: scan it again at that "
    "resolution."
)

TOO_SMALL = (
    "This image is only {width} \u00d7 {height} pixels, too small to hold a page of text; "
    "import the scan of the page (300 dpi)."
)
SMALLEST = 64  # pixels a side: an image smaller than this is not a page
TOO_LARGE_UNKNOWN = (
    "This image is larger than the {limit:,} million pixels Palimpsest reads on one page; "
    "the file may be built to exhaust the computer. Scan the page again at 300 dpi."
)


def parse(data: bytes, options: ocr.OcrOptions | None = None) -> ParsedDocument:
    """Read every page of the image by OCR; refuse it (one sentence) if it cannot be read."""
    options = options or ocr.OcrOptions()
    if options.mode == "never":
        raise ImportRefused(NOT_READ)
    image = _open(data)
    if min(image.size) < SMALLEST:
        raise ImportRefused(TOO_SMALL.format(width=image.width, height=image.height))
    frames = _frame_count(image)
    ocr.check_pages(frames)
    languages = ocr.languages_for(options.language)
    options.report(0, frames)
    pages, scans = [], {}
    for index in range(frames):
        scans[index] = ocr.recognise(_frame(image, index), languages, page=str(index + 1),
                                     dpi=_dpi(image))
        pages.append(scanned_page(scans[index], str(index + 1)))
        options.report(index + 1, frames)
    if not any(page.lines for page in pages):
        raise ImportRefused(NOTHING_READ)
    return build(pages, scans, metadata={}, media_type=MEDIA_TYPES[image.format],
                 warnings=(), options=options)


def _open(data: bytes):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ImportRefused(DAMAGED) from error
    except Image.DecompressionBombError as error:  # Pillow's own limit, met before ours
        raise ImportRefused(TOO_LARGE_UNKNOWN.format(limit=ocr.MAX_PIXELS // 1_000_000)) from error
    if image.format not in MEDIA_TYPES:
        raise ImportRefused(DAMAGED)
    return image


def _frame_count(image) -> int:
    try:
        return max(1, int(getattr(image, "n_frames", 1)))
    except (OSError, ValueError, EOFError) as error:
        raise ImportRefused(DAMAGED) from error


def _frame(image, index: int):
    """Frame ``index`` decoded, after its size is checked; grey, with EXIF rotation applied."""
    from PIL import Image, ImageOps

    try:
        image.seek(index)
        width, height = image.size
        if width * height > ocr.MAX_PIXELS:
            raise ImportRefused(_too_large(index + 1, width, height))
        image.load()
        return ImageOps.exif_transpose(image.convert("L"))
    except (OSError, ValueError, EOFError, SyntaxError) as error:
        raise ImportRefused(DAMAGED) from error
    except Image.DecompressionBombError as error:
        raise ImportRefused(_too_large(index + 1, *image.size)) from error


def _too_large(page: int, width: int, height: int) -> str:
    return TOO_LARGE.format(page=page, width=width, height=height,
                            limit=ocr.MAX_PIXELS // 1_000_000)


def _dpi(image) -> int:
    """The resolution the image declares, if it is plausible; else 300 dpi."""
    declared = image.info.get("dpi") or (0, 0)
    try:
        dpi = round(float(declared[0]))
    except (TypeError, ValueError, IndexError):
        return ocr.DPI
    return dpi if 70 <= dpi <= 1200 else ocr.DPI
