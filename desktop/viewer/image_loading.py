"""Turning a stored file into pictures, in memory only: photos, PDF pages and thumbnails.

Everything here runs on a worker thread (through :class:`~desktop.tasks.TaskRunner`): it reads
the verified plaintext from the blob store into memory, decodes it with Qt's image readers or
renders a PDF page (through the app's one PDF renderer, :mod:`desktop.pdf_pages`, which holds
pdfium's one lock), and returns a ``QImage`` (safe to make off the GUI thread, unlike
``QPixmap``). Nothing is ever written to disk: no temp file, no thumbnail cache.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from desktop.pdf_pages import PdfUnreadable, RenderedPage, render_page
from models.blobs import BlobStore
from models.errors import BlobError

VIEW_BYTES_LIMIT = 256 * 1024 * 1024
"""The largest file opened for viewing in memory; bigger ones are offered as "Save a copy…"."""

IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/x-ms-bmp"}
)
PDF_TYPE = "application/pdf"

# One decode at a time. QImageReader takes a Qt-internal lock (its format handlers) while it
# reads from the QBuffer, and reading a PySide-made QBuffer needs the GIL: two decodes on two
# workers could each hold what the other waits for (seen as a hang of the viewer and the
# thumbnails). Waiting for this lock releases the GIL, so the decode holding it always finishes.
_DECODE_LOCK = threading.Lock()


class PreviewFailed(BlobError):
    """The file is intact but cannot be shown (a damaged or unsupported picture or PDF)."""


def can_preview(media_type: str) -> bool:
    return media_type in IMAGE_TYPES or media_type == PDF_TYPE


def read_for_view(blobs: BlobStore, sha256: str) -> bytes:
    """The whole verified plaintext, in memory (worker thread)."""
    return blobs.read_bytes(sha256, max_size=VIEW_BYTES_LIMIT)


def decode_image(data: bytes, max_side: int | None = None) -> QImage:
    """Decode a photo from bytes, turned upright by its EXIF orientation and, if ``max_side`` is
    given, decoded straight to at most that many pixels on its longer side (cheap for JPEGs).
    Any thread; one decode at a time."""
    with _DECODE_LOCK:
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
        error = reader.errorString()
        buffer.close()
        del reader, buffer
    if image.isNull():
        raise PreviewFailed(f"This picture cannot be shown ({error}).")
    if max_side is not None and max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def render_pdf_page(
    data: bytes,
    page_index: int,
    scale: float = 1.0,
    *,
    fit_side: int | None = None,
    fit_width: int | None = None,
) -> RenderedPage:
    """One page of the PDF in ``data`` (see :func:`desktop.pdf_pages.render_page`), or
    :class:`PreviewFailed` saying why it cannot be shown."""
    try:
        return render_page(data, page_index, scale, fit_side=fit_side, fit_width=fit_width)
    except PdfUnreadable as exc:
        raise PreviewFailed(f"This PDF cannot be shown ({exc}).") from exc


def thumbnail_image(blobs: BlobStore, sha256: str, media_type: str, side: int) -> QImage | None:
    """A small picture of a stored photo or PDF (first page); None for other kinds of file."""
    if media_type in IMAGE_TYPES:
        return decode_image(read_for_view(blobs, sha256), side)
    if media_type == PDF_TYPE:
        return render_pdf_page(read_for_view(blobs, sha256), 0, fit_side=side).image
    return None
