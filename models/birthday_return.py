"""The birthday-return worklist: who the care-leaver return asks about this year, what is
recorded for each, what is missing or out of date, and the return's checks to fix.

Two kinds of row. Care leavers whose 17th to 21st birthday falls in the year are asked about
around that birthday. Since April 2022 the return also asks about care leavers aged 22 to 25
who were in touch with the council, as at their latest contact in the year (the DfE's letter
to councils of 30 September 2021, reported by CYP Now, "Care leaver data reporting extended to
cover young people up to 25", 1 October 2021,
https://www.cypnow.co.uk/news/article/care-leaver-data-reporting-extended-to-cover-young-people-up-to-25:
"You only need to provide information for 22- to 25-year-olds who have been in touch with you"
and "information for those aged 22 to 25 should relate to the time they contact the council").

Pure: takes the young people (with their recordings, oldest first, and their last contact) and
the day asked about; no store, no clock. The dashboard's return figures are counted from these
rows, so the figures and the worklist always agree.
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
    LATEST_CONTACT_AGES,
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
from models.rules import age_on, birthday_in_year


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
    @property
    def last_contact(self) -> date | None: ...


class ReturnKind(StrEnum):
    """Why the return asks about someone."""

    BIRTHDAY = "birthday"  # their 17th-21st birthday falls in the year
    LATEST_CONTACT = "latest_contact"  # aged 22-25 and in contact: as at the latest contact


class ReturnStatus(StrEnum):
    # For a latest-contact row, "the window" is the return year so far.
    RECORDED = "recorded"  # recorded around the birthday, and the checks pass
    TO_FIX = "to_fix"  # recorded around the birthday, but a check fails
    OUT_OF_DATE = "out_of_date"  # only recordings from outside the window around the birthday
    MISSING = "missing"  # the window has opened (or passed) and nothing is recorded in it
    NOT_YET_DUE = "not_yet_due"  # the window opens later in the year (birthday rows only)

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
    # The birthday the return asks about (17 to 21); for a latest-contact row, the age on the
    # day of that contact (22 to 25, or 21 or 26 when a birthday fell between it and the
    # edges of the 22-25 group: see :func:`latest_contact_row`).
    age: int
    birthday: date  # the birthday in the return year
    window: tuple[date, date]  # recordings in this range count ("around the birthday")
    status: ReturnStatus
    current: CareLeaverFactsView | None  # the recording returned (latest in the window)
    last_known: CareLeaverFactsView | None  # the latest recording at all
    problems: tuple[str, ...]  # what to fix, one sentence each
    kind: ReturnKind = ReturnKind.BIRTHDAY
    latest_contact: date | None = None  # latest-contact rows: the contact they are asked as at

    @property
    def when(self) -> date:
        """The day the row is about: the birthday, or the latest contact."""
        return self.latest_contact or self.birthday

    @property
    def why(self) -> str:
        """Why the return asks: "18th birthday", "Latest contact, aged 23"."""
        if self.kind is ReturnKind.LATEST_CONTACT:
            return f"Latest contact, {self.age_note}"
        return f"{_ordinal(self.age)} birthday"

    @property
    def age_note(self) -> str:
        """A latest-contact row's age: "aged 23"; "aged 26 (25 earlier this year)" when the
        contact came after the 26th birthday; "aged 21 (22 since 1 Jun 2026)" before the 22nd."""
        lo, hi = LATEST_CONTACT_AGES[0], LATEST_CONTACT_AGES[-1]
        if self.age > hi:
            return f"aged {self.age} ({hi} earlier this year)"
        if self.age < lo:
            return f"aged {self.age} ({lo} since {_day(self.birthday)})"
        return f"aged {self.age}"

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


def in_latest_contact_group(dob: date, on: date) -> bool:
    """Aged 22 to 25 on some day of the return year up to ``on`` (the guidance found says
    "22 to 25" and no more: see the module's docstring), whatever their contacts."""
    start, end = return_year(on)
    last = min(on, end)
    if dob > start:
        return False
    lo, hi = LATEST_CONTACT_AGES[0], LATEST_CONTACT_AGES[-1]
    return age_on(dob, start) <= hi and age_on(dob, last) >= lo


def died_before(person: ReturnPerson, day: date) -> bool:
    """A recording before ``day`` says they died."""
    return any(f.in_touch == InTouch.DIED for f in person.facts if f.recorded_on < day)


def latest_contact_row(person: ReturnPerson, on: date) -> ReturnRow | None:
    """The person's latest-contact row in the return year ``on`` falls in, or ``None``.

    Asked: aged 22 to 25 on some day of the year up to ``on``, with a contact in the year up
    to ``on`` (nobody is asked who was not in touch), and not recorded as having died before
    the year began (the DfE's figures leave them out). The facts returned are those of the
    recording in the year nearest the latest contact: the last one on or before it, else the
    first one after it. ``age`` is the age on the day of that contact. Someone whose 17th to
    21st birthday falls in the year has a birthday row instead (never both: the 22nd birthday
    comes a year after the 21st)."""
    start, end = return_year(on)
    last = min(on, end)
    contact = person.last_contact
    if contact is None or not start <= contact <= last:
        return None
    if not in_latest_contact_group(person.dob, on):
        return None
    if return_birthday(person.dob, start) is not None:
        return None
    if died_before(person, start):
        return None
    facts = list(person.facts)
    in_year = [f for f in facts if start <= f.recorded_on <= last]
    before = [f for f in in_year if f.recorded_on <= contact]
    after = [f for f in in_year if f.recorded_on > contact]
    current = before[-1] if before else (after[0] if after else None)
    age = age_on(person.dob, contact)
    problems: list[str] = []
    if current is None:
        status = ReturnStatus.MISSING
        problems.append(
            f"Nothing recorded this return year: record in touch, activity and accommodation "
            f"as at their latest contact on {_day(contact)}."
        )
    else:
        problems = return_checks(
            current.in_touch,
            current.activity,
            current.accommodation,
            current.accommodation_suitable,
            age=age,
            earlier_in_touch=[f.in_touch for f in facts if _before(f, current)],
        )
        status = ReturnStatus.TO_FIX if problems else ReturnStatus.RECORDED
    birthday = birthday_in_year(person.dob, start.year)
    if birthday < start:  # January to March: next calendar year's
        birthday = birthday_in_year(person.dob, start.year + 1)
    return ReturnRow(
        id=person.id,
        name=person.name,
        adviser=person.adviser,
        dob=person.dob,
        age=age,
        birthday=birthday,
        window=(start, last),
        status=status,
        current=current,
        last_known=facts[-1] if facts else None,
        problems=tuple(problems),
        kind=ReturnKind.LATEST_CONTACT,
        latest_contact=contact,
    )


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"  # "1 Jan 2027", as the app writes dates


def _ordinal(n: int) -> str:
    return f"{n}{'st' if n == 21 else 'th'}"  # 17th-20th, 21st


def person_row(person: ReturnPerson, on: date) -> ReturnRow | None:
    """The person's one row in the return year ``on`` falls in: around their 17th-21st
    birthday, else as at their latest contact if they are in the 22-25 group, else ``None``."""
    return return_row(person, on) or latest_contact_row(person, on)


def row_order(r: ReturnRow) -> tuple[int, date, str, str]:
    """Birthday rows first in birthday order, then latest-contact rows by that contact."""
    return (r.kind is ReturnKind.LATEST_CONTACT, r.when, r.name.casefold(), r.id)


def worklist(people: Iterable[ReturnPerson], on: date) -> list[ReturnRow]:
    """This year's return: the birthday rows in birthday order, then the 22-25-year-olds in
    order of their latest contact (each then by name)."""
    rows = [row for p in people if (row := person_row(p, on)) is not None]
    rows.sort(key=row_order)
    return rows


CSV_COLUMNS = ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")


def return_csv(rows: Iterable[ReturnRow]) -> str:
    """The return's care-leaver table as CSV (the layout the 903 validator reads): the young
    person's id, date of birth as dd/mm/yyyy, and the codes recorded around the birthday (blank
    when nothing is recorded in the window; an out-of-date recording is not returned), or, for
    the 22-25-year-olds, as at their latest contact (blank when nothing is recorded in the
    year). The table has no column saying which: the date of birth does."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow((r.id, f"{r.dob:%d/%m/%Y}", r.in_touch, r.activity, r.accom))
    return out.getvalue()
