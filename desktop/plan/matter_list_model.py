"""The parts of the plan shown down the left of the plan editor: the life summary first, then the
ten matters in statutory order, each with its icon, how many actions are open, and whether it
holds unsaved changes (said in words, not only by colour). Testable without a window.
GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.plan.matter_style import OVERVIEW, matter_icon
from models.domain import ActionStatus, Matter
from models.records import PlanView

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
KEYS = (OVERVIEW, *(m.value for m in Matter))


def part_label(key: str) -> str:
    return "Life summary and review" if key == OVERVIEW else Matter(key).label


class MatterListModel(QAbstractListModel):
    def __init__(self, icon_size: int = 24, parent: Any = None) -> None:
        super().__init__(parent)
        self._icon_size = icon_size
        self._open: dict[str, int] = {}
        self._unsaved: set[str] = set()

    def set_plan(self, plan: PlanView) -> None:
        closed = (ActionStatus.DONE, ActionStatus.DROPPED)
        self._open = {
            s.matter: sum(1 for a in s.actions if a.status not in closed) for s in plan.sections
        }
        self._changed_all()

    def set_open_actions(self, key: str, count: int) -> None:
        self._open[key] = count
        self._changed_row(key)

    def set_unsaved(self, key: str, unsaved: bool) -> None:
        if unsaved == (key in self._unsaved):
            return
        (self._unsaved.add if unsaved else self._unsaved.discard)(key)
        self._changed_row(key)

    def row_of(self, key: str) -> int:
        return KEYS.index(key)

    def key_at(self, row: int) -> str:
        return KEYS[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(KEYS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = KEYS[index.row()]
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.DecorationRole:
            return matter_icon(key, self._icon_size)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "The life summary, review date and agreement"
                if key == OVERVIEW
                else (Matter(key).statutory_heading)
            )
        return None

    def _text(self, key: str) -> str:
        label = part_label(key)
        if key != OVERVIEW:
            n = self._open.get(key, 0)
            detail = f"{n} open action{'s' if n != 1 else ''}" if n else "No open actions"
        else:
            detail = "Start here"
        if key in self._unsaved:
            detail += " \u00b7 unsaved"
        return f"{label}\n{detail}"

    def _changed_row(self, key: str) -> None:
        i = self.index(self.row_of(key))
        self.dataChanged.emit(i, i)

    def _changed_all(self) -> None:
        self.dataChanged.emit(self.index(0), self.index(len(KEYS) - 1))
