"""A manager's team actions from the app, against a real hub: the team's laptops with their last
sync and Revoke (after a confirmation), Reallocate from a young person's record; both say plainly
when the hub cannot be reached. Advisers do not see them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.sync_ui.reallocate_dialog import ReallocateDialog
from desktop.sync_ui.team_dialog import TeamDialog
from desktop.workspace.workspace_view import PANELS
from models.repo.young_people import caseload
from models.store import Store
from sync.client import SyncClient, connection, enrol
from sync.client import team as team_actions
from sync.hub import admin
from tests.desktop.sync_ui.conftest import enrol_code
from tests.factories import PASSPHRASE, make_store
from tests.sync.hub.hubkit import run_admin
from tests.sync.hub.served import free_port


def _dialog(kind):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert found, f"no {kind.__name__} open"
    return found[-1]


def _synced_once(window) -> bool:
    status = window.sync.status if window.sync is not None else None
    return bool(status and status.last_sync_at) and not window.sync.running


def _synced(folder) -> None:
    store = Store.open(folder, PASSPHRASE)
    try:
        SyncClient(store).run()
    finally:
        store.close()


def test_team_laptops_and_revoke_then_reallocate(
    qtbot, make_window, enrolled_folder, hub_settings
) -> None:
    asha = enrolled_folder("asha", ("Amira",))
    _synced(asha)  # Amira reaches the hub, allocated to asha, in the North team
    mo = enrolled_folder("mo")
    window = make_window(mo, panels=PANELS[:1])
    qtbot.waitUntil(lambda: _synced_once(window), timeout=20_000)
    assert window.actions.team_laptops.isVisible() and window.actions.team_laptops.isEnabled()
    assert window.actions.reallocate.isVisible() and not window.actions.reallocate.isEnabled()

    window.actions.team_laptops.trigger()
    dialog: TeamDialog = _dialog(TeamDialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
    rows = {(r.username, r.own): r for r in dialog.model.rows()}
    assert set(rows) == {("asha", False), ("mo", True)}
    assert rows[("asha", False)].last_sync_at is not None
    asked = []
    dialog.confirm = lambda _parent, laptop: asked.append(laptop.username) or True
    own_row = dialog.model.rows().index(rows[("mo", True)])
    dialog.table.selectRow(own_row)
    assert not dialog.revoke_button.isEnabled()  # this laptop cannot revoke itself
    dialog.table.selectRow(dialog.model.rows().index(rows[("asha", False)]))
    assert dialog.revoke_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.revoke_button.click()
    assert asked == ["asha"]
    assert "is revoked" in dialog.message.text()
    [revoked] = [r for r in dialog.model.rows() if r.username == "asha"]
    assert revoked.revoked
    assert [d.revoked_at is not None for d in run_admin(hub_settings, admin.list_devices)
            if d.id == revoked.device_id] == [True]
    dialog.reject()

    # Reallocate Amira (on the manager's laptop: the whole team's) from her record.
    qtbot.waitUntil(lambda: window.caseload_view.model.rowCount() == 1, timeout=15_000)
    with window.store.reader() as s:
        amira = caseload(s)[0].id
    window.open_young_person(amira)
    qtbot.waitSignal(window.workspace.header_loaded, timeout=10_000).wait()
    assert window.actions.reallocate.isEnabled()
    window.actions.reallocate.trigger()
    realloc: ReallocateDialog = _dialog(ReallocateDialog)
    qtbot.waitSignal(realloc.loaded, timeout=10_000).wait()
    users = [realloc.member_combo.itemData(i) for i in range(realloc.member_combo.count())]
    assert set(users) == {"asha", "ben", "mo"}
    realloc.member_combo.setCurrentIndex(users.index("ben"))
    with qtbot.waitSignal(realloc.reallocated, timeout=10_000) as done:
        realloc.ok_button.click()
    assert done.args == ["ben"]
    assert not realloc.isVisible()
    assert window.statusBar().currentMessage().startswith("Amira is now allocated to ben")


def test_team_actions_say_when_the_hub_cannot_be_reached(
    qtbot, make_window, enrolled_folder
) -> None:
    mo = enrolled_folder("mo", ("Kai",))
    store = Store.open(mo, PASSPHRASE)
    creds = connection.load(store)
    assert creds is not None
    connection.save(store, replace(creds, hub_url=f"https://127.0.0.1:{free_port()}"))
    store.close()
    window = make_window(mo, panels=PANELS[:1])
    qtbot.waitUntil(lambda: window.sync.reachable is False, timeout=15_000)
    window.actions.team_laptops.trigger()
    dialog: TeamDialog = _dialog(TeamDialog)
    assert "cannot be reached" in dialog.message.text()  # said at once: last known offline
    with qtbot.waitSignal(dialog.failed, timeout=20_000) as failed:
        pass
    assert "Team actions need this laptop online" in failed.args[0]
    assert dialog.message.isVisible()
    assert dialog.model.rowCount() == 0
    dialog.reject()

    with window.store.reader() as s:
        kai = caseload(s)[0].id
    window.open_young_person(kai)
    qtbot.waitSignal(window.workspace.header_loaded, timeout=10_000).wait()
    window.actions.reallocate.trigger()
    realloc: ReallocateDialog = _dialog(ReallocateDialog)
    assert "Reallocating needs this laptop online" in realloc.message.text()
    with qtbot.waitSignal(realloc.failed, timeout=20_000) as failed:
        pass
    assert "cannot be reached" in failed.args[0]
    assert not realloc.ok_button.isEnabled() and realloc.member_combo.count() == 0


def test_an_adviser_has_no_team_actions(qtbot, make_window, enrolled_folder) -> None:
    window = make_window(enrolled_folder("asha", ("Amira",)))
    qtbot.waitUntil(lambda: window.sync.status is not None and window.sync.status.enrolled,
                    timeout=10_000)
    assert window.sync.status.role == "advisor"
    assert not window.actions.team_laptops.isVisible()
    assert not window.actions.reallocate.isVisible()


def test_a_record_reallocated_away_closes_with_a_message_naming_them(
    qtbot, make_window, enrolled_folder, hub, hub_settings, tmp_path
) -> None:
    window = make_window(enrolled_folder("asha", ("Amira",)), panels=PANELS[:1])
    qtbot.waitUntil(lambda: _synced_once(window), timeout=20_000)  # Amira reached the hub
    with window.store.reader() as s:
        amira = caseload(s)[0].id
    window.open_young_person(amira)
    qtbot.waitSignal(window.workspace.header_loaded, timeout=10_000).wait()
    mo = make_store(tmp_path / "mo-laptop", owner="mo")  # the manager, on their own laptop
    enrol(mo, hub.url, enrol_code(hub_settings, "mo"), hub.fingerprint)
    team_actions.reallocate(mo, amira, "ben")
    mo.close()

    with qtbot.waitSignal(window.sync.sync_finished, timeout=15_000) as finished:
        window.actions.sync_now.trigger()
    assert finished.args[0].purged == [amira]
    assert window.workspace is None and window.stack.currentWidget() is window.caseload_view
    [box] = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert box.text() == "Amira is no longer allocated to you and was removed from this laptop."
    qtbot.waitUntil(lambda: window.caseload_view.model.rowCount() == 0, timeout=10_000)
