"""The dashboard's charts: contacts per month over a year, plan reviews due by week, and the
caseload per adviser, for the team or one adviser (the caseload chart is always the team's).
GUI thread only; drawn from the dashboard already read, so switching costs no store read."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from desktop.dashboard.bar_chart import BarChart
from desktop.dates import format_day
from models.repo.dashboard import month_starts
from models.team_figures import Dashboard, contacts_per_month, reviews_by_week

WEEKS = 12
_CASELOAD_KEYS = ("age_other", "age_16_17", "age_18_20", "age_21_24")


class ChartsView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.contacts_chart = BarChart("Contacts per month")
        self.reviews_chart = BarChart("Plan reviews due by week")
        self.caseload_chart = BarChart("Caseload per adviser (the whole team)")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        for chart in (self.contacts_chart, self.reviews_chart, self.caseload_chart):
            layout.addWidget(chart)
        layout.addStretch(1)
        self.setWidget(inner)

    def show_board(self, board: Dashboard, adviser: str | None) -> None:
        whose = "the whole team" if adviser is None else adviser
        months = month_starts(board.on)
        counts = contacts_per_month(board, adviser)
        labels = [f"{m:%b %Y}" for m in months]
        labels[-1] += " (so far)"
        self.contacts_chart.set_bars(
            list(zip(labels, counts, strict=True)),
            f"Contacts of any kind with {whose}'s young people, as corrected by amendments.",
        )
        overdue, weeks = reviews_by_week(board, adviser, WEEKS)
        bars = [("Overdue now", overdue)] + [
            (f"Week from {format_day(board.on + timedelta(weeks=i))}", n)
            for i, n in enumerate(weeks)
        ]
        self.reviews_chart.set_bars(
            bars, f"Reviews of {whose}'s plans, counted as the review figures count them."
        )
        self.caseload_chart.set_bars(
            [
                (figures.title, sum(figures[key].count for key in _CASELOAD_KEYS))
                for figures in board.advisers
            ],
            "Young people allocated to each adviser, under 25 and not recorded as died.",
        )
