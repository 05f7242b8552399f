"""Removing something from a record: ask first, then leave a tombstone. GUI thread only.

Removals never delete: the repo functions mark the record removed, so it stays on the legal
record and can be recovered. The question defaults to No, so a stray Enter removes nothing. The
removal itself is a write operation; views refresh from its announcement.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from desktop.operations import Changes, Operations


def confirm_and_remove(
    parent: QWidget,
    ops: Operations,
    title: str,
    question: str,
    remove: Callable[[Session], object],
    changes: Changes,
    on_removed: Callable[[], object] | None = None,
) -> bool:
    """Ask ``question``; on Yes queue ``remove(session)`` as one write that announces
    ``changes``, then ``on_removed()``. True if the adviser said Yes."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, question, buttons, QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    ops.write(
        remove,
        changes,
        parent=parent,
        on_done=(lambda _r: on_removed()) if on_removed is not None else None,
    )
    return True
