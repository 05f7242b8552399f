"""The sync status in the main window's status bar: hub online or offline, when this laptop last
synced, what waits to be sent, open conflicts (a button to see them), the last problem in a few
words (the whole sentence in its tooltip, and shown in full when clicked), Sync now, and while a
sync runs its progress and Cancel. A view only: the main window feeds it ``SyncController``'s
signals. GUI thread only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QWidget,
)

from desktop.sync_ui.sync_words import (
    conflicts_text,
    last_sync_detail,
    last_sync_text,
    progress_text,
    short_error,
    waiting_text,
)
from sync.client import SyncStatus

TICK_MS = 30_000  # "Synced 5 min ago" moves on by itself


def _name(widget: QWidget, name: str, description: str = "") -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setToolTip(description or name)


class SyncStatusBar(QWidget):
    conflicts_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, sync_action: QAction, enrol_action: QAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync_action = sync_action
        self._enrol_action = enrol_action
        self._status: SyncStatus | None = None
        self._reachable: bool | None = None
        self._running = False
        self._error = ""
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setObjectName("SyncStatusBar")
        self.setAccessibleName("Sync status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.connection_label = QLabel()
        self.last_sync_label = QLabel()
        self.waiting_label = QLabel()
        self.conflicts_button = QToolButton()
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setProperty("sync", "conflicts")
        self.error_button = QToolButton()
        self.error_button.setAutoRaise(True)
        self.error_button.setProperty("sync", "error")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.progress_label = QLabel()
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel sync")
        _name(self.cancel_button, "Cancel sync",
              "Stop the sync; what was sent or received so far is kept")
        self.sync_button = QToolButton()
        self.sync_button.setDefaultAction(self._sync_action)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._separators: dict[QWidget, QFrame] = {}
        for widget in (self.connection_label, self.last_sync_label, self.waiting_label,
                       self.conflicts_button, self.error_button, self.progress_label,
                       self.progress_bar, self.cancel_button, self.sync_button):
            if widget in (self.last_sync_label, self.waiting_label, self.conflicts_button,
                          self.error_button, self.progress_label):
                self._separators[widget] = self._separator(layout)
            layout.addWidget(widget)
        for label in (self.connection_label, self.last_sync_label, self.waiting_label,
                      self.progress_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)

    def _connect_signals(self) -> None:
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.error_button.clicked.connect(self.on_error_button_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._tick.timeout.connect(self._show)

    def _load(self) -> None:
        self._show()

    @staticmethod
    def _separator(layout: QHBoxLayout) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        return line

    # -- public --------------------------------------------------------------------------------

    def set_status(self, status: SyncStatus | None) -> None:
        """What ``sync.client.status`` said (``None``: locked, nothing known)."""
        self._status = status
        self._error = (status.last_error or "") if status else ""
        self._show()

    def set_reachable(self, reachable: bool | None) -> None:
        self._reachable = reachable
        self._show()

    def set_error(self, sentence: str) -> None:
        """A problem just met (before the status is read again)."""
        self._error = sentence
        self._show()

    def sync_started(self) -> None:
        self._running = True
        self.progress_bar.setRange(0, 0)  # busy until the first figure arrives
        self.progress_bar.setTextVisible(False)
        self.progress_label.setText("Syncing…")
        _name(self.progress_label, "Syncing…", "Syncing with the hub: you can carry on working")
        self.cancel_button.setEnabled(True)
        self._show()

    def sync_progressed(self, stage: str, done: int, total: int) -> None:
        if not self._running:
            return
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        self.progress_bar.setTextVisible(total > 0)
        self.progress_bar.setFormat("%v/%m")  # the figures; the stage in a word beside them
        text = progress_text(stage, done, total)
        self.progress_label.setText(stage.split(" ")[0] + "…")
        _name(self.progress_label, text, f"{text}. You can carry on working.")
        _name(self.progress_bar, f"Sync progress: {text}")

    def sync_cancelling(self) -> None:
        self.progress_label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def sync_ended(self) -> None:
        self._running = False
        self._show()

    # -- slots ---------------------------------------------------------------------------------

    def on_error_button_clicked(self) -> None:
        if not self._error:
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Sync", self._error,
                          QMessageBox.StandardButton.Ok, self.window())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAccessibleName("Sync problem")
        box.setAccessibleDescription(self._error)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- helpers -------------------------------------------------------------------------------

    def _show(self) -> None:
        st = self._status
        unlocked = st is not None
        enrolled = bool(st and st.enrolled)
        self.setVisible(unlocked)
        if not unlocked:
            self._tick.stop()
            return
        assert st is not None
        if not self._tick.isActive():
            self._tick.start()
        # Online or offline
        if not enrolled:
            connection, detail = "Offline", "Not enrolled with a hub: this laptop works offline"
        elif self._reachable is None:
            connection, detail = "Checking hub…", f"Looking for the hub at {st.hub_url}"
        elif self._reachable:
            connection, detail = "Online", f"The hub at {st.hub_url} can be reached"
        else:
            connection = "Offline"
            detail = (f"The hub at {st.hub_url} cannot be reached; your work is kept here and "
                      "syncs when it can")
        self.connection_label.setText(connection)
        self.connection_label.setVisible(enrolled)
        state = {None: "checking", True: "online", False: "offline"}[self._reachable]
        self.connection_label.setProperty("connection", state)
        _name(self.connection_label, f"Hub: {connection}", detail)
        # Last sync
        last = last_sync_text(enrolled, st.last_sync_at, datetime.now(UTC))
        self.last_sync_label.setText(last)
        _name(self.last_sync_label, f"Last sync: {last}",
              last_sync_detail(enrolled, st.hub_url, st.last_sync_at))
        # Waiting
        waiting = waiting_text(st.waiting)
        refused = (f" {st.refused} change{'s' if st.refused != 1 else ''} the hub refused "
                   "are kept on this laptop.") if st.refused else ""
        self.waiting_label.setText(waiting)
        _name(self.waiting_label, waiting,
              f"Changes made on this laptop that the hub has not received yet.{refused}")
        self.waiting_label.setVisible(enrolled)
        # Conflicts
        conflicts = conflicts_text(st.open_conflicts)
        self.conflicts_button.setText(conflicts)
        self.conflicts_button.setEnabled(st.open_conflicts > 0)
        self.conflicts_button.setVisible(enrolled or st.open_conflicts > 0)
        _name(self.conflicts_button, conflicts,
              "Records changed here and elsewhere at once: open them to choose what stays"
              if st.open_conflicts else "No records wait for a choice")
        # The last problem
        short = short_error(self._error) if not self._running else ""
        self.error_button.setText(f"⚠ {short}" if short else "")
        self.error_button.setVisible(bool(short))
        _name(self.error_button, f"Sync problem: {short}", self._error)
        # Running
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(self._running)
        self.sync_button.setVisible(not self._running)
        # Not enrolled: the button enrols (Sync now could only say "enrol first").
        wanted = self._sync_action if enrolled else self._enrol_action
        current = self.sync_button.defaultAction()
        if current is not wanted:
            if current is not None:
                self.sync_button.removeAction(current)  # one action: no drop-down arrow
            self.sync_button.setDefaultAction(wanted)
        for widget, line in self._separators.items():
            line.setVisible(not widget.isHidden())
        self._separators[self.last_sync_label].setVisible(enrolled)  # after "Online"
        self._repolish(self.connection_label)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
