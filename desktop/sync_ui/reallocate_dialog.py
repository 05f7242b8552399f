"""A manager reallocates a young person to another member of the team, through the hub: the old
adviser's laptop sends what it holds and then removes the record at its next sync; the new
adviser's receives it. Needs the hub: when it cannot be reached the dialog says so plainly.
Runs off the GUI thread. GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading, message_label, show_message, wrapped
from desktop.bidi import isolate
from desktop.operations import Operations
from desktop.sync_ui.dialog_fit import fit_height_soon
from desktop.sync_ui.team_laptops_model import ROLES
from models.store import Store
from sync.client import HubUnreachable
from sync.client import team as team_actions

OFFLINE = ("The hub cannot be reached. Reallocating needs this laptop online: try again when it "
           "is connected.")


class ReallocateDialog(QDialog):
    loaded = Signal()
    reallocated = Signal(str)  # the username
    failed = Signal(str)

    def __init__(self, ops: Operations, young_person_id: str, name: str,
                 reachable: bool | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self._name = name
        self._reachable = reachable
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Reallocate")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.intro = wrapped(
            f"Choose who {isolate(self._name)} is allocated to. Their current adviser's laptop "
            "sends anything not yet synced, then removes the record; the new adviser's laptop "
            "receives it at its next sync."
        )
        self.member_combo = QComboBox()
        self.member_combo.setPlaceholderText("Choose a member of your team")
        self.message = message_label("error")
        self.message.setAccessibleName("Reallocation message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("&Reallocate",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        form = QFormLayout(self)
        form.addRow(heading(f"Reallocate {isolate(self._name)}", 2))
        form.addRow(self.intro)
        form.addRow(buddy_label("&Allocate to:", self.member_combo), self.member_combo)
        form.addRow(self.message)
        form.addRow(self.buttons)

    def _connect_signals(self) -> None:
        self.member_combo.currentIndexChanged.connect(self._update_buttons)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        self._say(OFFLINE if self._reachable is False else "Asking the hub for your team…",
                  "error" if self._reachable is False else "info")

        def read(store: Store) -> dict[str, Any]:
            return team_actions.team(store)

        self._ops.inspect(read, parent=self, on_done=self._on_team, on_failed=self._on_failed)

    # -- slots ---------------------------------------------------------------------------------

    def on_buttons_accepted(self) -> None:
        username = self.member_combo.currentData()
        if not username:
            return
        yp = self.young_person_id
        self.ok_button.setEnabled(False)
        self._say("Reallocating…", "info")

        def run(store: Store) -> dict[str, Any]:
            return team_actions.reallocate(store, yp, username)

        self._ops.inspect(run, parent=self, on_done=lambda _r: self._on_done(username),
                            on_failed=self._on_failed)

    # -- helpers -------------------------------------------------------------------------------

    def _on_team(self, team: dict[str, Any]) -> None:
        self.member_combo.clear()
        for member in team.get("members", []):
            role = ROLES.get(str(member.get("role")), str(member.get("role")))
            count = int(member.get("young_people", 0))
            self.member_combo.addItem(
                f"{member['username']} ({role}, {count} young "
                f"{'person' if count == 1 else 'people'})", member["username"])
        self.member_combo.setCurrentIndex(-1)  # nobody chosen for the manager
        self._say("", "info")
        self._update_buttons()
        self.member_combo.setFocus()
        self.loaded.emit()

    def _on_done(self, username: str) -> None:
        self.reallocated.emit(username)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        text = OFFLINE if isinstance(exc, HubUnreachable) else str(exc)
        self._say(text, "error")
        self._update_buttons()
        self.failed.emit(text)

    def _update_buttons(self) -> None:
        self.ok_button.setEnabled(self.member_combo.currentIndex() >= 0)

    def _say(self, text: str, kind: str) -> None:
        self.message.setProperty("message", kind)
        show_message(self.message, text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        fit_height_soon(self)
