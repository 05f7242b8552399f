"""Whom to call in an emergency: what the first page of every printed plan shows.

A third of care leavers told Ofsted they did not know whom to contact in an emergency, so the
plan's first page names their personal adviser, the council's out-of-hours service, the people
they chose as emergency contacts, and the national lines that answer day and night.

The council's out-of-hours service is read from the store's meta keys (set in the app under
Settings, and in demo stores by the generator). Until it is set, the plan says to ask the
adviser for the number: a made-up number on a young person's emergency page would be worse
than none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.domain import OUT_OF_HOURS_NAME_KEY, OUT_OF_HOURS_PHONE_KEY
from models.records import Person, YoungPersonRecord

DEFAULT_OUT_OF_HOURS_NAME = "Emergency Duty Team"
NO_OUT_OF_HOURS_PHONE = "Ask your personal adviser for this number"


@dataclass(frozen=True)
class NationalLine:
    name: str
    number: str
    when: str


NATIONAL_LINES = (
    NationalLine("In danger right now", "999", "Police, ambulance or fire, any time"),
    NationalLine("Urgent health worry", "111", "NHS 111, free, day or night"),
    NationalLine("Need to talk", "116 123", "Samaritans, free, day or night"),
)


@dataclass(frozen=True)
class EmergencyInfo:
    """Everything the "whom to call" box needs. Built by :func:`emergency_info`."""

    adviser_name: str
    adviser_phone: str
    adviser_email: str
    out_of_hours_name: str
    out_of_hours_phone: str
    people: tuple[Person, ...]  # the young person's chosen emergency contacts
    national: tuple[NationalLine, ...] = NATIONAL_LINES


def emergency_info(record: YoungPersonRecord, meta: Mapping[str, str]) -> EmergencyInfo:
    """The emergency contacts for ``record``; ``meta`` is ``services.out_of_hours()``."""
    p = record.profile
    return EmergencyInfo(
        adviser_name=p.allocated_pa or "Your leaving care team",
        adviser_phone=p.allocated_pa_phone,
        adviser_email=p.allocated_pa_email,
        out_of_hours_name=meta.get(OUT_OF_HOURS_NAME_KEY) or DEFAULT_OUT_OF_HOURS_NAME,
        out_of_hours_phone=meta.get(OUT_OF_HOURS_PHONE_KEY) or "",
        people=tuple(person for person in record.people if person.is_emergency_contact),
    )


def load_emergency(store, record: YoungPersonRecord) -> EmergencyInfo:
    """:func:`emergency_info` with the team's out-of-hours service (reads the store; call it
    off the GUI thread)."""
    from models.repo.services import out_of_hours

    with store.reader() as s:
        return emergency_info(record, out_of_hours(s))
