"""Reading what the team dashboard needs: every young person's facts in a few set-based
queries (never one query per person), in one read session. The figures themselves are
computed by :mod:`models.team_figures`, which touches no store."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from models.birthday_return import ReturnRow, worklist
from models.care_leaver_return import return_year
from models.domain import ActionStatus
from models.merge_conflicts import open_conflicts
from models.repo.care_leaver_facts import facts_by_young_person
from models.repo.young_people import last_times
from models.schema import (
    ContactNote,
    KeyDate,
    Plan,
    PlanAction,
    PlanSection,
    PlanVersion,
    YoungPerson,
)
from models.team_figures import Dashboard, PersonFacts, dashboard


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


MONTHS = 12


def month_starts(on: date, months: int = MONTHS) -> list[date]:
    """The first days of the last ``months`` calendar months, oldest first, this one last.
    Twelve always reach back to the return year's start (1 April), so its contacts are summed
    from these months."""
    out, year, month = [], on.year, on.month
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _contacts_by_month(s: Session, on: date) -> dict[str, tuple[int, ...]]:
    """{young person: contacts in each of the last 12 calendar months, oldest first}, each
    contact once as its latest amendment says (an amendment replaces the note it corrects).

    Twelve counts per young person, each a range on the covering (young person, time) index:
    only the last year's part of the index is read, never the notes, and nothing is sorted.
    Then the few notes an amendment replaced are taken off."""
    months = month_starts(on)
    bounds = [datetime.combine(m, time.min, UTC) for m in months]
    bounds.append(datetime.combine(on + timedelta(days=1), time.min, UTC))
    n = aliased(ContactNote)
    per_month = [
        select(func.count())
        .where(n.young_person_id == YoungPerson.id, n.occurred_at >= lo, n.occurred_at < hi)
        .scalar_subquery()
        for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]
    counts = {
        row[0]: list(row[1:])
        for row in s.execute(select(YoungPerson.id, *per_month))
        if any(row[1:])
    }
    replaced = select(ContactNote.amends_id).where(ContactNote.amends_id.is_not(None))
    q = select(n.young_person_id, n.occurred_at).where(
        n.id.in_(replaced), n.occurred_at >= bounds[0], n.occurred_at < bounds[-1]
    )
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    for yp, when in s.execute(q):
        counts[yp][index[(when.year, when.month)]] -= 1
    return {yp: tuple(c) for yp, c in counts.items()}


def _plan_dates(s: Session) -> dict[str, tuple[date | None, date | None, date | None, date | None]]:
    """{young person: (review date set, last reviewed, first agreed, last agreed)}: the
    agreements from the covering (young person, agreed on) index, never the snapshots."""
    agreed = {
        yp: (_as_date(first), _as_date(last))
        for yp, first, last in s.execute(
            select(
                PlanVersion.young_person_id,
                func.min(PlanVersion.agreed_on),
                func.max(PlanVersion.agreed_on),
            ).group_by(PlanVersion.young_person_id)
        )
    }
    out = {}
    q = select(Plan.young_person_id, Plan.review_date, Plan.last_reviewed_on)
    for yp, review, reviewed in s.execute(q):
        first, last = agreed.get(yp, (None, None))
        out[yp] = (review, reviewed, first, last)
    for yp, (first, last) in agreed.items():  # versions synced before their plan row
        out.setdefault(yp, (None, None, first, last))
    return out


def _key_dates(s: Session) -> dict[str, list[tuple[date, bool]]]:
    q = select(KeyDate.young_person_id, KeyDate.on_date, KeyDate.recurring).where(
        KeyDate.deleted.is_(False)
    )
    out: dict[str, list[tuple[date, bool]]] = {}
    for yp, on_date, recurring in s.execute(q):
        out.setdefault(yp, []).append((on_date, bool(recurring)))
    return out


def _open_action_dates(s: Session) -> dict[str, list[date]]:
    """{young person: by-when dates of their working plan's actions that are neither done nor
    dropped}: as the plan tab shows them (not removed, in one of their plan's sections)."""
    q = (
        select(PlanAction.young_person_id, PlanAction.by_when)
        .join(PlanSection, PlanSection.id == PlanAction.section_id)
        .join(Plan, Plan.id == PlanSection.plan_id)
        .where(
            PlanAction.deleted.is_(False),
            PlanAction.by_when.is_not(None),
            PlanAction.status.not_in((ActionStatus.DONE.value, ActionStatus.DROPPED.value)),
            PlanSection.young_person_id == PlanAction.young_person_id,
            Plan.young_person_id == PlanAction.young_person_id,
        )
    )
    out: dict[str, list[date]] = {}
    for yp, by_when in s.execute(q):
        if by_when is not None:  # never: the query asks for dated ones only
            out.setdefault(yp, []).append(by_when)
    return out


def people_facts(s: Session, on: date) -> list[PersonFacts]:
    """Every young person in the store (not removed), with what the dashboard counts."""
    year_start, _ = return_year(on)
    times = last_times(s)
    plans = _plan_dates(s)
    monthly = _contacts_by_month(s, on)
    # The return year starts on 1 April, always one of the twelve months counted.
    year_from = month_starts(on).index(year_start)
    keys = _key_dates(s)
    actions = _open_action_dates(s)
    facts = facts_by_young_person(s)
    clashes = Counter(c.young_person_id for c in open_conflicts(s) if c.young_person_id)
    q = select(
        YoungPerson.id,
        YoungPerson.preferred_name,
        YoungPerson.legal_name,
        YoungPerson.allocated_pa,
        YoungPerson.date_of_birth,
        YoungPerson.in_custody,
        YoungPerson.release_date,
        YoungPerson.needs_assessment_done,
    ).where(YoungPerson.deleted.is_(False))
    out = []
    for ident, name, legal, adviser, dob, custody, release, assessed in s.execute(q):
        review, reviewed, first, last = plans.get(ident, (None, None, None, None))
        contact, visit = times.get(ident, (None, None))
        out.append(
            PersonFacts(
                id=ident,
                name=name,
                legal_name=legal,
                adviser=adviser or "",
                dob=dob,
                in_custody=bool(custody),
                release_date=release,
                needs_assessment_done=assessed,
                plan_first_agreed=first,
                plan_last_agreed=last,
                last_reviewed=reviewed,
                review_date=review,
                last_contact=_as_date(contact),
                last_visit=_as_date(visit),
                contacts_this_year=sum(monthly.get(ident, ())[year_from:]),
                contacts_by_month=monthly.get(ident, ()),
                key_dates=tuple(keys.get(ident, ())),
                action_dates=tuple(sorted(actions.get(ident, ()))),
                conflicts=clashes.get(ident, 0),
                facts=facts.get(ident, ()),
            )
        )
    return out


def load_dashboard(s: Session, on: date | None = None) -> Dashboard:
    """The team dashboard on ``on`` (today by default). Runs on a read worker."""
    on = on or date.today()
    return dashboard(people_facts(s, on), on)


def load_return_worklist(s: Session, on: date | None = None) -> list[ReturnRow]:
    """This year's birthday-return worklist (see :mod:`models.birthday_return`)."""
    on = on or date.today()
    return worklist(people_facts(s, on), on)
