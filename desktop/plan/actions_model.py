"""The actions of one plan matter as a table: who, what, by when, status.

Editing a cell does not write to the store: the model shows the new value at once and emits
``action_edited(action_id, field, value)``; the page saves it and reloads the model if saving
fails. Testable without a window. GUI thread only.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from desktop.dates import format_day
from models.domain import ActionStatus
from models.records import Action

Index = QModelIndex | QPersistentModelIndex

ACTION_ROLE = Qt.ItemDataRole.UserRole + 1

# A symbol beside each status so it never rests on colour alone.
STATUS_SYMBOLS = {
    ActionStatus.NOT_STARTED: "\u25cb",  # empty circle
    ActionStatus.IN_PROGRESS: "\u25d0",  # half circle
    ActionStatus.DONE: "\u2713",  # tick
    ActionStatus.DROPPED: "\u2715",  # cross
}


OVERDUE_MARK = "\u26a0"  # warning sign: overdue is said in words and a symbol, not colour alone
OVERDUE_COLOUR = QColor("#a4161a")  # dark red: readable on white, dark in greyscale


def is_overdue(action: Action, today: date) -> bool:
    """Not done or dropped, and its by-when date has passed (due today is not yet overdue)."""
    finished = (ActionStatus.DONE, ActionStatus.DROPPED)
    return action.status not in finished and action.by_when is not None and action.by_when < today


def status_text(status: str) -> str:
    try:
        s = ActionStatus(status)
    except ValueError:
        return status
    return f"{STATUS_SYMBOLS[s]} {s.label}"


class ActionColumn(IntEnum):
    WHO = 0
    WHAT = 1
    BY_WHEN = 2
    STATUS = 3

    @property
    def field(self) -> str:
        return ("who", "what", "by_when", "status")[self]

    @property
    def title(self) -> str:
        return ("Who", "What", "By when", "Status")[self]


class ActionsTableModel(QAbstractTableModel):
    action_edited = Signal(str, str, object)  # action id, field name, new value

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._actions: list[Action] = []
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    def set_actions(self, actions: tuple[Action, ...] | list[Action]) -> None:
        self.beginResetModel()
        self._actions = list(actions)
        self.endResetModel()

    def action_at(self, row: int) -> Action:
        return self._actions[row]

    def open_count(self) -> int:
        done = (ActionStatus.DONE, ActionStatus.DROPPED)
        return sum(1 for a in self._actions if a.status not in done)

    # -- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(ActionColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ActionColumn(section).title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        column = ActionColumn(index.column())
        if role == ACTION_ROLE:
            return action
        if role == Qt.ItemDataRole.EditRole:
            if column is ActionColumn.BY_WHEN:
                return QDate(action.by_when) if action.by_when else None
            return getattr(action, column.field)
        overdue = column is ActionColumn.BY_WHEN and is_overdue(action, self.today)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column is ActionColumn.BY_WHEN:
                when = format_day(action.by_when, "No date")
                return f"{OVERDUE_MARK} {when}, overdue" if overdue else when
            if column is ActionColumn.STATUS:
                return status_text(action.status)
            return getattr(action, column.field)
        if role == Qt.ItemDataRole.ToolTipRole and column is ActionColumn.WHAT:
            return action.what
        if overdue and role == Qt.ItemDataRole.ForegroundRole:
            return OVERDUE_COLOUR
        if overdue and role == Qt.ItemDataRole.ToolTipRole:
            return "Overdue: the date has passed and it is not done."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(  # noqa: N802
        self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = ActionColumn(index.column())
        action = self._actions[index.row()]
        value = _clean(column, value)
        if value is _INVALID or value == getattr(action, column.field):
            return False
        fields = {f: getattr(action, f) for f in ("who", "what", "by_when", "status", "position")}
        fields[column.field] = value
        self._actions[index.row()] = Action(action.id, **fields)
        self.dataChanged.emit(index, index)
        self.action_edited.emit(action.id, column.field, value)
        return True


_INVALID = object()


def _clean(column: ActionColumn, value: Any) -> Any:
    if column is ActionColumn.BY_WHEN:
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, QDate):
            return value.toPython() if value.isValid() else None
        return _INVALID
    if column is ActionColumn.STATUS:
        try:
            return ActionStatus(str(value)).value
        except ValueError:
            return _INVALID
    text = str(value).strip()
    if column is ActionColumn.WHAT and not text:
        return _INVALID  # an action must say what it is
    return text
