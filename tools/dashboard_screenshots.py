"""Screenshots of the team dashboard on a big demo store, offscreen, for looking at them
without a display.

    .venv/bin/python -m tools.dashboard_screenshots --store DIR [--out /tmp/shots/dashboard]

DIR is a demo store made with the benchmark passphrase (``python -m bench.bench_store --store
DIR`` builds a 1,200-person one). Saves the whole team's "No contact for 8 weeks", one
adviser's "Visits overdue" and the return's "no information" at 1100x750, then runs itself again
with ``QT_SCALE_FACTOR=2`` for a 200% set (``*-200.png``) at 960x540 logical pixels. Reads only.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.bench_store import PASSPHRASE  # noqa: E402
from desktop.app_fonts import install_app_fonts  # noqa: E402
from desktop.dashboard.dashboard_view import DashboardView  # noqa: E402
from desktop.operations import ChangeAnnouncer, Operations  # noqa: E402
from desktop.tasks import TaskRunner  # noqa: E402
from models.store import Store  # noqa: E402

log = logging.getLogger("dashboard_screenshots")
SIZE = (1100, 750)
SCALED_SIZE = (960, 540)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def shoot(store_dir: Path, out: Path, suffix: str, size: tuple[int, int]) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    install_app_fonts(app)  # as the app does: names in every script show
    tasks = TaskRunner()
    saved = []
    with Store.open(store_dir, PASSPHRASE) as store:
        ops = Operations(store, tasks, ChangeAnnouncer())
        view = DashboardView(ops)
        view.resize(*size)
        loop = QEventLoop()
        view.loaded.connect(loop.quit)
        view.show()
        loop.exec()
        _settle(app)
        shots = [("team-no-contact", None, "no_contact_8_weeks")]
        if view.board and view.board.advisers:
            shots.append(("adviser-visits", view.board.advisers[0].adviser, "visit_overdue"))
        shots.append(("team-return", None, "return_19_21_no_info"))
        for name, adviser, key in shots:
            combo = view.scope_combo
            combo.setCurrentIndex(combo.findData(adviser) if adviser else 0)
            view.select_figure(key)
            view.figures_table.setFocus()
            _settle(app)
            path = out / f"{name}{suffix}.png"
            view.grab().save(str(path))
            saved.append(path)
        view.scope_combo.setCurrentIndex(0)
        view.tabs.setCurrentWidget(view.return_view)
        view.return_view.needs_work_combo.setCurrentIndex(1)
        view.return_view.table.selectRow(0)
        _settle(app)
        path = out / f"team-return-worklist{suffix}.png"
        view.grab().save(str(path))
        saved.append(path)
        view.tabs.setCurrentWidget(view.charts_view)
        _settle(app)
        path = out / f"team-charts{suffix}.png"
        view.grab().save(str(path))
        saved.append(path)
        view.close()
        tasks.shutdown()
    return saved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("/tmp/shots/dashboard"))
    ap.add_argument("--scaled", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-scaled", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.scaled:
        paths = shoot(args.store, args.out, "-200", SCALED_SIZE)
    else:
        paths = shoot(args.store, args.out, "", SIZE)
        if not args.no_scaled:
            env = {**os.environ, "QT_SCALE_FACTOR": "2"}
            cmd = [
                sys.executable,
                "-m",
                "tools.dashboard_screenshots",
                "--scaled",
                "--store",
                str(args.store),
                "--out",
                str(args.out),
            ]
            subprocess.run(cmd, check=True, env=env)
    for p in paths:
        log.info("saved %s", p)


if __name__ == "__main__":
    main()
