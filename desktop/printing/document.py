"""Building a PDF from a story of flowables, in memory or into a stream the caller owns.

Every document is A4, embeds its fonts (no PDF base-14 font is ever referenced, even the
canvas's initial one), carries a title, and gets its page furniture (header, footer, "page N
of M") drawn after layout, when the page count is known. Nothing is written to disk here:
``out`` is whatever binary stream the caller passes (usually ``io.BytesIO``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from desktop.printing.fonts import RENDER_LOCK, font
from desktop.printing.theme import PAGE_MARGIN

# Binary streams instead of ASCII85: without ReportLab's C accelerator, ASCII85-encoding every
# embedded photo and font in Python takes most of a keepsake book's time (and files grow 25%).
rl_config.useA85 = 0

PageDecor = Callable[[Canvas, int, int], None]
"""``decor(canvas, page_number, page_count)``: draws a page's header and footer."""

PAGE_WIDTH, PAGE_HEIGHT = A4


def _numbered_canvas(decor: PageDecor | None) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds each page until the end so its footer can say "page N of M"."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if decor is not None:
                    self.saveState()
                    decor(self, number, count)
                    self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(
    story: Sequence[Flowable],
    out: BinaryIO,
    *,
    title: str,
    decor: PageDecor | None = None,
    margins: tuple[float, float, float, float] | None = None,
    author: str = "Pathway Desk",
    subject: str = "",
    mirror: bool = False,
) -> int:
    """Lay out ``story`` on A4 pages and write the PDF to ``out``; returns the page count.

    ``margins`` are (inner/left, outer/right, top, bottom) in points; with ``mirror`` the
    inner margin alternates sides like a bound book (recto pages first). Holds the render
    lock throughout (fonts are shared), so it may be called from any thread.
    """
    left, right, top, bottom = margins or (PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    with RENDER_LOCK:
        base = font("latin")
        doc = BaseDocTemplate(
            out,
            pagesize=A4,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=title,
            author=author,
            subject=subject,
            creator="Pathway Desk",
            producer="Pathway Desk",
            initialFontName=base.fontName,
            invariant=True,
        )
        def frame(x: float) -> Frame:
            return Frame(
                x, bottom, PAGE_WIDTH - left - right, PAGE_HEIGHT - top - bottom, id="body",
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
            )

        if mirror:
            doc.addPageTemplates(
                [
                    PageTemplate(id="recto", frames=[frame(left)], autoNextPageTemplate="verso"),
                    PageTemplate(id="verso", frames=[frame(right)], autoNextPageTemplate="recto"),
                ]
            )
        else:
            doc.addPageTemplates([PageTemplate(id="page", frames=[frame(left)])])
        doc.build(list(story), canvasmaker=_numbered_canvas(decor))
        return doc.page


def render_to_bytes(build: Callable[[BinaryIO], object]) -> bytes:
    """Run ``build(stream)`` into memory and return the PDF bytes (nothing touches the disk)."""
    buffer = io.BytesIO()
    build(buffer)
    return buffer.getvalue()
