"""The bundled fonts make every script of the demo names readable, even with no system fonts."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel

from desktop.app_fonts import install_app_fonts

NAMES = {
    "Noto Sans Ethiopic": "ሰላም ተስፋይ",  # Tigrinya
    "Noto Sans Arabic": "محمد",
    "Droid Sans Fallback": "王小明",
}


def test_labels_draw_geez_arabic_and_cjk_names_with_the_bundled_fonts(qtbot, qapp) -> None:
    before = QApplication.font()
    try:
        families = install_app_fonts(qapp)
        for family, name in NAMES.items():
            assert family in families
            label = QLabel(name)
            qtbot.addWidget(label)
            assert family in label.font().families()
            metrics = QFontMetrics(label.font())
            assert all(metrics.inFontUcs4(ord(c)) for c in name if not c.isspace()), name
        # The system font stays first: the bundled ones are fallbacks only.
        assert QApplication.font().families()[0] == (before.families() or [before.family()])[0]
    finally:
        QApplication.setFont(before)
