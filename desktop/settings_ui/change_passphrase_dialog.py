"""Changing the store's passphrase: the data key is re-wrapped, nothing else is rewritten.

The two Argon2id runs (checking the current passphrase, wrapping under the new one) take most
of a second, so they run on a worker. A wrong current passphrase is said under its field, which
keeps the focus. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from desktop.accessible import buddy_label
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.unlock.passphrase_strength import strength_of
from models.errors import PathwayDeskError, WrongPassphrase
from models.repo.audit import record_event
from models.store import Store


class ChangePassphraseDialog(QDialog):
    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Change passphrase")
        intro = QLabel(
            "The passphrase protects every record on this laptop if it is lost. "
            "Changing it does not change the records."
        )
        intro.setWordWrap(True)
        self.current_edit = self._secret("Current passphrase")
        self.new_edit = self._secret("New passphrase")
        self.again_edit = self._secret("New passphrase again")
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 5)
        self.strength_bar.setTextVisible(True)
        self.strength_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.strength_bar.setAccessibleName("New passphrase strength")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.change_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.change_button.setText("&Change passphrase")
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(buddy_label("C&urrent passphrase:", self.current_edit), self.current_edit)
        form.addRow(buddy_label("&New passphrase:", self.new_edit), self.new_edit)
        form.addRow(buddy_label("New passphrase &again:", self.again_edit), self.again_edit)
        form.addRow(buddy_label("Strength:", self.strength_bar), self.strength_bar)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    def _connect_signals(self) -> None:
        self.new_edit.textChanged.connect(self.on_new_edit_text_changed)
        self.again_edit.textChanged.connect(self.on_new_edit_text_changed)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        self.on_new_edit_text_changed()
        self.current_edit.setFocus()

    # -- slots -------------------------------------------------------------------------------

    def on_new_edit_text_changed(self, _text: str = "") -> None:
        new = self.new_edit.text()
        strength = strength_of(new, (self._ops.store.owner_name,))
        self.strength_bar.setValue(strength.score + 1 if new else 0)
        self.strength_bar.setFormat(strength.words if new else "")
        if new and not strength.good_enough:
            self.problem.setText(strength.advice or "Choose a stronger passphrase.")
        elif self.again_edit.text() and self.again_edit.text() != new:
            self.problem.setText("The two new passphrases differ.")
        else:
            self.problem.setText("")
        ready = bool(new) and strength.good_enough and self.again_edit.text() == new
        self.change_button.setEnabled(ready)

    def on_buttons_accepted(self) -> None:
        old, new = self.current_edit.text(), self.new_edit.text()
        if not old:
            self.problem.setText("Type the current passphrase first.")
            self.current_edit.setFocus()
            return
        self.setEnabled(False)
        self.problem.setText("Changing the passphrase…")

        def job(store: Store, _progress: object, _cancel: object) -> None:  # two Argon2id runs
            store.change_passphrase(old, new)
            with store.session() as s:
                record_event(s, "passphrase changed")

        self._ops.job(
            job,
            Changes.of(None, Kind.SETTINGS, Kind.AUDIT),
            parent=self,
            on_done=self._changed,
            on_failed=self._failed,
        )

    def _changed(self, _result: object) -> None:
        self.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if isinstance(exc, WrongPassphrase):
            self.problem.setText("That is not the current passphrase. Nothing was changed.")
            self.current_edit.selectAll()
            self.current_edit.setFocus()
            return
        self.problem.setText("Nothing was changed.")
        if isinstance(exc, PathwayDeskError):
            self.problem.setText(str(exc))
        else:
            show_error(self, exc)
