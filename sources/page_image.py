"""The image of a page of the original, to check the text against: rendered from the
imported PDF (pypdfium2) or taken from the scan, with boxes drawn over words.

Boxes are :class:`sources.model.WordBox` fractions of the page, so they fit the page
at any size. For a page read by OCR they come from Tesseract; for a PDF's own text
layer, :func:`text_layer_boxes` asks pdfium where the characters of a phrase are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from sources import ocr
from sources.errors import ImportRefused
from sources.model import WordBox

WIDTH = 900  # pixels: wide enough to read a typed page beside the text
OUTLINE = (200, 30, 30)
FILL = (255, 210, 0, 90)
NOT_A_PAGE = "This document has no page images: it was not imported from a PDF or a scan."


def has_pages(media_type: str | None) -> bool:
    """Whether an original of this type has page images (a PDF or a scan)."""
    return media_type == "application/pdf" or (media_type or "").startswith("image/")


def render(original: bytes, media_type: str, page: int, width: int = WIDTH):
    """Page ``page`` (1-based) of the original as an RGB Pillow image ``width`` pixels wide."""
    if media_type == "application/pdf":
        image = _pdf_page(original, page, width)
    elif media_type.startswith("image/"):
        image = _scan_page(original, page)
    else:
        raise ImportRefused(NOT_A_PAGE)
    if image.width != width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height))
    return image.convert("RGB")


def outlined(image, boxes: Sequence[WordBox]):
    """A copy of ``image`` with each box outlined and lightly filled."""
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    width, height = image.size
    for box in boxes:
        rectangle = (box.left * width - 2, box.top * height - 2,
                     box.right * width + 2, box.bottom * height + 2)
        draw.rectangle(rectangle, fill=FILL, outline=OUTLINE + (255,), width=2)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def text_layer_boxes(original: bytes, page: int, phrase: str, *, seq: int | None = None,
                     limit: int = 400) -> tuple[WordBox, ...]:
    """Where ``phrase`` is printed on page ``page`` of a born-digital PDF: the boxes of
    its lines (pdfium's search, case and accents as printed), as fractions of the page.
    The phrase is searched word by word from its start, at most ``limit`` characters."""
    import pypdfium2 as pdfium

    words = phrase.split()
    if not words:
        return ()
    document = pdfium.PdfDocument(original)
    try:
        pdf_page = document[page - 1]
        width, height = pdf_page.get_width(), pdf_page.get_height()
        textpage = pdf_page.get_textpage()
        for needle in _needles(words, limit):  # the whole phrase, else how it begins
            found = textpage.search(needle, match_case=True).get_next()
            if found is not None:
                break
        else:
            return ()
        boxes = []
        for index in range(textpage.count_rects(*found)):
            left, bottom, right, top = textpage.get_rect(index)
            boxes.append(WordBox(0, 0, seq or page, left / width, 1 - top / height,
                                 right / width, 1 - bottom / height))
        return tuple(boxes)
    finally:
        document.close()


def _needles(words: list[str], limit: int) -> list[str]:
    """
    >>> _needles("a b c d e f g h i j".split(), 400)
    ['a b c d e f g h i j', 'a b c d e f g h', 'a b c']
    """
    whole = " ".join(words)
    if len(whole) > limit:
        whole = whole[:limit].rsplit(" ", 1)[0]
    shorter = [" ".join(words[:count]) for count in (8, 3) if count < len(words)]
    return [whole, *shorter]


def _pdf_page(original: bytes, page: int, width: int):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(original)
    try:
        pdf_page = document[page - 1]
        scale = min(width / max(pdf_page.get_width(), 1.0), ocr.DPI / 72.0)
        return pdf_page.render(scale=scale).to_pil()
    finally:
        document.close()


def _scan_page(original: bytes, page: int):
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(original))
    if image.width * image.height > ocr.MAX_PIXELS:
        raise ImportRefused("This page image is too large to show.")
    image.seek(page - 1)
    return ImageOps.exif_transpose(image.convert("RGB"))
