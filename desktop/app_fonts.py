"""The app's own fonts as fallbacks for every script the caseload uses.

Names in Tigrinya, Amharic (Ge'ez script), Arabic-script languages and Chinese must show on a
machine with no fonts for them. The Noto/Droid files shipped for printing (``resources/fonts``)
are registered with Qt from bytes, through the one resource accessor, and appended to the
application font's family list: the system font still draws what it can, and a character it
lacks is looked up in these families before Qt's own fallback. GUI thread only.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from resources import read_bytes

FONT_FOLDER = "fonts"
# Regular and bold faces; the order is the fallback order (the printing module's order too).
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansEthiopic-Regular.ttf",
    "NotoSansEthiopic-Bold.ttf",
    "DroidSansFallbackFull.ttf",
)

_registered: list[str] | None = None


def register_app_fonts() -> list[str]:
    """Registers the bundled fonts once; returns their family names in fallback order."""
    global _registered
    if _registered is not None:
        return list(_registered)
    families: list[str] = []
    for name in FONT_FILES:
        try:
            font_id = QFontDatabase.addApplicationFontFromData(read_bytes(FONT_FOLDER, name))
        except (FileNotFoundError, ModuleNotFoundError):
            font_id = -1
        if font_id < 0:
            logging.getLogger(__name__).warning("The bundled font %s could not be loaded", name)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    _registered = families
    return list(families)


def with_fallbacks(font: QFont, fallbacks: list[str]) -> QFont:
    """``font`` with ``fallbacks`` after its own families (none repeated)."""
    result = QFont(font)
    own = list(font.families()) or [font.family()]
    result.setFamilies(own + [f for f in fallbacks if f not in own])
    return result


def install_app_fonts(app: QApplication) -> list[str]:
    """Registers the bundled fonts and makes them fallbacks of the application font."""
    families = register_app_fonts()
    if families:
        app.setFont(with_fallbacks(app.font(), families))
    return families
