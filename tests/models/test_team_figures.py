"""The team dashboard's figures on a hand-built caseload where the right answers are known,
with the edges: a birthday today, a leap-day birthday, someone who died, release and review
dates exactly on the boundary, 25th birthdays, unallocated young people."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.team_figures import NOT_ALLOCATED, Dashboard, dashboard, drill_down
from tests.factories import facts_view as facts
from tests.factories import person_facts as person

ON = date(2026, 11, 29)  # the return year is 1 April 2026 to 31 March 2027


CASELOAD = [
    person("A", "Alex", date(2010, 11, 29)),  # 16 today
    person("B", "Alex", date(2010, 6, 1)),  # first plan agreed on its 16¼ date
    person(
        "C",
        "Alex",
        date(2009, 12, 1),
        plan_first_agreed=date(2026, 5, 1),
        needs_assessment_done=None,
    ),
    person("X", "Alex", date(2010, 8, 29), needs_assessment_done=None),  # 16¼ is today
    person(
        "Y",
        "Alex",
        date(2009, 8, 8),
        plan_first_agreed=None,
        plan_last_agreed=None,
        facts=(facts("Y", date(2026, 8, 10), "YES", "F5", "Z", True),),
    ),  # Z at 17
    person("D", "Blair", date(2008, 2, 29)),  # 19th birthday 1 March 2027
    person(
        "E",
        "Blair",
        date(2009, 6, 10),
        plan_first_agreed=date(2025, 9, 1),
        facts=(
            facts("E", date(2026, 5, 1), "NO", "G5", "R", False),
            facts("E", date(2026, 6, 20), "YES", "F2", "E", True),
        ),
    ),
    person(
        "F",
        "Blair",
        date(2007, 9, 1),
        facts=(facts("F", date(2026, 1, 10), "YES", "F1", "U", True),),
    ),
    person("G", "Blair", date(2005, 12, 20)),  # 21st birthday in December, nothing recorded
    person(
        "J",
        "Blair",
        date(2006, 7, 1),
        last_visit=date(2025, 1, 1),
        facts=(
            facts("J", date(2025, 7, 5), "DIED", "0", "0", None),
            facts("J", date(2026, 7, 2), "DIED", "0", "0", None),
        ),
    ),
    person("H", "Casey", date(2004, 5, 5), contacts_this_year=1),
    person("I", "Casey", date(2003, 1, 10), contacts_this_year=3),
    person("M", "Casey", date(2004, 3, 3), last_visit=date(2026, 9, 29)),  # due today
    person("N", "Casey", date(2004, 4, 4), last_visit=date(2026, 9, 28)),  # due yesterday
    person("O1", "Casey", date(2003, 3, 3), last_contact=date(2026, 10, 4)),  # 56 days
    person(
        "O2",
        "Casey",
        date(2003, 4, 4),
        last_contact=date(2026, 10, 3),
        last_visit=date(2026, 10, 3),
    ),  # 57 days
    person("O3", "Casey", date(2003, 5, 5), last_contact=None, last_visit=None),
    person("P", "Casey", date(2004, 9, 9), review_date=date(2026, 11, 28)),
    person("Q", "Casey", date(2004, 10, 10), plan_last_agreed=date(2026, 5, 29)),
    person("R", "Casey", date(2004, 1, 20), review_date=date(2026, 12, 29)),
    person("S", "Casey", date(2004, 2, 20), review_date=date(2026, 12, 30)),
    person("T", "Casey", date(2004, 6, 6), key_dates=((date(2000, 12, 13), True),)),
    person(
        "U",
        "Casey",
        date(2004, 7, 7),
        key_dates=((date(2026, 12, 14), False), (date(2026, 11, 28), False)),
    ),
    person("V", "Casey", date(2004, 8, 8), conflicts=2),
    person("W", "Casey", date(2001, 11, 29), last_visit=None),  # 25 today: left the service
    person(
        "K",
        "",
        date(2004, 10, 20),
        in_custody=True,
        release_date=date(2027, 2, 27),
        last_visit=date(2026, 10, 3),
    ),  # 8 weeks in custody ran out yesterday
    person("L", "", date(2004, 11, 20), in_custody=True, release_date=date(2027, 2, 28)),
]


@pytest.fixture(scope="module")
def board() -> Dashboard:
    return dashboard(CASELOAD, ON)


# Aged 22-25 this year and in contact (the factory's last contact is 24 November): asked as at
# that contact. O3 (no contact) is not; G has their 21st birthday this year instead; nobody has
# a recording this year, so all are missing.
ASKED_22_25 = {"H", "I", "M", "N", "O1", "O2", "P", "Q", "R", "S", "T", "U", "V", "W", "K", "L"}

TEAM_EXPECTED = {
    # This week (to 6 December): M due today, N and K overdue, O2 due 3 December, O3 never
    # visited; P's review overdue, Q's due today; nobody's actions or key dates.
    "week_visits": {"K", "M", "N", "O2", "O3"},
    "week_reviews": {"P", "Q"},
    "actions_overdue": set(),
    "week_key_dates": set(),
    "age_16_17": {"A", "B", "C", "X", "Y", "E"},
    "age_18_20": {"D", "F", "G"},  # J died; not counted
    "age_21_24": {
        "H",
        "I",
        "M",
        "N",
        "O1",
        "O2",
        "O3",
        "P",
        "Q",
        "R",
        "S",
        "T",
        "U",
        "V",
        "K",
        "L",
    },
    "age_other": set(),
    "plan_by_16q": {"B", "E"},
    "plan_late": {"C", "Y"},
    "needs_assessment_overdue": {"C"},
    "review_overdue": {"P"},
    "review_due_30": {"Q", "R"},
    "no_contact_8_weeks": {"O2", "O3"},
    "visit_overdue": {"K", "N"},
    "return_17_18_in_touch": {"E", "Y"},
    "return_17_18_eet": {"E", "Y"},
    "return_17_18_suitable": {"E", "Y"},
    "return_17_18_no_info": {"C"},
    "return_19_21_in_touch": set(),
    "return_19_21_eet": set(),
    "return_19_21_suitable": set(),
    "return_19_21_no_info": {"D", "F", "G"},
    "return_22_25_asked": ASKED_22_25,
    "return_22_25_recorded": set(),
    "return_22_25_to_fix": set(),
    "return_22_25_missing": ASKED_22_25,
    "plus21_contacted": {"H", "I"},
    "plus21_two_contacts": {"I"},
    "in_custody": {"K", "L"},
    "release_90": {"K"},
    "key_dates_14": {"T"},
    "conflicts": {"V"},
    "died": {"J"},
}


@pytest.mark.parametrize("key", sorted(TEAM_EXPECTED))
def test_each_team_figure_counts_exactly_the_right_young_people(board: Dashboard, key: str) -> None:
    figure = board.team[key]
    assert set(figure.ids) == TEAM_EXPECTED[key]
    assert figure.count == len(TEAM_EXPECTED[key])
    assert figure.how and figure.label


def test_every_figure_is_checked_here(board: Dashboard) -> None:
    assert {f.key for f in board.team.figures} == set(TEAM_EXPECTED)


def test_denominators(board: Dashboard) -> None:
    assert board.team["plan_by_16q"].of == 4  # A and X have not reached 16¼ yet
    assert board.team["return_17_18_in_touch"].of == 3
    assert board.team["return_19_21_no_info"].of == 4  # J, recorded as DIED, is returned
    assert board.team["plus21_contacted"].of == 16
    assert board.team["return_22_25_asked"].of == 17  # and O3, never contacted
    assert board.team["return_22_25_missing"].of == 16
    assert "4 aged 16–17" in board.team["plan_by_16q"].how


def test_advisers_in_name_order_unallocated_last_and_they_add_up(board: Dashboard) -> None:
    assert [a.adviser for a in board.advisers] == ["Alex", "Blair", "Casey", NOT_ALLOCATED]
    assert set(board.for_adviser("Alex")["age_16_17"].ids) == {"A", "B", "C", "X", "Y"}
    assert set(board.for_adviser(NOT_ALLOCATED)["in_custody"].ids) == {"K", "L"}
    assert board.for_adviser("Blair")["return_19_21_no_info"].of == 4
    for key in TEAM_EXPECTED:
        assert sum(a[key].count for a in board.advisers) == board.team[key].count, key


def test_drill_down_lists_the_people_with_the_date_behind_each(board: Dashboard) -> None:
    rows = drill_down(board, board.team["visit_overdue"])
    assert [(r.id, r.when) for r in rows] == [("K", date(2026, 11, 28)), ("N", date(2026, 11, 28))]
    assert rows[0].name == "Name K" and rows[0].adviser == "" and rows[0].age == 22
    rows = drill_down(board, board.team["no_contact_8_weeks"])
    assert [(r.id, r.when) for r in rows] == [("O2", date(2026, 10, 3)), ("O3", None)]


def test_the_return_rows_behind_the_figures(board: Dashboard) -> None:
    r = board.returns
    assert (r["D"].age, r["D"].birthday, r["D"].status) == (19, date(2027, 3, 1), "not_yet_due")
    assert r["E"].current is not None and r["E"].current.in_touch == "YES"  # latest in window
    assert r["F"].status == "out_of_date" and r["G"].status == "missing"
    assert r["Y"].status == "to_fix" and "former foster carers" in r["Y"].problems[0]
    assert r["J"].status == "recorded" and r["J"].in_touch == "DIED"


def test_a_key_date_on_29_february_comes_round_on_1_march() -> None:
    on = date(2027, 2, 20)
    p = person("Z", "Alex", date(2004, 1, 1), key_dates=((date(2004, 2, 29), True),))
    board = dashboard([p], on)
    assert board.team["key_dates_14"].ids == ("Z",)
    assert board.team["key_dates_14"].dates["Z"] == date(2027, 3, 1)
    assert dashboard([p], date(2027, 2, 14)).team["key_dates_14"].ids == ()


def test_a_birthday_today_changes_the_band_today() -> None:
    p = person("A", "Alex", date(2008, 11, 29))
    assert dashboard([p], ON).team["age_18_20"].ids == ("A",)
    assert dashboard([p], ON - timedelta(days=1)).team["age_16_17"].ids == ("A",)


def test_a_leap_day_birthday_turns_18_on_1_march_in_a_common_year() -> None:
    p = person("L", "Alex", date(2008, 2, 29))
    assert dashboard([p], date(2026, 2, 28)).team["age_16_17"].ids == ("L",)
    assert dashboard([p], date(2026, 3, 1)).team["age_18_20"].ids == ("L",)


def test_the_figures_and_a_list_as_csv_read_back(board: Dashboard) -> None:
    import csv
    import io

    from models.team_figures import figures_csv, list_csv

    rows = list(csv.DictReader(io.StringIO(figures_csv(board), newline="")))
    assert len(rows) == len(board.team.figures) * (1 + len(board.advisers))
    team_visits = next(
        r for r in rows if r["Whose"] == "Whole team" and r["Figure"] == "Visits overdue"
    )
    assert (team_visits["Number"], team_visits["Counted on"]) == ("2", "2026-11-29")
    assert "Name" not in rows[0]  # no young person's details in the figures
    listed = list(csv.DictReader(io.StringIO(list_csv(board, board.team["visit_overdue"]))))
    assert [(r["Young person id"], r["Visit was due"]) for r in listed] == [
        ("K", "2026-11-28"),
        ("N", "2026-11-28"),
    ]


def test_what_the_charts_draw(board: Dashboard) -> None:
    from models.team_figures import contacts_per_month, reviews_by_week

    monthly = [
        person("m1", "Alex", date(2004, 1, 1), contacts_by_month=(1,) * 12),
        person("m2", "Blair", date(2004, 1, 1), contacts_by_month=(0,) * 11 + (5,)),
        person("m3", "Blair", date(2004, 1, 1)),  # no contact at all
    ]
    small = dashboard(monthly, ON)
    assert contacts_per_month(small) == [1] * 11 + [6]
    assert contacts_per_month(small, "Blair") == [0] * 11 + [5]
    overdue, weeks = reviews_by_week(board)
    assert overdue == board.team["review_overdue"].count
    assert weeks[0] == 1  # Q: due today
    assert weeks[4] == 2  # R and S: due in 30 and 31 days (week 5: days 28 to 34)
    assert sum(weeks) == 3


def test_every_figure_has_an_area(board: Dashboard) -> None:
    from models.team_figures import FIGURE_ORDER

    assert list(FIGURE_ORDER) == [f.key for f in board.team.figures]
