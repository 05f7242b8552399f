"""Enrol this laptop… against a real hub (``pathway-hub serve`` over HTTPS on loopback): the
fingerprint is confirmed before anything is sent, a wrong code, a hub that cannot be reached
and a fingerprint that does not match each say so plainly, and once enrolled, Sync now goes
through the real sync client."""

from __future__ import annotations

from pathlib import Path

from desktop.operations import ChangeAnnouncer, Operations
from desktop.sync_ui.enrol_dialog import EnrolDialog
from desktop.sync_ui.sync_controller import SyncController
from models.store import Store
from sync.client import status
from sync.hub import admin
from tests.factories import add_young_person, make_store
from tests.sync.client.conftest import hub, hub_home, hub_settings  # noqa: F401 - fixtures
from tests.sync.hub.hubkit import run_admin
from tests.sync.hub.served import free_port

WRONG = ":".join(["AB"] * 32)


def dialog_for(qtbot, ops: Operations) -> EnrolDialog:
    dialog = EnrolDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def try_enrol(qtbot, dialog: EnrolDialog) -> str:
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as failed:
        dialog.enrol_button.click()
    assert dialog.problem.isVisible() and dialog.enrol_button.isEnabled()
    return failed.args[0]


def test_enrolling_with_the_hub_then_syncing(qtbot, tmp_path: Path, tasks, hub, hub_settings):  # noqa: F811
    store: Store = make_store(tmp_path / "laptop", owner="asha")
    try:
        add_young_person(store, legal_name="Made Offline")  # pushed by the first sync
        ops = Operations(store, tasks, ChangeAnnouncer())
        dialog = dialog_for(qtbot, ops)
        code, _ = run_admin(hub_settings, admin.issue_enrol_code, "asha")

        # Nothing typed: each field is asked for in turn.
        assert "is not a hub address" in try_enrol(qtbot, dialog)
        dialog.url_edit.setText(hub.url)
        assert "one-time code" in try_enrol(qtbot, dialog)
        dialog.code_edit.setText("not-the-code")
        assert "fingerprint" in try_enrol(qtbot, dialog)

        # A fingerprint that does not match: nothing is sent, the code stays usable.
        dialog.fingerprint_edit.setText(WRONG)
        message = try_enrol(qtbot, dialog)
        assert message.startswith("The fingerprint does not match.")
        assert hub.fingerprint in message  # what the hub presents, to compare

        # The hub's own fingerprint, fetched and confirmed, with a wrong code.
        dialog.fingerprint_edit.clear()
        with qtbot.waitSignal(dialog.fingerprint_fetched, timeout=30_000) as fetched:
            dialog.fetch_button.click()
        assert fetched.args == [hub.fingerprint]
        assert hub.fingerprint in dialog.fetched_label.text()
        assert "tick" in try_enrol(qtbot, dialog)  # not confirmed yet
        dialog.matches_box.setChecked(True)
        assert try_enrol(qtbot, dialog).startswith("The hub did not accept the code")

        # The right code.
        dialog.code_edit.setText(code)
        with qtbot.waitSignal(dialog.enrolled, timeout=30_000) as enrolled:
            dialog.enrol_button.click()
        assert enrolled.args[0].username == "asha"
        assert status(store).enrolled

        # Sync now, through the real client: the record made offline goes to the hub.
        controller = SyncController(ops)
        with qtbot.waitSignal(controller.status_changed, timeout=10_000):
            controller.refresh()
        with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
            assert controller.sync_now()
        assert finished.args[0].pushed >= 1
        with qtbot.waitSignal(controller.status_changed, timeout=10_000):
            controller.refresh()
        assert controller.status.waiting == 0 and controller.status.last_sync_at
        tasks.wait_for_idle()
    finally:
        store.close()


def test_a_hub_that_cannot_be_reached_says_so(qtbot, tmp_path: Path, tasks) -> None:
    store = make_store(tmp_path / "laptop")
    try:
        dialog = dialog_for(qtbot, Operations(store, tasks, ChangeAnnouncer()))
        dialog.url_edit.setText(f"https://127.0.0.1:{free_port()}")
        dialog.code_edit.setText("some-code")
        dialog.fingerprint_edit.setText(WRONG)
        message = try_enrol(qtbot, dialog)
        assert message.startswith("The hub cannot be reached.")
        assert dialog.code_edit.text() == "some-code"  # what was typed stays
        dialog.url_edit.setText("http://hub.example")
        assert "https://" in try_enrol(qtbot, dialog)
        tasks.wait_for_idle()
    finally:
        store.close()
