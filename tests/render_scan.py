"""Print a ``Report`` as a scanned PDF: page images without a text layer, as a scanner gives them.

The pages are laid out as ``render_files.render_ofd`` lays out its OFD pages (A4, paragraphs
wrapped, each table a grid of ruled cells with merged cells merged, the official grids of
``render_files``), then drawn with Pillow in a CJK font from Debian (``fonts-wqy-microhei``
or ``fonts-noto-cjk``) at ``dpi`` dots per inch, and wrapped as a PDF of one image per page.

``noise`` makes the scan worse the ways real scans are: ``"blur"`` (a Gaussian blur of
about one dot), ``"skew"`` (the page turned by ``SKEW_DEGREES``), ``"jpeg"`` (the page stored
as a JPEG of low quality).  Several may be combined.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable

from render_files import PAGE_H, PAGE_W, lay_out

from govreport import Report

FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
NOISES = ("blur", "skew", "jpeg")
SKEW_DEGREES = 1.0
JPEG_QUALITY = 35


def font_path() -> str | None:
    """The first CJK font of ``FONTS`` that is installed."""
    return next((path for path in FONTS if os.path.exists(path)), None)


class _Page:
    """One page being drawn, in millimetres from the top-left corner."""

    def __init__(self, dpi: int, font: str) -> None:
        from PIL import Image, ImageDraw

        self.scale = dpi / 25.4
        self.image = Image.new("L", (round(PAGE_W * self.scale), round(PAGE_H * self.scale)), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.font = font
        self.fonts: dict[float, object] = {}

    def px(self, mm: float) -> int:
        return round(mm * self.scale)

    def text(self, x: float, top: float, text: str, size: float) -> None:
        from PIL import ImageFont

        if size not in self.fonts:
            self.fonts[size] = ImageFont.truetype(self.font, self.px(size))
        self.draw.text((self.px(x), self.px(top)), text, fill=0, font=self.fonts[size])

    def box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.draw.rectangle((self.px(x0), self.px(top), self.px(x1), self.px(bottom)), outline=0, width=2)


def render_pages(report: Report, *, dpi: int = 200) -> list[object]:
    """The report's pages as greyscale Pillow images."""
    font = font_path()
    if font is None:
        raise RuntimeError("no CJK font: apt-get install fonts-wqy-microhei")
    pages = lay_out(report, lambda: _Page(dpi, font), text_drop=False, table_baseline=0, table_gap=3)
    return [page.image for page in pages]


def degrade(image: object, noise: Iterable[str]) -> object:
    """The page image made worse: blurred, turned, or both (JPEG happens when the PDF is written)."""
    from PIL import Image, ImageFilter

    assert isinstance(image, Image.Image)
    noise = set(noise)
    if "skew" in noise:
        image = image.rotate(SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if "blur" in noise:
        image = image.filter(ImageFilter.GaussianBlur(radius=1.0))
    return image


def render_scan(report: Report, *, dpi: int = 200, noise: Iterable[str] = ()) -> bytes:
    """The report as a scanned PDF: one image per page, no text layer."""
    noise = tuple(noise)
    unknown = set(noise) - set(NOISES)
    if unknown:
        raise ValueError(f"unknown noise {sorted(unknown)}: expected some of {NOISES}")
    images = [degrade(page, noise) for page in render_pages(report, dpi=dpi)]
    return images_to_pdf(images, dpi=dpi, jpeg="jpeg" in noise)


def images_to_pdf(images: list[object], *, dpi: int, jpeg: bool = False) -> bytes:
    """Page images as a PDF, each page the size of its image at ``dpi``.  Pillow writes greyscale
    images with the Flate filter, or as JPEG (DCT) when ``jpeg`` (at ``JPEG_QUALITY``)."""
    from PIL import Image

    pages: list[Image.Image] = []
    for image in images:
        assert isinstance(image, Image.Image)
        if jpeg:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=JPEG_QUALITY)
            image = Image.open(io.BytesIO(buffer.getvalue()))
            image.load()
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return out.getvalue()
