"""A date field that may be left empty ("Not set"): review dates, release dates, by-when dates.

QDateEdit cannot be empty, so its minimum date stands for "no date" and shows as "Not set".
Typing a date, the calendar pop-up or the arrow keys set one; Delete or Backspace on a whole
selection, or choosing the minimum, clears it. GUI thread only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from desktop.dates import QT_DAY_FORMAT

NO_DATE = QDate(2000, 1, 1)
DISPLAY_FORMAT = QT_DAY_FORMAT


class OptionalDateEdit(QDateEdit):
    def __init__(
        self, accessible_name: str, empty_text: str = "Not set", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setMinimumDate(NO_DATE)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(empty_text)
        self.setDate(NO_DATE)
        self.setToolTip("Type a date, or press Delete to leave it empty")

    def value(self) -> date | None:
        qd = self.date()
        return None if qd == NO_DATE else qd.toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value) if value is not None else NO_DATE)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.value() is None or self.lineEdit().selectedText() == self.lineEdit().text()
        ):
            self.setDate(NO_DATE)
            event.accept()
            return
        if self.value() is None and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            # From "Not set", the arrows start at today rather than at the year 2000.
            self.setDate(QDate.currentDate())
            event.accept()
            return
        super().keyPressEvent(event)
        self._calendar_to_today()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mousePressEvent(event)
        self._calendar_to_today()

    def _calendar_to_today(self) -> None:
        """An empty field's pop-up calendar opens on this month, not on January 2000."""
        calendar = self.calendarWidget()
        if self.value() is None and calendar is not None and calendar.isVisible():
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())
