"""The council's out-of-hours service, printed on the first page of every young person's plan.

Kept in the store as a team-wide synced record, not in QSettings: the whole team prints it. An
unset number prints as "ask your personal adviser", never as a made-up one. Read and saved
through the operation layer (one read, one write), off the GUI thread. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.accessible import buddy_label
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from models.domain import OUT_OF_HOURS_NAME_KEY, OUT_OF_HOURS_PHONE_KEY
from models.errors import PathwayDeskError
from models.registry import phone_problem
from models.repo import services


class OutOfHoursDialog(QDialog):
    loaded = Signal()  # the stored service is shown

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Out-of-hours service")
        intro = QLabel(
            "Printed on the first page of every plan, under “Who to call if you need help”. "
            "Use the number young people should ring in the evening, at weekends and on bank "
            "holidays."
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Out-of-hours service name")
        # Room for a whole service name ("Emergency Duty Team (fictional)" was cut).
        self.name_edit.setMinimumWidth(self.name_edit.fontMetrics().averageCharWidth() * 36)
        self.phone_edit = QLineEdit()
        self.phone_edit.setAccessibleName("Out-of-hours phone number")
        self.phone_edit.setPlaceholderText("for example 0300 123 4567")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(buddy_label("Service &name:", self.name_edit), self.name_edit)
        form.addRow(buddy_label("&Phone number:", self.phone_edit), self.phone_edit)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        self._ops.read(services.out_of_hours, parent=self, on_done=self._show)

    def _show(self, meta: dict[str, str]) -> None:
        self.name_edit.setText(meta.get(OUT_OF_HOURS_NAME_KEY, "") or "Emergency Duty Team")
        self.phone_edit.setText(meta.get(OUT_OF_HOURS_PHONE_KEY, ""))
        self.loaded.emit()

    def on_buttons_accepted(self) -> None:
        name = self.name_edit.text().strip()
        phone = self.phone_edit.text().strip()
        if not name:
            self.problem.setText("Give the service's name, for example Emergency Duty Team.")
            self.name_edit.setFocus()
            return
        problem = phone_problem(phone)
        if problem:
            self.problem.setText(problem)
            self.phone_edit.setFocus()
            return
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda s: services.set_out_of_hours(s, name=name, phone=phone),
            Changes.of(None, Kind.SETTINGS),
            parent=self,
            on_done=lambda _r: self.accept(),
            on_failed=self._on_save_failed,
        )

    def _on_save_failed(self, exc: BaseException) -> None:  # what was typed stays
        self.buttons.setEnabled(True)
        self.problem.setText(str(exc) if isinstance(exc, PathwayDeskError) else "Not saved.")
        if not isinstance(exc, PathwayDeskError):
            show_error(self, exc)
