"""The return's 22-25 part: care leavers aged 22 to 25 in contact this year, asked about as at
their latest contact. Who is asked (the edges of the ages, of the year and of contact), which
recording is returned, the checks (the one a saved recording can fail on its own is refused
when it is saved; "died stays died" spans recordings), the figures a manager reads, and the
CSV read back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

from models.birthday_return import ReturnKind, ReturnStatus, return_csv, worklist
from models.repo import care_leaver_facts
from models.repo.dashboard import load_return_worklist
from models.team_figures import dashboard
from tests.factories import add_note, add_young_person, make_store
from tests.factories import facts_view as facts
from tests.factories import person_facts as person

ON = date(2026, 11, 29)  # the return year is 1 April 2026 to 31 March 2027


def _row(p, on: date = ON):  # type: ignore[no-untyped-def]
    rows = worklist([p], on)
    assert len(rows) <= 1  # never two rows for one person
    return rows[0] if rows else None


def test_a_22nd_birthday_on_the_years_first_day_is_asked_as_at_the_latest_contact() -> None:
    row = _row(person("A", "Alex", date(2004, 4, 1), last_contact=date(2026, 6, 1)))
    assert row is not None and row.kind is ReturnKind.LATEST_CONTACT
    assert (row.age, row.latest_contact, row.why) == (
        22,
        date(2026, 6, 1),
        "Latest contact, aged 22",
    )
    # Born a year later, the 21st birthday is that first day: a birthday row, not both.
    row = _row(person("B", "Alex", date(2005, 4, 1), last_contact=date(2026, 6, 1)))
    assert row is not None and row.kind is ReturnKind.BIRTHDAY
    assert (row.age, row.why) == (21, "21st birthday")


def test_a_26th_birthday_inside_the_year_is_still_asked_for_the_months_aged_25() -> None:
    dob = date(2000, 10, 1)  # 25 from 1 April to 30 September 2026
    row = _row(person("A", "Alex", dob, last_contact=date(2026, 9, 15)))
    assert row is not None and row.why == "Latest contact, aged 25"
    # The latest contact came after the 26th birthday: still asked, and the row says so.
    row = _row(person("A", "Alex", dob, last_contact=date(2026, 11, 1)))
    assert row is not None and row.why == "Latest contact, aged 26 (25 earlier this year)"
    # 26 before the year began: past the age of a personal adviser, never asked.
    assert _row(person("C", "Alex", date(2000, 3, 31), last_contact=date(2026, 9, 15))) is None


def test_no_contact_in_the_year_is_not_asked() -> None:
    assert _row(person("A", "Alex", date(2003, 6, 1), last_contact=None)) is None
    assert _row(person("A", "Alex", date(2003, 6, 1), last_contact=date(2026, 3, 31))) is None
    row = _row(person("A", "Alex", date(2003, 6, 1), last_contact=date(2026, 4, 1)))
    assert row is not None and row.status is ReturnStatus.MISSING
    assert "latest contact on 1 Apr 2026" in row.problems[0]


def test_a_leap_day_birthday_turns_22_on_1_march_in_a_common_year() -> None:
    # Born 29 February 2004: 21 on 1 March 2025 (last year), 22 on 1 March 2026.
    p = person("L", "Alex", date(2004, 2, 29), last_contact=date(2026, 2, 20))
    assert _row(p, date(2026, 2, 28)) is None  # 21 every day of the year so far
    p = person("L", "Alex", date(2004, 2, 29), last_contact=date(2026, 3, 1))
    row = _row(p, date(2026, 3, 1))
    assert row is not None and row.age == 22 and row.birthday == date(2026, 3, 1)


def test_the_recording_nearest_the_latest_contact_is_returned() -> None:
    history = (
        facts("A", date(2026, 3, 20), "YES", "F1", "U", True),  # last year: never returned
        facts("A", date(2026, 5, 1), "NO", "G5", "R", False),
        facts("A", date(2026, 9, 1), "YES", "F5", "U", True),
        facts("A", date(2026, 10, 20), "YES", "G5", "V", False),
    )
    row = _row(
        person("A", "Alex", date(2003, 6, 1), last_contact=date(2026, 10, 10), facts=history)
    )
    assert row is not None and row.status is ReturnStatus.RECORDED
    assert (row.in_touch, row.activity, row.accom) == ("YES", "F5", "U1")  # on or before
    # Nothing on or before the contact in the year: the first recording after it.
    row = _row(person("A", "Alex", date(2003, 6, 1), last_contact=date(2026, 4, 10), facts=history))
    assert row is not None and row.current is not None
    assert row.current.recorded_on == date(2026, 5, 1) and row.accom == "R2"
    # Only last year's recording: nothing to return.
    row = _row(
        person("A", "Alex", date(2003, 6, 1), last_contact=date(2026, 4, 10), facts=history[:1])
    )
    assert row is not None and row.status is ReturnStatus.MISSING and row.in_touch == ""


def test_someone_who_died() -> None:
    # Recorded as died before the year: not in contact, not asked, not in the group counted.
    before = (facts("D", date(2025, 12, 1), "DIED", "0", "0", None),)
    p = person("D", "Alex", date(2003, 6, 1), last_contact=date(2026, 6, 1), facts=before)
    assert _row(p) is None
    board = dashboard([p], ON)
    assert board.team["return_22_25_asked"].of == 0
    # Recorded as died at the latest contact this year: returned as DIED, 0, 0.
    during = (facts("D", date(2026, 6, 1), "DIED", "0", "0", None),)
    row = _row(person("D", "Alex", date(2003, 6, 1), last_contact=date(2026, 6, 1), facts=during))
    assert row is not None and row.status is ReturnStatus.RECORDED
    assert (row.in_touch, row.activity, row.accom) == ("DIED", "0", "0")
    # A later recording that forgets it is a check to fix.
    later = (*during, facts("D", date(2026, 7, 1), "YES", "F5", "U", True))
    row = _row(person("D", "Alex", date(2003, 6, 1), last_contact=date(2026, 7, 1), facts=later))
    assert row is not None and row.status is ReturnStatus.TO_FIX
    assert any("DIED" in p for p in row.problems)


CASELOAD = [
    person(
        "R1",
        "Alex",
        date(2003, 6, 1),
        facts=(facts("R1", date(2026, 11, 24), "YES", "F5", "U", True),),
    ),
    person(
        "R2",
        "Blair",
        date(2002, 1, 5),
        facts=(facts("R2", date(2026, 7, 1), "NREQ", "G5", "K", True),),
    ),
    person(
        "F1",
        "Alex",
        date(2004, 5, 5),
        facts=(
            facts("F1", date(2026, 6, 1), "DIED", "0", "0", None),
            facts("F1", date(2026, 11, 24), "YES", "F5", "U", True),
        ),
    ),  # recorded as died, then not: a check to fix
    person("M1", "Blair", date(2001, 7, 7)),  # in contact, nothing recorded
    person("N1", "Alex", date(2003, 8, 8), last_contact=None),  # aged 23, never in contact
    # 22 on 1 June; the latest contact came before it, at 21: asked, but no 19-21 row.
    person("Y1", "Blair", date(2004, 6, 1), last_contact=date(2026, 5, 20)),
    person("B1", "Alex", date(2005, 12, 20)),  # 21st birthday this year: a birthday row
]


def test_the_figures_say_how_the_22_to_25_group_is_counted() -> None:
    board = dashboard(CASELOAD, ON)
    team = board.team
    assert set(team["return_22_25_asked"].ids) == {"R1", "R2", "F1", "M1", "Y1"}
    assert team["return_22_25_asked"].of == 6  # N1 too: in the group, not in contact
    assert set(team["return_22_25_recorded"].ids) == {"R1", "R2"}
    assert set(team["return_22_25_to_fix"].ids) == {"F1"}
    assert set(team["return_22_25_missing"].ids) == {"M1", "Y1"}
    assert team["return_22_25_missing"].of == 5
    assert "latest contact" in team["return_22_25_asked"].how
    assert team["return_22_25_asked"].dates["Y1"] == date(2026, 5, 20)
    # The 19-21 figures count birthday rows only, whatever age a latest contact came at.
    assert team["return_19_21_no_info"].ids == ("B1",) and team["return_19_21_no_info"].of == 1
    for key in ("return_22_25_asked", "return_22_25_recorded", "return_22_25_missing"):
        assert sum(a[key].count for a in board.advisers) == team[key].count


def test_the_worklist_lists_birthdays_then_latest_contacts() -> None:
    rows = worklist(CASELOAD, ON)
    assert [r.kind for r in rows] == [ReturnKind.BIRTHDAY] + [ReturnKind.LATEST_CONTACT] * 5
    assert rows[1].id == "Y1"  # the earliest latest contact first
    assert rows[1].why == "Latest contact, aged 21 (22 since 1 Jun 2026)"


def test_the_csv_holds_both_kinds_of_row_and_reads_back(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        birthday = add_young_person(store, date_of_birth=date(2009, 6, 10))
        older = add_young_person(store, date_of_birth=date(2002, 9, 9))
        quiet = add_young_person(store, date_of_birth=date(2003, 3, 3))
        unseen = add_young_person(store, date_of_birth=date(2003, 5, 5))  # no contact: not asked
        add_note(store, older, occurred_at=datetime(2026, 10, 2, 10, 0, tzinfo=UTC))
        add_note(store, quiet, occurred_at=datetime(2026, 9, 12, 10, 0, tzinfo=UTC))
        add_note(store, unseen, occurred_at=datetime(2026, 3, 30, 10, 0, tzinfo=UTC))  # last year
        with store.session() as s:
            for ident, day, codes in (
                (birthday, date(2026, 6, 20), ("YES", "F2", "X", False)),
                (older, date(2026, 8, 1), ("NO", "G5", "R", False)),
                (older, date(2026, 10, 2), ("YES", "P5", "B", True)),
                (older, date(2026, 10, 30), ("YES", "F5", "U", True)),
            ):
                care_leaver_facts.record_facts(
                    s,
                    ident,
                    recorded_on=day,
                    in_touch=codes[0],
                    activity=codes[1],
                    accommodation=codes[2],
                    accommodation_suitable=codes[3],
                )
        with store.reader() as s:
            rows = load_return_worklist(s, ON)
    back = list(csv.DictReader(io.StringIO(return_csv(rows), newline="")))
    assert back == [
        {"CHILD": birthday, "DOB": "10/06/2009", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "X2"},
        {"CHILD": quiet, "DOB": "03/03/2003", "IN_TOUCH": "", "ACTIV": "", "ACCOM": ""},
        {"CHILD": older, "DOB": "09/09/2002", "IN_TOUCH": "YES", "ACTIV": "P5", "ACCOM": "B1"},
    ]
    assert [r.why for r in rows] == [
        "17th birthday",
        "Latest contact, aged 23",
        "Latest contact, aged 24",
    ]
