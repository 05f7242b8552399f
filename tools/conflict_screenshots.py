"""Screenshots of the sync conflicts view, its combine dialog and the banner on a record, shown
offscreen, for looking at them without a display.

    .venv/bin/python -m tools.conflict_screenshots [--out /tmp/shots/conflicts] [--scale 2]

Builds two throwaway laptops with the test factories, makes real conflicts by editing the same
fields on both and exchanging their changes (names in Arabic and Ge'ez script, an author with
an Arabic name), and saves PNGs with ``QWidget.grab()``. ``--scale 2`` sets ``QT_SCALE_FACTOR``
for a 200% set. Everything is fictional; the stores are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/shots/conflicts")
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    if args.scale != "1":
        os.environ["QT_SCALE_FACTOR"] = args.scale
    from desktop.app import make_application
    from desktop.conflicts.conflicts_dialog import ConflictsDialog
    from desktop.operations import ChangeAnnouncer, Operations
    from desktop.tasks import TaskRunner
    from desktop.workspace.workspace_view import WorkspaceView
    from models import merge
    from models.repo import plans
    from models.repo import young_people as yp
    from tests.factories import add_young_person, make_store
    from tools.qt_wait import settle

    app = make_application([])  # noqa: F841 - the application lives while the shots are taken
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == "1" else f"-{int(float(args.scale) * 100)}"
    folder = Path(tempfile.mkdtemp(prefix="conflict-shots-"))
    try:
        a = make_store(folder / "a")
        b = make_store(folder / "b", owner="سارة الخطيب")

        def exchange(frm, to) -> None:
            with frm.reader() as s:
                changes, _ = merge.changes_since(s, 0)
            with to.session() as s:
                merge.apply_remote(s, [c.to_json() for c in changes], source="peer")

        amal = add_young_person(a, legal_name="أمل حداد", preferred_name="أمل")
        tesfay = add_young_person(a, legal_name="ተስፋይ ገብረማርያም", preferred_name="ተስፋይ")
        with a.session() as s:
            aunt = yp.add_person(s, amal, name="Aunt Sara", relationship="Aunt")
        exchange(a, b)
        with a.session() as s:
            yp.update_young_person(s, amal, phone="0115 000 0001")
            plans.update_section(
                s,
                amal,
                "health",
                goals="See the GP about my asthma every month and keep my inhaler with me.",
            )
            yp.remove_person(s, aunt)
            yp.update_young_person(s, tesfay, custody_checklist={"bank_account": True})
            plans.update_plan(s, tesfay, life_summary="ተስፋይ loves football and cooking.")
        with b.session() as s:
            yp.update_young_person(s, amal, phone="0115 000 0002")
            plans.update_section(
                s,
                amal,
                "health",
                goals="See the GP about my asthma and book the dentist; keep my inhaler with me.",
            )
            yp.update_person(s, aunt, how_to_contact="07700 900555")
            yp.update_young_person(s, tesfay, custody_checklist={"bank_account": False})
            plans.update_plan(s, tesfay, life_summary="ተስፋይ loves music and cooking with his aunt.")
        exchange(a, b)
        exchange(b, a)
        b.close()
        tasks = TaskRunner()
        ops = Operations(a, tasks, ChangeAnnouncer())

        dialog = ConflictsDialog(ops, None)
        dialog.resize(1100, 800) if args.scale == "1" else dialog.resize(940, 520)
        dialog.show()
        settle(lambda: bool(dialog.view.cards), timeout=20)
        dialog.grab().save(str(out / f"conflicts-all{suffix}.png"))
        # Scrolled to the bottom as well, to see the last cards.
        bar = dialog.view.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        settle(lambda: True, timeout=20)
        dialog.grab().save(str(out / f"conflicts-all-end{suffix}.png"))
        removal = next(c for c in dialog.view.cards if c.detail.removal)
        dialog.view.scroll.ensureWidgetVisible(removal)
        settle(lambda: True, timeout=20)
        dialog.grab().save(str(out / f"conflicts-removal{suffix}.png"))
        card = next(c for c in dialog.view.cards if c.combine_button and c.detail.field == "goals")
        card.combine_button.click()
        settle(lambda: getattr(dialog.view, "combine_dialog", None) is not None, timeout=20)
        combine = dialog.view.combine_dialog
        combine.resize(combine.sizeHint().expandedTo(combine.minimumSizeHint()))
        settle(lambda: True, timeout=20)
        combine.grab().save(str(out / f"combine{suffix}.png"))
        dialog.view.combine_dialog.reject()
        dialog.close()

        workspace = WorkspaceView(ops, amal)
        workspace.resize(1100, 700) if args.scale == "1" else workspace.resize(940, 520)
        workspace.show()
        settle(lambda: workspace.conflicts_banner.isVisible(), timeout=20)
        workspace.grab().save(str(out / f"workspace-banner{suffix}.png"))
        workspace.close()
        tasks.wait_for_idle(10_000)
        a.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(out)  # noqa: T201 - a tool's one line of output


if __name__ == "__main__":
    main()
