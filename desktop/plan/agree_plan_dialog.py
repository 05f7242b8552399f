"""Asks when and with whom the plan was agreed, before it is frozen as a numbered version.

GUI thread only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, wrapped
from desktop.dates import QT_DAY_FORMAT
from desktop.widgets.wheel_guard import guard_wheel


class AgreePlanDialog(QDialog):
    def __init__(self, name: str, next_version: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name or "the young person"
        self._next_version = next_version
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Agree the plan")
        self.agreed_on_edit = QDateEdit(QDate.currentDate())
        self.agreed_on_edit.setCalendarPopup(True)
        self.agreed_on_edit.setDisplayFormat(QT_DAY_FORMAT)
        self.agreed_on_edit.setMaximumDate(QDate.currentDate())
        self.agreed_with_edit = QLineEdit(self._name)
        self.agreed_with_edit.setPlaceholderText("Who took part, e.g. Jordan and their aunt")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Agree as version {self._next_version}")
        ok.setAccessibleName(f"Agree as version {self._next_version}")

        form = QFormLayout()
        form.addRow(buddy_label("Agreed &on:", self.agreed_on_edit), self.agreed_on_edit)
        form.addRow(buddy_label("Agreed &with:", self.agreed_with_edit), self.agreed_with_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                f"This freezes the plan as it is now as version {self._next_version}. "
                "You can keep editing afterwards; agreed versions never change, and the history "
                "shows what changed between them. Agreeing also counts as a review."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def agreed_on(self) -> date:
        return self.agreed_on_edit.date().toPython()

    def agreed_with(self) -> str:
        return self.agreed_with_edit.text().strip()
