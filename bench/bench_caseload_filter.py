"""Filter-as-you-type on the caseload proxy alone (no store, no window), 1,200 rows.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.bench_caseload_filter

Goal (issue 3): a keystroke under 30 ms. ``bench_gui`` measures the same through the whole view on
a real store. Prints figures; asserts nothing (tests check what the filter shows, not how fast).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, date, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.caseload.caseload_filter import CaseloadFilter  # noqa: E402
from desktop.caseload.caseload_model import CaseloadModel  # noqa: E402
from models.records import CaseloadRow  # noqa: E402

TODAY = date(2026, 11, 20)
ROUNDS = 20


def _row(i: int) -> CaseloadRow:
    seen = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)
    return CaseloadRow(
        id=str(i),
        preferred_name=f"Person {i}",
        legal_name=f"Legal Name{i}",
        date_of_birth=date(2006, 3, 1),
        age=20,
        circumstances=(),
        allocated_pa="Alex Adviser",
        next_review=date(2027, 1, 15),
        last_contact=seen,
        last_visit=seen,
        visit_due=date(2027, 1, 2),
        visit_overdue=False,
        review_overdue=False,
    )


def main() -> None:
    app = QApplication.instance() or QApplication([])
    model = CaseloadModel([_row(i) for i in range(1200)], today=TODAY)
    proxy = CaseloadFilter(today=TODAY)
    proxy.setSourceModel(model)
    keystrokes = []
    for _ in range(ROUNDS):
        for typed in ("p", "pe", "per", "pers", "person 11", ""):
            t = time.perf_counter()
            proxy.set_text(typed)
            keystrokes.append(time.perf_counter() - t)
    print(
        f"filter keystroke (1,200 rows, proxy only) {1000 * statistics.median(keystrokes):6.1f} ms "
        f"median, {1000 * max(keystrokes):.1f} ms worst   (goal < 30)"
    )
    del app


if __name__ == "__main__":
    main()
