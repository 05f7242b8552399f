"""Screenshots of the sync screens, offscreen, against a real hub on loopback.

    .venv/bin/python -m tools.sync_screenshots [--out /tmp/sync-shots] [--no-scaled]

Starts ``pathway-hub serve`` in a throwaway folder, enrols a manager's fictional store with it,
and saves PNGs (``QWidget.grab()``) of the main window's status bar in each state, the enrolment
dialog, the team laptops and reallocation dialogs, and the messages for a revoked laptop and a
record removed; then runs itself again with ``QT_SCALE_FACTOR=2`` (``*-200.png``). The store
and the hub's folder are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import shiboken6

from desktop.app import make_application
from desktop.main_window import MainWindow
from desktop.settings import Settings
from desktop.sync_ui.enrol_dialog import EnrolDialog
from desktop.sync_ui.reallocate_dialog import ReallocateDialog
from desktop.sync_ui.team_dialog import TeamDialog
from desktop.tasks import TaskRunner
from models.crypto.keyfile import KdfParams
from models.repo import young_people as yp_repo
from sync.client import SyncClient, enrol
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.sync.hub.hubkit import prepare, run_admin
from tests.sync.hub.served import serving
from tools.screenshots import SCALED_SIZE, SIZE, Shooter, settle, wait_until

NAMES = [("Amira", "Amira Haddad"), ("Lan", "Nguyễn Thị Lan"), ("Tesfay", "Tesfay Gebremariam"),
         ("Chloe", "Chloe Brennan"), ("Kai", "Kai Thompson")]


def _hub(home: Path) -> HubSettings:
    settings = HubSettings(database=f"sqlite:///{home / 'hub.db'}")
    home.mkdir(parents=True, exist_ok=True)
    prepare(settings)

    def setup(s: object) -> None:
        admin.add_team(s, "North")  # type: ignore[arg-type]
        for username, role in [("asha", "advisor"), ("ben", "advisor"), ("mo", "manager")]:
            admin.add_user(s, username, "North", role)  # type: ignore[arg-type]

    run_admin(settings, setup)
    return settings


def _code(settings: HubSettings, username: str) -> str:
    return str(run_admin(settings, admin.issue_enrol_code, username)[0])


def run(out: Path, suffix: str) -> None:
    size = SCALED_SIZE if suffix else SIZE
    app = make_application(["sync-screenshots"])
    tmp = Path(tempfile.mkdtemp(prefix="pathway-sync-shots-"))
    os.environ["PATHWAY_DESK_HOME"] = str(tmp)
    os.environ["PATHWAY_HUB_HOME"] = str(tmp / "hub")
    settings = _hub(tmp / "hub")
    shoot = Shooter(out, suffix)
    tasks = TaskRunner()
    try:
        with serving(tmp / "hub") as hub:
            asha = make_store(tmp / "asha", owner="Asha Adviser")
            for preferred, legal in NAMES:
                add_young_person(asha, legal_name=legal, preferred_name=preferred)
            enrol(asha, hub.url, _code(settings, "asha"), hub.fingerprint, name="ASHA-LAPTOP")
            SyncClient(asha).run()
            asha.close()
            ben = make_store(tmp / "ben", owner="Ben Adviser")
            enrol(ben, hub.url, _code(settings, "ben"), hub.fingerprint, name="BEN-LAPTOP-2")
            ben.close()
            mo = make_store(tmp / "mo", owner="Mo Manager")
            mo.close()

            window = MainWindow(tmp / "mo", Settings(), tasks, kdf=KdfParams.fast_for_tests())
            window.resize(*size)
            window.show()
            window.unlock_view.passphrase_edit.setText(PASSPHRASE)
            window.unlock_view.unlock_button.click()
            bar = window.sync.status_bar
            wait_until(lambda: bar.last_sync_label.text() == "Not enrolled")
            shoot.shot(window, "s01-not-enrolled")

            window.actions.enrol.trigger()
            dialog = next(w for w in app.topLevelWidgets()
                          if isinstance(w, EnrolDialog) and w.isVisible())
            dialog.url_edit.setText(hub.url)
            dialog.url_edit.textEdited.emit(hub.url)
            dialog.code_edit.setText(_code(settings, "mo"))
            dialog.code_edit.textEdited.emit("code")
            dialog.check_button.click()
            wait_until(lambda: dialog.fingerprint_label.isVisible())
            shoot.shot(dialog, "s02-enrol-fingerprint")
            dialog.expected_edit.setText("AB:" * 31 + "AB")
            dialog.expected_edit.textEdited.emit(dialog.expected_edit.text())
            shoot.shot(dialog, "s03-enrol-mismatch")
            dialog.expected_edit.clear()
            dialog.expected_edit.textEdited.emit("")
            dialog.confirm_box.setChecked(True)
            dialog.enrol_button.click()
            wait_until(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
            wait_until(lambda: bar.last_sync_label.text() == "Synced just now", 30)
            wait_until(lambda: window.caseload_view.model.rowCount() == len(NAMES), 30)
            settle()
            shoot.shot(window, "s04-synced")

            for _ in range(3):  # status reads delivered: nothing overwrites what is shown next
                tasks.wait_for_idle()
                settle()
            window.sync.controller.status_read.disconnect(window.sync.on_controller_status_read)
            status = window.sync.status
            assert status is not None
            bar.sync_started()
            bar.sync_progressed("Receiving changes", 1200, 3400)
            shoot.shot(window, "s05-syncing")
            bar.sync_ended()
            bar.set_status(replace(status, waiting=3, open_conflicts=2,
                                   last_sync_at="2026-11-28T09:00:00+00:00"))
            bar.set_reachable(False)
            bar.set_error(f"Cannot reach the hub at {hub.url} (Connection refused). Check the "
                          "address and that this laptop is online.")
            shoot.shot(window, "s06-offline-problem")
            shoot.shot(bar, "s07-status-bar-offline")
            bar.set_reachable(True)
            bar.set_status(status)
            window.sync.controller.status_read.connect(window.sync.on_controller_status_read)

            window.actions.team_laptops.trigger()
            team = next(w for w in app.topLevelWidgets()
                        if isinstance(w, TeamDialog) and w.isVisible())
            wait_until(lambda: team.model.rowCount() > 0)
            team.table.selectRow(0)
            shoot.shot(team, "s08-team-laptops")
            team.reject()

            with window.store.reader() as s:
                first = yp_repo.caseload(s)[0].id
            window.open_young_person(first)
            wait_until(lambda: window.workspace is not None
                       and window.workspace.overview.profile is not None)
            window.actions.reallocate.trigger()
            realloc = next(w for w in app.topLevelWidgets()
                           if isinstance(w, ReallocateDialog) and w.isVisible())
            wait_until(lambda: realloc.member_combo.count() > 0)
            shoot.shot(realloc, "s09-reallocate")
            realloc.reject()
            shoot.shot(window, "s10-workspace-with-status")

            window.sync._close_removed([first])
            shoot.shot(window.sync.removed_box, "s11-removed-message")
            window.sync.removed_box.accept()

            [device] = [d for d in run_admin(settings, admin.list_devices)
                        if d.name.startswith("BEN")]
            run_admin(settings, admin.revoke_device, device.id)
            window.close()
            tasks.wait_for_idle()
            ben_window = MainWindow(tmp / "ben", Settings(), tasks,
                                    kdf=KdfParams.fast_for_tests())
            ben_window.resize(*size)
            ben_window.show()
            said: list[str] = []
            ben_window.store_wiped.connect(said.append)
            ben_window.unlock_view.passphrase_edit.setText(PASSPHRASE)
            ben_window.unlock_view.unlock_button.click()
            wait_until(lambda: bool(said), 30)
            box = next(w for w in app.topLevelWidgets() if w.isVisible()
                       and w.accessibleName() == "This laptop was revoked")
            shoot.shot(box, "s12-revoked-message")
            box.accept()
            shoot.shot(ben_window, "s13-after-revocation")
            ben_window.close()
            tasks.wait_for_idle()
    finally:
        app.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/sync-shots"))
    parser.add_argument("--no-scaled", action="store_true", help="skip the 200% set")
    args = parser.parse_args()
    scaled = os.environ.get("QT_SCALE_FACTOR") == "2"
    run(args.out, "-200" if scaled else "")
    if not scaled and not args.no_scaled:
        env = {**os.environ, "QT_SCALE_FACTOR": "2"}
        return subprocess.call([sys.executable, "-m", "tools.sync_screenshots",
                                "--out", str(args.out)], env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
