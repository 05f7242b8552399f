"""Demo care-leaver facts (SSDA903): recordings at contacts around the 17th-21st birthdays of
this return year and the last, and for those aged 22 to 25 one recording this year (the return
asks about them as at their latest contact), from what the profile says, with some left
unrecorded so the worklist has work in it. Pure over a ``random.Random``, apart from the one
write per recording."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from models.care_leaver_return import (
    WINDOW_BEFORE,
    Accommodation,
    return_birthday,
    return_year,
    suggest_accommodation,
    suggest_activity,
)
from models.repo import care_leaver_facts
from models.rules import age_on

RECORDED_SHARE = 0.85  # of birthdays whose window has opened
IN_TOUCH_SHARE = 0.9


def _codes(rng: random.Random, profile: dict[str, Any], age: int) -> tuple[str, str, str, Any]:
    if rng.random() > IN_TOUCH_SHARE:
        return rng.choice(("NO", "REFU", "NREQ")), "0", "0", None
    activity = suggest_activity(str(profile.get("eet_status") or "")) or "F5"
    accommodation = suggest_accommodation(
        str(profile.get("accommodation_type") or ""),
        profile.get("accommodation_suitable"),
        in_custody=bool(profile.get("in_custody")),
    )
    letter = accommodation.accommodation if accommodation else Accommodation.Y
    suitable = accommodation.suitable if accommodation else True
    if (age == 17 and letter is Accommodation.Z) or (age < 18 and letter is Accommodation.T):
        letter = Accommodation.D
    if suitable is None:
        suitable = not letter.never_suitable
    return "YES", activity, letter.value, suitable


def record_birthday_facts(
    s: Session, rng: random.Random, yp_id: str, profile: dict[str, Any], today: date
) -> int:
    """Record facts for this and last return year's birthdays; returns how many."""
    dob: date = profile["date_of_birth"]
    start, _ = return_year(today)
    made = 0
    for year_start in (date(start.year - 1, 4, 1), start):
        found = return_birthday(dob, year_start)
        if found is None:
            continue
        age, birthday = found
        opened = birthday - WINDOW_BEFORE
        if opened > today or rng.random() > RECORDED_SHARE:
            continue
        recorded_on = birthday + timedelta(days=rng.randrange(-20, 25))
        recorded_on = max(opened, min(today, recorded_on))
        _record(s, rng, yp_id, profile, age, recorded_on)
        made += 1
    age = age_on(dob, today)
    if 22 <= age <= 25 and today > start and rng.random() <= RECORDED_SHARE:
        # Somewhere in the year so far, as an adviser would at a contact.
        _record(s, rng, yp_id, profile, age,
                today - timedelta(days=rng.randrange(0, min(120, (today - start).days))))
        made += 1
    return made


def _record(s: Session, rng: random.Random, yp_id: str, profile: dict[str, Any], age: int,
            recorded_on: date) -> None:
    in_touch, activity, accommodation, suitable = _codes(rng, profile, age)
    care_leaver_facts.record_facts(
        s,
        yp_id,
        recorded_on=recorded_on,
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
        accommodation_suitable=suitable,
    )
