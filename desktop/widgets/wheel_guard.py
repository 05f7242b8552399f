"""The mouse wheel scrolls forms; it never changes a field the adviser has not clicked into.

Qt gives a wheel turn to whatever drop-down or date edit is under the pointer, so scrolling a
long form changed values on the way (and then "Discard the changes you typed?" appeared though
nothing was typed). :func:`guard_wheel` is applied to every form once it is built: drop-downs,
date and number fields take focus only by click or Tab (``StrongFocus``), and a wheel turn over
one without focus goes to the nearest scroll area around it instead. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QComboBox, QAbstractSpinBox)  # QDateEdit, QSpinBox… are spin boxes


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() != QEvent.Type.Wheel
            or not isinstance(watched, QWidget)
            or watched.hasFocus()
        ):
            return False
        area = _scroll_area_around(watched)
        if area is None:
            event.ignore()  # nothing to scroll: Qt offers it to the parents
        else:
            QApplication.sendEvent(area.viewport(), event)
            event.accept()
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget) -> None:
    """Guards every drop-down and spin box (date edits too) inside ``root``, and ``root``
    itself if it is one. Call again after adding fields; guarding twice is harmless."""
    guard = root.findChild(_WheelGuard, "wheelGuard", Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = _WheelGuard(root)
        guard.setObjectName("wheelGuard")
    fields: list[QWidget] = [root] if isinstance(root, _GUARDED) else []
    for kind in _GUARDED:
        fields.extend(root.findChildren(kind))
    for field in fields:
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.removeEventFilter(guard)
        field.installEventFilter(guard)
