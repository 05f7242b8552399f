"""The team figures as a PDF: every figure, for the team and each adviser, with how counted."""

from __future__ import annotations

from datetime import date

from desktop.printing.team_report import team_report_pdf
from models.team_figures import dashboard
from tests.factories import person_facts
from tests.printing.pdftext import all_text, flat, reader

ON = date(2026, 11, 29)


def test_the_report_holds_every_figure_for_the_team_and_each_adviser() -> None:
    people = [
        person_facts("a", "Alex Adviser", date(2004, 5, 5), last_visit=date(2026, 9, 1)),
        person_facts("b", "Blair Adviser", date(2009, 6, 10)),
    ]
    pdf = team_report_pdf(dashboard(people, ON))
    text = flat(all_text(pdf))
    for words in ("Teamfigures", "Wholeteam", "AlexAdviser", "BlairAdviser", "Visitsoverdue",
                  "Howitwascounted", "1April2026"):
        assert words in text, words
    assert "Namea" not in text  # no young person's name in the figures
    assert reader(pdf).pages
