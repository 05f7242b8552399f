"""Sync, always in view in the main window's status bar: online or offline, when the last sync
was, how many changes wait to be sent, how many conflicts wait for a person (a button that
opens them), "Sync now", and while a sync runs its stage, progress and Cancel.

Everything is said in words as well as shown (no colour alone). Follows a
:class:`~desktop.sync_ui.sync_controller.SyncController`. GUI thread only.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop.dates import format_day, format_moment
from desktop.sync_ui.sync_controller import SyncController
from sync.client import SyncReport, SyncStatus


def _last_sync(st: SyncStatus) -> datetime | None:
    try:
        return datetime.fromisoformat(st.last_sync_at) if st.last_sync_at else None
    except ValueError:
        return None


def last_sync_text(st: SyncStatus) -> str:
    """In full, for the tooltip and screen readers: "last sync Sat 28 Nov 2026, 16:05"."""
    when = _last_sync(st)
    return f"last sync {format_moment(when)}" if when else "never synced"


def last_sync_short(st: SyncStatus, today: date | None = None) -> str:
    """For the status bar, where room is short (200% scaling): "synced 16:05" today,
    "synced 28 Nov 2026" before."""
    when = _last_sync(st)
    if when is None:
        return "never synced"
    local = when.astimezone()
    if local.date() == (today or date.today()):
        return f"synced {local:%H:%M}"
    return f"synced {format_day(local.date())}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class SyncStatusBar(QWidget):
    conflicts_requested = Signal()
    enrol_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.details_box: QMessageBox | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setObjectName("SyncStatusBar")
        # A flat button rather than a label: the reason behind "offline" or "failed" is in its
        # tooltip for the mouse, and Tab reaches it to show the same in a message.
        self.state_label = QPushButton("Sync: checking…")
        self.state_label.setFlat(True)
        self.state_label.setAccessibleName("Sync status")
        self.detail_label = QLabel("")
        self.detail_label.setAccessibleName("Last sync and changes waiting")
        self.conflicts_button = QPushButton("")
        self.conflicts_button.setVisible(False)
        self.conflicts_button.setToolTip("Open the sync conflicts (Ctrl+Shift+K)")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Sync progress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setFixedWidth(self.fontMetrics().averageCharWidth() * 12)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel sync")
        self.cancel_button.setVisible(False)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setAccessibleName("Sync now")
        self.sync_button.setToolTip("Send this laptop's changes and receive the team's (F5)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.state_label,
            self.detail_label,
            self.conflicts_button,
            self.progress,
            self.cancel_button,
            self.sync_button,
        ):
            layout.addWidget(widget)

    def _connect_signals(self) -> None:
        c = self.controller
        c.status_changed.connect(self.on_controller_status_changed)
        c.reachable_changed.connect(lambda _r: self._show_state())
        c.sync_started.connect(self.on_controller_sync_started)
        c.progressed.connect(self.on_controller_progressed)
        c.sync_finished.connect(self.on_controller_sync_finished)
        c.sync_failed.connect(self.on_controller_sync_failed)
        self.state_label.clicked.connect(self.show_details)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.sync_button.clicked.connect(self.on_sync_button_clicked)
        self.cancel_button.clicked.connect(self.controller.cancel)

    # -- slots ---------------------------------------------------------------------------------

    def on_sync_button_clicked(self) -> None:
        st = self.controller.status
        if st is not None and not st.enrolled:
            self.enrol_requested.emit()
            return
        self.controller.sync_now()

    def on_controller_status_changed(self, st: SyncStatus) -> None:
        self._show_state()
        changes = plural(st.waiting, "change", "changes")
        if not st.enrolled:
            self.detail_label.setText(f"{changes} kept here")
            full = f"{changes} kept on this laptop until it is enrolled with a hub"
            self.sync_button.setText("Enrol…")
            self.sync_button.setAccessibleName("Enrol this laptop with the hub")
        else:
            self.sync_button.setText("Sync now")
            self.sync_button.setAccessibleName("Sync now")
            self.detail_label.setText(f"{last_sync_short(st)} · {st.waiting} waiting")
            last = last_sync_text(st)
            full = f"{last[0].upper()}{last[1:]}; {changes} waiting to be sent"
        self.detail_label.setToolTip(full)
        self.detail_label.setAccessibleName(full)
        n = st.open_conflicts
        self.conflicts_button.setVisible(n > 0)
        self.conflicts_button.setText(plural(n, "conflict", "conflicts"))
        self.conflicts_button.setAccessibleName(
            f"{plural(n, 'sync conflict', 'sync conflicts')} to resolve: open them"
        )

    def on_controller_sync_started(self, _automatic: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.sync_button.setEnabled(False)
        self._show_state()

    def on_controller_progressed(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        stage_text = f"{stage}: {done} of {total}" if total else stage
        self.progress.setToolTip(stage_text)
        self.progress.setAccessibleDescription(stage_text)

    def on_controller_sync_finished(self, report: SyncReport) -> None:
        self._end_run()
        self.state_label.setToolTip(
            f"Last sync sent {plural(report.pushed, 'change', 'changes')} and received "
            f"{report.pulled}."
        )

    def on_controller_sync_failed(self, exc: BaseException, _automatic: bool) -> None:
        self._end_run()
        self.state_label.setToolTip(str(exc))

    def show_details(self) -> None:
        """The sync's state in words: why it failed or is offline, the last sync, what waits."""
        parts = [self.state_label.text()]
        reason = self.state_label.toolTip()
        if reason:
            parts.append(reason)
        if self.detail_label.toolTip():
            parts.append(self.detail_label.toolTip())
        box = QMessageBox(QMessageBox.Icon.Information, "Sync", "\n\n".join(parts),
                          QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName("Sync status")
        self.details_box = box
        box.open()

    # -- helpers -------------------------------------------------------------------------------

    def _end_run(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.sync_button.setEnabled(True)
        self._show_state()

    def _show_state(self) -> None:
        c, st = self.controller, self.controller.status
        if c.running:
            text = "Sync: syncing…"
        elif st is None:
            text = "Sync: checking…"
        elif not st.enrolled:
            text = "Sync: not enrolled"
        elif c.reachable is False:
            text = "Sync: offline"
        elif st.last_error:  # the hub may answer and still refuse (an update, a copied store)
            cancelled = st.last_error.startswith("Sync cancelled")
            text = "Sync: cancelled" if cancelled else "Sync: last sync failed"
        elif c.reachable is True:
            text = "Sync: online"
        else:
            text = "Sync: checking…"
        self.state_label.setText(text)
        self.state_label.setAccessibleName(text)
        if st is not None and st.last_error:
            self.state_label.setToolTip(st.last_error)
        # Screen readers read the whole sentence; the tooltip shows it to the mouse.
        self.state_label.setAccessibleDescription(st.last_error or "" if st is not None else "")
