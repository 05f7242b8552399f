"""Photos for print: upright (EXIF orientation), sized for print, decoded in memory only.

A JPEG that is already upright and not too large is embedded without decoding or re-encoding
(which keeps a 100-photo keepsake fast), but with every metadata segment cut out: EXIF (GPS
position, camera, dates), XMP, IPTC, ICC descriptions and comments never reach a printed copy.
Anything else is decoded with Pillow, reduced with JPEG draft mode where possible, turned upright
and re-encoded from pixels alone, then stripped the same way. Nothing is written to
disk.
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


# Segments a decoder needs; every other APPn (EXIF, XMP, ICC, IPTC...) and COM is metadata.
_KEEP_APP = {0xE0, 0xEE}  # JFIF, Adobe (colour transform)
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RSTn: markers without a length


def strip_jpeg_metadata(data: bytes) -> bytes | None:
    """The same JPEG without its metadata segments (lossless), or None if it is malformed."""
    if data[:2] != b"\xff\xd8":
        return None
    out = bytearray(b"\xff\xd8")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            out += data[i:i + 2]
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            return None
        segment = data[i:i + 2 + length]
        if marker == 0xDA:  # start of scan: the rest is image data (no metadata follows it
            out += data[i:]  # that a PDF reader would use; trailing bytes after EOI are cut)
            end = out.rfind(b"\xff\xd9")
            return bytes(out[:end + 2]) if end > 0 else None
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE) or marker in _KEEP_APP:
            out += segment
        i += 2 + length
    return None


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
            and (clean := strip_jpeg_metadata(data)) is not None
        ):
            return PrintImage(_JpegReader(clean), *img.size)
        if img.format == "JPEG":
            img.draft("RGB", (max_pixels, max_pixels))  # fast reduced decode
        img = ImageOps.exif_transpose(img)
        if img.mode not in ("RGB", "L"):
            background = Image.new("RGB", img.size, "white")
            rgba = img.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            img = background
        img.thumbnail((max_pixels, max_pixels), Image.Resampling.LANCZOS)
        img.info.clear()  # Pillow re-writes a JPEG comment (and more) kept in ``info``
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=86, optimize=False)
        clean = strip_jpeg_metadata(buffer.getvalue())  # belt and braces: pixels only
        if clean is None:
            return None
        return PrintImage(_JpegReader(clean), *img.size)
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
