"""The statutory care-leaver facts (SSDA903): record them, read them, suggest them.

Recordings are append-only (:class:`models.schema.CareLeaverFacts`): a correction or a later
birthday is a new recording, and the latest is current. Every write goes through the one write
funnel (:mod:`models.repo.changes`), which applies the return's rules for one recording.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.care_leaver_return import suggest_accommodation, suggest_activity
from models.records import CareLeaverFactsForm, CareLeaverFactsSuggestion, CareLeaverFactsView
from models.repo import changes
from models.repo.changes import actor
from models.schema import CareLeaverFacts, YoungPerson


def _view(f: CareLeaverFacts) -> CareLeaverFactsView:
    return CareLeaverFactsView(
        f.id,
        f.young_person_id,
        f.recorded_on,
        f.recorded_by,
        f.in_touch,
        f.activity,
        f.accommodation,
        f.accommodation_suitable,
        f.created_at,
    )


def record_facts(
    s: Session,
    young_person_id: str,
    *,
    recorded_on: date,
    in_touch: str,
    activity: str,
    accommodation: str,
    accommodation_suitable: bool | None,
) -> CareLeaverFactsView:
    """A new recording, by the store's owner. Codes that break the return's rules for one
    recording (unknown codes, all-or-none, DIED/RHOM means 0, YES means not 0, suitability)
    raise :class:`models.errors.InvalidRecord`."""
    changes.get(s, YoungPerson, young_person_id, "young person")
    f = changes.create(
        s,
        CareLeaverFacts,
        young_person_id=young_person_id,
        recorded_on=recorded_on,
        recorded_by=actor(s),
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
        accommodation_suitable=accommodation_suitable,
    )
    s.flush()
    return _view(f)


def _order(q):  # type: ignore[no-untyped-def]
    return q.order_by(CareLeaverFacts.recorded_on, CareLeaverFacts.created_at, CareLeaverFacts.id)


def list_facts(s: Session, young_person_id: str) -> tuple[CareLeaverFactsView, ...]:
    """Every recording for one young person, oldest first (the last is current)."""
    q = select(CareLeaverFacts).where(
        CareLeaverFacts.young_person_id == young_person_id, CareLeaverFacts.deleted.is_(False)
    )
    return tuple(_view(f) for f in s.scalars(_order(q)))


_COLUMNS = (
    CareLeaverFacts.id,
    CareLeaverFacts.young_person_id,
    CareLeaverFacts.recorded_on,
    CareLeaverFacts.recorded_by,
    CareLeaverFacts.in_touch,
    CareLeaverFacts.activity,
    CareLeaverFacts.accommodation,
    CareLeaverFacts.accommodation_suitable,
    CareLeaverFacts.created_at,
)


def facts_by_young_person(
    s: Session, young_person_ids: Iterable[str] | None = None
) -> dict[str, tuple[CareLeaverFactsView, ...]]:
    """{young person: recordings oldest first}, in one query (the dashboard and worklist);
    plain columns, no ORM objects, as it reads everyone's."""
    q = select(*_COLUMNS).where(CareLeaverFacts.deleted.is_(False))
    if young_person_ids is not None:
        q = q.where(CareLeaverFacts.young_person_id.in_(list(young_person_ids)))
    out: dict[str, list[CareLeaverFactsView]] = {}
    for row in s.execute(_order(q)):
        out.setdefault(row[1], []).append(CareLeaverFactsView(*row))
    return {k: tuple(v) for k, v in out.items()}


def suggest_facts(s: Session, young_person_id: str) -> CareLeaverFactsSuggestion:
    """Codes the profile's education/employment status and accommodation point to, so an
    adviser confirms at the birthday contact rather than types."""
    yp = changes.get(s, YoungPerson, young_person_id, "young person")
    accommodation = suggest_accommodation(
        yp.accommodation_type, yp.accommodation_suitable, in_custody=yp.in_custody
    )
    activity = suggest_activity(yp.eet_status)
    return CareLeaverFactsSuggestion(
        activity=activity.value if activity else None,
        accommodation=accommodation.accommodation.value if accommodation else None,
        accommodation_suitable=accommodation.suitable if accommodation else None,
    )


def facts_form(s: Session, young_person_id: str) -> CareLeaverFactsForm:
    """What the recording form shows: who, their date of birth, what the profile suggests and
    the recordings so far (oldest first)."""
    yp = changes.get(s, YoungPerson, young_person_id, "young person")
    return CareLeaverFactsForm(
        young_person_id,
        yp.preferred_name,
        yp.date_of_birth,
        suggest_facts(s, young_person_id),
        list_facts(s, young_person_id),
    )
