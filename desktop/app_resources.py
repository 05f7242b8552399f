"""Qt objects made from bundled files (style sheets, icons).

The files are read through the app's one resource accessor, :mod:`resources` (``importlib
.resources``: a source checkout, an installed wheel and the PyInstaller bundle alike), never
through a path: icons are loaded from bytes, so nothing is unpacked to a temporary folder.
GUI thread only for the Qt objects.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from resources import read_bytes, read_text

STYLE_FOLDER = "qss"
ICON_FOLDER = "icons"


def style_sheet(name: str = "app.qss") -> str:
    return read_text(STYLE_FOLDER, name)


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` (SVG or PNG); an empty icon if it cannot be read."""
    pixmap = QPixmap()
    try:
        data = read_bytes(ICON_FOLDER, name)
    except (FileNotFoundError, ModuleNotFoundError):
        return QIcon()
    fmt = "SVG" if name.endswith(".svg") else None
    pixmap.loadFromData(data, fmt)
    return QIcon(pixmap)
