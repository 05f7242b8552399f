"""Sync in the window: the status bar, Sync now in the background with progress and Cancel,
syncing by itself when the hub can be reached, and what a failed sync says. The hub here is a
stand-in (the client's own tests and test_enrol_dialog.py use a real one)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.conflicts.conflicts_dialog import ConflictsDialog
from desktop.dates import format_moment
from desktop.main_window import MainWindow
from desktop.operations import ChangeAnnouncer, Changes, Kind, Operations
from desktop.sync_ui.sync_controller import SyncController
from desktop.sync_ui.sync_status_bar import SyncStatusBar
from models.repo import young_people as yp
from models.store import Store
from sync.client import HubUnreachable, SyncCancelled, SyncReport, SyncStatus, UpdateRequired
from tests.factories import add_young_person

ENROLLED = SyncStatus(
    enrolled=True,
    hub_url="https://hub.example:8443",
    username="asha",
    role="advisor",
    last_sync_at="2026-11-02T14:30:00+00:00",
    last_error=None,
    waiting=3,
    open_conflicts=2,
    refused=0,
)
NOT_ENROLLED = replace(ENROLLED, enrolled=False, hub_url="", last_sync_at=None, open_conflicts=0)


class FakeHub:
    """Stands in for the sync client: ``run`` reports progress, then waits for ``release`` (or
    a cancel), then applies a change like a pull would, and returns a report."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.runs = 0
        self.fail: BaseException | None = None
        self.pull: Callable[[Store], None] | None = None
        self.reachable = True
        self.status = ENROLLED
        self.people: set[str] = set()
        self.purged: list[str] = []

    def client(self, store: Store) -> FakeHub._Client:
        return FakeHub._Client(self, store)

    def read_status(self, _store: Store) -> SyncStatus:
        return self.status

    def probe(self, _url: str) -> bool:
        return self.reachable

    class _Client:
        def __init__(self, hub: FakeHub, store: Store) -> None:
            self.hub, self.store = hub, store

        def run(self, progress, cancel) -> SyncReport:
            hub = self.hub
            hub.runs += 1
            progress("Sending changes", 1, 3)
            hub.started.set()
            while not hub.release.wait(0.01):
                if cancel.is_set():
                    raise SyncCancelled()
            if hub.fail is not None:
                raise hub.fail
            if hub.pull is not None:
                hub.pull(self.store)
            return SyncReport(
                pushed=3,
                pulled=1,
                open_conflicts=2,
                young_people=set(hub.people),
                purged=list(hub.purged),
            )


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub()


def controller_for(ops: Operations, hub: FakeHub, **kw) -> SyncController:
    return SyncController(
        ops,
        client_factory=hub.client,
        read_status=hub.read_status,
        probe=hub.probe,
        **kw,
    )


def test_the_status_bar_says_how_things_stand(qtbot, ops, hub) -> None:
    controller = controller_for(ops, hub, probe_ms=60_000)
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    hub.status = NOT_ENROLLED
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    assert bar.state_label.text() == "Sync: not enrolled"
    assert bar.sync_button.text() == "Enrol…"
    with qtbot.waitSignal(bar.enrol_requested):
        bar.sync_button.click()
    hub.status = ENROLLED
    hub.release.set()
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000):
        controller.start()  # the first probe finds the hub: a sync starts by itself
    assert bar.state_label.text() == "Sync: online"
    when = format_moment(datetime.fromisoformat(ENROLLED.last_sync_at))  # local time
    assert bar.detail_label.text() == "synced 2 Nov 2026 · 3 waiting"  # short: room is short
    assert bar.detail_label.accessibleName() == f"Last sync {when}; 3 changes waiting to be sent"
    assert not bar.conflicts_button.isHidden()
    assert bar.conflicts_button.text() == "2 conflicts"
    assert bar.conflicts_button.accessibleName() == "2 sync conflicts to resolve: open them"
    controller.stop()


def unlocked_window(qtbot, settings, tasks, caseload_folder: Path, hub: FakeHub) -> MainWindow:
    """The main window on the caseload store, unlocked, its sync going to ``hub``."""
    from models.crypto.keyfile import KdfParams
    from tests.desktop.conftest import STUB_PANELS, unlock

    window = MainWindow(
        caseload_folder,
        settings,
        tasks,
        kdf=KdfParams.fast_for_tests(),
        panels=STUB_PANELS,
        sync_factory=lambda ops, parent: controller_for(ops, hub, parent=parent),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    unlock(qtbot, window)
    return window


def test_sync_now_runs_in_the_background_with_progress_and_cancel(qtbot, ops, hub) -> None:
    controller = controller_for(ops, hub, probe_ms=60_000)
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    bar.show()
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    with qtbot.waitSignal(controller.progressed, timeout=10_000) as progressed:
        bar.sync_button.click()
    assert progressed.args == ["Sending changes", 1, 3]
    # The GUI thread is free while the sync waits on the hub: events run, widgets answer.
    assert controller.running and bar.cancel_button.isVisible()
    assert bar.progress.toolTip() == "Sending changes: 1 of 3"
    assert bar.progress.accessibleDescription() == "Sending changes: 1 of 3"
    assert not bar.sync_button.isEnabled()
    assert controller.sync_now() is False  # one at a time
    with qtbot.waitSignal(controller.sync_failed, timeout=10_000) as failed:
        bar.cancel_button.click()
    assert isinstance(failed.args[0], SyncCancelled)
    assert not controller.running and not bar.progress.isVisible()
    assert bar.sync_button.isEnabled()


def test_an_edit_saved_during_a_sync_is_written_before_the_sync_ends(qtbot, store, ops,
                                                                       hub) -> None:
    """Editing never waits for a sync: the save goes in between the sync's transactions."""
    yp_id = add_young_person(store, legal_name="Selam Tesfay")
    controller = controller_for(ops, hub, probe_ms=60_000)
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    controller.sync_now()
    assert hub.started.wait(10)
    saved = []
    ops.write(lambda s: yp.update_young_person(s, yp_id, pronouns="she/her"),
              Changes.of(yp_id, Kind.PROFILE), parent=None, on_done=saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert controller.running  # the sync is still waiting on its hub
    with store.reader() as s:
        assert yp.load_profile(s, yp_id).pronouns == "she/her"
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000):
        hub.release.set()


def test_what_a_sync_applied_is_announced_and_views_refresh(qtbot, store, ops, hub) -> None:
    ident = add_young_person(store)

    def pull(s: Store) -> None:
        with s.session() as session:
            yp.update_young_person(session, ident, phone="0115 000 0009")

    hub.pull = pull
    hub.people = {ident}
    hub.release.set()
    controller = controller_for(ops, hub)
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    with qtbot.waitSignal(ops.announcer.changes_announced, timeout=10_000) as announced:
        controller.sync_now()
    changes = announced.args[0]
    assert changes.young_person_id == ident  # only theirs changed: only their views re-read
    assert changes.touches(Kind.PROFILE) and changes.touches(Kind.CONFLICTS)


def test_a_sync_starts_by_itself_when_the_hub_answers_again(qtbot, ops, hub) -> None:
    hub.reachable = False
    hub.release.set()
    controller = controller_for(ops, hub, probe_ms=50)
    with qtbot.waitSignal(controller.reachable_changed, timeout=10_000) as offline:
        controller.start()
    assert offline.args == [False] and hub.runs == 0
    hub.reachable = True
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000) as finished:
        pass
    assert finished.args[0].pushed == 3 and hub.runs == 1
    assert controller.reachable is True
    controller.stop()


def test_probes_back_off_while_the_hub_does_not_answer(qtbot, ops, hub) -> None:
    hub.reachable = False
    controller = controller_for(ops, hub, probe_ms=20, max_probe_ms=80)
    controller.start()
    qtbot.waitUntil(lambda: controller.timer.interval() == 80, timeout=10_000)  # 20, 40, 80
    hub.reachable = True
    hub.release.set()
    qtbot.waitUntil(lambda: controller.timer.interval() == 20, timeout=10_000)
    qtbot.waitUntil(lambda: hub.runs == 1 and not controller.running, timeout=10_000)
    controller.stop()


def test_a_refusal_from_a_hub_that_answers_is_shown(qtbot, ops, hub) -> None:
    hub.fail = UpdateRequired("This version of Pathway Desk is too old for the hub: update it.")
    hub.status = replace(hub.status, last_error=str(hub.fail))  # as the client notes it
    hub.release.set()
    controller = controller_for(ops, hub, probe_ms=60_000)
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(controller.sync_failed, timeout=10_000):
        controller.start()  # the hub answers the probe, then refuses the sync
    qtbot.waitUntil(lambda: not controller.running and controller.reachable is True)
    # Not "online" as if all were well:
    qtbot.waitUntil(lambda: bar.state_label.text() == "Sync: last sync failed", timeout=5_000)
    assert bar.state_label.toolTip() == str(hub.fail)
    assert bar.state_label.accessibleDescription() == str(hub.fail)
    controller.stop()


def test_an_automatic_sync_that_fails_says_so_quietly(qtbot, ops, hub) -> None:
    hub.fail = HubUnreachable("Cannot reach the hub at https://hub.example:8443 (refused).")
    hub.release.set()
    controller = controller_for(ops, hub, probe_ms=60_000)
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    with qtbot.waitSignal(controller.sync_failed, timeout=10_000) as failed:
        controller.sync_now(automatic=True)
    assert failed.args[1] is True
    assert bar.state_label.text() == "Sync: offline"
    assert "Cannot reach the hub" in bar.state_label.toolTip()
    # The reason is not only for the mouse: Tab reaches the status, and Space says why.
    assert bar.state_label.focusPolicy() & Qt.FocusPolicy.TabFocus
    bar.state_label.setFocus()
    qtbot.keyClick(bar.state_label, Qt.Key.Key_Space)
    assert bar.details_box is not None and bar.details_box.isVisible()
    assert "Cannot reach the hub" in bar.details_box.text()
    bar.details_box.close()


def test_the_window_shows_sync_and_its_conflicts_count_opens_them(
    qtbot, settings, tasks, caseload_folder: Path, hub
) -> None:
    hub.release.set()
    window = unlocked_window(qtbot, settings, tasks, caseload_folder, hub)
    bar = window.sync_bar
    assert bar is not None and window.sync is not None
    qtbot.waitUntil(lambda: bar.conflicts_button.isVisible(), timeout=10_000)
    # The first probe found the hub: a sync ran by itself and the status bar says so.
    qtbot.waitUntil(lambda: hub.runs == 1 and not window.sync.running, timeout=10_000)
    message = window.statusBar().currentMessage
    qtbot.waitUntil(lambda: message() == "Synced: sent 3, received 1.", timeout=10_000)
    bar.conflicts_button.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictsDialog)]
    assert dialogs and dialogs[0].isVisible()
    dialogs[0].done(QDialog.DialogCode.Rejected)
    assert window.actions.sync_now.shortcut().toString() == "F5"
    # Locking stops sync and takes the status bar part away; unlocking brings it back.
    window.lock()
    assert window.sync is None and window.sync_bar is None
    window.idle_lock.stop()
    window.close()


def test_sync_ops_without_a_window(qtbot, store, tasks) -> None:
    """The controller needs only the operation layer (no main window)."""
    hub = FakeHub()
    hub.release.set()
    ops = Operations(store, tasks, ChangeAnnouncer())
    controller = controller_for(ops, hub)
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        controller.refresh()
    with qtbot.waitSignal(controller.sync_finished, timeout=10_000):
        assert controller.sync_now()


def test_a_revoked_laptop_wipes_its_store_and_says_why(
    qtbot, settings, tasks, caseload_folder: Path, hub
) -> None:
    from sync.client import DeviceRevoked

    hub.fail = DeviceRevoked("This laptop's enrolment was revoked by an administrator.")
    hub.release.set()
    window = unlocked_window(qtbot, settings, tasks, caseload_folder, hub)
    qtbot.waitUntil(lambda: window.is_locked, timeout=10_000)
    assert list(caseload_folder.iterdir()) == []  # key overwritten, every file removed
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("has been wiped" in b.text() and b.isVisible() for b in boxes)
    window.idle_lock.stop()
    window.close()


def test_a_sync_that_takes_the_open_young_person_away_closes_their_record(
    qtbot, settings, tasks, caseload_folder: Path, hub
) -> None:
    window = unlocked_window(qtbot, settings, tasks, caseload_folder, hub)
    ident = window.caseload_view.model.rows()[0].id
    window.open_young_person(ident)
    hub.purged = [ident]  # (a stand-in: the record stays, the report says it went)
    with qtbot.waitSignal(window.sync.sync_finished, timeout=10_000):
        hub.release.set()
    assert window.workspace is None
    assert window.statusBar().currentMessage().startswith("The young person you had open")
    window.lock()
    window.idle_lock.stop()
    window.close()
