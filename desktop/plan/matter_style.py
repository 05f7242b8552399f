"""How each pathway-plan matter looks: a colour and a symbol, drawn as a small icon.

The colour and symbol only help the eye find a matter again; the matter's name is always shown
beside them, so nothing depends on seeing colour. Icons are painted at the screen's device pixel
ratio, so they stay sharp at 200% scale. GUI thread only (QPixmap).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from models.domain import Matter

OVERVIEW = "overview"

# Colours dark enough for white symbols to pass WCAG AA contrast.
_STYLE: dict[str, tuple[str, str]] = {
    OVERVIEW: ("#4a4a8a", "\u2605"),  # star: the life summary
    Matter.CONTACT_SUPPORT: ("#1f6f8b", "\u260e"),  # telephone
    Matter.EDUCATION_TRAINING: ("#6a4c93", "\u270e"),  # pencil
    Matter.EMPLOYMENT: ("#8a5a00", "\u2692"),  # hammer and pick
    Matter.CONTINGENCY: ("#a23b3b", "\u2602"),  # umbrella
    Matter.ACCOMMODATION: ("#2d6a4f", "\u2302"),  # house
    Matter.FAMILY_RELATIONSHIPS: ("#b5446e", "\u263a"),  # smiling face
    Matter.INDEPENDENT_LIVING: ("#5c6b00", "\u2615"),  # hot drink
    Matter.FINANCE: ("#006d6f", "\u00a3"),  # pound sign
    Matter.HEALTH: ("#b03a2e", "\u2665"),  # heart
    Matter.IDENTITY: ("#3d5a98", "\u2726"),  # four-pointed star
}


def matter_colour(key: str) -> QColor:
    return QColor(_STYLE.get(key, ("#555555", "?"))[0])


def matter_symbol(key: str) -> str:
    return _STYLE.get(key, ("", "\u25cf"))[1]


def _device_ratio() -> float:
    app = QApplication.instance()
    screen = app.primaryScreen() if isinstance(app, QApplication) else None
    return screen.devicePixelRatio() if screen is not None else 1.0


@cache
def _icon(key: str, size: int, ratio: float) -> QIcon:
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    rect = QRectF(0, 0, size, size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(matter_colour(key))
    painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), size * 0.25, size * 0.25)
    font = QFont()
    font.setPixelSize(round(size * 0.6))  # sized to the icon, which itself follows the font
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, matter_symbol(key))
    painter.end()
    return QIcon(pixmap)


def matter_icon(key: str, size: int) -> QIcon:
    """A rounded square in the matter's colour with its symbol; ``size`` in logical pixels."""
    return _icon(str(key), size, _device_ratio())
