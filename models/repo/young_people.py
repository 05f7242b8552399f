"""Young people: referral, profile changes, the caseload, people who matter, key dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.errors import InvalidRecord
from models.records import CaseloadRow, KeyDateView, Person, Profile
from models.repo import changes
from models.rules import (
    TWENTY_ONE_PLUS_AGE,
    Circumstances,
    DueKind,
    EetStatus,
    age_on,
    due_items,
    eligible_offers,
    is_overdue,
    review_due_on,
)
from models.schema import ContactSummary, ImportantPerson, KeyDate, Plan, PlanVersion, YoungPerson

PROFILE_FIELDS = frozenset(
    c.key
    for c in YoungPerson.__table__.columns
    if c.key not in {"id", "created_by", "created_at", "stamps", "deleted"}
)
PERSON_FIELDS = frozenset(
    {"name", "relationship", "how_to_contact", "notes", "is_emergency_contact"}
)
KEY_DATE_FIELDS = frozenset({"kind", "label", "on_date", "recurring", "plan_for_day"})


def _validate(values: dict[str, Any]) -> None:
    if "legal_name" in values and not str(values["legal_name"]).strip():
        raise InvalidRecord("Legal name cannot be empty.")
    dob = values.get("date_of_birth")
    if dob is not None and (not isinstance(dob, date) or dob > date.today()):
        raise InvalidRecord("Date of birth must be a date in the past.")
    if "eet_status" in values:
        try:
            EetStatus(values["eet_status"])
        except ValueError:
            raise InvalidRecord(
                f"Unknown education/employment status {values['eet_status']!r}."
            ) from None


def create_young_person(s: Session, *, legal_name: str, date_of_birth: date, **fields: Any) -> str:
    """A new young person (a referral). ``preferred_name`` defaults to the legal name."""
    fields.setdefault("preferred_name", legal_name)
    values = {"legal_name": legal_name, "date_of_birth": date_of_birth, **fields}
    unknown = set(values) - PROFILE_FIELDS - {"id"}
    if unknown:
        raise InvalidRecord(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    _validate(values)
    yp = changes.create(s, YoungPerson, **values)
    s.flush()
    return yp.id


def update_young_person(s: Session, young_person_id: str, **fields: Any) -> list[str]:
    _validate(fields)
    yp = changes.get(s, YoungPerson, young_person_id, "young person")
    return changes.change(s, yp, PROFILE_FIELDS, **fields)


def circumstances_of(yp: YoungPerson) -> Circumstances:
    try:
        eet = EetStatus(yp.eet_status)
    except ValueError:
        eet = EetStatus.UNKNOWN
    return Circumstances(
        in_custody=yp.in_custody,
        is_parent=yp.is_parent,
        expecting_child=yp.expecting_child,
        uasc=yp.uasc,
        eet_status=eet,
    )


def _badges(yp: YoungPerson, age: int) -> tuple[str, ...]:
    badges = []
    if yp.in_custody:
        badges.append("custody")
    if age >= TWENTY_ONE_PLUS_AGE:
        badges.append("21plus")
    if yp.is_parent:
        badges.append("parent")
    if yp.expecting_child:
        badges.append("expecting")
    if yp.uasc:
        badges.append("uasc")
    return tuple(badges)


def last_times(s: Session, yp_id: str | None = None) -> dict[str, tuple[Any, Any]]:
    """{young person: (last contact, last visit)} from the trigger-kept summary."""
    q = select(
        ContactSummary.young_person_id, ContactSummary.last_contact, ContactSummary.last_visit
    )
    if yp_id is not None:
        q = q.where(ContactSummary.young_person_id == yp_id)
    return {yp: (contact, visit) for yp, contact, visit in s.execute(q)}


def plan_dates(s: Session, yp_id: str | None = None):
    """{young person: (review_date, last_reviewed_on, latest agreed_on)}."""
    latest = select(
        PlanVersion.young_person_id, func.max(PlanVersion.agreed_on).label("agreed_on")
    ).group_by(PlanVersion.young_person_id)
    if yp_id is not None:  # SQLite does not push the outer filter into the grouping
        latest = latest.where(PlanVersion.young_person_id == yp_id)
    agreed = latest.subquery()
    q = select(
        Plan.young_person_id, Plan.review_date, Plan.last_reviewed_on, agreed.c.agreed_on
    ).outerjoin(agreed, agreed.c.young_person_id == Plan.young_person_id)
    if yp_id is not None:
        q = q.where(Plan.young_person_id == yp_id)
    out = {}
    for yp, review, reviewed, agreed_on in s.execute(q):
        agreed_date = date.fromisoformat(agreed_on) if isinstance(agreed_on, str) else agreed_on
        out[yp] = (review, reviewed, agreed_date)
    return out


def caseload(s: Session, on: date | None = None) -> list[CaseloadRow]:
    """Every young person in the store, with what the caseload table shows. Three queries."""
    on = on or date.today()
    times = last_times(s)
    plans = plan_dates(s)
    rows = []
    people = s.scalars(select(YoungPerson).where(YoungPerson.deleted.is_(False)))
    for yp in people:
        age = age_on(yp.date_of_birth, on) if yp.date_of_birth <= on else 0
        review, reviewed, agreed = plans.get(yp.id, (None, None, None))
        next_review = review_due_on(review, reviewed, agreed)
        contact, visit = times.get(yp.id, (None, None))
        due = due_items(
            yp.date_of_birth,
            circumstances=circumstances_of(yp),
            plan_agreed_on=agreed,
            last_review=reviewed,
            last_visit=visit.date() if visit else None,
            needs_assessment_done=yp.needs_assessment_done,
            on=on,
        )
        visit_item = next(
            (d for d in due if d.kind in (DueKind.VISIT, DueKind.CUSTODY_VISIT)), None
        )
        rows.append(
            CaseloadRow(
                id=yp.id,
                preferred_name=yp.preferred_name,
                legal_name=yp.legal_name,
                date_of_birth=yp.date_of_birth,
                age=age,
                circumstances=_badges(yp, age),
                allocated_pa=yp.allocated_pa,
                next_review=next_review,
                last_contact=contact,
                last_visit=visit,
                visit_due=visit_item.due if visit_item else on,
                visit_overdue=bool(visit_item and visit_item.overdue),
                review_overdue=bool(next_review and is_overdue(next_review, on)),
                due=tuple(due),
            )
        )
    rows.sort(key=lambda r: r.preferred_name.casefold())
    return rows


def load_profile(s: Session, young_person_id: str, on: date | None = None) -> Profile:
    on = on or date.today()
    yp = changes.get(s, YoungPerson, young_person_id, "young person")
    review, reviewed, agreed = plan_dates(s, yp.id).get(yp.id, (None, None, None))
    _contact, visit = last_times(s, yp.id).get(yp.id, (None, None))
    circ = circumstances_of(yp)
    return Profile(
        **{name: getattr(yp, name) for name in PROFILE_FIELDS if name != "languages"},
        id=yp.id,
        languages=tuple(yp.languages or ()),
        age=age_on(yp.date_of_birth, on) if yp.date_of_birth <= on else 0,
        offers=tuple(eligible_offers(yp.date_of_birth, circ, on)),
        due=tuple(
            due_items(
                yp.date_of_birth,
                circumstances=circ,
                plan_agreed_on=agreed,
                last_review=reviewed,
                last_visit=visit.date() if visit else None,
                needs_assessment_done=yp.needs_assessment_done,
                on=on,
            )
        ),
    )


def young_person_exists(s: Session, young_person_id: str) -> bool:
    yp = s.get(YoungPerson, young_person_id)
    return yp is not None and not yp.deleted


# -- people who matter ----------------------------------------------------------------------


def add_person(s: Session, young_person_id: str, *, name: str, **fields: Any) -> str:
    if not name.strip():
        raise InvalidRecord("Give the person's name.")
    changes.get(s, YoungPerson, young_person_id, "young person")
    p = changes.create(s, ImportantPerson, young_person_id=young_person_id, name=name, **fields)
    return p.id


def update_person(s: Session, person_id: str, **fields: Any) -> list[str]:
    p = changes.get(s, ImportantPerson, person_id, "person")
    return changes.change(s, p, PERSON_FIELDS, **fields)


def remove_person(s: Session, person_id: str) -> None:
    changes.tombstone(s, changes.get(s, ImportantPerson, person_id, "person"))


def list_people(s: Session, young_person_id: str) -> tuple[Person, ...]:
    q = (
        select(ImportantPerson)
        .where(ImportantPerson.young_person_id == young_person_id)
        .where(ImportantPerson.deleted.is_(False))
        .order_by(ImportantPerson.is_emergency_contact.desc(), ImportantPerson.name)
    )
    return tuple(
        Person(p.id, p.name, p.relationship, p.how_to_contact, p.notes, p.is_emergency_contact)
        for p in s.scalars(q)
    )


# -- key dates ------------------------------------------------------------------------------


def add_key_date(
    s: Session, young_person_id: str, *, kind: str, label: str, on_date: date, **fields: Any
) -> str:
    changes.get(s, YoungPerson, young_person_id, "young person")
    k = changes.create(
        s,
        KeyDate,
        young_person_id=young_person_id,
        kind=kind,
        label=label,
        on_date=on_date,
        **fields,
    )
    return k.id


def update_key_date(s: Session, key_date_id: str, **fields: Any) -> list[str]:
    k = changes.get(s, KeyDate, key_date_id, "key date")
    return changes.change(s, k, KEY_DATE_FIELDS, **fields)


def remove_key_date(s: Session, key_date_id: str) -> None:
    changes.tombstone(s, changes.get(s, KeyDate, key_date_id, "key date"))


def list_key_dates(s: Session, young_person_id: str) -> tuple[KeyDateView, ...]:
    q = (
        select(KeyDate)
        .where(KeyDate.young_person_id == young_person_id, KeyDate.deleted.is_(False))
        .order_by(func.strftime("%m-%d", KeyDate.on_date))
    )
    return tuple(
        KeyDateView(k.id, k.kind, k.label, k.on_date, k.recurring, k.plan_for_day)
        for k in s.scalars(q)
    )


def now_utc() -> datetime:
    return datetime.now(UTC)
