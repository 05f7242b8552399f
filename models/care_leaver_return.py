"""The statutory care-leaver facts (SSDA903, its care-leaver part): codes, suggestions, rules.

Pure: no store, no clock, no Qt. The record type's validator (:mod:`models.registry`), the
birthday-return worklist and the forms all use these functions, so every device and the hub
agree on what a recording may hold.

The return year runs 1 April to 31 March. It covers care leavers whose 17th to 21st birthday
falls in the year: whether the council is in touch, their main activity, and their
accommodation and whether it is suitable, recorded on or around the birthday; and, since April
2022, care leavers aged 22 to 25 in contact with the council, as at their latest contact in the
year (:mod:`models.birthday_return`). Codes are exactly
the return's (the layout the open-source 903 validator reads: CHILD, DOB, IN_TOUCH, ACTIV, ACCOM).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from models.rules import EetStatus, nth_birthday

NOT_APPLICABLE = "0"
"""The code for "not applicable" in ACTIV and ACCOM."""

RETURN_AGES = (17, 18, 19, 20, 21)
"""Birthdays the return asks about (ages 22-25 are asked "as at latest contact")."""

LATEST_CONTACT_AGES = (22, 23, 24, 25)
"""Ages asked about as at their latest contact in the year, if in contact (since April 2022;
see :mod:`models.birthday_return`)."""

# "On or around the birthday": in touch means contact from 3 months before to 1 month after
# the birthday (the DfE's SSDA903 guidance for IN_TOUCH). A recording outside that window is
# shown as out of date. Not re-checked against the 2025-26 guide: no copy of it could be found
# (November 2026); check the window against the year's guidance when it can be read.
WINDOW_BEFORE = relativedelta(months=3)
WINDOW_AFTER = relativedelta(months=1)


class InTouch(StrEnum):
    """IN_TOUCH: whether the council is in touch with the care leaver."""

    YES = "YES"
    NO = "NO"
    DIED = "DIED"
    REFU = "REFU"
    NREQ = "NREQ"
    RHOM = "RHOM"

    @property
    def label(self) -> str:
        return _IN_TOUCH_LABELS[self]


_IN_TOUCH_LABELS = {
    InTouch.YES: "Yes, in touch",
    InTouch.NO: "No, not in touch",
    InTouch.DIED: "Died",
    InTouch.REFU: "Refuses contact",
    InTouch.NREQ: "No longer requires services",
    InTouch.RHOM: "Returned home to parents for 6 months or more",
}


class Activity(StrEnum):
    """ACTIV: the care leaver's main activity."""

    F1 = "F1"
    P1 = "P1"
    F2 = "F2"
    P2 = "P2"
    F4 = "F4"
    P4 = "P4"
    F5 = "F5"
    P5 = "P5"
    G4 = "G4"
    G5 = "G5"
    G6 = "G6"
    NOT_APPLICABLE = "0"

    @property
    def label(self) -> str:
        return _ACTIVITY_LABELS[self]

    @property
    def in_eet(self) -> bool:
        """In education, employment or training (F or P codes)."""
        return self.value[0] in "FP"


_ACTIVITY_LABELS = {
    Activity.F1: "Higher education, full time",
    Activity.P1: "Higher education, part time",
    Activity.F2: "Other education, full time",
    Activity.P2: "Other education, part time",
    Activity.F4: "Apprenticeship, full time",
    Activity.P4: "Apprenticeship, part time",
    Activity.F5: "Training or employment, full time",
    Activity.P5: "Training or employment, part time",
    Activity.G4: "Not in education, employment or training: illness or disability",
    Activity.G5: "Not in education, employment or training: other reasons",
    Activity.G6: "Not in education, employment or training: pregnancy or parenting",
    Activity.NOT_APPLICABLE: "Not applicable",
}


class Accommodation(StrEnum):
    """ACCOM's letter; the return adds 1 (suitable) or 2 (unsuitable), see :func:`accom_code`."""

    B = "B"
    C = "C"
    D = "D"
    E = "E"
    G = "G"
    H = "H"
    K = "K"
    R = "R"
    S = "S"
    T = "T"
    U = "U"
    V = "V"
    W = "W"
    X = "X"
    Y = "Y"
    Z = "Z"
    NOT_APPLICABLE = "0"

    @property
    def label(self) -> str:
        return _ACCOMMODATION_LABELS[self]

    @property
    def never_suitable(self) -> bool:
        """No fixed abode and custody exist only as unsuitable (S2, X2)."""
        return self in (Accommodation.S, Accommodation.X)


_ACCOMMODATION_LABELS = {
    Accommodation.B: "With parents or relatives",
    Accommodation.C: "Community home or other residential care",
    Accommodation.D: "Semi-independent, transitional accommodation",
    Accommodation.E: "Supported lodgings",
    Accommodation.G: "Gone abroad",
    Accommodation.H: "Deported",
    Accommodation.K: "Ordinary lodgings, without support",
    Accommodation.R: "Residence not known",
    Accommodation.S: "No fixed abode or homeless",
    Accommodation.T: "Foyer or similar supported accommodation",
    Accommodation.U: "Independent living",
    Accommodation.V: "Emergency accommodation",
    Accommodation.W: "Bed and breakfast",
    Accommodation.X: "In custody",
    Accommodation.Y: "Other accommodation",
    Accommodation.Z: "With former foster carers (Staying Put)",
    Accommodation.NOT_APPLICABLE: "Not applicable",
}


def code_label(enum: type[StrEnum], value: str) -> str:
    """Words for a stored code (``""``: not recorded; an unknown code as stored)."""
    if not value:
        return "Not recorded"
    try:
        return enum(value).label  # type: ignore[attr-defined, no-any-return]
    except ValueError:
        return value


def accom_code(accommodation: str, suitable: bool | None) -> str:
    """The return's ACCOM value: ``"U1"``, ``"S2"``, ``"0"``; ``""`` when not recorded or when
    the suitability of a real accommodation is not decided (the return has no code for that)."""
    if accommodation in ("", NOT_APPLICABLE):
        return accommodation
    if suitable is None:
        return ""
    return f"{accommodation}{1 if suitable else 2}"


# -- suggestions from what the record already says ---------------------------------------------

_ACTIVITY_FROM_EET = {
    EetStatus.HIGHER_EDUCATION_FULL_TIME: Activity.F1,
    EetStatus.HIGHER_EDUCATION_PART_TIME: Activity.P1,
    EetStatus.EDUCATION_FULL_TIME: Activity.F2,
    EetStatus.EDUCATION_PART_TIME: Activity.P2,
    EetStatus.TRAINING_FULL_TIME: Activity.F5,
    EetStatus.TRAINING_PART_TIME: Activity.P5,
    EetStatus.EMPLOYMENT_FULL_TIME: Activity.F5,
    EetStatus.EMPLOYMENT_PART_TIME: Activity.P5,
    EetStatus.NEET_ILLNESS_DISABILITY: Activity.G4,
    EetStatus.NEET_OTHER: Activity.G5,
    EetStatus.NEET_PREGNANCY_PARENTING: Activity.G6,
}


def suggest_activity(eet_status: str) -> Activity | None:
    """The ACTIV code the young person's education/employment status points to, or ``None``
    when the status is not known. The record has no "apprenticeship" status, so F4/P4 are never
    suggested: an adviser picks them when confirming."""
    try:
        return _ACTIVITY_FROM_EET.get(EetStatus(eet_status))
    except ValueError:
        return None


# The profile's accommodation types (desktop/caseload/profile_form.py and the demo's types).
# Only unambiguous ones are mapped; the rest ("Emergency or bed and breakfast" could be V or W,
# "Student accommodation", "Foster placement") are left for the adviser to choose.
_ACCOMMODATION_FROM_TYPE = {
    "staying put with former foster carers": Accommodation.Z,
    "supported lodgings": Accommodation.E,
    "semi-independent accommodation": Accommodation.D,
    "independent tenancy": Accommodation.U,
    "independent tenancy (private rented)": Accommodation.U,
    "living with family or friends": Accommodation.B,
    "children's home": Accommodation.C,
    "foyer or supported housing": Accommodation.T,
    "custody": Accommodation.X,
    "sofa surfing": Accommodation.S,
    "no fixed abode": Accommodation.S,
    "armed forces accommodation": Accommodation.Y,
}


@dataclass(frozen=True)
class AccommodationSuggestion:
    accommodation: Accommodation
    suitable: bool | None  # None: not assessed; the adviser decides


def suggest_accommodation(
    accommodation_type: str, suitable: bool | None, *, in_custody: bool = False
) -> AccommodationSuggestion | None:
    """The ACCOM letter and suitability the profile points to, or ``None`` when its
    accommodation type has no one clear code. Custody and no fixed abode are never suitable,
    whatever the profile says."""
    letter = (
        Accommodation.X
        if in_custody
        else _ACCOMMODATION_FROM_TYPE.get(accommodation_type.strip().casefold())
    )
    if letter is None:
        return None
    return AccommodationSuggestion(letter, False if letter.never_suitable else suitable)


# -- the return's consistency rules --------------------------------------------------------------
# Each returns a sentence saying what to fix, or None. ``age`` is the birthday the recording is
# for (17 for the 17th birthday's return).


def _blank(value: str | None) -> bool:
    return not value


def all_or_none(in_touch: str, activity: str, accommodation: str) -> str | None:
    """The three items are all present or all blank."""
    blanks = [_blank(v) for v in (in_touch, activity, accommodation)]
    if any(blanks) and not all(blanks):
        return "Record all three (in touch, activity, accommodation), or none of them."
    return None


def died_or_home_means_not_applicable(
    in_touch: str, activity: str, accommodation: str
) -> str | None:
    """DIED or RHOM: activity and accommodation are 0 (not applicable)."""
    if in_touch in (InTouch.DIED, InTouch.RHOM) and (
        activity != NOT_APPLICABLE or accommodation != NOT_APPLICABLE
    ):
        return (
            f"In touch is {in_touch} ({InTouch(in_touch).label.lower()}), so activity and "
            "accommodation must be 'Not applicable' (0)."
        )
    return None


def in_touch_means_applicable(in_touch: str, activity: str, accommodation: str) -> str | None:
    """YES: neither activity nor accommodation is 0."""
    if in_touch == InTouch.YES and NOT_APPLICABLE in (activity, accommodation):
        return "In touch is YES, so give their activity and accommodation (not 0)."
    return None


def no_former_foster_carers_at_17(accommodation: str, age: int) -> str | None:
    """No Staying Put (Z) at the 17th birthday: Staying Put starts at 18."""
    if age == 17 and accommodation == Accommodation.Z:
        return "At 17 the accommodation cannot be with former foster carers (Z): check it."
    return None


def no_foyer_under_18(accommodation: str, age: int) -> str | None:
    """No foyer (T) under 18."""
    if age < 18 and accommodation == Accommodation.T:
        return "Under 18 the accommodation cannot be a foyer (T): check it."
    return None


def died_stays_died(in_touch: str, earlier: Iterable[str]) -> str | None:
    """Someone once recorded as DIED stays DIED (``earlier``: earlier recordings' IN_TOUCH)."""
    if InTouch.DIED in set(earlier) and in_touch != InTouch.DIED:
        return "An earlier recording says they died; every later one must say DIED too."
    return None


def suitability_fits(accommodation: str, suitable: bool | None) -> str | None:
    """A real accommodation says whether it is suitable; S and X are never suitable; 0 and
    blank have no suitability."""
    if accommodation in ("", NOT_APPLICABLE):
        return None if suitable is None else "Suitability is only for a real accommodation."
    if suitable is None:
        return "Say whether the accommodation is suitable."
    if suitable and Accommodation(accommodation).never_suitable:
        return (
            f"{Accommodation(accommodation).label} is never recorded as suitable "
            f"({accommodation}2)."
        )
    return None


def record_problems(
    in_touch: str, activity: str, accommodation: str, suitable: bool | None
) -> list[str]:
    """The rules one recording can be checked against on its own (the record type's validator):
    known codes, all or none, DIED/RHOM means 0, YES means not 0, suitability."""
    problems = []
    for enum, value, what in (
        (InTouch, in_touch, "in-touch code"),
        (Activity, activity, "activity code"),
        (Accommodation, accommodation, "accommodation code"),
    ):
        if value:
            try:
                enum(value)
            except ValueError:
                problems.append(f"Unknown {what} {value!r}.")
    if problems:
        return problems
    for problem in (
        all_or_none(in_touch, activity, accommodation),
        died_or_home_means_not_applicable(in_touch, activity, accommodation),
        in_touch_means_applicable(in_touch, activity, accommodation),
        suitability_fits(accommodation, suitable),
    ):
        if problem:
            problems.append(problem)
    return problems


def return_checks(
    in_touch: str,
    activity: str,
    accommodation: str,
    suitable: bool | None,
    *,
    age: int,
    earlier_in_touch: Iterable[str] = (),
) -> list[str]:
    """Every consistency rule of the return, for one recording as it will be returned: the
    rules of :func:`record_problems` and those that need the age or earlier recordings."""
    problems = record_problems(in_touch, activity, accommodation, suitable)
    for problem in (
        no_former_foster_carers_at_17(accommodation, age),
        no_foyer_under_18(accommodation, age),
        died_stays_died(in_touch, earlier_in_touch),
    ):
        if problem:
            problems.append(problem)
    return problems


# -- the return year -------------------------------------------------------------------------


def return_year(on: date) -> tuple[date, date]:
    """The return year (1 April to 31 March) that ``on`` falls in."""
    start_year = on.year if on >= date(on.year, 4, 1) else on.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def return_birthday(dob: date, year_start: date) -> tuple[int, date] | None:
    """``(age, birthday)`` of the 17th-21st birthday that falls in the return year starting
    ``year_start``, or ``None``. Leap-day birthdays fall on 1 March in common years
    (:func:`models.rules.birthday_in_year`), still inside the year."""
    end = date(year_start.year + 1, 3, 31)
    for age in RETURN_AGES:
        birthday = nth_birthday(dob, age)
        if year_start <= birthday <= end:
            return age, birthday
    return None


def in_window(recorded_on: date, birthday: date) -> bool:
    """Whether a recording is "on or around" the birthday (see ``WINDOW_BEFORE/AFTER``)."""
    return birthday - WINDOW_BEFORE <= recorded_on <= birthday + WINDOW_AFTER
