"""A manager's team laptops: each member's laptops with when they last synced, and Revoke (after
a confirmation) for one that is lost or leaves the team. Needs the hub: when it cannot be
reached the dialog says so plainly. Reads and revocations run off the GUI thread. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import heading, message_label, show_message, wrapped
from desktop.operations import Operations
from desktop.sync_ui.team_laptops_model import TeamLaptop, TeamLaptopsModel, laptops_of
from models.store import Store
from sync.client import HubUnreachable
from sync.client import connection as hub_connection
from sync.client import team as team_actions

OFFLINE = ("The hub cannot be reached, so the team's laptops cannot be shown. Team actions need "
           "this laptop online: try again when it is connected.")


def ask_to_revoke(parent: QWidget, laptop: TeamLaptop) -> bool:
    answer = QMessageBox.question(
        parent, "Revoke laptop",
        f"Revoke {laptop.username}'s laptop “{laptop.name}”?\n\nIt will be refused by the hub "
        "from now on, and the next time it connects it wipes every record it holds. Changes it "
        "has not sent yet are lost. This cannot be undone: the laptop must be enrolled again "
        "with a new code.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class TeamDialog(QDialog):
    loaded = Signal()
    revoked = Signal(str)  # device id
    failed = Signal(str)  # the message shown

    def __init__(self, ops: Operations, reachable: bool | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._reachable = reachable
        self._note = ""  # said once the team is read again (after a revocation)
        # Asks before revoking; tests answer for the person.
        self.confirm: Callable[[QWidget, TeamLaptop], bool] = ask_to_revoke
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Team laptops")
        chars = self.fontMetrics().averageCharWidth()
        lines = self.fontMetrics().lineSpacing()
        self.resize(chars * 110, lines * 22)
        self.title = heading("Team laptops", 2)
        self.intro = wrapped("Every laptop enrolled by your team, and when it last synced. "
                             "Revoke a laptop that is lost, stolen or no longer used: it wipes "
                             "its records the next time it connects.")
        self.message = message_label("error")
        self.message.setAccessibleName("Team laptops message")
        self.model = TeamLaptopsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Team laptops")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.revoke_button = QPushButton("&Revoke laptop…")
        self.revoke_button.setEnabled(False)
        self.refresh_button = QPushButton("Re&fresh")
        for button in (self.revoke_button, self.refresh_button):
            button.setAutoDefault(False)  # Enter in the list never starts a revocation
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.intro, self.message, self.table, self.buttons):
            layout.addWidget(widget)

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.revoke_button.clicked.connect(self.on_revoke_button_clicked)
        self.refresh_button.clicked.connect(self._load)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        if self._reachable is False:
            self._say(OFFLINE, "error")  # still asked: the hub may be back since the last probe
        else:
            self._say("Asking the hub…", "info")

        def read(store: Store) -> tuple[dict[str, Any], str]:
            creds = hub_connection.load(store)
            return team_actions.team(store), creds.device_id if creds else ""

        self._ops.inspect(read, parent=self, on_done=self._on_team, on_failed=self._on_failed)

    # -- slots ---------------------------------------------------------------------------------

    def on_revoke_button_clicked(self) -> None:
        laptop = self.selected()
        if laptop is None or laptop.revoked or laptop.own or not self.confirm(self, laptop):
            return
        self._say(f"Revoking {laptop.username}'s laptop…", "info")
        self.revoke_button.setEnabled(False)

        def revoke(store: Store) -> bool:
            return team_actions.revoke(store, laptop.device_id)

        self._ops.inspect(revoke, parent=self,
                            on_done=lambda _ok: self._on_revoked(laptop),
                            on_failed=self._on_failed)

    # -- public --------------------------------------------------------------------------------

    def selected(self) -> TeamLaptop | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.laptop(rows[0].row()) if rows else None

    # -- helpers -------------------------------------------------------------------------------

    def _on_team(self, result: tuple[dict[str, Any], str]) -> None:
        team, own = result
        self.model.set_rows(laptops_of(team, own))
        self.title.setText(f"Team laptops: {team.get('team', '')}")
        self._reachable = True
        note, self._note = self._note, ""
        if note:
            self._say(note, "ok")
        else:
            self._say("" if self.model.rows() else "No laptops are enrolled in your team yet.",
                      "info")
        self._update_buttons()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)  # the keyboard starts in the list
        self.table.setFocus()
        self.loaded.emit()

    def _on_revoked(self, laptop: TeamLaptop) -> None:
        self._note = (f"{laptop.username}'s laptop “{laptop.name}” is revoked: it wipes its "
                      "records the next time it connects.")
        self.revoked.emit(laptop.device_id)
        self._load()

    def _on_failed(self, exc: BaseException) -> None:
        text = OFFLINE if isinstance(exc, HubUnreachable) else str(exc)
        self._say(text, "error")
        self._update_buttons()
        self.failed.emit(text)

    def _say(self, text: str, kind: str) -> None:
        self.message.setProperty("message", kind)
        show_message(self.message, text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _update_buttons(self) -> None:
        laptop = self.selected()
        can = laptop is not None and not laptop.revoked and not laptop.own
        self.revoke_button.setEnabled(can)
        self.revoke_button.setToolTip(
            "This laptop cannot revoke itself" if laptop is not None and laptop.own
            else "Revoke the selected laptop")
