"""The sync status in the main window against a real hub over HTTPS: not enrolled, enrolled
through the dialog (wrong fingerprint, wrong code, then right), synced by itself once the hub is
found, Sync now sending what waits; a hub that cannot be reached shows Offline and says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.operations import Changes, Kind
from desktop.sync_ui.enrol_dialog import EnrolDialog
from models.repo.young_people import caseload, update_young_person
from models.store import Store
from sync.client import connection
from tests.desktop.sync_ui.conftest import enrol_code
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.sync.hub.served import free_port


def _dialog(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} open"
    return found[-1]


def _message_boxes() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def test_not_enrolled_then_enrolled_in_the_app_then_sync_now(
    qtbot, make_window, tmp_path: Path, hub, hub_settings
) -> None:
    folder = tmp_path / "laptop"
    store = make_store(folder, owner="asha")
    add_young_person(store, legal_name="Amira Haddad", preferred_name="Amira")
    store.close()
    window = make_window(folder)
    bar = window.sync.status_bar
    qtbot.waitUntil(lambda: bar.last_sync_label.text() == "Not enrolled")
    assert bar.isVisible() and bar.sync_button.isVisible()
    assert bar.sync_button.defaultAction() is window.actions.enrol  # the way to get online
    assert not bar.connection_label.isVisible()  # no hub to be online with
    assert bar.last_sync_label.accessibleName() == "Last sync: Not enrolled"
    assert not window.actions.team_laptops.isVisible()  # a manager's only

    bar.sync_button.click()
    dialog: EnrolDialog = _dialog(EnrolDialog)
    assert not dialog.enrol_button.isEnabled()
    qtbot.keyClicks(dialog.url_edit, hub.url)
    dialog.code_edit.setText(enrol_code(hub_settings, "asha"))
    # Someone gave a different fingerprint: pasted, it is compared before anything is sent.
    qtbot.keyClicks(dialog.expected_edit, "AB:" * 31 + "AB")
    assert dialog.enrol_button.isEnabled()
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.enrol_button.click()
    assert "does not match the fingerprint you were given" in failed.args[0]
    assert dialog.isVisible()

    # Fetched and shown; the pasted one disagrees: said at once, and Enrol waits.
    with qtbot.waitSignal(dialog.fingerprint_shown, timeout=10_000) as shown:
        dialog.check_button.click()
    assert shown.args == [hub.fingerprint]
    assert dialog.fingerprint_value.accessibleName() == f"Hub fingerprint: {hub.fingerprint}"
    assert dialog.fingerprint_value.text().replace("\n", ":") == hub.fingerprint
    assert "does not match the hub's" in dialog.message.text()
    assert not dialog.enrol_button.isEnabled()
    dialog.expected_edit.clear()
    dialog.expected_edit.textEdited.emit("")
    assert not dialog.enrol_button.isEnabled()  # not until the person confirms it

    # The right fingerprint pasted, but a code that was never issued.
    dialog.expected_edit.setText(hub.fingerprint.lower().replace(":", ""))
    dialog.expected_edit.textEdited.emit(dialog.expected_edit.text())
    assert dialog.message.text() == "The fingerprints match."
    dialog.code_edit.setText("x" * 20)
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.enrol_button.click()
    assert "unknown, used or expired" in failed.args[0]

    # The fingerprint shown, ticked as confirmed, and the right code.
    dialog.expected_edit.clear()
    dialog.confirm_box.setChecked(True)
    dialog.code_edit.setText(enrol_code(hub_settings, "asha"))
    with qtbot.waitSignal(dialog.enrolled, timeout=10_000) as enrolled:
        dialog.enrol_button.click()
    assert enrolled.args[0].username == "asha"
    # Enrolled: the hub is found, and the first sync runs by itself.
    qtbot.waitUntil(lambda: bar.connection_label.text() == "Online", timeout=15_000)
    qtbot.waitUntil(lambda: bar.last_sync_label.text() == "Synced just now", timeout=15_000)
    qtbot.waitUntil(lambda: bar.waiting_label.text() == "Nothing to send", timeout=10_000)
    assert bar.conflicts_button.text() == "No conflicts"
    assert not bar.error_button.isVisible()
    assert hub.url in bar.last_sync_label.toolTip()
    assert bar.sync_button.defaultAction() is window.actions.sync_now
    assert bar.sync_button.actions() == [window.actions.sync_now]

    # An edit waits to be sent; Sync now (F5) sends it and the counts follow.
    with window.store.reader() as s:
        amira = caseload(s)[0].id
    window.ops.write(lambda s: update_young_person(s, amira, pronouns="she/her"),
                     Changes.of(amira, Kind.PROFILE), parent=window)
    qtbot.waitUntil(lambda: bar.waiting_label.text() == "1 change to send", timeout=10_000)
    with qtbot.waitSignal(window.sync.controller.sync_finished, timeout=15_000) as finished:
        window.actions.sync_now.trigger()
        assert bar.cancel_button.isVisible() and not bar.sync_button.isVisible()
    assert finished.args[0].pushed == 1
    qtbot.waitUntil(lambda: bar.waiting_label.text() == "Nothing to send", timeout=10_000)
    assert "sent 1" in window.statusBar().currentMessage()
    assert bar.sync_button.isVisible() and not bar.cancel_button.isVisible()


def test_a_hub_that_cannot_be_reached_shows_offline_and_why(
    qtbot, make_window, enrolled_folder
) -> None:
    folder = enrolled_folder("ben", ("Kai",))
    # The hub moved away (or this laptop is offline): nothing listens at its address now.
    st = Store.open(folder, PASSPHRASE)
    creds = connection.load(st)
    assert creds is not None
    connection.save(st, replace(creds, hub_url=f"https://127.0.0.1:{free_port()}"))
    st.close()

    window = make_window(folder)
    bar = window.sync.status_bar
    qtbot.waitUntil(lambda: bar.connection_label.text() == "Offline", timeout=15_000)
    assert bar.last_sync_label.text() == "Never synced"
    assert "cannot be reached" in bar.connection_label.toolTip()
    assert not window.sync.controller.running  # no automatic sync against a hub not there

    with qtbot.waitSignal(window.sync.controller.sync_failed, timeout=20_000):
        window.actions.sync_now.trigger()  # asked for: the reason is shown
    qtbot.waitUntil(lambda: any("Cannot reach the hub" in t or "connection to the hub" in t
                                for t in _message_boxes()), timeout=5_000)
    assert bar.error_button.isVisible()
    assert bar.error_button.text() == "⚠ Hub not reachable"
    assert "Nothing is lost" in bar.error_button.toolTip() or \
        "Check the address" in bar.error_button.toolTip()
    assert bar.error_button.accessibleDescription() == bar.error_button.toolTip()
    assert bar.connection_label.text() == "Offline"
