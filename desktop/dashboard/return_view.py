"""The birthday-return worklist: this year's care leavers, their three facts, what is missing or
out of date and the return's checks to fix; and the return saved as CSV. GUI thread only.

Two kinds of row, told apart by the "Why asked" column: a 17th to 21st birthday in the year,
or "Latest contact, aged 23" for the 22-25-year-olds in contact, asked as at that contact.

The rows come with the dashboard (one read): the worklist and the return figures are counted
from the same rows. Saving the CSV writes a plaintext file, so it goes through the one output
path (``desktop.printing.outputs``: audit first, file last) as a job off the GUI thread.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, wrapped
from desktop.caseload.caseload_model import OVERDUE_COLOUR
from desktop.dashboard.csv_output import NOT_ENCRYPTED, AskPath, ask_csv_path, save_csv
from desktop.dates import format_day
from desktop.operations import Operations
from models.birthday_return import ReturnKind, ReturnRow, ReturnStatus, return_csv

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 3
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_Index = QModelIndex | QPersistentModelIndex
_NEEDS_WORK = frozenset({ReturnStatus.TO_FIX, ReturnStatus.MISSING, ReturnStatus.OUT_OF_DATE})


_COUNTED = {
    ReturnStatus.RECORDED: "recorded",
    ReturnStatus.TO_FIX: "with checks to fix",
    ReturnStatus.OUT_OF_DATE: "out of date",
    ReturnStatus.MISSING: "missing",
    ReturnStatus.NOT_YET_DUE: "not yet due",
}


# A latest-contact row is never out of date or not yet due: it is as at a contact that was.
_CONTACT_STATUSES = (ReturnStatus.RECORDED, ReturnStatus.TO_FIX, ReturnStatus.MISSING)


def _counts(rows: list[ReturnRow], statuses: tuple[ReturnStatus, ...]) -> str:
    """ "2 recorded, 0 with checks to fix, 1 missing"."""
    return ", ".join(f"{sum(r.status is s for r in rows)} {_COUNTED[s]}" for s in statuses)


class ReturnColumn(IntEnum):
    NAME = 0
    ADVISER = 1
    WHY = 2
    STATUS = 3
    IN_TOUCH = 4
    ACTIV = 5
    ACCOM = 6
    TO_FIX = 7


_TITLES = (
    "Name",
    "Allocated adviser",
    "Why asked",
    "Status",
    "In touch",
    "Activity",
    "Accommodation",
    "To fix",
)


class ReturnModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReturnRow] = []

    def set_rows(self, rows: list[ReturnRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ReturnRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ReturnColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role in (_DISPLAY, _ACCESSIBLE):
            return _TITLES[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not 0 <= index.row() < len(self._rows):
            return None
        r, column, role = self._rows[index.row()], ReturnColumn(index.column()), int(role)
        if role in (_DISPLAY, _ACCESSIBLE):
            return self._text(r, column)
        if role == _TOOLTIP and column == ReturnColumn.TO_FIX and r.problems:
            return "\n".join(r.problems)
        if role == _TOOLTIP and column == ReturnColumn.WHY:
            return _why_tooltip(r)
        if role == _FOREGROUND and column == ReturnColumn.STATUS and r.status in _NEEDS_WORK:
            return QBrush(OVERDUE_COLOUR)  # the status says it in words too
        if role == SORT_ROLE:
            if column == ReturnColumn.WHY:  # the birthdays first, then the latest contacts
                latest = r.kind is ReturnKind.LATEST_CONTACT
                return int(latest) * 10_000_000 + r.when.toordinal()
            return self._text(r, column).casefold()
        if role == ID_ROLE:
            return r.id
        if role == STATUS_ROLE:
            return r.status
        return None

    @staticmethod
    def _text(r: ReturnRow, column: ReturnColumn) -> str:
        if column == ReturnColumn.NAME:
            return r.name
        if column == ReturnColumn.ADVISER:
            return r.adviser.strip() or "Not allocated"
        if column == ReturnColumn.WHY:
            return _why(r)
        if column == ReturnColumn.STATUS:
            return r.status.label
        if column == ReturnColumn.IN_TOUCH:
            return r.in_touch
        if column == ReturnColumn.ACTIV:
            return r.activity
        if column == ReturnColumn.ACCOM:
            return r.accom
        return r.problems[0] if r.problems else ""


def _why(r: ReturnRow, *, note: bool = False) -> str:
    """ "17th birthday on 10 Jun 2026", "Latest contact on 5 Oct 2026, aged 23"; with ``note``
    (the tooltip) also "(25 earlier this year)" for a contact after the 26th birthday. Without
    it the text is short enough that the column never squeezes "To fix" out of sight."""
    if r.kind is ReturnKind.BIRTHDAY:
        return f"{r.why} on {format_day(r.when)}"
    return f"Latest contact on {format_day(r.when)}, {r.age_note if note else f'aged {r.age}'}"


def _why_tooltip(r: ReturnRow) -> str:
    counted = f"{format_day(r.window[0])} to {format_day(r.window[1])}"
    if r.kind is ReturnKind.BIRTHDAY:
        return f"{_why(r)}. Recordings count from {counted}."
    asked = (
        f"{_why(r, note=True)}. Aged 22 to 25 on some day of the return year so far, and in "
        "contact: the return asks about them as at their latest contact."
    )
    if r.current is None:
        return f"{asked} Nothing recorded from {counted}."
    return f"{asked} Returned: the recording of {format_day(r.current.recorded_on)}."


class _StatusFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.needs_work_only = False
        self.adviser: str | None = None

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802
        index = self.sourceModel().index(row, 0, parent)
        if self.needs_work_only and index.data(STATUS_ROLE) not in _NEEDS_WORK:
            return False
        if self.adviser is not None:
            adviser = self.sourceModel().index(row, ReturnColumn.ADVISER, parent).data()
            return adviser == (self.adviser or "Not allocated")
        return True


class ReturnView(QWidget):
    young_person_chosen = Signal(str)
    saved = Signal(object)  # the path the CSV was saved to

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._year: tuple[date, date] | None = None
        # Where the CSV goes: the save dialog; tests give a path instead.
        self.ask_path: AskPath = ask_csv_path
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.summary = wrapped("")
        self.needs_work_combo = QComboBox()
        self.needs_work_combo.addItem("Everyone in this year's return", False)
        self.needs_work_combo.addItem("Only those with something to do", True)
        show_label = buddy_label("Sho&w:", self.needs_work_combo)
        self.save_button = QPushButton("Save the return as &CSV…")
        self.save_button.setAccessibleDescription(
            "The return's care-leaver table (CHILD, DOB, IN_TOUCH, ACTIV, ACCOM), not encrypted"
        )
        self.model = ReturnModel(self)
        self.proxy = _StatusFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Care leavers in this year's return")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ReturnColumn.WHY, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReturnColumn.TO_FIX, QHeaderView.ResizeMode.Stretch)
        self.fix_label = QLabel()
        self.fix_label.setWordWrap(True)
        self.fix_label.setAccessibleName("What to fix")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(show_label)
        top.addWidget(self.needs_work_combo)
        top.addStretch(1)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.fix_label)
        layout.addWidget(self.message)

    def _connect_signals(self) -> None:
        self.needs_work_combo.currentIndexChanged.connect(self.on_needs_work_combo_changed)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self.on_table_current_row_changed)

    # -- public --------------------------------------------------------------------------------

    def set_rows(self, rows: list[ReturnRow], year: tuple[date, date]) -> None:
        self._year = year
        self.model.set_rows(rows)
        birthdays = [r for r in rows if r.kind is ReturnKind.BIRTHDAY]
        contacts = [r for r in rows if r.kind is ReturnKind.LATEST_CONTACT]
        self.summary.setText(
            f"{len(birthdays)} care leavers have their 17th to 21st birthday in the return year "
            f"{format_day(year[0])} to {format_day(year[1])}: "
            f"{_counts(birthdays, tuple(ReturnStatus))}. "
            f"{len(contacts)} aged 22 to 25 on some day of the year so far were in contact and are "
            f"asked about as at their latest contact: {_counts(contacts, _CONTACT_STATUSES)}. "
            "Double-click one (or press Enter) to open their record."
        )

    def set_adviser(self, adviser: str | None) -> None:
        """Only one adviser's care leavers (``None``: the whole team's)."""
        self.proxy.adviser = adviser
        self.proxy.invalidate()

    # -- slots ---------------------------------------------------------------------------------

    def on_needs_work_combo_changed(self, _index: int) -> None:
        self.proxy.needs_work_only = bool(self.needs_work_combo.currentData())
        self.proxy.invalidate()

    def on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.young_person_chosen.emit(str(index.data(ID_ROLE)))

    def on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        problems = ""
        if current.isValid():
            problems = self.proxy.index(current.row(), ReturnColumn.TO_FIX).data(_TOOLTIP) or ""
        self.fix_label.setText(f"To fix: {problems}" if problems else "")

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.on_table_double_clicked(self.table.currentIndex())
            return
        super().keyPressEvent(event)

    def on_save_button_clicked(self) -> None:
        rows = self.model.rows()  # the whole return, whatever the list shows
        if not rows or self._year is None:
            return
        start = self._year[0]
        detail = f"care-leaver return CSV ({len(rows)} care leavers)"
        save_csv(
            self._ops,
            self,
            self.ask_path,
            f"care-leaver-return-{start.year}-{start.year + 1}.csv",
            return_csv(rows),
            [("export", r.id, detail) for r in rows],
            self._on_saved,
        )

    def _on_saved(self, path: Path) -> None:
        self.message.setText(f"Saved to {path}. {NOT_ENCRYPTED}")
        self.message.setVisible(True)
        self.saved.emit(path)
