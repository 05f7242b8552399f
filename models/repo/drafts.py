"""Drafts: unsaved edits kept as they are typed, so a crash or a lock loses nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.schema import Draft, utcnow


def save_draft(s: Session, key: str, payload: dict[str, Any]) -> None:
    s.merge(Draft(key=key, payload=payload, updated_at=utcnow()))


def load_draft(s: Session, key: str) -> dict[str, Any] | None:
    d = s.get(Draft, key)
    return dict(d.payload) if d else None


def discard_draft(s: Session, key: str) -> None:
    s.execute(delete(Draft).where(Draft.key == key))


def list_drafts(s: Session, prefix: str = "") -> dict[str, dict[str, Any]]:
    rows = s.scalars(select(Draft).where(Draft.key.startswith(prefix)))
    return {d.key: dict(d.payload) for d in rows}
