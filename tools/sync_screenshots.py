"""Screenshots of sync in the window: the status bar part in its states (not enrolled, online
with changes waiting and conflicts, syncing with progress, offline after a failure) in the real
main window, and the enrol dialog with a fetched fingerprint and a problem shown.

    .venv/bin/python -m tools.sync_screenshots [--out /tmp/shots/sync] [--scale 2]

The hub is a stand-in (no network); the store is a throwaway one, deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/shots/sync")
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    if args.scale != "1":
        os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtCore import QSettings

    from desktop.app import make_application
    from desktop.main_window import MainWindow
    from desktop.settings import Settings
    from desktop.sync_ui.enrol_dialog import EnrolDialog
    from desktop.sync_ui.sync_controller import SyncController
    from desktop.tasks import TaskRunner
    from models.crypto.keyfile import KdfParams
    from sync.client import HubUnreachable, SyncReport, SyncStatus
    from tests.factories import PASSPHRASE, add_young_person, make_store
    from tools.qt_wait import settle

    app = make_application([])  # noqa: F841 - the application lives while the shots are taken
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == "1" else f"-{int(float(args.scale) * 100)}"
    size = (1280, 800) if args.scale == "1" else (960, 540)
    folder = Path(tempfile.mkdtemp(prefix="sync-shots-"))
    state = {
        "status": SyncStatus(
            enrolled=False,
            hub_url="",
            username="",
            role="",
            last_sync_at=None,
            last_error=None,
            waiting=4,
            open_conflicts=0,
            refused=0,
        ),
        "reachable": True,
    }
    release = threading.Event()

    class Client:
        def __init__(self, _store) -> None:
            pass

        def run(self, progress, cancel) -> SyncReport:
            progress("Receiving changes", 120, 480)
            while not release.wait(0.01):
                if cancel.is_set():
                    break
            raise HubUnreachable(
                "The connection to the hub was lost (timed out). Nothing is "
                "lost: the next sync carries on from here."
            )

    try:
        store = make_store(folder / "store")
        add_young_person(store, legal_name="أمل حداد", preferred_name="أمل")
        store.close()
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        tasks = TaskRunner()
        window = MainWindow(
            folder / "store",
            settings,
            tasks,
            kdf=KdfParams.fast_for_tests(),
            sync_factory=lambda ops, parent: SyncController(
                ops,
                parent,
                client_factory=Client,
                read_status=lambda _s: state["status"],
                probe=lambda _u: state["reachable"],
                probe_ms=3_600_000,
            ),
        )
        window.resize(*size)
        window.show()
        window.unlock_view.passphrase_edit.setText(PASSPHRASE)
        window.unlock_view.unlock_button.click()
        settle(lambda: window.sync_bar is not None and window.sync.status is not None, timeout=20)
        window.grab().save(str(out / f"window-not-enrolled{suffix}.png"))

        state["status"] = replace(
            state["status"],
            enrolled=True,
            hub_url="https://hub.council.example:8443",
            username="asha",
            last_sync_at="2026-11-28T16:05:00+00:00",
            waiting=4,
            open_conflicts=2,
        )
        window.sync.refresh()
        settle(lambda: window.sync.running, timeout=20)
        settle(lambda: "120" in window.sync_bar.progress.format(), timeout=20)
        window.grab().save(str(out / f"window-syncing{suffix}.png"))
        release.set()
        settle(lambda: not window.sync.running, timeout=20)
        settle(lambda: window.sync_bar.state_label.text() == "Sync: offline", timeout=20)
        window.grab().save(str(out / f"window-offline{suffix}.png"))

        dialog = EnrolDialog(
            window.ops,
            window,
            fetch_fingerprint=lambda _u: ":".join(f"{i * 7 % 256:02X}" for i in range(32)),
        )
        dialog.url_edit.setText("hub.council.example:8443")
        dialog.code_edit.setText("q3V9-not-a-real-code")
        dialog.show()
        dialog.fetch_button.click()
        settle(lambda: bool(dialog.fetched), timeout=20)
        dialog._say(
            "The hub did not accept the code: That enrolment code is not valid or has "
            "expired. Ask your administrator for a new one."
        )
        dialog.resize(dialog.sizeHint())
        settle(lambda: True, timeout=20)
        dialog.grab().save(str(out / f"enrol{suffix}.png"))
        dialog.reject()
        window.close()
        tasks.wait_for_idle(10_000)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(out)  # noqa: T201 - a tool's one line of output


if __name__ == "__main__":
    main()
