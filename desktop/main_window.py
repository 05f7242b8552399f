"""The main window: unlock screen, caseload and a young person's workspace in one stack.

Locking (Ctrl+L, or idle for the set time) flushes every draft, destroys the workspace and
empties the caseload, closes the store (its keys go with it) and shows the unlock screen; the
window remembers only where the adviser was (young person id, tab, panel state), so unlocking
returns there and each panel offers its drafts back. Closing the window flushes drafts first.
Unlocks and views of a young person's record go to the audit trail. GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from desktop.bidi import isolate
from desktop.caseload.caseload_view import CaseloadView
from desktop.caseload.profile_dialog import ProfileDialog
from desktop.dashboard.dashboard_view import DashboardView
from desktop.drafts import read_drafts_with_prefix
from desktop.errors import add_crash_hook, remove_crash_hook, show_error
from desktop.lock import IdleLock
from desktop.main_actions import SHORTCUTS_HELP, MainActions
from desktop.operations import ChangeAnnouncer, Changes, Kind, Operations
from desktop.print_ui.subject_access import ask_export_path, start_export
from desktop.settings import IDLE_LOCK_MINUTES, LAST_STORE_FOLDER, Settings
from desktop.sync_ui.sync_controller import SyncController
from desktop.sync_ui.sync_status_bar import SyncStatusBar
from desktop.tasks import TaskRunner
from desktop.unlock.unlock_view import UnlockView
from desktop.workspace.workspace_view import PANELS, PanelSpec, WorkspaceView
from models.crypto.keyfile import KdfParams
from models.errors import StoreLocked
from models.repo.audit import record_event
from models.repo.young_people import caseload
from models.store import Store

log = logging.getLogger(__name__)
APP_TITLE = "Pathway Desk"
NEW_PROFILE = "new"
TASK_WAIT_MS = 30_000


class MainWindow(QMainWindow):
    caseload_loaded = Signal()  # the caseload table shows fresh rows
    export_finished = Signal(object)  # a subject-access export's summary, error, or None

    def __init__(
        self,
        store_dir: Path,
        settings: Settings,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        kdf: KdfParams | None = None,
        panels: tuple[PanelSpec, ...] = PANELS,
        sync_factory: Callable[[Operations, QObject], SyncController] = SyncController,
    ) -> None:
        super().__init__(parent)
        self._sync_factory = sync_factory
        self.sync: SyncController | None = None
        self.sync_bar: SyncStatusBar | None = None
        self._store_dir = Path(store_dir)
        self._settings = settings
        self._tasks = tasks
        self._kdf = kdf
        self._panels = panels
        self.store: Store | None = None
        self.ops: Operations | None = None
        self.workspace: WorkspaceView | None = None
        self.dashboard_view: DashboardView | None = None
        self._from_dashboard = False  # Back from a record opened there returns there
        self.profile_dialog: ProfileDialog | None = None
        self._resume: dict[str, Any] | None = None
        self._caseload_stale = False
        self._caseload_generation = 0
        self._select_next: str | None = None
        self._returning: dict[str, Any] | None = None
        # Where a subject-access export goes: the save dialog; tests give a path instead.
        self.ask_export_path: Callable[[QWidget, Path], Path | None] = ask_export_path
        self._build_ui()
        self._connect_signals()
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle(APP_TITLE)  # never a young person's name: the taskbar is public
        self.announcer = ChangeAnnouncer(self)
        self.unlock_view = UnlockView(self._store_dir, self._tasks, kdf=self._kdf)
        self.caseload_view = CaseloadView()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.unlock_view)
        self.stack.addWidget(self.caseload_view)
        self.setCentralWidget(self.stack)
        self.idle_lock = IdleLock(
            IdleLock.minutes_to_ms(self._settings.get(IDLE_LOCK_MINUTES)), self
        )
        self.actions = MainActions(self)
        self.back_action, self.new_action = self.actions.back, self.actions.new
        self.edit_action, self.find_action = self.actions.edit, self.actions.find
        self.lock_action, self.quit_action = self.actions.lock, self.actions.quit
        self.idle_action, self.shortcuts_action = self.actions.idle, self.actions.shortcuts
        self.toolbar = self.actions.toolbar
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Store status")
        self.statusBar().addPermanentWidget(self.status_label)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 160, metrics.lineSpacing() * 45)

    def _connect_signals(self) -> None:
        self.unlock_view.unlocked.connect(self.on_unlock_view_unlocked)
        self.caseload_view.young_person_chosen.connect(self.on_caseload_view_young_person_chosen)
        self.caseload_view.new_young_person_requested.connect(self.on_new_action_triggered)
        self.idle_lock.went_idle.connect(self.on_idle_lock_went_idle)
        self.announcer.changes_announced.connect(self.on_announcer_changes_announced)
        self.back_action.triggered.connect(self.on_back_action_triggered)
        self.new_action.triggered.connect(self.on_new_action_triggered)
        self.edit_action.triggered.connect(self.on_edit_action_triggered)
        self.find_action.triggered.connect(self.on_find_action_triggered)
        self.actions.dashboard.triggered.connect(self.on_dashboard_action_triggered)
        self.actions.care_leaver_facts.triggered.connect(self.on_care_leaver_facts_action_triggered)
        self.lock_action.triggered.connect(self.on_lock_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.idle_action.triggered.connect(self.on_idle_action_triggered)
        self.shortcuts_action.triggered.connect(self.on_shortcuts_action_triggered)
        self.actions.print.triggered.connect(self.on_print_action_triggered)
        self.actions.batch_print.triggered.connect(self.on_batch_print_action_triggered)
        self.actions.export.triggered.connect(self.on_export_action_triggered)
        self.actions.out_of_hours.triggered.connect(self.on_out_of_hours_action_triggered)
        self.actions.change_passphrase.triggered.connect(self.on_change_passphrase_action_triggered)
        self.actions.conflicts.triggered.connect(self.on_conflicts_action_triggered)
        self.actions.sync_now.triggered.connect(self.on_sync_now_action_triggered)
        self.actions.team_laptops.triggered.connect(self.on_team_laptops_action_triggered)
        self.actions.reallocate.triggered.connect(self.on_reallocate_action_triggered)
        self.actions.enrol.triggered.connect(self.on_enrol_action_triggered)
        add_crash_hook(self.flush_drafts)

    def _load(self) -> None:
        self._show_locked_ui(first=True)

    # -- public --------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.store is None or not self.store.is_open

    def flush_drafts(self) -> None:
        """Write every unsaved edit to the store now (crash hook, lock, close)."""
        if self.is_locked:
            return
        if self.workspace is not None:
            self.workspace.flush_drafts()
        for dialog in self._open_dialogs():
            flush = getattr(dialog, "flush_drafts", None)
            if flush is not None:
                try:
                    flush()
                except Exception:  # noqa: BLE001
                    log.exception("A dialog could not flush its draft")

    def lock(self) -> None:
        """Flush drafts, clear every data view, close the store, show the unlock screen."""
        if self.is_locked:
            return
        self._stop_sync()  # a running sync stops at its next page, before the store closes
        self.flush_drafts()
        self._resume = self._where_we_are()
        self._caseload_generation += 1  # a read still running is thrown away
        self._close_dialogs()
        self._close_workspace()
        self._close_dashboard()
        self.caseload_view.clear()
        # The drafts just queued, and any job still using the store, finish before it closes.
        self._tasks.wait_for_idle(TASK_WAIT_MS)
        store, self.store, self.ops = self.store, None, None
        if store is not None:
            store.close()
        self._show_locked_ui()
        self.statusBar().showMessage("Locked. Your unsaved work was kept.", 8000)

    def open_young_person(self, young_person_id: str, state: dict[str, Any] | None = None) -> None:
        if self.is_locked or self.ops is None:
            return
        self._close_workspace()
        workspace = WorkspaceView(self.ops, young_person_id, panels=self._panels)
        self.workspace = workspace
        workspace.edit_profile_requested.connect(self.on_edit_action_triggered)
        workspace.back_requested.connect(self.on_back_action_triggered)
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        if state:
            workspace.restore_state(state)
        workspace.tabs.setFocus()
        self._audit("view", young_person_id, "workspace")
        self._update_actions()

    def back_to_caseload(self) -> None:
        if self.is_locked:
            return
        selected = self.workspace.young_person_id if self.workspace else None
        self._close_workspace()
        if self._from_dashboard and self.dashboard_view is not None:
            self._from_dashboard = False
            self.show_dashboard()
            return
        if self._caseload_stale:
            self.refresh_caseload(selected)
        elif selected:
            self.caseload_view.select(selected)
        self.stack.setCurrentWidget(self.caseload_view)
        self.caseload_view.table.setFocus()
        self._update_actions()

    def show_dashboard(self) -> None:
        """The team dashboard (built on first use, then kept until the app locks)."""
        if self.is_locked or self.ops is None:
            return
        self._close_workspace()
        if self.dashboard_view is None:
            self.dashboard_view = DashboardView(self.ops)
            self.dashboard_view.young_person_chosen.connect(
                self.on_dashboard_view_young_person_chosen
            )
            self.stack.addWidget(self.dashboard_view)
        self.stack.setCurrentWidget(self.dashboard_view)
        self.dashboard_view.figures_table.setFocus()
        self._update_actions()

    def refresh_caseload(self, select_id: str | None = None) -> None:
        """Re-read the caseload on a worker thread; ``caseload_loaded`` when it is shown."""
        if self.is_locked or self.ops is None:
            return
        self._caseload_generation += 1
        generation = self._caseload_generation
        if not self.caseload_view.model.rowCount():
            self.caseload_view.count_label.setText("Loading…")
        self.ops.read(
            caseload,
            parent=self,
            on_done=lambda rows: self._on_caseload_read(generation, rows, select_id),
            on_failed=lambda exc: self._on_caseload_failed(generation, exc),
        )

    def _on_caseload_read(self, generation: int, rows: list, select_id: str | None) -> None:
        if generation != self._caseload_generation or self.is_locked:
            return  # locked meanwhile, or a newer read is on its way
        self.caseload_view.set_rows(rows, select_id)
        self._caseload_stale = False
        returning, self._returning = self._returning, None
        if returning is not None:  # just unlocked: back to where the adviser was
            self._return_to(returning, {r.id for r in rows})
        self.caseload_loaded.emit()

    def _on_caseload_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._caseload_generation or isinstance(exc, StoreLocked):
            return
        show_error(self, exc)

    # -- slots ---------------------------------------------------------------------------------

    def on_unlock_view_unlocked(self, store: Store) -> None:
        self.store = store
        self.ops = Operations(store, self._tasks, self.announcer)
        self.statusBar().clearMessage()  # "Locked…" no longer applies
        self._settings.set(LAST_STORE_FOLDER, str(store.folder))
        self._audit("unlock", None, "")
        resume, self._resume = self._resume, None
        self.caseload_view.set_owner(store.owner_name)
        self.refresh_caseload((resume or {}).get("young_person_id"))
        self.stack.setCurrentWidget(self.caseload_view)
        self.caseload_view.table.setFocus()
        self._update_actions()
        self.idle_lock.start()
        self._update_status()
        self._start_sync()
        if resume:
            self._returning = resume  # once the caseload is read
        else:
            self._mention_kept_drafts()

    def on_caseload_view_young_person_chosen(self, young_person_id: str) -> None:
        self._from_dashboard = False
        self.open_young_person(young_person_id)

    def on_dashboard_view_young_person_chosen(self, young_person_id: str) -> None:
        self.open_young_person(young_person_id)
        self._from_dashboard = True

    def on_care_leaver_facts_action_triggered(self) -> None:
        if self.workspace is None or self.ops is None:
            return
        from desktop.care_leaver.facts_dialog import CareLeaverFactsDialog

        self._open_non_blocking(
            CareLeaverFactsDialog(self.ops, self.workspace.young_person_id, self)
        )

    def on_dashboard_action_triggered(self) -> None:
        self._from_dashboard = False
        self.show_dashboard()

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        """The caseload shows profiles, review dates and when contact was last made: re-read it
        after such a change (now if it is on screen, on the way back to it otherwise)."""
        if not changes.touches(Kind.PROFILE, Kind.PLAN, Kind.NOTES) or self.is_locked:
            return
        if self.stack.currentWidget() is self.caseload_view:
            select, self._select_next = self._select_next, None
            self.refresh_caseload(select or self.caseload_view.selected_id())
        else:
            self._caseload_stale = True

    def on_back_action_triggered(self) -> None:
        if self.stack.currentWidget() is self.caseload_view:
            if self.caseload_view.proxy.text or self.caseload_view.proxy.quick_filters:
                self.caseload_view.clear_filters()
            return
        if self.stack.currentWidget() is self.dashboard_view:
            self._from_dashboard = False
        self.back_to_caseload()

    def on_new_action_triggered(self) -> None:
        self._open_profile_dialog(None)

    def on_edit_action_triggered(self) -> None:
        if self.workspace is not None:
            self._open_profile_dialog(self.workspace.young_person_id)

    def on_print_action_triggered(self) -> None:
        if self.workspace is None or self.store is None:
            return
        from desktop.print_ui.print_preview_dialog import PrintPreviewDialog

        self._open_non_blocking(
            PrintPreviewDialog(self.store, self._tasks, self.workspace.young_person_id, self)
        )

    def on_export_action_triggered(self) -> None:
        if self.workspace is None or self.ops is None:
            return
        profile = self.workspace.overview.profile
        start_export(
            self.ops,
            self,
            self.workspace.young_person_id,
            profile.preferred_name if profile is not None else None,
            ask_path=self.ask_export_path,
            on_finished=self.export_finished.emit,
        )

    def on_batch_print_action_triggered(self) -> None:
        if self.is_locked or self.store is None:
            return
        from desktop.print_ui.batch_print_dialog import BatchPrintDialog

        self._open_non_blocking(BatchPrintDialog(self.store, self._tasks, self))

    def _open_non_blocking(self, dialog: QDialog) -> None:
        """Window-modal without a nested event loop, so a lock can close it cleanly."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def on_find_action_triggered(self) -> None:
        if self.is_locked:
            return
        if self.stack.currentWidget() is not self.caseload_view:
            self.back_to_caseload()
        self.caseload_view.focus_filter()

    def on_lock_action_triggered(self) -> None:
        self.lock()

    def on_idle_lock_went_idle(self) -> None:
        self.lock()

    def on_idle_action_triggered(self) -> None:
        setting = IDLE_LOCK_MINUTES
        minutes, ok = QInputDialog.getInt(
            self,
            APP_TITLE,
            setting.label + ":",
            self._settings.get(setting),
            setting.minimum,
            setting.maximum,
        )
        if ok:
            self._settings.set(setting, minutes)
            self.idle_lock.set_timeout_ms(IdleLock.minutes_to_ms(minutes))
            self._update_status()

    def on_out_of_hours_action_triggered(self) -> None:
        if self.is_locked or self.store is None:
            return
        from desktop.settings_ui.out_of_hours_dialog import OutOfHoursDialog

        self._open_non_blocking(OutOfHoursDialog(self.ops, self))  # type: ignore[arg-type]

    def on_change_passphrase_action_triggered(self) -> None:
        if self.is_locked or self.store is None:
            return
        from desktop.settings_ui.change_passphrase_dialog import ChangePassphraseDialog

        self._open_non_blocking(ChangePassphraseDialog(self.ops, self))  # type: ignore[arg-type]

    def on_conflicts_action_triggered(self) -> None:
        if self.is_locked or self.ops is None:
            return
        from desktop.conflicts.conflicts_dialog import ConflictsDialog

        open_one = getattr(self, "conflicts_dialog", None)
        if open_one is not None and shiboken6.isValid(open_one) and open_one.isVisible():
            open_one.raise_()  # one list of every conflict is enough
            open_one.activateWindow()
            return
        self.conflicts_dialog = ConflictsDialog(self.ops, None, self)
        self._open_non_blocking(self.conflicts_dialog)

    def on_sync_now_action_triggered(self) -> None:
        if self.sync is None:
            return
        if self.sync.status is not None and not self.sync.status.enrolled:
            self.on_enrol_action_triggered()
            return
        if not self.sync.sync_now():
            self.statusBar().showMessage("A sync is already running.", 5000)

    def on_enrol_action_triggered(self) -> None:
        if self.is_locked or self.ops is None:
            return
        from desktop.sync_ui.enrol_dialog import EnrolDialog

        status = self.sync.status if self.sync is not None else None
        dialog = EnrolDialog(
            self.ops, self, enrolled_with=status.hub_url if status and status.enrolled else ""
        )
        dialog.enrolled.connect(self.on_enrol_dialog_enrolled)
        self.enrol_dialog = dialog
        self._open_non_blocking(dialog)

    def on_team_laptops_action_triggered(self) -> None:
        if self.is_locked or self.ops is None or self.sync is None:
            return
        from desktop.sync_ui.team_dialog import TeamDialog

        self._open_non_blocking(TeamDialog(self.ops, self.sync.reachable, self))

    def on_reallocate_action_triggered(self) -> None:
        if self.ops is None or self.sync is None or self.workspace is None:
            return
        from desktop.sync_ui.reallocate_dialog import ReallocateDialog

        profile = self.workspace.overview.profile
        name = profile.preferred_name if profile is not None else "this young person"
        yp_id, reachable = self.workspace.young_person_id, self.sync.reachable
        dialog = ReallocateDialog(self.ops, yp_id, name, reachable, self)
        dialog.reallocated.connect(
            lambda username: self.statusBar().showMessage(
                f"{isolate(name)} is now allocated to {username}; their laptop receives the "
                "record at its next sync.",
                15_000,
            )
        )
        self._open_non_blocking(dialog)

    def on_enrol_dialog_enrolled(self, result: Any) -> None:
        self.statusBar().showMessage(
            f"Enrolled as {result.username} (team {result.team}). The first sync is starting.",
            10_000,
        )
        if self.sync is not None:
            self.sync.refresh()
            self.sync.status = None  # re-read first; the sync starts regardless
            self.sync.sync_now()

    def on_sync_finished(self, report: Any) -> None:
        # Short: the status bar's sync part takes room (200% scaling) and shows the rest.
        text = f"Synced: sent {report.pushed}, received {report.pulled}."
        if report.purged:
            text += f" {len(report.purged)} no longer allocated to you were removed."
            # Before the announcement: the open record is gone, its panels must not re-read it.
            if self.workspace is not None and self.workspace.young_person_id in report.purged:
                profile = self.workspace.overview.profile
                self.back_to_caseload()
                text = "The young person you had open is no longer allocated to you. " + text
                name = profile.preferred_name if profile is not None else "This young person"
                self._tell_removed(name)
        self.statusBar().showMessage(text, 15_000)

    def _tell_removed(self, name: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            APP_TITLE,
            f"{isolate(name)} is no longer allocated to you and was removed from this laptop.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAccessibleName("Record removed from this laptop")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def on_sync_failed(self, exc: BaseException, automatic: bool) -> None:
        from sync.client import DeviceRevoked, SyncCancelled

        if isinstance(exc, DeviceRevoked):
            self._wipe_revoked(exc)
            return
        if isinstance(exc, StoreLocked):
            return
        # Why is in the sync part's tooltip, and in a message for a sync the person started.
        self.statusBar().showMessage("Sync did not finish.", 15_000)
        if not automatic and not isinstance(exc, SyncCancelled):
            show_error(self, exc)

    def on_shortcuts_action_triggered(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts",
            "\n".join(SHORTCUTS_HELP),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def on_profile_dialog_saved(self, young_person_id: str) -> None:
        # The workspace and the caseload refresh from the announcement of the save.
        dialog = self.sender()
        if isinstance(dialog, ProfileDialog) and dialog.is_new:
            # A new young person: their record opens (and is selected back on the caseload).
            self.caseload_view.clear_filters()
            self.open_young_person(young_person_id)
        self.statusBar().showMessage("Profile saved.", 5000)

    def on_profile_dialog_finished(self, _result: int) -> None:
        self.profile_dialog = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._stop_sync()
        self.flush_drafts()
        self._close_dialogs()
        self._close_workspace()
        self.idle_lock.stop()
        self._tasks.wait_for_idle(TASK_WAIT_MS)
        if self.store is not None:
            self.store.close()
            self.store = None
            self.ops = None
        remove_crash_hook(self.flush_drafts)
        super().closeEvent(event)

    # -- helpers -------------------------------------------------------------------------------

    def _open_profile_dialog(self, young_person_id: str | None) -> None:
        if self.is_locked or self.ops is None:
            return
        if self.profile_dialog is not None:
            self.profile_dialog.raise_()
            self.profile_dialog.activateWindow()
            return
        dialog = ProfileDialog(self.ops, young_person_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.on_profile_dialog_saved)
        dialog.finished.connect(self.on_profile_dialog_finished)
        self.profile_dialog = dialog
        dialog.open()

    def _where_we_are(self) -> dict[str, Any]:
        where: dict[str, Any] = {"young_person_id": None}
        if self.workspace is not None and self.stack.currentWidget() is self.workspace:
            where["young_person_id"] = self.workspace.young_person_id
            where["workspace"] = self.workspace.current_state()
        if self.profile_dialog is not None:
            where["profile_dialog"] = self.profile_dialog.young_person_id or NEW_PROFILE
        return where

    def _return_to(self, where: dict[str, Any], caseload_ids: set[str]) -> None:
        """Reopen the workspace and dialog of ``where``, if the young person is still in the
        caseload (``caseload_ids``: a sync may have taken them off this device)."""
        yp_id = where.get("young_person_id")
        if yp_id and yp_id in caseload_ids:
            self.open_young_person(yp_id, where.get("workspace"))
        dialog_for = where.get("profile_dialog")
        if dialog_for:
            self._open_profile_dialog(None if dialog_for == NEW_PROFILE else dialog_for)

    def _mention_kept_drafts(self) -> None:
        """After a crash or a close mid-edit: say where unsaved profile work is waiting."""
        if self.ops is not None:
            self.ops.read(
                lambda s: read_drafts_with_prefix(s, "profile:"),
                parent=self,
                on_done=self._on_kept_drafts_read,
                on_failed=lambda _exc: None,  # only a reminder: nothing to report
            )

    def _on_kept_drafts_read(self, kept: dict[str, Any]) -> None:
        if f"profile:{NEW_PROFILE}" in kept:
            self.statusBar().showMessage(
                "An unsaved new young person was kept: press Ctrl+N to finish it.", 30_000
            )
        elif kept:
            self.statusBar().showMessage(
                f"Unsaved profile changes were kept for {len(kept)} young "
                f"{'person' if len(kept) == 1 else 'people'}: open their profile to finish.",
                30_000,
            )

    def _open_dialogs(self) -> list[QDialog]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog)
            and w.isVisible()
            and not isinstance(w, QProgressDialog)
            and _is_ours(w, self)
        ]

    def _close_dialogs(self) -> None:
        for dialog in self._open_dialogs():
            if isinstance(dialog, ProfileDialog):
                dialog.close_keeping_draft()
            else:
                dialog.done(QDialog.DialogCode.Rejected)
        self.profile_dialog = None

    def _start_sync(self) -> None:
        if self.ops is None:
            return
        self.sync = self._sync_factory(self.ops, self)
        self.sync_bar = SyncStatusBar(self.sync)
        self.sync_bar.conflicts_requested.connect(self.on_conflicts_action_triggered)
        self.sync_bar.enrol_requested.connect(self.on_enrol_action_triggered)
        self.sync.sync_finished.connect(self.on_sync_finished)
        self.sync.sync_failed.connect(self.on_sync_failed)
        self.sync.status_changed.connect(self._update_actions)  # a manager's team actions
        self.statusBar().insertPermanentWidget(0, self.sync_bar)
        self.sync.start()

    def _stop_sync(self) -> None:
        sync, self.sync = self.sync, None
        if sync is not None:
            sync.stop()
            sync.deleteLater()
        bar, self.sync_bar = self.sync_bar, None
        if bar is not None:
            self.statusBar().removeWidget(bar)
            bar.deleteLater()

    def _wipe_revoked(self, exc: BaseException) -> None:
        """The hub revoked this laptop: its store is wiped, as the hub asks (ARCHITECTURE)."""
        from models.store_files import wipe_store

        folder = self.store.folder if self.store is not None else None
        self.lock()
        self._resume = None  # nothing to return to
        text = ("This laptop's enrolment with the hub was revoked, so its store has been wiped: "
                "no record is left on it.")
        if folder is not None:
            try:
                wipe_store(folder)
            except OSError:
                log.exception("The revoked store could not be wiped")
                text = ("This laptop's enrolment with the hub was revoked, but its records could "
                        "not all be wiped: tell your IT support.")
        # Back at the start: the folder holds no store now, so the unlock view offers a new one.
        self.unlock_view.reload()
        self._show_locked_ui(first=True)
        self.statusBar().clearMessage()  # not "Locked. Your unsaved work was kept."
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_TITLE, text, QMessageBox.StandardButton.Ok, self
        )
        box.setInformativeText(
            f"The hub said: {exc}\n\nTo use Pathway Desk again, ask your administrator for a "
            "new one-time code, make a new store, and enrol it (Sync ▸ Enrol this laptop…)."
        )
        box.setAccessibleName("This laptop was revoked")
        box.setAccessibleDescription(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _close_workspace(self) -> None:
        workspace, self.workspace = self.workspace, None
        if workspace is None:
            return
        workspace.flush_drafts()
        self.stack.removeWidget(workspace)
        workspace.hide()
        workspace.deleteLater()

    def _close_dashboard(self) -> None:
        view, self.dashboard_view = self.dashboard_view, None
        self._from_dashboard = False
        if view is None:
            return
        self.stack.removeWidget(view)
        view.hide()
        view.deleteLater()

    def _show_locked_ui(self, first: bool = False) -> None:
        self.idle_lock.stop()
        self.unlock_view.set_locked(not first)
        self.stack.setCurrentWidget(self.unlock_view)
        self._update_actions()
        self._update_status()

    def _update_actions(self) -> None:
        unlocked = not self.is_locked
        status = self.sync.status if self.sync is not None else None
        self.actions.update(
            unlocked=unlocked,
            in_workspace=unlocked and self.workspace is not None,
            on_dashboard=unlocked and self.stack.currentWidget() is self.dashboard_view,
            manager=unlocked and status is not None and status.role == "manager",
        )

    def _update_status(self) -> None:
        if self.is_locked:
            self.status_label.setText("Locked")
            return
        minutes = self._settings.get(IDLE_LOCK_MINUTES)
        owner = self.store.owner_name if self.store else ""
        self.status_label.setText(
            # Short: the sync part beside it says whether the hub can be reached.
            f"Unlocked for {owner} · locks after {minutes} min idle"
        )

    def _audit(self, action: str, young_person_id: str | None, detail: str) -> None:
        if self.is_locked or self.ops is None:
            return
        self.ops.write(
            lambda s: record_event(s, action, young_person_id, detail),
            Changes.of(young_person_id, Kind.AUDIT),
            parent=self,
            # e.g. a full disk: say so, carry on reading
            on_failed=lambda exc: self.statusBar().showMessage(str(exc), 10000),
        )


def _is_ours(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
