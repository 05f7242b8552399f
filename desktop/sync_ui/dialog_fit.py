"""Dialogs whose word-wrapped messages come and go: made tall enough for every line.

A dialog does not grow for a word-wrapped label that appears or gets longer (its size hint
ignores height-for-width), so the last lines were cut. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


def fit_height(dialog: QWidget) -> None:
    """Now: as tall as its layout needs at its current width (a form with nothing that
    stretches: it shrinks too when a message goes)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    dialog.setMinimumHeight(needed)
    if dialog.height() != needed:
        dialog.resize(width, needed)


def fit_height_soon(dialog: QWidget) -> None:
    """Once the pending layout changes are done (from the event loop)."""
    QTimer.singleShot(0, dialog, lambda: fit_height(dialog))
