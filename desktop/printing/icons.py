"""Simple vector icons drawn with ReportLab paths: one per plan matter, plus a few for the page.

Each icon draws in white (or the given colour) inside a square of side ``s`` whose lower-left
corner is the origin; :func:`draw_badge` puts one on a coloured disc. Vector, so they print
sharp at any size and add almost nothing to the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.printing.fonts import font

IconDraw = Callable[[Canvas, float], None]


def _fill(c: Canvas, path) -> None:
    c.drawPath(path, fill=1, stroke=0)


def _people(c: Canvas, s: float) -> None:
    c.circle(0.36 * s, 0.64 * s, 0.13 * s, fill=1, stroke=0)
    c.wedge(0.14 * s, 0.16 * s, 0.58 * s, 0.62 * s, 0, 180, fill=1, stroke=0)
    c.circle(0.66 * s, 0.58 * s, 0.11 * s, fill=1, stroke=0)
    c.wedge(0.48 * s, 0.16 * s, 0.84 * s, 0.52 * s, 0, 180, fill=1, stroke=0)


def _person(c: Canvas, s: float) -> None:
    c.circle(0.5 * s, 0.66 * s, 0.16 * s, fill=1, stroke=0)
    c.wedge(0.22 * s, 0.12 * s, 0.78 * s, 0.68 * s, 0, 180, fill=1, stroke=0)


def _chat(c: Canvas, s: float) -> None:
    c.roundRect(0.14 * s, 0.34 * s, 0.72 * s, 0.48 * s, 0.1 * s, fill=1, stroke=0)
    p = c.beginPath()
    p.moveTo(0.3 * s, 0.36 * s)
    p.lineTo(0.24 * s, 0.16 * s)
    p.lineTo(0.46 * s, 0.36 * s)
    p.close()
    _fill(c, p)


def _cap(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.8 * s)
    p.lineTo(0.92 * s, 0.6 * s)
    p.lineTo(0.5 * s, 0.4 * s)
    p.lineTo(0.08 * s, 0.6 * s)
    p.close()
    _fill(c, p)
    c.rect(0.28 * s, 0.26 * s, 0.44 * s, 0.24 * s, fill=1, stroke=0)
    c.rect(0.83 * s, 0.3 * s, 0.04 * s, 0.3 * s, fill=1, stroke=0)
    c.circle(0.85 * s, 0.28 * s, 0.05 * s, fill=1, stroke=0)


def _briefcase(c: Canvas, s: float, bg=None) -> None:
    c.roundRect(0.12 * s, 0.18 * s, 0.76 * s, 0.5 * s, 0.06 * s, fill=1, stroke=0)
    c.setLineWidth(0.07 * s)
    c.roundRect(0.36 * s, 0.62 * s, 0.28 * s, 0.18 * s, 0.05 * s, fill=0, stroke=1)


def _umbrella(c: Canvas, s: float) -> None:
    c.wedge(0.1 * s, 0.2 * s, 0.9 * s, 1.0 * s, 0, 180, fill=1, stroke=0)
    c.setLineWidth(0.07 * s)
    c.setLineCap(1)
    c.line(0.5 * s, 0.6 * s, 0.5 * s, 0.22 * s)
    c.arc(0.3 * s, 0.12 * s, 0.5 * s, 0.32 * s, 180, 180)


def _house(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.88 * s)
    p.lineTo(0.92 * s, 0.5 * s)
    p.lineTo(0.08 * s, 0.5 * s)
    p.close()
    _fill(c, p)
    c.rect(0.2 * s, 0.14 * s, 0.6 * s, 0.38 * s, fill=1, stroke=0)


def _heart(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.14 * s)
    p.curveTo(0.1 * s, 0.42 * s, 0.02 * s, 0.62 * s, 0.14 * s, 0.76 * s)
    p.curveTo(0.26 * s, 0.9 * s, 0.44 * s, 0.86 * s, 0.5 * s, 0.7 * s)
    p.curveTo(0.56 * s, 0.86 * s, 0.74 * s, 0.9 * s, 0.86 * s, 0.76 * s)
    p.curveTo(0.98 * s, 0.62 * s, 0.9 * s, 0.42 * s, 0.5 * s, 0.14 * s)
    p.close()
    _fill(c, p)


def _key(c: Canvas, s: float) -> None:
    c.setLineWidth(0.1 * s)
    c.circle(0.3 * s, 0.58 * s, 0.16 * s, fill=0, stroke=1)
    c.rect(0.42 * s, 0.54 * s, 0.48 * s, 0.09 * s, fill=1, stroke=0)
    c.rect(0.72 * s, 0.38 * s, 0.08 * s, 0.18 * s, fill=1, stroke=0)
    c.rect(0.84 * s, 0.42 * s, 0.06 * s, 0.14 * s, fill=1, stroke=0)


def _coin(c: Canvas, s: float) -> None:
    c.setLineWidth(0.08 * s)
    c.circle(0.5 * s, 0.5 * s, 0.36 * s, fill=0, stroke=1)
    c.setFont(font("latin", True).fontName, 0.5 * s)
    c.drawCentredString(0.5 * s, 0.32 * s, "£")


def _health(c: Canvas, s: float) -> None:
    c.rect(0.4 * s, 0.16 * s, 0.2 * s, 0.68 * s, fill=1, stroke=0)
    c.rect(0.16 * s, 0.4 * s, 0.68 * s, 0.2 * s, fill=1, stroke=0)


def _star(c: Canvas, s: float) -> None:
    p = c.beginPath()
    for i in range(10):
        r = 0.42 * s if i % 2 == 0 else 0.18 * s
        a = math.pi / 2 + i * math.pi / 5
        x, y = 0.5 * s + r * math.cos(a), 0.47 * s + r * math.sin(a)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    p.close()
    _fill(c, p)


def _phone(c: Canvas, s: float) -> None:
    c.roundRect(0.3 * s, 0.1 * s, 0.4 * s, 0.8 * s, 0.07 * s, fill=1, stroke=0)
    c.saveState()
    c.setFillColor(colors.Color(0, 0, 0, alpha=0.35))
    c.rect(0.35 * s, 0.24 * s, 0.3 * s, 0.56 * s, fill=1, stroke=0)
    c.restoreState()


def _alert(c: Canvas, s: float) -> None:
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.88 * s)
    p.lineTo(0.92 * s, 0.14 * s)
    p.lineTo(0.08 * s, 0.14 * s)
    p.close()
    _fill(c, p)
    c.saveState()
    c.setFillColor(colors.Color(0, 0, 0, alpha=0.55))
    c.rect(0.46 * s, 0.4 * s, 0.08 * s, 0.28 * s, fill=1, stroke=0)
    c.circle(0.5 * s, 0.28 * s, 0.05 * s, fill=1, stroke=0)
    c.restoreState()


def _gift(c: Canvas, s: float) -> None:
    c.rect(0.16 * s, 0.14 * s, 0.68 * s, 0.44 * s, fill=1, stroke=0)
    c.rect(0.1 * s, 0.56 * s, 0.8 * s, 0.16 * s, fill=1, stroke=0)
    c.saveState()
    c.setFillColor(colors.Color(0, 0, 0, alpha=0.3))
    c.rect(0.45 * s, 0.14 * s, 0.1 * s, 0.58 * s, fill=1, stroke=0)
    c.restoreState()
    c.circle(0.38 * s, 0.8 * s, 0.08 * s, fill=1, stroke=0)
    c.circle(0.62 * s, 0.8 * s, 0.08 * s, fill=1, stroke=0)


def _calendar(c: Canvas, s: float) -> None:
    c.roundRect(0.14 * s, 0.14 * s, 0.72 * s, 0.66 * s, 0.06 * s, fill=1, stroke=0)
    c.saveState()
    c.setFillColor(colors.Color(0, 0, 0, alpha=0.3))
    for row in range(2):
        for col in range(3):
            c.rect((0.24 + col * 0.19) * s, (0.24 + row * 0.17) * s, 0.12 * s, 0.1 * s, 1, 0)
    c.restoreState()
    c.rect(0.3 * s, 0.74 * s, 0.06 * s, 0.16 * s, fill=1, stroke=0)
    c.rect(0.64 * s, 0.74 * s, 0.06 * s, 0.16 * s, fill=1, stroke=0)


def _target(c: Canvas, s: float) -> None:
    c.setLineWidth(0.08 * s)
    c.circle(0.5 * s, 0.5 * s, 0.36 * s, fill=0, stroke=1)
    c.circle(0.5 * s, 0.5 * s, 0.12 * s, fill=1, stroke=0)


def _tick(c: Canvas, s: float) -> None:
    c.setLineWidth(0.12 * s)
    c.setLineCap(1)
    c.setLineJoin(1)
    p = c.beginPath()
    p.moveTo(0.2 * s, 0.5 * s)
    p.lineTo(0.42 * s, 0.28 * s)
    p.lineTo(0.8 * s, 0.72 * s)
    c.drawPath(p, fill=0, stroke=1)


def _book(c: Canvas, s: float) -> None:
    for x0, x1 in ((0.1, 0.48), (0.52, 0.9)):
        p = c.beginPath()
        p.moveTo(x0 * s, 0.74 * s)
        p.lineTo(x1 * s, 0.7 * s if x0 < 0.5 else 0.74 * s)
        p.lineTo(x1 * s, 0.2 * s if x0 < 0.5 else 0.26 * s)
        p.lineTo(x0 * s, 0.26 * s if x0 < 0.5 else 0.2 * s)
        p.close()
        _fill(c, p)


def _camera(c: Canvas, s: float) -> None:
    c.roundRect(0.1 * s, 0.2 * s, 0.8 * s, 0.52 * s, 0.08 * s, fill=1, stroke=0)
    c.rect(0.34 * s, 0.7 * s, 0.32 * s, 0.1 * s, fill=1, stroke=0)
    c.saveState()
    c.setFillColor(colors.Color(0, 0, 0, alpha=0.35))
    c.circle(0.5 * s, 0.46 * s, 0.17 * s, fill=1, stroke=0)
    c.restoreState()


ICONS: dict[str, IconDraw] = {
    "people": _people,
    "person": _person,
    "chat": _chat,
    "cap": _cap,
    "briefcase": _briefcase,
    "umbrella": _umbrella,
    "house": _house,
    "heart": _heart,
    "key": _key,
    "coin": _coin,
    "health": _health,
    "star": _star,
    "phone": _phone,
    "alert": _alert,
    "gift": _gift,
    "calendar": _calendar,
    "target": _target,
    "tick": _tick,
    "book": _book,
    "camera": _camera,
}


def draw_icon(c: Canvas, name: str, x: float, y: float, size: float, color) -> None:
    """Draw icon ``name`` in ``color`` in the square (x, y, size, size)."""
    c.saveState()
    c.translate(x, y)
    c.setFillColor(color)
    c.setStrokeColor(color)
    ICONS[name](c, size)
    c.restoreState()


def draw_badge(c: Canvas, name: str, x: float, y: float, diameter: float, color) -> None:
    """A white icon on a disc of ``color``; (x, y) is the lower-left of its square."""
    c.saveState()
    c.setFillColor(color)
    r = diameter / 2
    c.circle(x + r, y + r, r, fill=1, stroke=0)
    c.restoreState()
    inset = diameter * 0.2
    draw_icon(c, name, x + inset, y + inset, diameter - 2 * inset, colors.white)


class Badge(Flowable):
    """An icon badge as a flowable (for table cells and easy-read rows)."""

    def __init__(self, name: str, diameter: float, color) -> None:
        super().__init__()
        self.name = name
        self.diameter = diameter
        self.color = color

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.diameter, self.diameter

    def draw(self) -> None:
        draw_badge(self.canv, self.name, 0, 0, self.diameter, self.color)
