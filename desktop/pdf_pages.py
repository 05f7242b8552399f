"""The one PDF page renderer of the GUI: PDF bytes to ``QImage`` pages with pypdfium2, in memory.

pdfium is not thread-safe, and the file viewer, the Memory Box thumbnails and the print preview
all render on worker threads: every call into pdfium in the app goes through this module and
holds its one lock. Nothing is written to disk (no spool, no temporary file). ``QImage`` (not
``QPixmap``) is safe to make off the GUI thread. Any thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

POINTS_PER_INCH = 72.0
_PDFIUM_LOCK = threading.Lock()


class PdfUnreadable(ValueError):
    """The bytes are not a PDF pdfium can open, or the PDF has no pages."""


@dataclass(frozen=True)
class RenderedPage:
    image: QImage
    page_index: int
    page_count: int
    page_size: tuple[float, float]  # in PDF points (1/72 inch)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(str(exc)) from exc


def _to_qimage(page: pdfium.PdfPage, scale: float) -> QImage:
    bitmap = page.render(scale=scale, rev_byteorder=True)
    try:
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
        )
        return image.copy()  # own the pixels before pdfium frees the bitmap
    finally:
        bitmap.close()


def _fit_within(image: QImage, width: int, height: int) -> QImage:
    if image.width() <= width and image.height() <= height:
        return image
    return image.scaled(
        width,
        height,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def page_count(data: bytes) -> int:
    with _PDFIUM_LOCK:
        doc = _open(data)
        try:
            return len(doc)
        finally:
            doc.close()


def render_page(
    data: bytes,
    page_index: int,
    scale: float = 1.0,
    *,
    fit_side: int | None = None,
    fit_width: int | None = None,
) -> RenderedPage:
    """One page at ``scale`` (1.0: a point is a pixel), or scaled so that its longer side
    (``fit_side``, never exceeded) or its width (``fit_width``) is that many pixels. An index
    out of range gives the nearest page."""
    with _PDFIUM_LOCK:
        doc = _open(data)
        try:
            count = len(doc)
            if count == 0:
                raise PdfUnreadable("no pages")
            index = min(max(page_index, 0), count - 1)
            page = doc[index]
            try:
                width, height = page.get_size()
                # pdfium rounds the bitmap size up, so a scale a hair over the exact one (float
                # error) would make it a pixel too big: aim a millionth of a pixel under.
                if fit_side is not None:
                    scale = (fit_side - 1e-6) / max(width, height, 1.0)
                elif fit_width is not None:
                    scale = (fit_width - 1e-6) / max(width, 1.0)
                image = _to_qimage(page, scale)
            finally:
                page.close()
        finally:
            doc.close()
    # pdfium rounds the bitmap up (ceil of size * scale), so a page fitted to 126 pixels can
    # come out 127: cap it to the box it was asked to fit.
    if fit_side is not None:
        image = _fit_within(image, fit_side, fit_side)
    elif fit_width is not None:
        image = _fit_within(image, fit_width, image.height())
    return RenderedPage(image, index, count, (float(width), float(height)))


def render_pages(data: bytes, dpi: float, first: int = 0, last: int | None = None) -> list[QImage]:
    """Pages ``first``..``last`` (inclusive; all by default) at ``dpi``."""
    images: list[QImage] = []
    with _PDFIUM_LOCK:
        doc = _open(data)
        try:
            end = len(doc) - 1 if last is None else min(last, len(doc) - 1)
            for index in range(first, end + 1):
                page = doc[index]
                try:
                    images.append(_to_qimage(page, dpi / POINTS_PER_INCH))
                finally:
                    page.close()
        finally:
            doc.close()
    return images
