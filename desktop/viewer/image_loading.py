"""Turning a stored file into pictures, in memory only: photos, PDF pages and thumbnails.

Everything here runs on a worker thread (through :class:`~desktop.tasks.TaskRunner`): it reads
the verified plaintext from the blob store into memory, decodes it with Qt's image readers or
renders a PDF page with pdfium (bytes -> PIL -> QImage), and returns a ``QImage`` (safe to make
off the GUI thread, unlike ``QPixmap``). Nothing is ever written to disk: no temp file, no
thumbnail cache. pdfium is not thread-safe, so every call into it holds one lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from models.blobs import BlobStore
from models.errors import BlobError

VIEW_BYTES_LIMIT = 256 * 1024 * 1024
"""The largest file opened for viewing in memory; bigger ones are offered as "Save a copy…"."""

_PDFIUM_LOCK = threading.Lock()

IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/x-ms-bmp"}
)
PDF_TYPE = "application/pdf"


class PreviewFailed(BlobError):
    """The file is intact but cannot be shown (a damaged or unsupported picture or PDF)."""


def can_preview(media_type: str) -> bool:
    return media_type in IMAGE_TYPES or media_type == PDF_TYPE


def read_for_view(blobs: BlobStore, sha256: str) -> bytes:
    """The whole verified plaintext, in memory (worker thread)."""
    return blobs.read_bytes(sha256, max_size=VIEW_BYTES_LIMIT)


def decode_image(data: bytes, max_side: int | None = None) -> QImage:
    """Decode a photo from bytes, turned upright by its EXIF orientation and, if ``max_side`` is
    given, decoded straight to at most that many pixels on its longer side (cheap for JPEGs)."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    if max_side is not None:
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > max_side:
            reader.setScaledSize(
                size.scaled(QSize(max_side, max_side), Qt.AspectRatioMode.KeepAspectRatio)
            )
    image = reader.read()
    buffer.close()
    if image.isNull():
        raise PreviewFailed(f"This picture cannot be shown ({reader.errorString()}).")
    if max_side is not None and max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def _pil_to_qimage(pil: Image.Image) -> QImage:
    rgba = pil.convert("RGBA")
    raw = rgba.tobytes("raw", "RGBA")
    image = QImage(raw, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()  # own the pixels: ``raw`` goes away when this function returns


def _fit_within(image: QImage, width: int, height: int) -> QImage:
    if image.width() <= width and image.height() <= height:
        return image
    return image.scaled(
        width,
        height,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


@dataclass(frozen=True)
class RenderedPage:
    image: QImage
    page_index: int
    page_count: int
    page_size: tuple[float, float]  # in PDF points (1/72 inch)


def render_pdf_page(
    data: bytes,
    page_index: int,
    scale: float = 1.0,
    *,
    fit_side: int | None = None,
    fit_width: int | None = None,
) -> RenderedPage:
    """Render one page of the PDF held in ``data`` at ``scale`` (1.0: a point is a pixel), or
    scaled so that its longer side (``fit_side``) or its width (``fit_width``) is that many
    pixels. ``RenderedPage.page_size`` lets the caller work out the scale used."""
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PreviewFailed(f"This PDF cannot be shown ({exc}).") from exc
        try:
            count = len(doc)
            if count == 0:
                raise PreviewFailed("This PDF has no pages.")
            index = min(max(page_index, 0), count - 1)
            page = doc[index]
            try:
                size = page.get_size()
                # pdfium rounds the bitmap size up, so a scale a hair over the exact one (float
                # error) would make it one pixel too big: aim a millionth of a pixel under.
                if fit_side is not None:
                    scale = (fit_side - 1e-6) / max(size[0], size[1], 1.0)
                elif fit_width is not None:
                    scale = (fit_width - 1e-6) / max(size[0], 1.0)
                bitmap = page.render(scale=scale)
                pil = bitmap.to_pil()
                image = _pil_to_qimage(pil)
                bitmap.close()
                # pdfium rounds the page size up (ceil of size * scale), so a page fitted to
                # 126 pixels can come out 127: cap it to the box it was asked to fit.
                if fit_side is not None:
                    image = _fit_within(image, fit_side, fit_side)
                elif fit_width is not None:
                    image = _fit_within(image, fit_width, image.height())
            finally:
                page.close()
        finally:
            doc.close()
    return RenderedPage(image, index, count, (float(size[0]), float(size[1])))


def thumbnail_image(blobs: BlobStore, sha256: str, media_type: str, side: int) -> QImage | None:
    """A small picture of a stored photo or PDF (first page); None for other kinds of file."""
    if media_type in IMAGE_TYPES:
        return decode_image(read_for_view(blobs, sha256), side)
    if media_type == PDF_TYPE:
        return render_pdf_page(read_for_view(blobs, sha256), 0, fit_side=side).image
    return None
