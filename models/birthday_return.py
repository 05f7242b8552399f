"""The birthday-return worklist: who the care-leaver return asks about this year, what is
recorded for each, what is missing or out of date, and the return's checks to fix.

Pure: takes the young people (with their recordings, oldest first) and the day asked about;
no store, no clock. The dashboard's return figures are counted from these rows, so the figures
and the worklist always agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from models.care_leaver_return import (
    WINDOW_AFTER,
    WINDOW_BEFORE,
    Activity,
    InTouch,
    died_stays_died,
    return_birthday,
    return_checks,
    return_year,
)
from models.records import CareLeaverFactsView


class ReturnPerson(Protocol):
    """What the worklist needs of a young person (``models.team_figures.PersonFacts`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def adviser(self) -> str: ...
    @property
    def dob(self) -> date: ...
    @property
    def facts(self) -> Sequence[CareLeaverFactsView]: ...


class ReturnStatus(StrEnum):
    RECORDED = "recorded"  # recorded around the birthday, and the checks pass
    TO_FIX = "to_fix"  # recorded around the birthday, but a check fails
    OUT_OF_DATE = "out_of_date"  # only recordings from outside the window around the birthday
    MISSING = "missing"  # the window has opened (or passed) and nothing is recorded in it
    NOT_YET_DUE = "not_yet_due"  # the window opens later in the year

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ReturnStatus.RECORDED: "Recorded",
    ReturnStatus.TO_FIX: "Recorded, with checks to fix",
    ReturnStatus.OUT_OF_DATE: "Out of date",
    ReturnStatus.MISSING: "Missing",
    ReturnStatus.NOT_YET_DUE: "Not yet due",
}


@dataclass(frozen=True)
class ReturnRow:
    """One care leaver in this year's return."""

    id: str
    name: str
    adviser: str
    dob: date
    age: int  # the birthday the return asks about: 17 to 21
    birthday: date
    window: tuple[date, date]  # recordings in this range count as "around the birthday"
    status: ReturnStatus
    current: CareLeaverFactsView | None  # the latest recording in the window
    last_known: CareLeaverFactsView | None  # the latest recording at all
    problems: tuple[str, ...]  # what to fix, one sentence each

    @property
    def in_touch(self) -> str:
        return self.current.in_touch if self.current else ""

    @property
    def activity(self) -> str:
        return self.current.activity if self.current else ""

    @property
    def accom(self) -> str:
        return self.current.accom_code if self.current else ""

    @property
    def is_in_touch(self) -> bool:
        return self.in_touch == InTouch.YES

    @property
    def in_eet(self) -> bool:
        try:
            return Activity(self.activity).in_eet
        except ValueError:
            return False

    @property
    def suitably_housed(self) -> bool:
        return self.accom.endswith("1")


def return_row(person: ReturnPerson, on: date) -> ReturnRow | None:
    """The person's row in the return year ``on`` falls in, or ``None`` if no 17th-21st
    birthday of theirs falls in it."""
    start, _end = return_year(on)
    found = return_birthday(person.dob, start)
    if found is None:
        return None
    age, birthday = found
    window = (birthday - WINDOW_BEFORE, birthday + WINDOW_AFTER)
    facts = list(person.facts)
    around = [f for f in facts if window[0] <= f.recorded_on <= window[1]]  # see in_window
    current = around[-1] if around else None
    last_known = facts[-1] if facts else None
    problems: list[str] = []
    if current is not None:
        earlier = [f.in_touch for f in facts if _before(f, current)]
        problems = return_checks(
            current.in_touch,
            current.activity,
            current.accommodation,
            current.accommodation_suitable,
            age=age,
            earlier_in_touch=earlier,
        )
        status = ReturnStatus.TO_FIX if problems else ReturnStatus.RECORDED
    elif last_known is not None and on >= window[0]:
        status = ReturnStatus.OUT_OF_DATE
        problems.append(
            f"Last recorded on {_day(last_known.recorded_on)}, outside the window around "
            f"the {_ordinal(age)} birthday ({_day(window[0])} to {_day(window[1])}): "
            "record them at a contact in the window."
        )
    elif on >= window[0]:
        status = ReturnStatus.MISSING
        problems.append(
            f"Nothing recorded for the {_ordinal(age)} birthday: record in touch, activity and "
            f"accommodation at a contact from {_day(window[0])} to {_day(window[1])}."
        )
    else:
        status = ReturnStatus.NOT_YET_DUE
    if current is None and last_known is not None:
        died = died_stays_died("", [f.in_touch for f in facts])
        if died:
            problems.append(died)
    return ReturnRow(
        id=person.id,
        name=person.name,
        adviser=person.adviser,
        dob=person.dob,
        age=age,
        birthday=birthday,
        window=window,
        status=status,
        current=current,
        last_known=last_known,
        problems=tuple(problems),
    )


def _before(f: CareLeaverFactsView, current: CareLeaverFactsView) -> bool:
    return (f.recorded_on, f.created_at, f.id) < (
        current.recorded_on,
        current.created_at,
        current.id,
    )


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"  # "1 Jan 2027", as the app writes dates


def _ordinal(n: int) -> str:
    return f"{n}{'st' if n == 21 else 'th'}"  # 17th-20th, 21st


def worklist(people: Iterable[ReturnPerson], on: date) -> list[ReturnRow]:
    """This year's return, birthday order (then name)."""
    rows = [row for p in people if (row := return_row(p, on)) is not None]
    rows.sort(key=lambda r: (r.birthday, r.name.casefold(), r.id))
    return rows


CSV_COLUMNS = ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")


def return_csv(rows: Iterable[ReturnRow]) -> str:
    """The return's care-leaver table as CSV (the layout the 903 validator reads): the young
    person's id, date of birth as dd/mm/yyyy, and the codes recorded around the birthday (blank
    when nothing is recorded in the window; an out-of-date recording is not returned)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow((r.id, f"{r.dob:%d/%m/%Y}", r.in_touch, r.activity, r.accom))
    return out.getvalue()
