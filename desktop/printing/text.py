"""Drawing shaped text: the ``Text`` flowable and canvas helpers used by every printed page.

All printed text goes through :func:`desktop.printing.shaping.layout_text`, so any script,
right-to-left text and mixed strings print correctly wherever they appear (headings, table
cells, captions, the cover).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.printing.shaping import Layout, Line, Span, layout_text

TextContent = str | Sequence[Span]


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    color: object = colors.black
    bold: bool = False
    align: str = "start"  # start (left, or right for RTL text), end, left, right, center
    space_after: float = 0.0

    def but(self, **changes: object) -> TextStyle:
        return replace(self, **changes)


def as_spans(content: TextContent, style: TextStyle) -> list[Span]:
    if isinstance(content, str):
        return [Span(content, style.bold, None)]
    return list(content)


def _line_x(line: Line, width: float, align: str, rtl: bool) -> float:
    if align == "center":
        return (width - line.width) / 2
    right = align == "right" or (align == "start" and rtl) or (align == "end" and not rtl)
    return width - line.width if right else 0.0


def baseline_offset(size: float, leading: float) -> float:
    """Distance from the top of a line box to its baseline."""
    return (leading - size) / 2 + size * 0.82


def draw_lines(
    canv: Canvas,
    lines: Sequence[Line],
    x: float,
    top: float,
    width: float,
    style: TextStyle,
    rtl: bool,
) -> None:
    """Draw laid-out lines in a box whose top-left corner is (x, top)."""
    size = style.size
    for i, line in enumerate(lines):
        y = top - i * style.leading - baseline_offset(size, style.leading)
        pen = x + _line_x(line, width, style.align, rtl)
        for piece in line.pieces:
            color = piece.color or style.color
            canv.setFillColor(color)
            canv.setFont(piece.font.fontName, size)
            if piece.font.synthetic_bold:
                canv.setStrokeColor(color)
                canv.setLineWidth(size * 0.035)
                canv.drawString(pen, y, piece.text, mode=2)
            else:
                canv.drawString(pen, y, piece.text)
            pen += piece.width


def draw_text(
    canv: Canvas,
    content: TextContent,
    x: float,
    top: float,
    width: float,
    style: TextStyle,
    *,
    max_lines: int | None = None,
) -> float:
    """Lay out and draw text in a box of ``width`` from (x, top); returns the height used."""
    layout = layout_text(as_spans(content, style), style.size, width)
    lines = layout.lines[:max_lines] if max_lines else layout.lines
    draw_lines(canv, lines, x, top, width, style, layout.rtl)
    return len(lines) * style.leading


def text_width(content: TextContent, style: TextStyle) -> float:
    """The natural width of one line of text."""
    layout = layout_text(as_spans(content, style), style.size, 1e9)
    return max((line.width for line in layout.lines), default=0.0)


class Text(Flowable):
    """A paragraph of shaped text in one :class:`TextStyle`; splits across pages by lines."""

    def __init__(
        self, content: TextContent, style: TextStyle, *, _layout: Layout | None = None
    ) -> None:
        super().__init__()
        self.content = content
        self.style = style
        self._layout = _layout
        self._fixed = _layout is not None
        self._width = 0.0

    def _lay_out(self, width: float) -> Layout:
        if self._layout is None or (not self._fixed and width != self._width):
            self._layout = layout_text(as_spans(self.content, self.style), self.style.size, width)
            self._width = width
        return self._layout

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        layout = self._lay_out(availWidth)
        self._width = availWidth if not self._fixed else self._width or availWidth
        self.width = availWidth
        self.height = len(layout.lines) * self.style.leading + self.style.space_after
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        layout = self._lay_out(availWidth)
        fit = int(availHeight // self.style.leading)
        if fit < 2 or fit >= len(layout.lines) or len(layout.lines) < 4:
            return []  # keep short paragraphs whole; no orphan or widow lines
        fit = min(fit, len(layout.lines) - 2)
        first = Layout(layout.lines[:fit], layout.rtl, layout.size)
        rest = Layout(layout.lines[fit:], layout.rtl, layout.size)
        return [
            Text(self.content, self.style.but(space_after=0), _layout=first),
            Text(self.content, self.style, _layout=rest),
        ]

    def draw(self) -> None:
        if self._layout is not None:
            lines = self._layout.lines
            draw_lines(self.canv, lines, 0, self.height, self.width, self.style, self._layout.rtl)
