"""Screenshots of a manager's team actions, offscreen, against a real hub on loopback.

    .venv/bin/python -m tools.team_screenshots [--out /tmp/team-shots] [--no-scaled]

Starts ``pathway-hub serve`` in a throwaway folder with a fictional team (advisers asha and ben,
manager mo), enrols and syncs their stores, and saves PNGs (``QWidget.grab()``) of the manager's
window, Team laptops… (also as it looks when the hub cannot be reached), Reallocate… and the
message for a record taken off a laptop; then runs itself again with ``QT_SCALE_FACTOR=2``
(``*-200.png``). Everything is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.app import make_application
from desktop.main_window import MainWindow
from desktop.settings import Settings
from desktop.sync_ui.reallocate_dialog import ReallocateDialog
from desktop.sync_ui.team_dialog import TeamDialog
from desktop.tasks import TaskRunner
from models.crypto.keyfile import KdfParams
from models.repo import young_people as yp_repo
from sync.client import HubUnreachable, SyncClient, enrol
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.sync.hub.hubkit import prepare, run_admin
from tests.sync.hub.served import serving
from tools.screenshots import SCALED_SIZE, SIZE, Shooter, wait_until

NAMES = [("Amira", "Amira Haddad"), ("Lan", "Nguyễn Thị Lan"), ("Tesfay", "Tesfay Gebremariam")]


def _hub(home: Path) -> HubSettings:
    home.mkdir(parents=True, exist_ok=True)
    settings = HubSettings(database=f"sqlite:///{home / 'hub.db'}")
    prepare(settings)

    def setup(s: object) -> None:
        admin.add_team(s, "North")  # type: ignore[arg-type]
        for username, role in [("asha", "advisor"), ("ben", "advisor"), ("mo", "manager")]:
            admin.add_user(s, username, "North", role)  # type: ignore[arg-type]

    run_admin(settings, setup)
    return settings


def _laptop(folder: Path, owner: str, username: str, name: str, hub, settings: HubSettings,
            young_people: list[tuple[str, str]]) -> None:
    store = make_store(folder, owner=owner)
    for preferred, legal in young_people:
        add_young_person(store, legal_name=legal, preferred_name=preferred)
    code = str(run_admin(settings, admin.issue_enrol_code, username)[0])
    enrol(store, hub.url, code, hub.fingerprint, name=name)
    SyncClient(store).run()
    store.close()


def _open(app, kind):
    return next(w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def run(out: Path, suffix: str) -> None:
    size = SCALED_SIZE if suffix else SIZE
    app = make_application(["team-screenshots"])
    tmp = Path(tempfile.mkdtemp(prefix="pathway-team-shots-"))
    os.environ["PATHWAY_DESK_HOME"] = str(tmp)
    settings = _hub(tmp / "hub")
    shoot = Shooter(out, suffix)
    tasks = TaskRunner()
    try:
        with serving(tmp / "hub") as hub:
            _laptop(tmp / "asha", "Asha Adviser", "asha", "ASHA-LAPTOP", hub, settings, NAMES)
            _laptop(tmp / "ben", "Ben Adviser", "ben", "BEN-SURFACE-2", hub, settings, [])
            _laptop(tmp / "mo", "Mo Manager", "mo", "MO-LAPTOP", hub, settings, [])
            window = MainWindow(tmp / "mo", Settings(), tasks, kdf=KdfParams.fast_for_tests())
            window.resize(*size)
            window.show()
            window.unlock_view.passphrase_edit.setText(PASSPHRASE)
            window.unlock_view.unlock_button.click()
            wait_until(lambda: window.sync is not None and window.sync.status is not None
                       and bool(window.sync.status.last_sync_at) and not window.sync.running, 30)
            wait_until(lambda: window.caseload_view.model.rowCount() == len(NAMES), 30)

            window.actions.team_laptops.trigger()
            team = _open(app, TeamDialog)
            wait_until(lambda: team.model.rowCount() > 0)
            team.table.selectRow(0)
            shoot.shot(team, "t01-team-laptops")
            team._on_failed(HubUnreachable("offline"))  # as it looks with no hub to ask
            team.model.set_rows([])
            shoot.shot(team, "t02-team-laptops-offline")
            team.reject()

            with window.store.reader() as s:
                first = yp_repo.caseload(s)[0].id
            window.open_young_person(first)
            wait_until(lambda: window.workspace is not None
                       and window.workspace.overview.profile is not None)
            shoot.shot(window, "t03-workspace-manager")
            window.actions.reallocate.trigger()
            realloc = _open(app, ReallocateDialog)
            wait_until(lambda: realloc.member_combo.count() > 0)
            shoot.shot(realloc, "t04-reallocate")
            realloc.member_combo.setCurrentIndex(1)
            shoot.shot(realloc, "t05-reallocate-chosen")
            realloc.reject()
            window._tell_removed("Amira")
            box = next(w for w in app.topLevelWidgets() if w.isVisible()
                       and w.accessibleName() == "Record removed from this laptop")
            shoot.shot(box, "t06-removed-message")
            box.accept()
            window.close()
            tasks.wait_for_idle()
    finally:
        app.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/team-shots"))
    parser.add_argument("--no-scaled", action="store_true", help="skip the 200% set")
    args = parser.parse_args()
    scaled = os.environ.get("QT_SCALE_FACTOR") == "2"
    run(args.out, "-200" if scaled else "")
    if not scaled and not args.no_scaled:
        env = {**os.environ, "QT_SCALE_FACTOR": "2"}
        return subprocess.call([sys.executable, "-m", "tools.team_screenshots",
                                "--out", str(args.out)], env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
