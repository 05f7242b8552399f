"""The team dashboard's figures, per adviser and for the team, computed from the store.

Pure: :func:`dashboard` takes every young person's facts (read in one session by
:func:`models.repo.dashboard.load_dashboard`, a few set-based queries) and the day asked about.
Every figure is the list of young people behind it (for drill-down), its count, and one line
saying how it was counted. The rules are those of the caseload (:mod:`models.rules`), so a figure
and the caseload's columns never disagree.

People recorded as having died (a care-leaver recording says DIED) are left out of every figure
but the return's and "recorded as died": nobody is told to visit them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.birthday_return import ReturnRow, person_row
from models.care_leaver_return import InTouch, return_year
from models.records import CareLeaverFactsView
from models.return_figures import RETURN_AREAS, return_figures
from models.rules import (
    AGE_OUT,
    Circumstances,
    DueItem,
    DueKind,
    age_on,
    birthday_in_year,
    due_items,
    is_overdue,
    plan_due_by,
    review_due_on,
)

NOT_ALLOCATED = "Not allocated"
NO_CONTACT_DAYS = 56  # 8 weeks
REVIEW_SOON_DAYS = 30
RELEASE_SOON_DAYS = 90
KEY_DATES_DAYS = 14
WEEK_DAYS = 7  # "this week": today and the next 7 days


# The area each figure belongs to, in the order a manager reads them.
AREAS = (
    # What to do this week, first: an adviser opens the dashboard on their own caseload.
    ("This week", ("week_visits", "week_reviews", "actions_overdue", "week_key_dates")),
    ("Caseload", ("age_16_17", "age_18_20", "age_21_24", "age_other")),
    (
        "Plans and assessments",
        ("plan_by_16q", "plan_late", "needs_assessment_overdue", "review_overdue", "review_due_30"),
    ),
    ("Contact and visits", ("no_contact_8_weeks", "visit_overdue")),
    *RETURN_AREAS,
    ("21Plus", ("plus21_contacted", "plus21_two_contacts")),
    ("Custody", ("in_custody", "release_90")),
    ("Coming up and to sort out", ("key_dates_14", "conflicts", "died")),
)
AREA_OF = {key: area for area, keys in AREAS for key in keys}
FIGURE_ORDER = {key: i for i, (_area, keys) in enumerate(AREAS) for key in keys}


@dataclass(frozen=True)
class PersonFacts:
    """What the dashboard knows of one young person (plain values, read in one session)."""

    id: str
    name: str  # the name they like to be called
    adviser: str
    dob: date
    legal_name: str = ""
    in_custody: bool = False
    release_date: date | None = None
    needs_assessment_done: date | None = None
    plan_first_agreed: date | None = None
    plan_last_agreed: date | None = None
    last_reviewed: date | None = None
    review_date: date | None = None  # a review date the adviser set
    last_contact: date | None = None
    last_visit: date | None = None
    contacts_this_year: int = 0  # contacts since the return year began (1 April)
    # Contacts in each of the last 12 calendar months, oldest first (empty: none at all).
    contacts_by_month: tuple[int, ...] = ()
    key_dates: tuple[tuple[date, bool], ...] = ()  # (date, recurring)
    # The by-when dates of the working plan's actions that are neither done nor dropped.
    action_dates: tuple[date, ...] = ()
    conflicts: int = 0
    facts: tuple[CareLeaverFactsView, ...] = ()

    @property
    def died(self) -> bool:
        return any(f.in_touch == InTouch.DIED for f in self.facts)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    ids: tuple[str, ...]
    how: str
    of: int | None = None  # the number it is counted out of, when that matters
    # Per young person, the date that put them in the figure (last contact, review due...).
    dates: dict[str, date | None] = field(default_factory=dict, compare=False, repr=False)
    date_label: str = ""

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class FigureSet:
    """The figures of one adviser's caseload (``adviser``), or of the team (``None``)."""

    adviser: str | None
    figures: tuple[Figure, ...]

    def __getitem__(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def title(self) -> str:
        return "Whole team" if self.adviser is None else self.adviser


@dataclass(frozen=True)
class Dashboard:
    on: date
    year: tuple[date, date]  # the return year
    team: FigureSet
    advisers: tuple[FigureSet, ...]  # by name; "Not allocated" last
    people: dict[str, PersonFacts] = field(compare=False, repr=False)
    returns: dict[str, ReturnRow] = field(compare=False, repr=False)

    def for_adviser(self, adviser: str) -> FigureSet | None:
        return next((f for f in self.advisers if f.adviser == adviser), None)


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _next_occurrence(on_date: date, recurring: bool, on: date) -> date:
    if not recurring:
        return on_date
    this_year = birthday_in_year(on_date, on.year)  # 29 February -> 1 March in common years
    return this_year if this_year >= on else birthday_in_year(on_date, on.year + 1)


@dataclass(frozen=True)
class _Derived:
    """What the rules say of one person on the day: worked out once, shared by the team's
    figures and their adviser's (the rules' date arithmetic is most of the cost)."""

    in_service: bool  # not recorded as died, and younger than 25
    age: int
    due: tuple[DueItem, ...]
    review: date | None
    next_key_date: date | None  # the next key date within the fortnight


def _derive(p: PersonFacts, on: date) -> _Derived:
    in_service = not p.died and on < _birthday(p, AGE_OUT)
    if not in_service:
        return _Derived(False, 0, (), None, None)
    due = due_items(
        p.dob,
        circumstances=Circumstances(in_custody=p.in_custody),
        plan_agreed_on=p.plan_last_agreed,
        last_review=p.last_reviewed,
        last_visit=p.last_visit,
        needs_assessment_done=p.needs_assessment_done,
        on=on,
    )
    key_by = on + timedelta(days=KEY_DATES_DAYS)
    coming = [n for d, r in p.key_dates if on <= (n := _next_occurrence(d, r, on)) <= key_by]
    return _Derived(
        True,
        age_on(p.dob, on) if p.dob <= on else 0,
        tuple(due),
        review_due_on(p.review_date, p.last_reviewed, p.plan_last_agreed),
        min(coming, default=None),
    )


def _figures(
    people: Sequence[PersonFacts],
    on: date,
    returns: dict[str, ReturnRow],
    derived: dict[str, _Derived],
) -> tuple:
    year_start, year_end = return_year(on)
    living = [p for p in people if derived[p.id].in_service]
    ages = {p.id: derived[p.id].age for p in living}
    out: list[Figure] = []

    def add(
        key: str,
        label: str,
        how: str,
        chosen: Iterable[tuple[PersonFacts, date | None]],
        *,
        of: int | None = None,
        date_label: str = "",
    ) -> None:
        chosen = list(chosen)
        out.append(
            Figure(
                key,
                label,
                tuple(p.id for p, _ in chosen),
                how,
                of,
                {p.id: d for p, d in chosen},
                date_label,
            )
        )

    _week_figures(add, living, on, derived)

    for key, label, lo, hi in (
        ("age_16_17", "Aged 16–17", 16, 17),
        ("age_18_20", "Aged 18–20", 18, 20),
        ("age_21_24", "Aged 21–24", 21, 24),
    ):
        add(
            key,
            label,
            f"Age on {_d(on)} from the date of birth; a 29 February birthday "
            "counts from 1 March in other years. People recorded as having died are not "
            "counted.",
            ((p, p.dob) for p in living if lo <= ages[p.id] <= hi),
            date_label="Date of birth",
        )
    add(
        "age_other",
        "Under 16",
        f"Younger than 16 on {_d(on)} (a plan may start at 15½).",
        ((p, p.dob) for p in living if ages[p.id] < 16),
        date_label="Date of birth",
    )

    young = [p for p in living if 16 <= ages[p.id] <= 17]
    past_due = [p for p in young if plan_due_by(p.dob) < on]
    in_time = [
        p
        for p in past_due
        if p.plan_first_agreed is not None and p.plan_first_agreed <= plan_due_by(p.dob)
    ]
    add(
        "plan_by_16q",
        "Plan in place by 16¼",
        f"Of the {len(past_due)} aged 16–17 whose 16¼ date (16th birthday + 3 months) has "
        "passed, those whose first pathway plan was agreed on or before it.",
        ((p, p.plan_first_agreed) for p in in_time),
        of=len(past_due),
        date_label="First plan agreed",
    )
    add(
        "plan_late",
        "No plan by 16¼",
        "Aged 16–17, 16¼ date passed, and no plan agreed by then (agreed later, or not yet).",
        ((p, plan_due_by(p.dob)) for p in past_due if p not in in_time),
        of=len(past_due),
        date_label="Plan was due",
    )

    def overdue(p: PersonFacts, kinds: set[DueKind]) -> date | None:
        return next((d.due for d in derived[p.id].due if d.kind in kinds and d.overdue), None)

    add(
        "needs_assessment_overdue",
        "Needs assessments overdue",
        "Under 18, no needs assessment recorded, and more than 3 months past the 16th birthday.",
        ((p, d) for p in living if (d := overdue(p, {DueKind.NEEDS_ASSESSMENT})) is not None),
        date_label="Was due",
    )

    reviews = {p.id: derived[p.id].review for p in living}
    add(
        "review_overdue",
        "Plan reviews overdue",
        "Review date passed: the date set on the plan, else 6 months after the later of the "
        "last review and the last agreement (as the caseload shows it).",
        ((p, r) for p in living if (r := reviews[p.id]) is not None and is_overdue(r, on)),
        date_label="Review was due",
    )
    soon = on + timedelta(days=REVIEW_SOON_DAYS)
    add(
        "review_due_30",
        "Plan reviews due within 30 days",
        f"Review due from today to {_d(soon)}, counted as for overdue reviews.",
        ((p, r) for p in living if (r := reviews[p.id]) is not None and on <= r <= soon),
        date_label="Review due",
    )

    add(
        "no_contact_8_weeks",
        "No contact for 8 weeks",
        f"Last contact of any kind (as corrected by amendments) more than {NO_CONTACT_DAYS} "
        "days ago, or no contact recorded.",
        (
            (p, p.last_contact)
            for p in living
            if p.last_contact is None or (on - p.last_contact).days > NO_CONTACT_DAYS
        ),
        date_label="Last contact",
    )
    add(
        "visit_overdue",
        "Visits overdue",
        "Last visit more than 2 months ago (8 weeks in custody). Someone never visited is due "
        "a visit today and is not yet counted as overdue (as in the caseload).",
        (
            (p, d)
            for p in living
            if (d := overdue(p, {DueKind.VISIT, DueKind.CUSTODY_VISIT})) is not None
        ),
        date_label="Visit was due",
    )

    return_figures(add, [returns[p.id] for p in people if p.id in returns], people, on)

    plus = [p for p in living if ages[p.id] >= 21]
    add(
        "plus21_contacted",
        "21Plus contacted this year",
        f"Of the {len(plus)} aged 21–24, those with at least one contact since {_d(year_start)}.",
        ((p, p.last_contact) for p in plus if p.contacts_this_year >= 1),
        of=len(plus),
        date_label="Last contact",
    )
    add(
        "plus21_two_contacts",
        "21Plus with 2+ contacts this year",
        f"Of the {len(plus)} aged 21–24, those with two or more contacts since {_d(year_start)}.",
        ((p, p.last_contact) for p in plus if p.contacts_this_year >= 2),
        of=len(plus),
        date_label="Last contact",
    )

    add(
        "in_custody",
        "In custody",
        "Recorded as in custody.",
        ((p, p.release_date) for p in living if p.in_custody),
        date_label="Release date",
    )
    release_by = on + timedelta(days=RELEASE_SOON_DAYS)
    add(
        "release_90",
        "Released within 90 days",
        f"In custody with a release date from today to {_d(release_by)}.",
        (
            (p, p.release_date)
            for p in living
            if p.in_custody and p.release_date is not None and on <= p.release_date <= release_by
        ),
        date_label="Release date",
    )

    key_by = on + timedelta(days=KEY_DATES_DAYS)
    add(
        "key_dates_14",
        "Key dates in the next 14 days",
        f"A key date (birthday, festival, anniversary...) from today to {_d(key_by)}; yearly "
        "ones by their next anniversary.",
        ((p, d) for p in living if (d := derived[p.id].next_key_date) is not None),
        date_label="Next key date",
    )
    add(
        "conflicts",
        "Open sync conflicts",
        f"Young people with a change that clashed in sync and waits for a person to decide "
        f"({sum(p.conflicts for p in people)} in all).",
        ((p, None) for p in people if p.conflicts),
    )
    add(
        "died",
        "Recorded as died",
        "A care-leaver recording says DIED; left out of the other figures but the return's.",
        ((p, None) for p in people if p.died),
    )
    return tuple(out), year_end


def _week_figures(add, living: list[PersonFacts], on: date, derived: dict[str, _Derived]) -> None:  # type: ignore[no-untyped-def]
    """The "This week" area: what is due or overdue by the end of the next 7 days. Each counts
    as its wider figure does (visits and reviews overdue, key dates), only to a nearer day."""
    by = on + timedelta(days=WEEK_DAYS)
    until = f"on or before {_d(by)} (today and the next {WEEK_DAYS} days)"

    def visit_due(p: PersonFacts) -> date | None:
        kinds = {DueKind.VISIT, DueKind.CUSTODY_VISIT}
        return next((d.due for d in derived[p.id].due if d.kind in kinds and d.due <= by), None)

    add(
        "week_visits",
        "Visits due this week or overdue",
        f"Next visit due {until}, or already overdue: 2 months after the last visit (8 weeks "
        "in custody); someone never visited is due today.",
        ((p, d) for p in living if (d := visit_due(p)) is not None),
        date_label="Visit due",
    )
    add(
        "week_reviews",
        "Plan reviews due this week or overdue",
        f"Review due {until}, or already overdue, counted as for overdue reviews.",
        ((p, r) for p in living if (r := derived[p.id].review) is not None and r <= by),
        date_label="Review due",
    )
    late = {p.id: [d for d in p.action_dates if is_overdue(d, on)] for p in living}
    n = sum(map(len, late.values()))
    add(
        "actions_overdue",
        "Plan actions overdue",
        "Young people with an action in their working plan that is neither done nor dropped "
        "and whose by-when date has passed (one due today is not yet overdue; one with no "
        f"date never is); the date is the earliest ({n} action{'' if n == 1 else 's'} in all).",
        ((p, min(late[p.id])) for p in living if late[p.id]),
        date_label="Action was due",
    )
    add(
        "week_key_dates",
        "Key dates this week",
        f"A key date (birthday, festival, anniversary...) from today to {_d(by)}; yearly ones "
        "by their next anniversary.",
        ((p, d) for p in living if (d := derived[p.id].next_key_date) is not None and d <= by),
        date_label="Next key date",
    )


def _birthday(p: PersonFacts, n: int) -> date:
    return birthday_in_year(p.dob, p.dob.year + n)


def dashboard(people: Iterable[PersonFacts], on: date) -> Dashboard:
    """The team's figures and each adviser's, on the day ``on``."""
    people = list(people)
    returns = {r.id: r for p in people if (r := person_row(p, on)) is not None}
    derived = {p.id: _derive(p, on) for p in people}
    team, _ = _figures(people, on, returns, derived)
    by_adviser: dict[str, list[PersonFacts]] = {}
    for p in people:
        by_adviser.setdefault(p.adviser.strip() or NOT_ALLOCATED, []).append(p)
    names = sorted(by_adviser, key=lambda n: (n == NOT_ALLOCATED, n.casefold()))
    advisers = tuple(FigureSet(n, _figures(by_adviser[n], on, returns, derived)[0]) for n in names)
    return Dashboard(
        on=on,
        year=return_year(on),
        team=FigureSet(None, team),
        advisers=advisers,
        people={p.id: p for p in people},
        returns=returns,
    )


@dataclass(frozen=True)
class DrillRow:
    """One young person behind a figure."""

    id: str
    name: str
    legal_name: str
    adviser: str
    age: int
    when: date | None  # the date that put them in the figure (see ``Figure.date_label``)


def drill_down(board: Dashboard, figure: Figure) -> tuple[DrillRow, ...]:
    """The young people behind ``figure``, most pressing date first (undated last)."""
    rows = []
    for ident in figure.ids:
        p = board.people[ident]
        age = age_on(p.dob, board.on) if p.dob <= board.on else 0
        rows.append(DrillRow(p.id, p.name, p.legal_name, p.adviser, age, figure.dates.get(ident)))
    rows.sort(key=lambda r: (r.when is None, r.when or date.min, r.name.casefold()))
    return tuple(rows)


def figures_csv(board: Dashboard) -> str:
    """Every figure, for the team and each adviser, as CSV: counts and how each was counted,
    no young person's details (those are in the lists, :func:`list_csv`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("Whose", "Figure", "Number", "Out of", "How it was counted", "Counted on"))
    for figures in (board.team, *board.advisers):
        for f in figures.figures:
            writer.writerow(
                (
                    figures.title,
                    f.label,
                    f.count,
                    "" if f.of is None else f.of,
                    f.how,
                    board.on.isoformat(),
                )
            )
    return out.getvalue()


def list_csv(board: Dashboard, figure: Figure) -> str:
    """The young people behind ``figure`` as CSV (personal data: the caller audits it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        (
            "Young person id",
            "Name",
            "Legal name",
            "Allocated adviser",
            "Age",
            figure.date_label or "Date",
        )
    )
    for r in drill_down(board, figure):
        writer.writerow(
            (r.id, r.name, r.legal_name, r.adviser, r.age, r.when.isoformat() if r.when else "")
        )
    return out.getvalue()


# -- what the charts draw ---------------------------------------------------------------------


def _scope(board: Dashboard, adviser: str | None) -> list[PersonFacts]:
    people = list(board.people.values())
    if adviser is None:
        return people
    return [p for p in people if (p.adviser.strip() or NOT_ALLOCATED) == adviser]


def contacts_per_month(board: Dashboard, adviser: str | None = None) -> list[int]:
    """Contacts in each of the last 12 calendar months (oldest first, this month so far last)
    with the team's young people, or one adviser's."""
    totals = [0] * 12
    for p in _scope(board, adviser):
        for i, n in enumerate(p.contacts_by_month[-12:]):
            totals[i + 12 - len(p.contacts_by_month[-12:])] += n
    return totals


def reviews_by_week(
    board: Dashboard, adviser: str | None = None, weeks: int = 12
) -> tuple[int, list[int]]:
    """``(overdue, [due in week 1, week 2, ...])``: plan reviews already overdue, and those due
    in each of the next ``weeks`` weeks (week 1 starts today), as the review figures count."""
    on = board.on
    overdue, per_week = 0, [0] * weeks
    for p in _scope(board, adviser):
        if p.died or on >= _birthday(p, AGE_OUT):
            continue
        due = review_due_on(p.review_date, p.last_reviewed, p.plan_last_agreed)
        if due is None:
            continue
        if is_overdue(due, on):
            overdue += 1
        elif (week := (due - on).days // 7) < weeks:
            per_week[week] += 1
    return overdue, per_week
