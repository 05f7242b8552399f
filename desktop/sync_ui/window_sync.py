"""Sync in the main window: the status bar, the Sync menu's commands, and what a sync's outcome
means for what is on screen (a record removed from this laptop closes; a revoked laptop is wiped).

``WindowSync(window, actions)`` is built by the main window, which calls ``attach(ops)`` when the
store is unlocked and ``detach()`` before it locks or closes. The window provides
``show_conflicts()`` (the conflicts view), ``workspace``, ``back_to_caseload()``, ``profile_dialog``
and ``wipe_revoked_store(message)``. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.bidi import isolate
from desktop.errors import show_error
from desktop.main_actions import MainActions
from desktop.operations import Operations
from desktop.sync_ui.sync_controller import SyncController
from desktop.sync_ui.sync_status_bar import SyncStatusBar
from sync.client import SyncCancelled, SyncReport, SyncStatus

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

APP_TITLE = "Pathway Desk"


class WindowSync(QObject):
    def __init__(self, window: MainWindow, actions: MainActions,
                 controller: SyncController | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._actions = actions
        self.controller = controller or SyncController(self)
        self._manual = False  # the running sync was asked for by the person
        self.status_bar = SyncStatusBar(actions.sync_now, actions.enrol)
        window.statusBar().addPermanentWidget(self.status_bar)
        self._connect_signals()
        self.update_actions()

    def _connect_signals(self) -> None:
        c = self.controller
        c.status_read.connect(self.on_controller_status_read)
        c.reachability_changed.connect(self.status_bar.set_reachable)
        c.sync_started.connect(self.on_controller_sync_started)
        c.sync_progressed.connect(self.status_bar.sync_progressed)
        c.sync_finished.connect(self.on_controller_sync_finished)
        c.sync_failed.connect(self.on_controller_sync_failed)
        c.device_revoked.connect(self.on_controller_device_revoked)
        self.status_bar.conflicts_requested.connect(self._window.show_conflicts)
        self.status_bar.cancel_requested.connect(self.on_status_bar_cancel_requested)
        self._actions.sync_now.triggered.connect(self.on_sync_now_triggered)
        self._actions.enrol.triggered.connect(self.on_enrol_triggered)
        self._actions.team_laptops.triggered.connect(self.on_team_laptops_triggered)
        self._actions.reallocate.triggered.connect(self.on_reallocate_triggered)

    # -- public --------------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus | None:
        return self.controller.status

    def attach(self, ops: Operations) -> None:
        self.controller.attach(ops)

    def detach(self) -> None:
        """Before the store locks or closes: a running sync is asked to stop (the window waits
        for the runner), the status bar shows nothing of the store."""
        self.controller.detach()
        self.status_bar.sync_ended()
        self.status_bar.set_status(None)
        self.update_actions()

    def update_actions(self) -> None:
        window = self._window
        manager = bool(self.status and self.status.role == "manager")
        self._actions.update_sync(unlocked=not window.is_locked,
                                  in_workspace=window.workspace is not None, manager=manager)

    # -- slots ---------------------------------------------------------------------------------

    def on_controller_status_read(self, status: SyncStatus) -> None:
        self.status_bar.set_status(status)
        self.update_actions()

    def on_controller_sync_started(self, automatic: bool) -> None:
        self._manual = not automatic
        self.status_bar.sync_started()

    def on_controller_sync_finished(self, report: SyncReport) -> None:
        self.status_bar.sync_ended()
        self._close_removed(report.purged)
        if self._manual:
            self._window.statusBar().showMessage(
                f"Synced: sent {report.pushed}, received {report.pulled}"
                + (f", {report.conflicts_opened} new conflicts" if report.conflicts_opened
                   else "") + ".", 10_000)

    def on_controller_sync_failed(self, exc: BaseException) -> None:
        self.status_bar.sync_ended()
        self.status_bar.set_error(str(exc))
        manual, self._manual = self._manual, False
        if isinstance(exc, SyncCancelled):
            self._window.statusBar().showMessage(str(exc), 10_000)
        elif manual:
            show_error(self._window, exc)
        # An automatic sync's problem shows in the status bar only ("Offline", or the problem
        # in a few words): nobody asked, so no dialog interrupts the work.

    def on_controller_device_revoked(self, message: str) -> None:
        self.status_bar.sync_ended()
        self._window.wipe_revoked_store(message)

    def on_status_bar_cancel_requested(self) -> None:
        if self.controller.running:
            self.controller.cancel()
            self.status_bar.sync_cancelling()

    def on_sync_now_triggered(self) -> None:
        if self.controller.running:
            self._window.statusBar().showMessage("A sync is already running.", 5_000)
            return
        self.controller.sync_now()

    def on_enrol_triggered(self) -> None:
        ops = self._window.ops
        if ops is None:
            return
        from desktop.sync_ui.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(ops, self.status, self._window)
        dialog.enrolled.connect(lambda _e: self.controller.refresh_status())
        _open(dialog)

    def on_team_laptops_triggered(self) -> None:
        ops = self._window.ops
        if ops is None:
            return
        from desktop.sync_ui.team_dialog import TeamDialog

        _open(TeamDialog(ops, self.controller.reachable, self._window))

    def on_reallocate_triggered(self) -> None:
        ops, workspace = self._window.ops, self._window.workspace
        if ops is None or workspace is None:
            return
        from desktop.sync_ui.reallocate_dialog import ReallocateDialog

        profile = workspace.overview.profile
        name = profile.preferred_name if profile is not None else "this young person"
        _open(ReallocateDialog(ops, workspace.young_person_id, name, self.controller.reachable,
                               self._window))

    # -- helpers -------------------------------------------------------------------------------

    def _close_removed(self, purged: list[str]) -> None:
        """Young people no longer allocated to this adviser were removed by the sync: close the
        record if it is open, and say so."""
        window = self._window
        if not purged:
            return
        workspace = window.workspace
        if workspace is not None and workspace.young_person_id in purged:
            profile = workspace.overview.profile
            name = profile.preferred_name if profile is not None else "This young person"
            window.back_to_caseload()
            box = QMessageBox(
                QMessageBox.Icon.Information, APP_TITLE,
                f"{isolate(name)} is no longer allocated to you and was removed from this laptop.",
                QMessageBox.StandardButton.Ok, window)
            box.setAccessibleName("Record removed")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.removed_box = box
        elif purged:
            count = len(purged)
            window.statusBar().showMessage(
                f"{count} young {'person' if count == 1 else 'people'} no longer allocated to you "
                f"{'was' if count == 1 else 'were'} removed from this laptop.", 15_000)
        self.update_actions()


def _open(dialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
