"""Screenshots of every screen, offscreen, for looking at the GUI without a display.

    .venv/bin/python -m tools.screenshots [--out /tmp/shots] [--young-people 30] [--no-scaled]

Builds a throwaway store (the demo generator if it works, otherwise a varied fictional caseload
made here), drives the real main window at 1280x800 and saves PNGs with ``QWidget.grab()``;
then runs itself again with ``QT_SCALE_FACTOR=2`` for the 200% set (``*-200.png``) at 960x540
logical pixels, which is what a 1920x1080 laptop screen at 200% leaves. Every
name and record in it is fictional; the store is deleted afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# An offscreen "laptop" of 1920x1080 pixels, so that dialogs size themselves as they would on one.
_SCREEN = Path(tempfile.gettempdir()) / "pathway-desk-offscreen.json"
_SCREEN.write_text(
    '{"screens": [{"name": "Laptop", "x": 0, "y": 0, "width": 1920, "height": 1080, '
    '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
)
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from desktop.app import make_application  # noqa: E402
from desktop.caseload.caseload_filter import QuickFilter  # noqa: E402
from desktop.caseload.caseload_model import fold  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.tasks import TaskRunner  # noqa: E402
from models.crypto.keyfile import KdfParams  # noqa: E402
from models.repo import young_people as yp_repo  # noqa: E402
from models.store import Store  # noqa: E402
from tests.factories import PASSPHRASE, add_note, fill_plan, make_store  # noqa: E402

log = logging.getLogger("screenshots")
SIZE = (1280, 800)
SCALED_SIZE = (960, 540)  # a 1920x1080 laptop screen at 200%, in logical pixels
NAMES = [  # (preferred, legal, languages, pronouns)
    ("Amira", "Amira Haddad (أميرة حداد)", ["Arabic", "English"], "she/her"),
    ("Lan", "Nguyễn Thị Lan", ["Vietnamese", "English"], "she/her"),
    ("Tesfay", "Tesfay Gebremariam (ተስፋይ)", ["Tigrinya", "English"], "he/him"),
    ("Zoë", "Zoë Clarke", ["English"], "she/her"),
    ("Kacper", "Kacper Wiśniewski", ["Polish", "English"], "he/him"),
    ("Jay", "Jayden Okoro", ["English"], "they/them"),
    ("Dawit", "Dawit Haile", ["Amharic", "English"], "he/him"),
    ("Chloe", "Chloe Brennan", ["English"], "she/her"),
    ("Mo", "Mohammed Rahimi", ["Dari", "Pashto", "English"], "he/him"),
    ("Ellie", "Eleanor Price", ["English"], "she/her"),
    ("Ryan", "Ryan McAllister", ["English"], "he/him"),
    ("Hana", "Hana Tesfaye", ["Tigrinya", "Arabic"], "she/her"),
    ("Kai", "Kai Thompson", ["English"], "he/him"),
    ("Bảo", "Trần Gia Bảo", ["Vietnamese"], "he/him"),
    ("Sami", "Samira Yusuf", ["Somali", "English"], "she/her"),
]
PRISONS = ["HMYOI Feltham", "HMP Nottingham", "HMYOI Wetherby", "HMP Doncaster"]
ACCOMMODATION = [
    ("Supported lodgings", True),
    ("Semi-independent accommodation", True),
    ("Independent tenancy", True),
    ("Sofa surfing", False),
    ("Staying Put with former foster carers", True),
]


def wait_until(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the GUI did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def fill_store(store: Store, count: int, seed: int) -> None:
    try:
        from models.demo.generate import generate_demo

        generate_demo(store, young_people=count, seed=seed)
        return
    except Exception as exc:  # noqa: BLE001 - the generator may be mid-development
        log.warning("generate_demo failed (%s); using the fallback caseload", exc)
    rng = random.Random(seed)
    today = date.today()
    for i in range(count):
        preferred, legal, languages, pronouns = NAMES[i % len(NAMES)]
        if i >= len(NAMES):
            legal = f"{legal.split(' (')[0]} {chr(65 + i % 26)}."
        age = rng.choice([16, 17, 18, 18, 19, 20, 21, 22, 23, 24])
        dob = today - timedelta(days=age * 365 + rng.randrange(10, 350))
        custody = i % 7 == 3
        accommodation, suitable = rng.choice(ACCOMMODATION)
        fields = {
            "legal_name": legal,
            "preferred_name": preferred,
            "date_of_birth": dob,
            "pronouns": pronouns,
            "languages": languages,
            "phone": f"07700 900{i:03d}",
            "email": f"young.person{i}@example.org",
            "address": f"{i + 3} Fictional Road\nNottingham NG{i % 9 + 1} 1AA",
            "legal_status": "former_relevant" if age >= 18 else "relevant",
            "uasc": languages[0] not in ("English", "Polish"),
            "is_parent": i % 9 == 4,
            "expecting_child": i % 11 == 6,
            "accommodation_type": "Custody" if custody else accommodation,
            "accommodation_suitable": None if custody else suitable,
            "eet_status": rng.choice(["education_full_time", "employment_part_time", "neet_other"]),
            "needs_assessment_done": dob + timedelta(days=16 * 365 + 40),
        }
        if custody:
            fields.update(
                in_custody=True,
                prison=rng.choice(PRISONS),
                prison_number=f"A{1000 + i}BC",
                release_date=today + timedelta(days=rng.randrange(20, 300)),
            )
        with store.session() as s:
            yp_id = yp_repo.create_young_person(s, **fields)
            yp_repo.add_person(
                s,
                yp_id,
                name="Mrs K. Fielding",
                relationship="Former foster carer",
                how_to_contact="07700 900999",
                is_emergency_contact=True,
            )
            yp_repo.add_person(s, yp_id, name="Sam", relationship="Older brother")
            yp_repo.add_key_date(
                s,
                yp_id,
                kind="birthday",
                label="Birthday",
                on_date=dob,
                plan_for_day="Card and a cake; a call from the PA",
            )
        fill_plan(store, yp_id)
        for n in range(rng.randrange(1, 6)):
            gap = rng.randrange(3, 40) if i % 6 else rng.randrange(70, 120)
            add_note(
                store,
                yp_id,
                kind="custody_visit"
                if custody
                else rng.choice(["home_visit", "phone", "whatsapp"]),
                occurred_at=datetime.now(UTC) - timedelta(days=gap + 30 * n),
                summary="Visit",
                narrative="Fictional note.",
            )


class Shooter:
    def __init__(self, out: Path, suffix: str) -> None:
        self.out = out
        self.suffix = suffix
        out.mkdir(parents=True, exist_ok=True)

    def shot(self, widget: QWidget, name: str) -> None:
        settle()
        path = self.out / f"{name}{self.suffix}.png"
        widget.grab().save(str(path))
        print(path)  # noqa: T201 - a tool: the paths are its output


def run(out: Path, count: int, seed: int, suffix: str) -> None:
    size = SCALED_SIZE if suffix else SIZE
    app = make_application(["screenshots"])
    tmp = Path(tempfile.mkdtemp(prefix="pathway-shots-"))
    store_dir = tmp / "store"
    store = make_store(store_dir)
    fill_store(store, count, seed)
    with store.reader() as s:
        rows = yp_repo.caseload(s)
    store.close()
    custody_id = next((r.id for r in rows if "custody" in r.circumstances), rows[0].id)
    os.environ["PATHWAY_DESK_HOME"] = str(tmp)
    shoot = Shooter(out, suffix)
    tasks = TaskRunner()

    def idle() -> None:  # every background read delivered, and the reads those started
        for _ in range(3):
            tasks.wait_for_idle()
            settle()

    # A new laptop: the create page, with a weak passphrase typed.
    fresh = MainWindow(tmp / "empty", Settings(), tasks, kdf=KdfParams.fast_for_tests())
    fresh.resize(*size)
    fresh.show()
    view = fresh.unlock_view
    view.name_edit.setText("Alex Adviser")
    view.new_passphrase_edit.setText("password123")
    view.repeat_edit.setText("password123")
    view.create_button.click()
    shoot.shot(fresh, "01-create-weak")
    fresh.close()

    window = MainWindow(store_dir, Settings(), tasks)
    window.resize(*size)
    window.show()
    shoot.shot(window, "02-unlock")
    window.unlock_view.passphrase_edit.setText("not the passphrase")
    window.unlock_view.unlock_button.click()
    wait_until(lambda: window.unlock_view.open_error.isVisible())
    shoot.shot(window, "03-unlock-wrong")
    window.unlock_view.passphrase_edit.setText(PASSPHRASE)
    window.unlock_view.unlock_button.click()
    wait_until(lambda: window.caseload_view.model.rowCount() > 0)
    shoot.shot(window, "04-caseload")
    window.caseload_view.quick_buttons[QuickFilter.IN_CUSTODY].click()
    shoot.shot(window, "05-caseload-custody")
    window.caseload_view.clear_filters()
    window.caseload_view.quick_buttons[QuickFilter.OVERDUE].click()
    shoot.shot(window, "05-caseload-overdue")
    window.caseload_view.clear_filters()
    # Find someone by a name typed without its accents, as an adviser in a hurry would.
    accented = next((r for r in rows if not r.legal_name.isascii()), rows[0])
    window.caseload_view.filter_edit.setText(fold(accented.legal_name.split()[-1])[:5])
    shoot.shot(window, "06-caseload-find")
    window.caseload_view.clear_filters()

    window.open_young_person(custody_id)
    # The record loads off the GUI thread: wait for it, as an adviser's eyes would.
    wait_until(lambda: window.workspace is not None and window.workspace.tabs.count() > 1)
    idle()
    shoot.shot(window, "07-workspace-overview")
    workspace = window.workspace
    assert workspace is not None
    for index in range(1, workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        idle()
        key = workspace.current_key()
        shoot.shot(window, f"08-workspace-{index}-{key}")
    workspace.tabs.setCurrentIndex(0)

    window.on_edit_action_triggered()
    wait_until(lambda: window.profile_dialog is not None)
    idle()
    dialog = window.profile_dialog
    assert dialog is not None
    shoot.shot(dialog, "09-profile-edit")
    dialog.form.edits["legal_name"].setText("")
    dialog.on_buttons_accepted()
    shoot.shot(dialog, "10-profile-problems")
    dialog.close_keeping_draft()
    window.on_new_action_triggered()
    wait_until(lambda: window.profile_dialog is not None)
    idle()
    assert window.profile_dialog is not None
    shoot.shot(window.profile_dialog, "11-profile-new")
    window.profile_dialog.close_keeping_draft()

    window.lock()
    shoot.shot(window, "12-locked")
    window.close()
    tasks.wait_for_idle()
    app.processEvents()
    shutil.rmtree(tmp, ignore_errors=True)  # the docstring's promise: the store is deleted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    parser.add_argument("--young-people", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-scaled", action="store_true", help="skip the 200% set")
    args = parser.parse_args()
    scaled = os.environ.get("QT_SCALE_FACTOR") == "2"
    run(args.out, args.young_people, args.seed, "-200" if scaled else "")
    if not scaled and not args.no_scaled:
        env = {**os.environ, "QT_SCALE_FACTOR": "2"}
        cmd = [
            sys.executable,
            "-m",
            "tools.screenshots",
            "--out",
            str(args.out),
            "--young-people",
            str(args.young_people),
            "--seed",
            str(args.seed),
        ]
        return subprocess.call(cmd, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
