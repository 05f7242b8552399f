"""Building blocks every screen uses so that it is readable and reachable for everyone.

Labels are buddies of their fields (Alt+letter jumps to the field; screen readers read the label),
every field gets an accessible name, and headings scale from the system font instead of fixed
pixel sizes, so a bigger system font or 200% scaling makes everything bigger together.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

HEADING_SCALE = {1: 1.6, 2: 1.25, 3: 1.05}


def plain(text: str) -> str:
    """Label text without its mnemonic ampersand or trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


def buddy_label(text: str, field: QWidget, description: str = "") -> QLabel:
    """A label for ``field`` (``text`` may hold a ``&`` mnemonic), naming it for screen readers."""
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(plain(text))
    if description:
        field.setAccessibleDescription(description)
        field.setToolTip(description)
    return label


def scaled_font(base: QFont, scale: float, bold: bool = False) -> QFont:
    """``base`` made ``scale`` times bigger (point sizes, so it follows the system font)."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    elif font.pixelSize() > 0:  # some platforms report pixels; keep the ratio all the same
        font.setPixelSize(round(font.pixelSize() * scale))
    font.setBold(bold)
    return font


def heading(text: str, level: int = 1, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label.font(), HEADING_SCALE.get(level, 1.0), bold=True))
    label.setAccessibleName(text)
    label.setWordWrap(True)
    label.setProperty("heading", level)
    return label


def message_label(kind: str = "error", parent: QWidget | None = None) -> QLabel:
    """A hidden, word-wrapped message line; ``kind`` ("error", "info", "ok") picks its style."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setProperty("message", kind)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setAccessibleName(text)
    label.setVisible(bool(text))


def wrapped(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
