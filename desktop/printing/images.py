"""Photos for print: upright (EXIF orientation), sized for print, decoded in memory only.

A JPEG that is already upright and not too large is embedded as it is (no decoding or
re-encoding, which keeps a 100-photo keepsake fast); anything else is decoded with Pillow,
reduced with JPEG draft mode where possible, turned upright and re-encoded. Nothing is written
to disk.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

MAX_PIXELS = 1800  # longest side: about 250 dpi across a half A4 page
PASS_THROUGH_BYTES = 1_500_000
_EXIF_ORIENTATION = 0x0112


class _JpegReader(ImageReader):
    """An ImageReader over JPEG bytes that ReportLab embeds as they are (DCTDecode).

    ``Canvas.drawImage`` names an image by hashing ``getRGBData()``, which decodes every pixel;
    a hash of the JPEG bytes names it just as well and keeps a 100-photo book fast.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self._signature = hashlib.sha256(data).digest()
        self._dataA = None

    def getRGBData(self) -> bytes:  # noqa: N802 - ReportLab's name
        return self._signature


@dataclass(frozen=True)
class PrintImage:
    reader: ImageReader
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0


def prepare_image(data: bytes, max_pixels: int = MAX_PIXELS) -> PrintImage | None:
    """A print-ready image from file bytes, or None if the bytes are not a picture."""
    try:
        img = Image.open(io.BytesIO(data))
        orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
        if (
            img.format == "JPEG"
            and orientation == 1
            and img.mode in ("RGB", "L")
            and max(img.size) <= max_pixels * 1.4
            and len(data) <= PASS_THROUGH_BYTES
        ):
            return PrintImage(_JpegReader(data), *img.size)
        if img.format == "JPEG":
            img.draft("RGB", (max_pixels, max_pixels))  # fast reduced decode
        img = ImageOps.exif_transpose(img)
        if img.mode not in ("RGB", "L"):
            background = Image.new("RGB", img.size, "white")
            rgba = img.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            img = background
        img.thumbnail((max_pixels, max_pixels), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=86, optimize=False)
        return PrintImage(_JpegReader(buffer.getvalue()), *img.size)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def cover_crop(image: PrintImage, box_w: float, box_h: float) -> tuple[float, float, float, float]:
    """Offset and size to draw ``image`` so it fills a box (cropping the overflow, centred)."""
    if image.aspect > box_w / box_h:
        h = box_h
        w = h * image.aspect
    else:
        w = box_w
        h = w / image.aspect
    return (box_w - w) / 2, (box_h - h) / 2, w, h


def fit_inside(image: PrintImage, box_w: float, box_h: float) -> tuple[float, float]:
    """Size to draw ``image`` whole inside a box, keeping its shape."""
    if image.aspect > box_w / box_h:
        return box_w, box_w / image.aspect
    return box_h * image.aspect, box_h
