"""The dashboard's care-leaver return figures, counted from the worklist's rows
(:mod:`models.birthday_return`), so that a figure and the Birthday return tab never disagree.

Pure: rows and people in, figures out through the dashboard's ``add`` (see
:func:`models.team_figures.dashboard`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from models.birthday_return import (
    ReturnKind,
    ReturnPerson,
    ReturnRow,
    ReturnStatus,
    died_before,
    in_latest_contact_group,
)
from models.care_leaver_return import return_year

AddFigure = Callable[..., None]  # team_figures' add(key, label, how, chosen, *, of, date_label)

RETURN_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Care-leaver return, 17–18",
        (
            "return_17_18_in_touch",
            "return_17_18_eet",
            "return_17_18_suitable",
            "return_17_18_no_info",
        ),
    ),
    (
        "Care-leaver return, 19–21",
        (
            "return_19_21_in_touch",
            "return_19_21_eet",
            "return_19_21_suitable",
            "return_19_21_no_info",
        ),
    ),
    (
        "Care-leaver return, 22–25",
        (
            "return_22_25_asked",
            "return_22_25_recorded",
            "return_22_25_to_fix",
            "return_22_25_missing",
        ),
    ),
)


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def return_figures(
    add: AddFigure, rows: Sequence[ReturnRow], people: Sequence[ReturnPerson], on: date
) -> None:
    """The return's figures for ``people`` (the team's, or one adviser's) and their rows."""
    start, end = return_year(on)
    year = f"{_d(start)} to {_d(end)}"
    birthdays = [r for r in rows if r.kind is ReturnKind.BIRTHDAY]
    for key, label, ages in (("17_18", "17–18", (17, 18)), ("19_21", "19–21", (19, 20, 21))):
        cohort = [r for r in birthdays if r.age in ages]
        n = len(cohort)
        whose = (
            f"Of the {n} whose {ages[0]}th to {ages[-1]}{'st' if ages[-1] == 21 else 'th'} "
            f"birthday falls in the return year {year}"
        )
        window = "recorded from 3 months before to 1 month after the birthday"
        tests: tuple[tuple[str, str, str, Callable[[ReturnRow], bool]], ...] = (
            ("in_touch", "in touch", f"in touch (YES), {window}.", lambda r: r.is_in_touch),
            (
                "eet",
                "in education, employment or training",
                f"activity F1–F5 or P1–P5, {window}.",
                lambda r: r.in_eet,
            ),
            (
                "suitable",
                "in suitable accommodation",
                f"accommodation recorded as suitable (…1), {window}.",
                lambda r: r.suitably_housed,
            ),
            (
                "no_info",
                "no information",
                f"nothing {window} (including birthdays still to come).",
                lambda r: r.current is None,
            ),
        )
        for suffix, what, how, test in tests:
            add(
                f"return_{key}_{suffix}",
                f"{label}: {what}",
                f"{whose}: {how}",
                ((r, r.birthday) for r in cohort if test(r)),
                of=n,
                date_label="Birthday",
            )
    _latest_contact_figures(add, rows, people, on)


def _latest_contact_figures(
    add: AddFigure, rows: Sequence[ReturnRow], people: Sequence[ReturnPerson], on: date
) -> None:
    start, end = return_year(on)
    upto = _d(min(on, end))
    group = sum(in_latest_contact_group(p.dob, on) and not died_before(p, start) for p in people)
    asked = [r for r in rows if r.kind is ReturnKind.LATEST_CONTACT]
    n = len(asked)
    add(
        "return_22_25_asked",
        "22–25: in contact this year",
        f"Of the {group} aged 22 to 25 on some day from {_d(start)} to {upto} (not recorded "
        "as having died before the year), those with a contact in that time. The return asks "
        "about them as at their latest contact; those not in contact are not asked.",
        ((r, r.latest_contact) for r in asked),
        of=group,
        date_label="Latest contact",
    )
    whose = f"Of the {n} aged 22–25 in contact this year"
    recording = (
        "the recording of this return year nearest their latest contact (the last on or "
        "before it, else the first after it)"
    )
    for key, label, status, how in (
        ("recorded", "recorded", ReturnStatus.RECORDED, f"{recording} passes the return's checks"),
        ("to_fix", "checks to fix", ReturnStatus.TO_FIX, f"{recording} fails a return check"),
        ("missing", "nothing recorded", ReturnStatus.MISSING, "nothing recorded this return year"),
    ):
        add(
            f"return_22_25_{key}",
            f"22–25: {label}",
            f"{whose}: {how}.",
            ((r, r.latest_contact) for r in asked if r.status is status),
            of=n,
            date_label="Latest contact",
        )
