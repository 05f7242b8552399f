"""The birthday-return worklist: who is in this year's return, their status, the checks to
fix, and the CSV in the return's layout (read back)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from models.birthday_return import CSV_COLUMNS, ReturnStatus, return_csv, worklist
from models.repo import care_leaver_facts
from models.repo.dashboard import load_return_worklist
from tests.factories import add_young_person, make_store
from tests.factories import facts_view as facts
from tests.factories import person_facts as person

ON = date(2026, 11, 29)


def test_the_window_opens_three_months_before_the_birthday() -> None:
    p = person("A", "Alex", date(2009, 2, 28))  # 17th birthday 28 February 2027
    (row,) = worklist([p], date(2026, 11, 27))
    assert row.status is ReturnStatus.NOT_YET_DUE and row.problems == ()
    (row,) = worklist([p], date(2026, 11, 28))
    assert row.status is ReturnStatus.MISSING
    assert "28 Nov 2026 to 28 Mar 2027" in row.problems[0]


def test_only_17th_to_21st_birthdays_in_the_year_are_in_the_return() -> None:
    people = [
        person("in17", "A", date(2010, 3, 31)),  # 17 on 31 March 2027
        person("out16", "A", date(2010, 4, 1)),  # 17 on 1 April 2027: next year's return
        person("in21", "A", date(2005, 4, 1)),  # 21 on 1 April 2026
        person("out22", "A", date(2005, 3, 31)),  # 21 on 31 March 2026: last year's
    ]
    assert [(r.id, r.age) for r in worklist(people, ON)] == [("in21", 21), ("in17", 17)]


def test_died_stays_died_is_a_check_to_fix() -> None:
    p = person(
        "J",
        "A",
        date(2006, 7, 1),
        facts=(
            facts("J", date(2025, 7, 5), "DIED", "0", "0", None),
            facts("J", date(2026, 7, 2), "YES", "F1", "U", True),
        ),
    )
    (row,) = worklist([p], ON)
    assert row.status is ReturnStatus.TO_FIX
    assert any("DIED" in problem for problem in row.problems)


def test_someone_recorded_as_died_before_the_window_is_flagged_when_missing() -> None:
    p = person(
        "J", "A", date(2006, 7, 1), facts=(facts("J", date(2025, 7, 5), "DIED", "0", "0", None),)
    )
    (row,) = worklist([p], ON)
    assert row.status is ReturnStatus.OUT_OF_DATE
    assert any("DIED" in problem for problem in row.problems)


def test_the_csv_reads_back_in_the_returns_layout(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        done = add_young_person(store, date_of_birth=date(2009, 6, 10))
        home = add_young_person(store, date_of_birth=date(2006, 7, 1))
        gap = add_young_person(store, date_of_birth=date(2005, 12, 20))
        add_young_person(store, date_of_birth=date(2004, 5, 5))  # 22: not in the return
        with store.session() as s:
            care_leaver_facts.record_facts(
                s,
                done,
                recorded_on=date(2026, 6, 20),
                in_touch="YES",
                activity="F2",
                accommodation="X",
                accommodation_suitable=False,
            )
            care_leaver_facts.record_facts(
                s,
                home,
                recorded_on=date(2026, 7, 2),
                in_touch="RHOM",
                activity="0",
                accommodation="0",
                accommodation_suitable=None,
            )
        with store.reader() as s:
            rows = load_return_worklist(s, ON)
    text = return_csv(rows)
    assert text.startswith("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\r\n")
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(back[0]) == CSV_COLUMNS
    assert back == [
        {"CHILD": done, "DOB": "10/06/2009", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "X2"},
        {"CHILD": home, "DOB": "01/07/2006", "IN_TOUCH": "RHOM", "ACTIV": "0", "ACCOM": "0"},
        {"CHILD": gap, "DOB": "20/12/2005", "IN_TOUCH": "", "ACTIV": "", "ACCOM": ""},
    ]
