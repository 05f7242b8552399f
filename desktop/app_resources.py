"""The one way the GUI reads its bundled files (style sheets, icons): ``importlib.resources``.

It works from a source checkout, an installed wheel and the PyInstaller bundle alike, and never
needs a file path (icons are loaded from bytes, so nothing is unpacked to a temporary folder).
GUI thread only for the Qt objects.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon, QPixmap

STYLE_PACKAGE = "resources.qss"
ICON_PACKAGE = "resources.icons"


def read_bytes(package: str, name: str) -> bytes:
    return resources.files(package).joinpath(name).read_bytes()


def style_sheet(name: str = "app.qss") -> str:
    return read_bytes(STYLE_PACKAGE, name).decode("utf-8")


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` (SVG or PNG); an empty icon if it cannot be read."""
    pixmap = QPixmap()
    try:
        data = read_bytes(ICON_PACKAGE, name)
    except (FileNotFoundError, ModuleNotFoundError):
        return QIcon()
    fmt = "SVG" if name.endswith(".svg") else None
    pixmap.loadFromData(data, fmt)
    return QIcon(pixmap)
