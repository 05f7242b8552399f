"""Building blocks shared by the printed plan, the keepsake book and the export's records.

Boxes with a tinted background, headings with a matter badge, icon rows (easy read), tables of
shaped text, and date formatting. Boxes and icon rows split across pages between (or inside)
their children, so long text in a young person's own words never overflows a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desktop.printing.fonts import font
from desktop.printing.icons import draw_badge
from desktop.printing.text import Text, TextContent, TextStyle, baseline_offset
from desktop.printing.theme import INK, RULE


def fmt_date(d: date | datetime | None, empty: str = "not set") -> str:
    """3 March 2027 (a datetime shows its date only)."""
    if d is None:
        return empty
    if isinstance(d, datetime):
        d = d.date()
    return f"{d.day} {d:%B %Y}"


def fmt_datetime(d: datetime) -> str:
    return f"{fmt_date(d)}, {d:%H:%M}"


def _split_content(
    content: Sequence[Flowable], width: float, height: float
) -> tuple[list[Flowable], list[Flowable]] | None:
    """Fit the first flowables of ``content`` in ``height``; None if not even a part fits."""
    used = 0.0
    for i, f in enumerate(content):
        _, h = f.wrap(width, height - used)
        if used + h <= height + 1e-6:
            used += h
            continue
        parts = f.split(width, height - used)
        if parts:
            return list(content[:i]) + [parts[0]], list(parts[1:]) + list(content[i + 1 :])
        if i == 0:
            return None
        return list(content[:i]), list(content[i:])
    return list(content), []


class Box(Flowable):
    """Children on a rounded, tinted panel with padding; splits between or inside children."""

    def __init__(
        self,
        content: Sequence[Flowable],
        *,
        background=None,
        border=None,
        border_width: float = 1.2,
        padding: float = 10,
        radius: float = 6,
        space_after: float = 0,
    ) -> None:
        super().__init__()
        self.content = list(content)
        self.background = background
        self.border = border
        self.border_width = border_width
        self.padding = padding
        self.radius = radius
        self.space_after = space_after
        self._heights: list[float] = []

    def _copy(self, content: Sequence[Flowable], space_after: float) -> Box:
        return Box(
            content,
            background=self.background,
            border=self.border,
            border_width=self.border_width,
            padding=self.padding,
            radius=self.radius,
            space_after=space_after,
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        inner = availWidth - 2 * self.padding
        self._heights = [f.wrap(inner, 1e6)[1] for f in self.content]
        self.width = availWidth
        self.height = sum(self._heights) + 2 * self.padding + self.space_after
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        inner = availWidth - 2 * self.padding
        room = availHeight - 2 * self.padding
        if room < 40:
            return []
        parts = _split_content(self.content, inner, room)
        if parts is None or not parts[1] or not parts[0]:
            return []
        return [self._copy(parts[0], 0), self._copy(parts[1], self.space_after)]

    def draw(self) -> None:
        c = self.canv
        box_h = self.height - self.space_after
        c.saveState()
        if self.background is not None:
            c.setFillColor(self.background)
        if self.border is not None:
            c.setStrokeColor(self.border)
            c.setLineWidth(self.border_width)
        c.roundRect(
            0, self.space_after, self.width, box_h, self.radius,
            fill=self.background is not None, stroke=self.border is not None,
        )
        c.restoreState()
        y = self.height - self.padding
        for f, h in zip(self.content, self._heights, strict=True):
            y -= h
            f.drawOn(c, self.padding, y)


class IconRow(Flowable):
    """A badge on the left and flowables beside it (easy-read layout, contact rows)."""

    def __init__(
        self, icon: str, color, diameter: float, content: Sequence[Flowable], *,
        gap: float = 10, space_after: float = 6, show_icon: bool = True,
    ) -> None:
        super().__init__()
        self.icon = icon
        self.color = color
        self.diameter = diameter
        self.content = list(content)
        self.gap = gap
        self.space_after = space_after
        self.show_icon = show_icon
        self._heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        inner = availWidth - self.diameter - self.gap
        self._heights = [f.wrap(inner, 1e6)[1] for f in self.content]
        self.width = availWidth
        text_h = sum(self._heights)
        self.height = max(self.diameter if self.show_icon else 0, text_h) + self.space_after
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        inner = availWidth - self.diameter - self.gap
        if availHeight < self.diameter:
            return []
        parts = _split_content(self.content, inner, availHeight)
        if parts is None or not parts[1] or len(parts[0]) < 2:
            return []  # never leave a heading alone beside its icon
        first = IconRow(self.icon, self.color, self.diameter, parts[0], gap=self.gap,
                        space_after=0, show_icon=self.show_icon)
        rest = IconRow(self.icon, self.color, self.diameter, parts[1], gap=self.gap,
                       space_after=self.space_after, show_icon=False)
        return [first, rest]

    def draw(self) -> None:
        c = self.canv
        top = self.height - self.space_after
        if self.show_icon:
            draw_badge(c, self.icon, 0, top - self.diameter, self.diameter, self.color)
        y = top
        x = self.diameter + self.gap
        for f, h in zip(self.content, self._heights, strict=True):
            y -= h
            f.drawOn(c, x, y)


class Banner(Flowable):
    """A section heading: a badge, the heading in the section's colour, and a rule under it."""

    def __init__(
        self, text: TextContent, style: TextStyle, *, icon: str | None, color,
        badge: float, space_before: float = 14, space_after: float = 8,
    ) -> None:
        super().__init__()
        self.text = Text(text, style.but(color=color, bold=True))
        self.icon = icon
        self.color = color
        self.badge = badge if icon else 0
        self.space_before = space_before
        self.space_after = space_after
        self.keepWithNext = True  # a heading never ends a page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        gap = 10 if self.icon else 0
        _, self._text_h = self.text.wrap(availWidth - self.badge - gap, 1e6)
        self.height = self.space_before + max(self.badge, self._text_h) + 6 + self.space_after
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        top = self.height - self.space_before
        row = max(self.badge, self._text_h)
        if self.icon:
            draw_badge(c, self.icon, 0, top - (row + self.badge) / 2, self.badge, self.color)
        gap = 10 if self.icon else 0
        self.text.drawOn(c, self.badge + gap, top - (row + self._text_h) / 2)
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(2)
        c.line(0, self.space_after, self.width, self.space_after)
        c.restoreState()


def table(
    rows: Sequence[Sequence[TextContent]],
    widths: Sequence[float],
    style: TextStyle,
    *,
    header: Sequence[str] | None = None,
    header_bg=None,
    header_color=INK,
    zebra=None,
    padding: float = 5,
) -> Table:
    """A table of shaped text; ``widths`` are fractions of the available width."""
    style = style.but(align="left")  # cells follow the document, even for a lone Arabic name
    head_style = style.but(bold=True, color=header_color)
    data: list[list[Flowable]] = []
    if header:
        data.append([Text(h, head_style) for h in header])
    data += [[Text(cell, style) for cell in row] for row in rows]
    t = _FractionTable(data, widths, repeatRows=1 if header else 0)
    commands = [
        # Cells hold our Text flowables; naming our font stops ReportLab's Helvetica default
        # from being referenced (and left unembedded) in the PDF.
        ("FONTNAME", (0, 0), (-1, -1), font("latin").fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.9),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
    ]
    if header and header_bg is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), header_bg))
    if zebra is not None:
        first = 1 if header else 0
        commands.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [None, zebra]))
    t.setStyle(TableStyle(commands))
    return t


class _FractionTable(Table):
    """A Table whose column widths are fractions of whatever width it is given."""

    def __init__(self, data, fractions: Sequence[float] | None = None, **kwargs) -> None:
        # Table.split makes new instances with absolute colWidths and no fractions.
        self._fractions = list(fractions) if fractions else None
        if self._fractions:
            kwargs["colWidths"] = [100.0] * len(self._fractions)
        super().__init__(data, **kwargs)

    def wrap(self, availWidth: float, availHeight: float):  # noqa: N803
        if self._fractions:
            total = sum(self._fractions)
            self._argW = [availWidth * f / total for f in self._fractions]
            self._colWidths = list(self._argW)
        return super().wrap(availWidth, availHeight)


def heading(content: TextContent, style: TextStyle, space_after: float = 3) -> Text:
    """A sub-heading kept on the same page as what follows it."""
    t = Text(content, style.but(space_after=space_after))
    t.keepWithNext = True
    return t


def gap(height: float) -> Spacer:
    return Spacer(1, height)


__all__ = [
    "Banner",
    "Box",
    "IconRow",
    "baseline_offset",
    "fmt_date",
    "fmt_datetime",
    "gap",
    "heading",
    "table",
]
