"""Removing something from a record: ask first, then leave a tombstone. GUI thread only.

Removals never delete: the repo functions mark the record removed, so it stays on the legal
record and can be recovered. The question defaults to No, so a stray Enter removes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from desktop.errors import show_error
from models.errors import PathwayDeskError
from models.store import Store


def confirm_and_remove(
    parent: QWidget, store: Store, title: str, question: str, remove: Callable[[Session], None]
) -> bool:
    """Ask ``question``; on Yes run ``remove(session)`` in one unit of work. True if removed."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, question, buttons, QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        with store.session() as s:
            remove(s)
    except PathwayDeskError as exc:
        show_error(parent, exc)
        return False
    return True
