"""Leaving-care rules: ages, the offers a young person can have, and what is due when.

Pure functions over dates: no database, no Qt, no clock. Every function takes the day it is
asked about (``on``) so that results are reproducible and testable; callers pass
``date.today()``. Safe to call from any thread.

Conventions used throughout:

* **Ages.** A person attains an age at the start of the anniversary of their birth (Family Law
  Reform Act 1969 s.9). Someone born on 29 February attains each new age on 1 March in a common
  year (see :func:`birthday_in_year`).
* **Month arithmetic** uses :class:`dateutil.relativedelta.relativedelta`, which clamps to the end
  of a short month: 31 August + 6 months is 28 February (29 in a leap year).
* **"Due"** is inclusive: a thing due on a date is on time if done on that date, and overdue from
  the next day (:func:`is_overdue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

# Ages that bound the leaving-care service. Eligible children get a PA and a pathway plan from 16
# (Children Act 1989 Sch 2 paras 19B-19C); the extended duty ends at 25 (s.23CZB).
CARE_LEAVER_MIN_AGE = 16
TWENTY_ONE_PLUS_AGE = 21
AGE_OUT = 25
NEEDS_ASSESSMENT_CUTOFF_AGE = 18

NEEDS_ASSESSMENT_WINDOW = relativedelta(months=3)
PLAN_EARLIEST_START_AGE = relativedelta(years=15, months=6)
REVIEW_INTERVAL = relativedelta(months=6)
VISIT_INTERVAL = relativedelta(months=2)
CUSTODY_VISIT_INTERVAL = timedelta(weeks=8)


# --- Ages -------------------------------------------------------------------------------------


def birthday_in_year(dob: date, year: int) -> date:
    """The day in ``year`` on which someone born on ``dob`` has their birthday.

    A person born on 29 February has their birthday on 1 March in a common year. No English
    statute settles the point; 1 March is the usual English legal reading (a person attains an
    age at the start of the anniversary of their birth, Family Law Reform Act 1969 s.9, and in a
    common year that anniversary is taken to fall the day after 28 February), and it is the rule
    Scots law enacts (Age of Legal Capacity (Scotland) Act 1991 s.6). In a leap year the
    birthday is 29 February itself.
    """
    if dob.month == 2 and dob.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:  # common year
            return date(year, 3, 1)
    return dob.replace(year=year)


def nth_birthday(dob: date, n: int) -> date:
    """The date someone born on ``dob`` attains the age of ``n`` (``n >= 0``).

    Same leap-day rule as :func:`birthday_in_year`: born 29 February 2004, the 21st birthday is
    1 March 2025. ``nth_birthday(dob, 0)`` is ``dob``.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    return birthday_in_year(dob, dob.year + n)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on the day ``on`` (Family Law Reform Act 1969 s.9).

    The new age starts on the birthday itself. A person born on 29 February attains a new age on
    1 March in common years (the usual English legal reading; see :func:`birthday_in_year`), so
    someone born 29 February 2004 is 20 on 28 February 2025 and 21 on 1 March 2025.

    Raises ``ValueError`` if ``on`` is before ``date_of_birth``.
    """
    if on < date_of_birth:
        raise ValueError(f"{on.isoformat()} is before the date of birth")
    years = on.year - date_of_birth.year
    if on < birthday_in_year(date_of_birth, on.year):
        years -= 1
    return years


# --- Offers -----------------------------------------------------------------------------------


class Offer(StrEnum):
    """The council's care-leaver offers. The value is the name young people see.

    The Local Offer is the statutory one (Children and Social Work Act 2017 s.2); the others are
    the specialist offers councils publish alongside it (for example Nottinghamshire's 2024
    relaunch: Achievement, 21Plus, Custody, Parents' and UASC offers).
    """

    LOCAL = "Local Offer"
    TWENTY_ONE_PLUS = "21Plus"
    CUSTODY = "Custody Offer"
    PARENTS = "Parents' Offer"
    UASC = "UASC Offer"
    ACHIEVEMENT = "Achievement Offer"

    @property
    def plain_words(self) -> str:
        """What the offer means, in a sentence addressed to the young person."""
        return OFFER_DESCRIPTIONS[self]


OFFER_DESCRIPTIONS: dict[Offer, str] = {
    Offer.LOCAL: (
        "Help with money, housing, health, education and work that every care leaver can have "
        "until you are 25."
    ),
    Offer.TWENTY_ONE_PLUS: (
        "Your personal adviser's support continues from your 21st to your 25th birthday if you "
        "want it."
    ),
    Offer.CUSTODY: (
        "If you are in custody, we keep visiting you and help you plan where you will live and "
        "what support you will have when you are released."
    ),
    Offer.PARENTS: (
        "Extra help if you are a parent or have a baby on the way, for you and for your child."
    ),
    Offer.UASC: (
        "Extra help if you came to the UK on your own as a child seeking safety: with your "
        "immigration case, learning English and settling in."
    ),
    Offer.ACHIEVEMENT: (
        "Help to find the course, training, apprenticeship or job that is right for you, when "
        "you are ready."
    ),
}


class EetStatus(StrEnum):
    """Education, employment or training status, grouped as the SSDA903 care-leaver activity codes.

    The NEET codes keep the return's three reasons (illness or disability, pregnancy or
    parenting, other). ``UNKNOWN`` is "not recorded", not a NEET reason.
    """

    HIGHER_EDUCATION_FULL_TIME = "higher_education_full_time"
    HIGHER_EDUCATION_PART_TIME = "higher_education_part_time"
    EDUCATION_FULL_TIME = "education_full_time"
    EDUCATION_PART_TIME = "education_part_time"
    TRAINING_FULL_TIME = "training_full_time"
    TRAINING_PART_TIME = "training_part_time"
    EMPLOYMENT_FULL_TIME = "employment_full_time"
    EMPLOYMENT_PART_TIME = "employment_part_time"
    NEET_ILLNESS_DISABILITY = "neet_illness_disability"
    NEET_PREGNANCY_PARENTING = "neet_pregnancy_parenting"
    NEET_OTHER = "neet_other"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """Human text for lists and forms."""
        return _EET_LABELS[self]

    @property
    def is_neet(self) -> bool:
        """Not in education, employment or training (any of the three NEET reasons)."""
        return self.value.startswith("neet_")


def eet_status_label(value: str) -> str:
    """Words for a stored education/employment status; unknown values as stored."""
    try:
        return EetStatus(value).label
    except ValueError:
        return value or "Not known"


_EET_LABELS: dict[EetStatus, str] = {
    EetStatus.HIGHER_EDUCATION_FULL_TIME: "Higher education, full time",
    EetStatus.HIGHER_EDUCATION_PART_TIME: "Higher education, part time",
    EetStatus.EDUCATION_FULL_TIME: "Other education, full time",
    EetStatus.EDUCATION_PART_TIME: "Other education, part time",
    EetStatus.TRAINING_FULL_TIME: "Training, full time",
    EetStatus.TRAINING_PART_TIME: "Training, part time",
    EetStatus.EMPLOYMENT_FULL_TIME: "Employment, full time",
    EetStatus.EMPLOYMENT_PART_TIME: "Employment, part time",
    EetStatus.NEET_ILLNESS_DISABILITY: "Not in education, employment or training: illness or "
    "disability",
    EetStatus.NEET_PREGNANCY_PARENTING: "Not in education, employment or training: pregnancy or "
    "parenting",
    EetStatus.NEET_OTHER: "Not in education, employment or training: other reason",
    EetStatus.UNKNOWN: "Not known",
}


@dataclass(frozen=True)
class Circumstances:
    """The facts about a young person, besides age, that switch specialist offers on."""

    in_custody: bool = False
    is_parent: bool = False
    expecting_child: bool = False
    uasc: bool = False
    eet_status: EetStatus = EetStatus.UNKNOWN


def is_care_leaver_age(date_of_birth: date, on: date) -> bool:
    """True from the 16th birthday up to the day before the 25th.

    16 is when an eligible child gets a personal adviser and a pathway plan (Children Act 1989
    Sch 2 paras 19B-19C; CPPCR 2010 regs 40-43); the PA duty ends at 25 (s.23CZB, added by the
    Children and Social Work Act 2017 s.3).
    """
    return (
        nth_birthday(date_of_birth, CARE_LEAVER_MIN_AGE)
        <= on
        < nth_birthday(date_of_birth, AGE_OUT)
    )


def eligible_offers(date_of_birth: date, circumstances: Circumstances, on: date) -> list[Offer]:
    """The offers a young person can have on the day ``on``, in :class:`Offer` order.

    * Nobody has any care-leaver offer before their 16th birthday or from their 25th: before
      16 a child in care is supported through their care plan and the council's offer to
      looked-after children (which also carries on alongside the Local Offer while a 16-17 year
      old is still in care), and at 25 the young person ages out of the leaving-care service
      (Children Act 1989 s.23CZB).
    * Local Offer: everyone aged 16 to 24 (Children and Social Work Act 2017 s.2).
    * 21Plus: from the 21st birthday to the day before the 25th, for a former relevant child who
      wants a PA (s.23CZB).
    * Custody Offer: in custody (detained 16-17 year olds can be relevant children, Care Leavers
      (England) Regulations 2010 reg 3; councils' custody offers continue to 25).
    * Parents' Offer: a parent or expecting a child.
    * UASC Offer: an unaccompanied asylum-seeking child or former one.
    * Achievement Offer: not in education, employment or training (any NEET reason).

    The specialist offers are council practice, not separate statutory entitlements.
    """
    # A PA may start the first pathway plan at 15½ (plan_earliest_start) and will want to talk
    # through the Local Offer then. That is a conversation about what is coming, not
    # eligibility, so the plan screen can show the Local Offer "from your 16th birthday"
    # without this rule changing; keeping eligibility at 16 matches the statutory age.
    if not is_care_leaver_age(date_of_birth, on):
        return []
    eligible = {Offer.LOCAL}
    if on >= nth_birthday(date_of_birth, TWENTY_ONE_PLUS_AGE):
        eligible.add(Offer.TWENTY_ONE_PLUS)
    if circumstances.in_custody:
        eligible.add(Offer.CUSTODY)
    if circumstances.is_parent or circumstances.expecting_child:
        eligible.add(Offer.PARENTS)
    if circumstances.uasc:
        eligible.add(Offer.UASC)
    if circumstances.eet_status.is_neet:
        eligible.add(Offer.ACHIEVEMENT)
    return [offer for offer in Offer if offer in eligible]


# --- Due dates --------------------------------------------------------------------------------


def is_overdue(due: date, on: date) -> bool:
    """True when ``on`` is after ``due``: a thing is due ON its date and overdue from the next."""
    return on > due


def needs_assessment_due(dob: date) -> date:
    """Last day for the needs assessment: 3 months after the 16th birthday (CPPCR 2010 reg 42)."""
    return nth_birthday(dob, CARE_LEAVER_MIN_AGE) + NEEDS_ASSESSMENT_WINDOW


def plan_earliest_start(dob: date) -> date:
    """First day work on the first pathway plan may start: age 15½ (date of birth + 15y 6m).

    Council practice (a plan "commences after 15½ and is in place before 16¼"); an eligible
    child can be identified from 14 (CPPCR 2010 reg 40), so starting early is allowed.
    """
    return dob + PLAN_EARLIEST_START_AGE


def plan_due_by(dob: date) -> date:
    """Last day for the first pathway plan: "16¼", the 16th birthday + 3 months.

    The plan is prepared from the needs assessment (CPPCR 2010 regs 42-43; Children Act 1989
    Sch 2 para 19B), so it shares that assessment's deadline.
    """
    return nth_birthday(dob, CARE_LEAVER_MIN_AGE) + NEEDS_ASSESSMENT_WINDOW


def next_review_due(last_review_or_agreed: date) -> date:
    """Next pathway plan review: 6 months after the last review or agreement.

    Plans must be reviewed (Care Leavers (England) Regulations 2010 reg 7); councils' published
    offers commit to at least every six months, sooner on request.
    """
    return last_review_or_agreed + REVIEW_INTERVAL


def review_due_on(
    set_date: date | None, last_reviewed: date | None, last_agreed: date | None
) -> date | None:
    """When the plan's next review is due, as the caseload shows it: the date the adviser set
    (``set_date``), else :func:`next_review_due` after the later of the last review and the last
    agreement; ``None`` when the plan was never agreed nor reviewed nor given a date.

    Note that :func:`due_items` ignores a set date (its review item is always 6 months on)."""
    if set_date is not None:
        return set_date
    last = max((d for d in (last_reviewed, last_agreed) if d is not None), default=None)
    return next_review_due(last) if last else None


def next_visit_due(last_visit: date) -> date:
    """Next PA visit: 2 months after the last (Care Leavers (England) Regulations 2010 reg 8)."""
    return last_visit + VISIT_INTERVAL


def next_custody_visit_due(last_visit: date) -> date:
    """Next custody visit: 8 weeks (56 days) after the last (councils' custody offers)."""
    return last_visit + CUSTODY_VISIT_INTERVAL


class DueKind(StrEnum):
    """What a :class:`DueItem` is about. Also the tie-break order for items due the same day."""

    NEEDS_ASSESSMENT = "needs_assessment"
    PATHWAY_PLAN = "pathway_plan"
    REVIEW = "review"
    VISIT = "visit"
    CUSTODY_VISIT = "custody_visit"


_DUE_LABELS: dict[DueKind, str] = {
    DueKind.NEEDS_ASSESSMENT: "Needs assessment",
    DueKind.PATHWAY_PLAN: "First pathway plan",
    DueKind.REVIEW: "Pathway plan review",
    DueKind.VISIT: "Visit",
    DueKind.CUSTODY_VISIT: "Custody visit",
}

_KIND_ORDER: dict[DueKind, int] = {kind: i for i, kind in enumerate(DueKind)}


@dataclass(frozen=True)
class DueItem:
    """One thing due for a young person. ``overdue`` is :func:`is_overdue` on the asked day."""

    kind: DueKind
    due: date
    overdue: bool
    label: str


def due_items(
    dob: date,
    *,
    circumstances: Circumstances,
    plan_agreed_on: date | None,
    last_review: date | None,
    last_visit: date | None,
    needs_assessment_done: date | None,
    on: date,
) -> list[DueItem]:
    """What is due for one young person on the day ``on``, earliest first.

    * Needs assessment, if not done and the young person is under 18 (:func:`needs_assessment_due`).
    * First pathway plan, if none has been agreed (:func:`plan_due_by`).
    * Plan review, if a plan is agreed: 6 months after the later of the agreement and the last
      review (a newly agreed plan restarts the clock).
    * Next visit: every 2 months, or every 8 weeks in custody (the shorter interval wins). Someone
      never visited is due a visit now (``on``).

    From the 25th birthday the PA duty has ended (Children Act 1989 s.23CZB), so nothing is due.
    Items due on the same day keep the :class:`DueKind` order.
    """
    if on >= nth_birthday(dob, AGE_OUT):
        return []
    found: list[tuple[DueKind, date]] = []

    if needs_assessment_done is None and age_on(dob, on) < NEEDS_ASSESSMENT_CUTOFF_AGE:
        found.append((DueKind.NEEDS_ASSESSMENT, needs_assessment_due(dob)))

    if plan_agreed_on is None:
        found.append((DueKind.PATHWAY_PLAN, plan_due_by(dob)))
    else:
        since = plan_agreed_on if last_review is None else max(plan_agreed_on, last_review)
        found.append((DueKind.REVIEW, next_review_due(since)))

    visit_kind = DueKind.CUSTODY_VISIT if circumstances.in_custody else DueKind.VISIT
    if last_visit is None:
        visit_due = on
    elif circumstances.in_custody:
        visit_due = min(next_visit_due(last_visit), next_custody_visit_due(last_visit))
    else:
        visit_due = next_visit_due(last_visit)
    found.append((visit_kind, visit_due))

    found.sort(key=lambda item: (item[1], _KIND_ORDER[item[0]]))
    return [
        DueItem(kind=kind, due=due, overdue=is_overdue(due, on), label=_DUE_LABELS[kind])
        for kind, due in found
    ]
