"""Screenshots of the dashboard's Birthday return tab, offscreen: birthday rows and the
22-25-year-olds asked as at their latest contact, with names in Arabic and Ge'ez script.

    .venv/bin/python -m tools.return_screenshots [--out /tmp/shots/return] [--no-scaled]

Builds a throwaway store with the test factories (a dozen fictional care leavers, their contact
notes and care-leaver recordings), shows the dashboard on 29 November 2026 at 1100x750 and
saves ``return-tab.png`` (the whole tab), ``return-tab-to-do.png`` (only those with something
to do, a latest-contact row selected) and ``return-figures-22-25.png`` (the figures tab on
"22–25: in contact this year"). Then it runs itself again with ``QT_SCALE_FACTOR=2`` for
a 200% set (``*-200.png``) at 960x540 logical pixels. The store is deleted afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.app_fonts import install_app_fonts  # noqa: E402
from desktop.dashboard.dashboard_view import DashboardView  # noqa: E402
from desktop.dashboard.return_view import ReturnColumn  # noqa: E402
from desktop.operations import ChangeAnnouncer, Operations  # noqa: E402
from desktop.tasks import TaskRunner  # noqa: E402
from models.repo import care_leaver_facts  # noqa: E402
from models.store import Store  # noqa: E402
from tests.factories import add_note, add_young_person, make_store  # noqa: E402
from tools.qt_wait import settle  # noqa: E402

log = logging.getLogger("return_screenshots")
TODAY = date(2026, 11, 29)
SIZE = (1100, 750)
SCALED_SIZE = (960, 540)

# (preferred name, legal name, adviser, date of birth, last contact, recording or None)
PEOPLE = [
    (
        "Jordan",
        "Jordan Testperson",
        "Alex Morgan",
        date(2009, 6, 10),
        None,
        ("YES", "F2", "E", True),
    ),
    ("مريم", "مريم الحسيني", "Alex Morgan", date(2005, 12, 20), None, None),
    ("Sam", "Sam Okafor", "Blair Singh", date(2008, 2, 29), None, None),
    ("ሰላም", "ሰላም ተስፋዬ ገብረመድኅን", "Blair Singh", date(2003, 1, 10), date(2026, 10, 5), None),
    (
        "Kai",
        "Kai Lewis",
        "Casey Doyle",
        date(2002, 9, 9),
        date(2026, 11, 2),
        ("YES", "P5", "B", True),
    ),
    (
        "يوسف",
        "يوسف عبد الرحمن",
        "Casey Doyle",
        date(2004, 4, 1),
        date(2026, 6, 1),
        ("YES", "F5", "U", True),
    ),
    (
        "Robin",
        "Robin Hale",
        "Alex Morgan",
        date(2000, 10, 1),
        date(2026, 11, 20),
        ("NREQ", "G5", "K", True),
    ),
    ("Ash", "Ash Patel", "Blair Singh", date(2003, 5, 5), None, None),  # no contact: not asked
]


def build_store(folder: Path) -> Store:
    store = make_store(folder / "store")
    for name, legal, adviser, dob, contact, codes in PEOPLE:
        ident = add_young_person(
            store, preferred_name=name, legal_name=legal, allocated_pa=adviser, date_of_birth=dob
        )
        if contact is not None:
            add_note(store, ident, occurred_at=datetime.combine(contact, datetime.min.time(), UTC))
        if codes is not None:
            with store.session() as s:
                care_leaver_facts.record_facts(
                    s,
                    ident,
                    recorded_on=contact or date(2026, 6, 20),
                    in_touch=codes[0],
                    activity=codes[1],
                    accommodation=codes[2],
                    accommodation_suitable=codes[3],
                )
    return store


def run(out: Path, scaled: bool) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_app_fonts(app)  # as the app does: names in every script show
    size = SCALED_SIZE if scaled else SIZE
    suffix = "-200" if scaled else ""
    folder = Path(tempfile.mkdtemp(prefix="pathway-shots-"))
    store = build_store(folder)
    tasks = TaskRunner()
    ops = Operations(store, tasks, ChangeAnnouncer())
    try:
        view = DashboardView(ops, today=TODAY)
        view.resize(*size)
        view.show()
        settle(lambda: view.board is not None)
        view.tabs.setCurrentWidget(view.return_view)
        tab = view.return_view
        settle(lambda: False, timeout=0.4)
        path = out / f"return-tab{suffix}.png"
        view.grab().save(str(path))
        log.info("saved %s", path)
        tab.needs_work_combo.setCurrentIndex(1)
        last = tab.proxy.rowCount() - 1
        tab.table.setCurrentIndex(tab.proxy.index(last, ReturnColumn.NAME))
        settle(lambda: False, timeout=0.4)
        path = out / f"return-tab-to-do{suffix}.png"
        view.grab().save(str(path))
        log.info("saved %s", path)
        view.tabs.setCurrentIndex(0)
        settle(lambda: False, timeout=0.4)  # the table's size on show, then scroll to the figure
        view.select_figure("return_22_25_asked")
        settle(lambda: False, timeout=0.4)
        path = out / f"return-figures-22-25{suffix}.png"
        view.grab().save(str(path))
        log.info("saved %s", path)
        view.close()
    finally:
        tasks.shutdown()
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots/return"))
    parser.add_argument("--no-scaled", action="store_true", help="skip the 200% set")
    parser.add_argument("--scaled-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    run(args.out, scaled=args.scaled_child)
    if not args.scaled_child and not args.no_scaled:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tools.return_screenshots",
                "--out",
                str(args.out),
                "--scaled-child",
            ],
            env=dict(os.environ, QT_SCALE_FACTOR="2"),
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )


if __name__ == "__main__":
    main()
