"""Scans made by the tests themselves: pages of text set in a typewriter-like monospace
font at 300 dpi, as images, multi-page TIFFs and image-only PDFs, clean or degraded
(noise, blur, a slight skew). The benchmark ``benchmarks/ocr_quality.py`` uses them too.
"""

from __future__ import annotations

import io
import random
import textwrap
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
DPI = 300
A4 = (2480, 3508)  # pixels at 300 dpi
MARGIN = 250
SIZE = 42  # pixels: 10 point type at 300 dpi
LEADING = 62
COLUMNS = 64


@dataclass(frozen=True)
class TypedPage:
    """A page image and, for each word drawn, its text and pixel box."""

    image: Image.Image
    words: tuple[tuple[str, tuple[int, int, int, int]], ...]


def typed_page(paragraphs: list[str], *, size: tuple[int, int] = A4) -> TypedPage:
    """The paragraphs typed on a white page, a blank line between them."""
    (page,) = typeset(paragraphs, size=size, pages=1)
    return page


def typeset(paragraphs: list[str], *, size: tuple[int, int] = A4,
            pages: int | None = None) -> list[TypedPage]:
    """The paragraphs typed page after page (a paragraph may run on to the next page);
    at most ``pages`` pages, the rest of the text left out."""
    font = ImageFont.truetype(FONT, SIZE)
    lines = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, COLUMNS, break_long_words=False,
                               break_on_hyphens=False) + [""]
    result, bottom = [], size[1] - MARGIN
    while lines and (pages is None or len(result) < pages):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        words, y = [], MARGIN
        while lines and y + LEADING <= bottom:
            line = lines.pop(0)
            draw.text((MARGIN, y), line, font=font, fill=0)
            x = MARGIN
            for word in line.split(" ") if line else ():
                box = tuple(round(v) for v in draw.textbbox((x, y), word, font=font))
                words.append((word, box))
                x += font.getlength(word + " ")
            y += LEADING
        result.append(TypedPage(image, tuple(words)))
    return result or [TypedPage(Image.new("L", size, 255), ())]


def smudged(page: TypedPage, words: set[str], radius: float = 4) -> Image.Image:
    """The page with ``words`` blurred where they were typed (a stain, a worn ribbon), so
    that OCR reads them with little confidence."""
    image = page.image.copy()
    for word, box in page.words:
        if word in words:
            image.paste(image.crop(box).filter(ImageFilter.GaussianBlur(radius)), box[:2])
    return image


def degraded(image: Image.Image, *, seed: int = 0, skew: float = 1.5) -> Image.Image:
    """A worn copy: turned ``skew`` degrees, blurred, speckled with noise."""
    rng = random.Random(seed)
    turned = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(1.2))
    pixels = blurred.load()
    width, height = blurred.size
    for _ in range(width * height // 200):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = rng.choice((0, 255))
    return blurred


def image_bytes(*pages: Image.Image, kind: str = "PNG") -> bytes:
    """The pages as one file: PNG or JPEG (first page), TIFF (every page, one frame each)."""
    buffer = io.BytesIO()
    if kind == "TIFF":
        pages[0].save(buffer, "TIFF", dpi=(DPI, DPI), save_all=True, append_images=pages[1:],
                      compression="tiff_lzw")
    else:
        pages[0].save(buffer, kind, dpi=(DPI, DPI))
    return buffer.getvalue()


def scanned_pdf(*pages: Image.Image) -> bytes:
    """An image-only PDF, one page per image, at 300 dpi (A4 for an A4 image)."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=list(pages[1:]))
    return buffer.getvalue()


def character_error_rate(found: str, truth: str) -> float:
    """Edit distance between the words of ``found`` and ``truth`` over the length of
    ``truth`` (spaces and line breaks normalised)."""
    from rapidfuzz.distance import Levenshtein

    found, truth = " ".join(found.split()), " ".join(truth.split())
    return Levenshtein.distance(found, truth) / max(len(truth), 1)
