"""Creating and changing synced records: who, when, and per-field change stamps."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

from models.errors import InvalidRecord, RecordNotFound
from models.hlc import HybridClock
from models.schema import Synced, new_id

T = TypeVar("T", bound=Synced)

_BOOKKEEPING = {"id", "created_by", "created_at", "stamps"}


def actor(s: Session) -> str:
    return str(s.info.get("actor") or "unknown")


def _clock(s: Session) -> HybridClock:
    return s.info["clock"]


def create(s: Session, cls: type[T], **values: Any) -> T:
    """Add a new record; every given field gets this change's stamp."""
    stamp = _clock(s).now()
    # The id is set here, not at flush, so callers can return it without a round trip.
    columns = {"id": values.pop("id", None) or new_id(), "created_by": actor(s), **values}
    obj = cls(**columns)
    obj.stamps = {name: stamp for name in values if name not in _BOOKKEEPING}
    s.add(obj)
    return obj


def change(s: Session, obj: Synced, allowed: frozenset[str], **changes: Any) -> list[str]:
    """Set fields on ``obj``; only fields whose value really changes are stamped.

    Returns the names of the fields that changed. Unknown fields raise :class:`InvalidRecord`.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidRecord(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    stamp = _clock(s).now()
    changed = []
    stamps = dict(obj.stamps or {})
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            stamps[name] = stamp
            changed.append(name)
    if changed:
        obj.stamps = stamps  # reassign so SQLAlchemy sees the JSON change
    return changed


def tombstone(s: Session, obj: Synced) -> None:
    change(s, obj, frozenset({"deleted"}), deleted=True)


def get(s: Session, cls: type[T], ident: str, kind: str) -> T:
    obj = s.get(cls, ident)
    if obj is None or obj.deleted:
        raise RecordNotFound(kind, ident)
    return obj
