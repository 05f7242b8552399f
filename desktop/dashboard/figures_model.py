"""The dashboard's figures and the young people behind one, as Qt table models over plain
frozen values (``models.team_figures``). GUI thread only.

A figure's row says what is counted, how many, and out of how many; its tooltip and the
accessible text carry "how it was counted", so a screen reader hears the same as a sighted
reader sees beside the table.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.caseload.caseload_model import display_name
from desktop.dates import format_day
from models.team_figures import AREA_OF, FIGURE_ORDER, DrillRow, Figure

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
FIGURE_ROLE = int(Qt.ItemDataRole.UserRole) + 3

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_Index = QModelIndex | QPersistentModelIndex


class FigureColumn(IntEnum):
    AREA = 0
    FIGURE = 1
    NUMBER = 2
    OUT_OF = 3


_FIGURE_TITLES = ("Area", "Figure", "Number", "Out of")


def _label(figure: Figure) -> str:
    # The return's labels repeat the age group that the Area column already shows.
    return figure.label.split(": ", 1)[-1].capitalize() if ": " in figure.label else figure.label


class FiguresModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._figures: list[Figure] = []

    def set_figures(self, figures: tuple[Figure, ...]) -> None:
        self.beginResetModel()
        self._figures = sorted(figures, key=lambda f: FIGURE_ORDER.get(f.key, len(FIGURE_ORDER)))
        self.endResetModel()

    def figure_at(self, row: int) -> Figure:
        return self._figures[row]

    def row_of(self, key: str) -> int:
        return next((i for i, f in enumerate(self._figures) if f.key == key), -1)

    def first_row_of_area(self, row: int) -> int:
        """The row where ``row``'s area begins (the one that shows the area's name)."""
        area = AREA_OF.get(self._figures[row].key)
        while row > 0 and AREA_OF.get(self._figures[row - 1].key) == area:
            row -= 1
        return row

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._figures)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FigureColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role in (_DISPLAY, _ACCESSIBLE):
            return _FIGURE_TITLES[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not 0 <= index.row() < len(self._figures):
            return None
        f, column, role = self._figures[index.row()], FigureColumn(index.column()), int(role)
        if role == _DISPLAY:
            first_of_area = index.row() == 0 or AREA_OF.get(
                self._figures[index.row() - 1].key
            ) != AREA_OF.get(f.key)
            if column == FigureColumn.AREA and not first_of_area:
                return ""  # the area once, at the top of its group
            return self._text(f, column)
        if role == _ACCESSIBLE:
            return (
                f"{self._text(f, column)}. {f.how}"
                if column == FigureColumn.FIGURE
                else (self._text(f, column))
            )
        if role == _TOOLTIP:
            return f.how
        if role == _ALIGNMENT and column in (FigureColumn.NUMBER, FigureColumn.OUT_OF):
            return _RIGHT
        if role == FIGURE_ROLE:
            return f
        return None

    @staticmethod
    def _text(f: Figure, column: FigureColumn) -> str:
        if column == FigureColumn.AREA:
            return AREA_OF.get(f.key, "")
        if column == FigureColumn.FIGURE:
            return _label(f)
        if column == FigureColumn.NUMBER:
            return str(f.count)
        return "" if f.of is None else str(f.of)


class DrillColumn(IntEnum):
    NAME = 0
    ADVISER = 1
    AGE = 2
    WHEN = 3


class DrillModel(QAbstractTableModel):
    """The young people behind one figure, with the date that put each of them there."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[DrillRow, ...] = ()
        self._when_title = ""

    def set_rows(self, rows: tuple[DrillRow, ...], when_title: str) -> None:
        self.beginResetModel()
        self._rows, self._when_title = rows, when_title
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows((), "")

    def row_at(self, row: int) -> DrillRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid():
            return 0
        return len(DrillColumn) if self._when_title else len(DrillColumn) - 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _DISPLAY:  # short: the names need the room
            return ("Name", "Adviser", "Age", self._when_title)[section]
        if role in (_ACCESSIBLE, _TOOLTIP):
            return ("Name", "Allocated adviser", "Age", self._when_title)[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not 0 <= index.row() < len(self._rows):
            return None
        r, column, role = self._rows[index.row()], DrillColumn(index.column()), int(role)
        if role in (_DISPLAY, _ACCESSIBLE):
            if column == DrillColumn.NAME:
                return display_name(r.name, r.legal_name)
            if column == DrillColumn.ADVISER:
                return r.adviser.strip() or "Not allocated"
            if column == DrillColumn.AGE:
                return str(r.age)
            return format_day(r.when, "Never" if "contact" in self._when_title.lower() else "—")
        if role == SORT_ROLE:
            if column == DrillColumn.AGE:
                return r.age
            if column == DrillColumn.WHEN:
                return r.when.toordinal() if r.when else date.min.toordinal()
            return (r.name if column == DrillColumn.NAME else r.adviser).casefold()
        if role == ID_ROLE:
            return r.id
        if role == _TOOLTIP and column == DrillColumn.NAME:  # a long name is cut in the cell
            return display_name(r.name, r.legal_name)
        if role == _ALIGNMENT and column == DrillColumn.AGE:
            return _RIGHT
        return None
