"""The window's sync against a real hub over HTTPS (``pathway-hub serve`` on loopback): a laptop
not enrolled is enrolled from the app (a wrong code, a wrong fingerprint, then right) and syncs;
Sync now sends what waits; a sync cancelled midway keeps what it sent; a hub that cannot be
reached shows offline and why; a revoked laptop is wiped, told why, and back at the start."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.operations import Changes, Kind
from desktop.sync_ui.enrol_dialog import EnrolDialog
from models.repo.young_people import caseload, update_young_person
from models.store import Store
from sync.client import SyncCancelled, SyncClient, connection
from sync.hub import admin
from tests.desktop.conftest import unlock
from tests.desktop.sync_ui.conftest import enrol_code
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.sync.hub.hubkit import run_admin
from tests.sync.hub.served import free_port


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def _idle_and_synced(window) -> bool:
    st = window.sync.status if window.sync is not None else None
    return bool(st and st.last_sync_at) and not window.sync.running


def test_enrolled_from_the_app_then_sync_now_sends_what_waits(
    qtbot, make_window, tmp_path: Path, hub, hub_settings
) -> None:
    folder = tmp_path / "laptop"
    store = make_store(folder, owner="asha")
    add_young_person(store, legal_name="Amira Haddad", preferred_name="Amira")
    store.close()
    window = make_window(folder)
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=10_000)
    bar = window.sync_bar
    assert bar.state_label.text() == "Sync: not enrolled"
    assert bar.detail_label.text() == "1 change kept here"  # made before enrolment

    bar.sync_button.click()  # "Enrol…"
    dialog: EnrolDialog = window.enrol_dialog
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.url_edit, hub.url)
    dialog.code_edit.setText("x" * 20)  # never issued
    dialog.fingerprint_edit.setText(hub.fingerprint.lower().replace(":", ""))
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.enrol_button.click()
    assert "unknown, used or expired" in failed.args[0]
    dialog.code_edit.setText(enrol_code(hub_settings, "asha"))
    dialog.fingerprint_edit.setText("AB:" * 31 + "AB")  # not the hub's
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.enrol_button.click()
    assert "does not match" in failed.args[0]
    dialog.fingerprint_edit.clear()
    with qtbot.waitSignal(dialog.fingerprint_fetched, timeout=10_000) as fetched:
        dialog.fetch_button.click()
    assert fetched.args == [hub.fingerprint]
    dialog.matches_box.setChecked(True)
    with qtbot.waitSignal(dialog.enrolled, timeout=10_000) as enrolled:
        dialog.enrol_button.click()
    assert enrolled.args[0].username == "asha"

    # The first sync starts at once and sends the record made before enrolment.
    qtbot.waitUntil(lambda: _idle_and_synced(window), timeout=20_000)
    qtbot.waitUntil(lambda: window.sync.status.waiting == 0, timeout=10_000)
    assert bar.state_label.text() == "Sync: online"
    assert bar.detail_label.text().endswith("· 0 waiting")
    assert hub.url  # the hub now holds Amira, allocated to asha
    assert not bar.conflicts_button.isVisible()

    with window.store.reader() as s:
        amira = caseload(s)[0].id
    window.ops.write(lambda s: update_young_person(s, amira, pronouns="she/her"),
                     Changes.of(amira, Kind.PROFILE), parent=window)
    qtbot.waitUntil(lambda: bar.detail_label.text().endswith("· 1 waiting"), timeout=10_000)
    with qtbot.waitSignal(window.sync.sync_finished, timeout=15_000) as finished:
        window.actions.sync_now.trigger()
    assert finished.args[0].pushed == 1
    qtbot.waitUntil(lambda: bar.detail_label.text().endswith("· 0 waiting"), timeout=10_000)


def test_a_sync_cancelled_midway_keeps_what_it_sent(
    qtbot, make_window, enrolled_folder, monkeypatch
) -> None:
    folder = enrolled_folder("asha", ("Amira",))
    # The sync holds before it pulls, until cancelled: it is surely running when Cancel is hit.
    holding = threading.Event()
    real_pull = SyncClient._pull

    def held_pull(self, hub, report):
        holding.set()
        for _ in range(400):
            if self._cancel.is_set():
                break
            threading.Event().wait(0.025)
        return real_pull(self, hub, report)

    monkeypatch.setattr(SyncClient, "_pull", held_pull)
    window = make_window(folder)
    qtbot.waitUntil(lambda: window.sync.running, timeout=15_000)  # found the hub: by itself
    assert holding.wait(15)
    bar = window.sync_bar
    assert bar.cancel_button.isVisible() and bar.state_label.text() == "Sync: syncing…"
    with qtbot.waitSignal(window.sync.sync_failed, timeout=15_000) as failed:
        bar.cancel_button.click()
    assert isinstance(failed.args[0], SyncCancelled)
    assert not window.sync.running and not bar.cancel_button.isVisible()
    assert not _boxes()  # a cancel is nobody's error
    qtbot.waitUntil(lambda: window.sync.status.waiting == 0, timeout=10_000)  # Amira was sent
    assert "cancelled" in bar.state_label.toolTip()


def test_a_hub_that_cannot_be_reached_shows_offline_and_why(
    qtbot, make_window, enrolled_folder
) -> None:
    folder = enrolled_folder("ben", ("Kai",))
    store = Store.open(folder, PASSPHRASE)  # the hub's address now leads nowhere
    creds = connection.load(store)
    assert creds is not None
    connection.save(store, replace(creds, hub_url=f"https://127.0.0.1:{free_port()}"))
    store.close()
    window = make_window(folder)
    bar = window.sync_bar
    qtbot.waitUntil(lambda: bar.state_label.text() == "Sync: offline", timeout=15_000)
    assert not window.sync.running  # nothing starts against a hub that is not there
    with qtbot.waitSignal(window.sync.sync_failed, timeout=20_000):
        window.actions.sync_now.trigger()  # asked for: the reason is shown
    qtbot.waitUntil(lambda: bool(_boxes()), timeout=5_000)
    [box] = _boxes()
    assert "hub" in box.text() and ("Cannot reach" in box.text() or "lost" in box.text())
    assert bar.state_label.text() == "Sync: offline"
    assert bar.state_label.toolTip() == box.text()  # the whole sentence, there too


def test_a_revoked_laptop_is_wiped_told_why_and_back_at_the_start(
    qtbot, make_window, enrolled_folder, hub_settings
) -> None:
    folder = enrolled_folder("ben", ("Kai",))
    [device] = run_admin(hub_settings, admin.list_devices)
    run_admin(hub_settings, admin.revoke_device, device.id)
    window = make_window(folder, unlocked=False)
    unlock(qtbot, window)
    # The hub is found, a sync starts by itself, and the hub says the laptop is revoked.
    qtbot.waitUntil(lambda: window.store is None and bool(_boxes()), timeout=20_000)
    assert list(folder.iterdir()) == []  # key file, database and files: gone
    [box] = _boxes()
    assert "revoked" in box.text() and "wiped" in box.text()
    assert window.stack.currentWidget() is window.unlock_view
    assert window.unlock_view.pages.currentIndex() == 1  # the start: make a new store
    assert window.sync_bar is None or not window.sync_bar.isVisible()
    assert "Locked" not in window.statusBar().currentMessage()
