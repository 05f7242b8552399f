"""The memory-box keepsake book: ``render_keepsake(record, photos, out)``.

A book a young person can keep: a cover with their name and chosen photo, then their photos
(two to a page, framed, with the caption, the date and who added them) and their written
memories, oldest first so the book reads forward through their life. Pages have a bound
book's mirrored margins and centred page numbers. Photos come from ``photos(sha256) -> bytes``
and stay in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from desktop.printing.blocks import Box, fmt_date, gap
from desktop.printing.document import PAGE_HEIGHT, PAGE_WIDTH, build_pdf
from desktop.printing.icons import draw_icon
from desktop.printing.images import PrintImage, cover_crop, fit_inside, prepare_image
from desktop.printing.plan import display_name
from desktop.printing.text import Text, TextStyle, draw_text
from desktop.printing.theme import BRAND, BRAND_TINT, INK, MUTED, PAPER_TINT
from models.domain import MemoryKind
from models.errors import PathwayDeskError
from models.records import StoredFile, YoungPersonRecord

PhotoSource = Callable[[str], bytes]

INNER, OUTER, TOP, BOTTOM = 24 * mm, 16 * mm, 18 * mm, 22 * mm
FRAME_W = PAGE_WIDTH - INNER - OUTER
FRAME_H = PAGE_HEIGHT - TOP - BOTTOM
WARM = colors.HexColor("#FFF8EE")
CAPTION = TextStyle(14, 19, INK, bold=True, align="center")
DETAIL = TextStyle(10.5, 14, MUTED, align="center")
MEMORY = TextStyle(15, 23, INK)


def _when(item: StoredFile) -> date:
    return item.dated or item.added_at.date()


def _added_by(item: StoredFile, name: str) -> str:
    if item.added_by_kind == "young_person":
        return f"Added by {name}"
    return f"Added by {item.added_by_name}" if item.added_by_name else ""


class _Cover(Flowable):
    def __init__(self, name: str, years: str, photo: PrintImage | None) -> None:
        super().__init__()
        self.name = name
        self.years = years
        self.photo = photo

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, availHeight - 1
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        w, h = self.width, self.height
        c.saveState()
        c.setFillColor(WARM)
        c.roundRect(0, 0, w, h, 14, fill=1, stroke=0)
        c.restoreState()
        top = h - 50
        draw_icon(c, "camera", w / 2 - 18, top - 36, 36, BRAND)
        top -= 56
        top -= draw_text(c, "My memory box", 0, top, w, TextStyle(20, 26, BRAND, True, "center"))
        top -= 6
        top -= draw_text(c, self.name, 20, top, w - 40, TextStyle(40, 48, INK, True, "center"),
                         max_lines=3)
        if self.years:
            years = TextStyle(16, 22, MUTED, False, "center")
            top -= draw_text(c, self.years, 0, top - 4, w, years)
        if self.photo is not None:
            d = min(w - 80, top - 90)
            x, y = (w - d) / 2, top - 40 - d
            c.saveState()
            p = c.beginPath()
            p.roundRect(x, y, d, d, 18)
            c.clipPath(p, stroke=0, fill=0)
            dx, dy, pw, ph = cover_crop(self.photo, d, d)
            c.drawImage(self.photo.reader, x + dx, y + dy, pw, ph)
            c.restoreState()
        draw_text(c, "Photos and memories, kept safe for you.", 0, 60, w,
                  TextStyle(13, 18, MUTED, False, "center"))


class _PhotoCard(Flowable):
    """A photo on a white mount with a soft shadow, its caption and date under it."""

    def __init__(self, image: PrintImage | None, caption: str, detail: str, height: float):
        super().__init__()
        self.image = image
        self.caption = Text(caption, CAPTION) if caption.strip() else None
        self.detail = Text(detail, DETAIL) if detail.strip() else None
        self.box_h = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.box_h
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        text_h = 0.0
        parts = [t for t in (self.caption, self.detail) if t is not None]
        for t in parts:
            text_h += t.wrap(self.width - 40, 1e6)[1]
        mount = 12
        room_h = self.height - text_h - 2 * mount - 20
        room_w = self.width - 2 * mount - 20
        if self.image is not None:
            pw, ph = fit_inside(self.image, room_w, room_h)
        else:
            pw, ph = room_w * 0.6, room_h * 0.6
        x = (self.width - pw) / 2
        y = self.height - 10 - mount - ph
        c.saveState()
        c.setFillColor(colors.Color(0, 0, 0, alpha=0.12))
        mw, mh = pw + 2 * mount, ph + 2 * mount
        c.roundRect(x - mount + 3, y - mount - 3, mw, mh, 4, fill=1, stroke=0)
        c.setFillColor(colors.white)
        c.setStrokeColor(colors.HexColor("#E4DED4"))
        c.roundRect(x - mount, y - mount, pw + 2 * mount, ph + 2 * mount, 4, fill=1, stroke=1)
        c.restoreState()
        if self.image is not None:
            c.drawImage(self.image.reader, x, y, pw, ph)
        else:
            c.saveState()
            c.setFillColor(PAPER_TINT)
            c.rect(x, y, pw, ph, fill=1, stroke=0)
            c.restoreState()
            draw_text(c, "This photo is not on this laptop yet.", x, y + ph / 2 + 8, pw, DETAIL)
        top = y - mount - 10
        for t in parts:
            t.drawOn(c, 20, top - t.height)
            top -= t.height


def _memory_page(item: StoredFile, detail: str) -> list[Flowable]:
    content: list[Flowable] = [Text("\u201c", TextStyle(54, 40, BRAND, True))]
    if item.caption.strip():
        content += [Text(item.caption, TextStyle(18, 25, BRAND, True)), gap(6)]
    content += [Text(item.body, MEMORY), gap(10), Text(detail, DETAIL.but(align="start"))]
    # A memory's title never ends a page with its words on the next: a memory that does not fit
    # in what is left of a page starts a new one (one longer than a page still splits).
    return [KeepTogether([Box(content, background=WARM, padding=26, radius=12, space_after=18)])]


def _document_card(item: StoredFile, detail: str) -> list[Flowable]:
    title = item.caption or item.title or item.filename or "A document"
    card = Box(
        [Text("A document in my memory box", TextStyle(11, 15, MUTED)),
         Text(title, TextStyle(15, 21, INK, True)),
         Text(f"{item.filename}  ·  {detail}", DETAIL.but(align="start"))],
        background=BRAND_TINT, padding=16, space_after=14,
    )
    return [KeepTogether([card])]


def render_keepsake(
    record: YoungPersonRecord, photos: PhotoSource, out: BinaryIO, *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the keepsake book as a PDF to ``out``; returns the number of pages.

    ``photos(sha256)`` returns a photo's bytes; a photo it cannot give (not synced yet, damaged)
    prints as an empty frame with a note instead of stopping the book.
    """
    name = display_name(record)
    items = sorted(record.memories, key=lambda m: (_when(m), m.added_at))

    def load(sha: str | None) -> PrintImage | None:
        if not sha:
            return None
        try:
            return prepare_image(photos(sha))
        except (PathwayDeskError, OSError):
            return None

    years = ""
    if items:
        first, last = _when(items[0]).year, _when(items[-1]).year
        years = str(first) if first == last else f"{first} to {last}"
    story: list[Flowable] = [
        _Cover(name, years, load(record.profile.cover_photo_sha256)), PageBreak()
    ]
    half = (FRAME_H - 8) / 2
    for done, item in enumerate(items, start=1):
        detail = " · ".join(x for x in (fmt_date(_when(item)), _added_by(item, name)) if x)
        if item.kind == MemoryKind.PHOTO and item.media_type.startswith("image/"):
            # Two photos to a page: a photo starts a new page when less than half is left.
            story.append(CondPageBreak(half + 1))
            story.append(_PhotoCard(load(item.sha256), item.caption, detail, half))
        elif item.kind == MemoryKind.MEMORY:
            story += _memory_page(item, detail)
        else:
            story += _document_card(item, detail)
        if progress is not None:
            progress(done, len(items))
    if not items:
        story.append(Text("Nothing is in the memory box yet. Photos and memories added with your "
                          "personal adviser will appear here.", MEMORY))

    def decor(c: Canvas, number: int, count: int) -> None:
        if number == 1:
            return
        draw_text(c, str(number - 1), 0, BOTTOM - 6, PAGE_WIDTH,
                  TextStyle(10, 13, MUTED, align="center"))

    margins = (INNER, OUTER, TOP, BOTTOM)
    return build_pdf(story, out, title=f"My memory box: {name}", decor=decor, margins=margins,
                     mirror=True)
