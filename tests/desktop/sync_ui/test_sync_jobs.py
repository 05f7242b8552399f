"""A sync in the background against a real hub: a note is typed and saved while it runs (editing
never waits for it), Cancel stops it keeping what was sent; a revoked laptop is closed, wiped and
told why; a young person reallocated away closes with a message if their record is open."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.notes.notes_panel import NotesPanel
from desktop.workspace.workspace_view import PANELS
from models.repo import notes
from models.repo.young_people import caseload
from sync.client import SyncCancelled, SyncClient, enrol
from sync.client import team as team_actions
from sync.hub import admin
from tests.desktop.conftest import unlock
from tests.desktop.sync_ui.conftest import enrol_code
from tests.factories import make_store
from tests.sync.hub.hubkit import run_admin


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def test_typing_and_saving_a_note_during_a_sync_then_cancel(
    qtbot, make_window, enrolled_folder, monkeypatch
) -> None:
    folder = enrolled_folder("asha", ("Amira",))
    # The sync stops before it pulls, until it is cancelled: a sync still running, for sure.
    pulling = threading.Event()
    original_pull = SyncClient._pull

    def held_pull(self, hub, report):
        pulling.set()
        for _ in range(200):
            if self._cancel.is_set():
                break
            threading.Event().wait(0.05)
        return original_pull(self, hub, report)

    monkeypatch.setattr(SyncClient, "_pull", held_pull)
    window = make_window(folder)
    controller, bar = window.sync.controller, window.sync.status_bar
    qtbot.waitUntil(lambda: controller.running, timeout=15_000)  # found the hub: syncs itself
    qtbot.waitUntil(pulling.is_set, timeout=15_000)
    qtbot.waitUntil(lambda: bar.progress_label.text() == "Sending…", timeout=5_000)
    assert bar.progress_label.accessibleName().startswith("Sending changes")
    assert bar.cancel_button.isVisible()

    with window.store.reader() as s:
        amira = caseload(s)[0].id
    panel = NotesPanel(window.ops, amira)
    qtbot.addWidget(panel)
    qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
    panel.new_button.click()
    panel.editor.kind_combo.setCurrentIndex(panel.editor.kind_combo.findData("video"))
    qtbot.keyClicks(panel.editor.summary_edit, "Video call")
    qtbot.keyClicks(panel.editor.narrative_edit, "Typed while the laptop synced.")
    with qtbot.waitSignal(panel.record_changed, timeout=10_000):
        panel.editor.save_button.click()
    assert controller.running  # saved while the sync was still running
    with window.store.reader() as s:
        assert [n.summary for n in notes.list_notes(s, amira)] == ["Video call"]

    with qtbot.waitSignal(controller.sync_failed, timeout=15_000) as failed:
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert isinstance(failed.args[0], SyncCancelled)
    assert not controller.running
    assert "Sync cancelled" in window.statusBar().currentMessage()
    assert bar.error_button.text() == "⚠ Sync cancelled"
    assert not _boxes()  # a cancel is no error to interrupt anyone with
    # What was sent before the cancel is kept; the note saved meanwhile waits for the next sync.
    qtbot.waitUntil(lambda: bar.waiting_label.text() == "1 change to send", timeout=10_000)
    monkeypatch.setattr(SyncClient, "_pull", original_pull)
    with qtbot.waitSignal(controller.sync_finished, timeout=15_000) as finished:
        window.actions.sync_now.trigger()
    assert finished.args[0].pushed == 1
    qtbot.waitUntil(lambda: bar.waiting_label.text() == "Nothing to send", timeout=10_000)
    assert not bar.error_button.isVisible()


def test_a_revoked_laptop_is_wiped_and_says_why(
    qtbot, make_window, enrolled_folder, hub_settings
) -> None:
    folder = enrolled_folder("ben", ("Kai",))
    [device] = run_admin(hub_settings, admin.list_devices)
    run_admin(hub_settings, admin.revoke_device, device.id)
    window = make_window(folder, unlocked=False)
    said: list[str] = []
    window.store_wiped.connect(said.append)
    unlock(qtbot, window)
    # The hub is found, the sync runs by itself, and the hub says: revoked.
    qtbot.waitUntil(lambda: bool(said), timeout=20_000)
    assert "revoked" in said[0] and "wiped" in said[0]
    assert window.is_locked and window.store is None
    assert list(folder.iterdir()) == []  # key file, database and files gone
    [box] = _boxes()
    assert "wiped" in box.text()
    assert window.stack.currentWidget() is window.unlock_view
    assert window.unlock_view.pages.currentIndex() == 1  # the start screen: make a new store
    assert not window.sync.status_bar.isVisible()


def test_a_young_person_reallocated_away_closes_with_a_message(
    qtbot, make_window, enrolled_folder, hub, hub_settings, tmp_path: Path
) -> None:
    folder = enrolled_folder("asha", ("Amira",))
    window = make_window(folder, panels=PANELS[:1])
    controller = window.sync.controller
    qtbot.waitUntil(lambda: window.sync.status_bar.last_sync_label.text() == "Synced just now",
                    timeout=20_000)  # Amira has reached the hub, allocated to asha
    with window.store.reader() as s:
        amira = caseload(s)[0].id
    window.open_young_person(amira)
    qtbot.waitSignal(window.workspace.header_loaded, timeout=10_000).wait()

    # The manager, on their own laptop, allocates Amira to ben.
    mo = make_store(tmp_path / "mo", owner="mo")
    enrol(mo, hub.url, enrol_code(hub_settings, "mo"), hub.fingerprint)
    team_actions.reallocate(mo, amira, "ben")
    mo.close()

    with qtbot.waitSignal(controller.sync_finished, timeout=15_000) as finished:
        window.actions.sync_now.trigger()
    assert finished.args[0].purged == [amira]
    assert window.workspace is None
    assert window.stack.currentWidget() is window.caseload_view
    [box] = _boxes()
    assert box.text() == "Amira is no longer allocated to you and was removed from this laptop."
    qtbot.waitUntil(lambda: window.caseload_view.model.rowCount() == 0, timeout=10_000)
