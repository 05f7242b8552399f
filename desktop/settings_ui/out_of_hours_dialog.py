"""The council's out-of-hours service, printed on the first page of every young person's plan.

Kept in the store (meta), not in QSettings: it belongs with the records it is printed on. An
unset number prints as "ask your personal adviser", never as a made-up one. Read and saved
through the operation layer, off the GUI thread. GUI thread only.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.accessible import buddy_label
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from models.domain import OUT_OF_HOURS_NAME_KEY, OUT_OF_HOURS_PHONE_KEY
from models.errors import PathwayDeskError
from models.store import Store

_PHONE = re.compile(r"^[0-9+() \-]{3,20}$")


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
        store = self._ops.store
        self._ops.tasks.run(
            lambda _progress, _cancel: store.meta(), on_done=self._show, owner=self
        )

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
        if phone and not _PHONE.match(phone):
            self.problem.setText("The phone number may hold only digits, spaces, + ( ) and -.")
            self.phone_edit.setFocus()
            return
        def save(store: Store, _progress: object, _cancel: object) -> None:  # worker thread
            store.set_meta(OUT_OF_HOURS_NAME_KEY, name)
            store.set_meta(OUT_OF_HOURS_PHONE_KEY, phone)

        self.buttons.setEnabled(False)
        self._ops.job(
            save,
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
