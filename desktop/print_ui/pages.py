"""PDF pages to QImages with pypdfium2, entirely in memory (no spool or temporary file).

Safe on a worker thread (QImage is not a widget); pdfium is not re-entrant, so calls are
serialised by a lock.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

_PDFIUM_LOCK = threading.Lock()
POINTS_PER_INCH = 72.0


def page_count(pdf: bytes) -> int:
    with _PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def render_pages(pdf: bytes, dpi: float, first: int = 0, last: int | None = None) -> list[QImage]:
    """Pages ``first``..``last`` (inclusive; all by default) as RGB images at ``dpi``."""
    images: list[QImage] = []
    with _PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            end = len(doc) - 1 if last is None else min(last, len(doc) - 1)
            for index in range(first, end + 1):
                page = doc[index]
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
                image = QImage(
                    bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                    QImage.Format.Format_RGB888,
                ).copy()  # own the pixels before pdfium frees the bitmap
                bitmap.close()
                page.close()
                images.append(image)
        finally:
            doc.close()
    return images
