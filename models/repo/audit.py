"""The local audit trail: who unlocked, viewed, printed, exported or synced what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.repo.changes import actor
from models.schema import AuditEvent


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    young_person_id: str | None
    detail: str


def record_event(
    s: Session, action: str, young_person_id: str | None = None, detail: str = ""
) -> None:
    """Append one event. ``detail`` says what was done, never what a record says."""
    s.add(AuditEvent(actor=actor(s), action=action, young_person_id=young_person_id, detail=detail))


def recent_events(s: Session, limit: int = 200) -> list[AuditEntry]:
    rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
    return [AuditEntry(r.at, r.actor, r.action, r.young_person_id, r.detail) for r in rows]
