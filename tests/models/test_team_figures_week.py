"""The "This week" figures and "Plan actions overdue" on a hand-built caseload where the right
answers are known, with the edges: due today, due on the 7th day and on the 8th, actions done,
dropped, removed or undated (those are left out by the read: see test_dashboard_store.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.team_figures import AREAS, Dashboard, dashboard, drill_down
from tests.factories import facts_view as facts
from tests.factories import person_facts as person

ON = date(2026, 11, 29)  # a week on is 6 December 2026
DAY = timedelta(days=1)

CASELOAD = [
    # Plan actions: the open ones' by-when dates, as the store gives them.
    person("a_late", "Alex", date(2004, 1, 1), action_dates=(ON - DAY,)),
    person("a_today", "Alex", date(2004, 1, 1), action_dates=(ON,)),  # due today: not yet
    person("a_many", "Blair", date(2004, 1, 1), action_dates=(ON - 10 * DAY, ON - 3 * DAY, ON)),
    person("a_none", "Blair", date(2004, 1, 1)),
    person(
        "a_died",
        "Blair",
        date(2004, 1, 1),
        action_dates=(ON - 5 * DAY,),
        facts=(facts("a_died", date(2026, 1, 1), "DIED", "0", "0", None),),
    ),
    # Visits: 2 months after the last; 8 weeks in custody; never visited is due today.
    person("v_day7", "Alex", date(2004, 1, 1), last_visit=date(2026, 10, 6)),  # due 6 Dec
    person("v_day8", "Alex", date(2004, 1, 1), last_visit=date(2026, 10, 7)),  # due 7 Dec
    person("v_over", "Blair", date(2004, 1, 1), last_visit=date(2026, 9, 1)),  # due 1 Nov
    person("v_never", "Blair", date(2004, 1, 1), last_visit=None),  # due today
    person(
        "v_custody", "Blair", date(2004, 1, 1), in_custody=True, last_visit=date(2026, 10, 11)
    ),  # 8 weeks: due 6 December
    # Reviews: the date set on the plan, else 6 months after the last agreement.
    person("r_day7", "Alex", date(2004, 1, 1), review_date=ON + 7 * DAY),
    person("r_day8", "Alex", date(2004, 1, 1), review_date=ON + 8 * DAY),
    person("r_over", "Blair", date(2004, 1, 1), review_date=ON - 30 * DAY),
    person("r_agreed", "Blair", date(2004, 1, 1), plan_last_agreed=date(2026, 6, 2)),  # 2 Dec
    # Key dates: one-off by their date, yearly by their next anniversary.
    person("k_day7", "Alex", date(2004, 1, 1), key_dates=((ON + 7 * DAY, False),)),
    person("k_day8", "Alex", date(2004, 1, 1), key_dates=((ON + 8 * DAY, False),)),
    person("k_past", "Alex", date(2004, 1, 1), key_dates=((ON - DAY, False),)),
    person("k_yearly", "Blair", date(2004, 1, 1), key_dates=((date(2001, 12, 1), True),)),
    person("k_today", "Blair", date(2004, 1, 1), key_dates=((date(2019, 11, 29), True),)),
]

EXPECTED = {
    "week_visits": {
        "v_day7": date(2026, 12, 6),
        "v_over": date(2026, 11, 1),
        "v_never": ON,
        "v_custody": date(2026, 12, 6),
    },
    "week_reviews": {
        "r_day7": ON + 7 * DAY,
        "r_over": ON - 30 * DAY,
        "r_agreed": date(2026, 12, 2),
    },
    "actions_overdue": {"a_late": ON - DAY, "a_many": ON - 10 * DAY},
    "week_key_dates": {"k_day7": ON + 7 * DAY, "k_yearly": date(2026, 12, 1), "k_today": ON},
}


@pytest.fixture(scope="module")
def board() -> Dashboard:
    return dashboard(CASELOAD, ON)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_week_figure_counts_the_right_people_with_the_right_date(
    board: Dashboard, key: str
) -> None:
    figure = board.team[key]
    assert {i: figure.dates[i] for i in figure.ids} == EXPECTED[key]
    assert figure.how and figure.label and figure.date_label


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_per_adviser_they_add_up_to_the_team(board: Dashboard, key: str) -> None:
    alex, blair = board.for_adviser("Alex"), board.for_adviser("Blair")
    assert alex is not None and blair is not None
    assert set(alex[key].ids) | set(blair[key].ids) == set(EXPECTED[key])
    assert not set(alex[key].ids) & set(blair[key].ids)
    assert all(board.people[i].adviser == "Alex" for i in alex[key].ids)


def test_plan_actions_overdue_per_adviser_and_how_it_was_counted(board: Dashboard) -> None:
    assert board.for_adviser("Alex")["actions_overdue"].ids == ("a_late",)
    assert board.for_adviser("Blair")["actions_overdue"].ids == ("a_many",)
    figure = board.team["actions_overdue"]
    assert figure.label == "Plan actions overdue"
    assert "(3 actions in all)" in figure.how  # a_late's one and a_many's two; not a_died's
    assert "due today is not yet overdue" in figure.how
    assert "(1 action in all)" in board.for_adviser("Alex")["actions_overdue"].how


def test_the_lists_are_most_pressing_first(board: Dashboard) -> None:
    rows = drill_down(board, board.team["week_visits"])
    assert [r.id for r in rows] == ["v_over", "v_never", "v_custody", "v_day7"]
    rows = drill_down(board, board.team["actions_overdue"])
    assert [(r.id, r.when) for r in rows] == [("a_many", ON - 10 * DAY), ("a_late", ON - DAY)]


def test_this_week_is_the_first_area_and_tomorrow_an_action_due_today_is_overdue() -> None:
    assert AREAS[0] == (
        "This week",
        ("week_visits", "week_reviews", "actions_overdue", "week_key_dates"),
    )
    tomorrow = dashboard(CASELOAD, ON + DAY)
    assert set(tomorrow.team["actions_overdue"].ids) == {"a_late", "a_today", "a_many"}
    # A week on from tomorrow reaches the 8th days.
    assert "v_day8" in tomorrow.team["week_visits"].ids
    assert "r_day8" in tomorrow.team["week_reviews"].ids
    assert "k_day8" in tomorrow.team["week_key_dates"].ids
