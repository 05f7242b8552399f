"""Team-wide services printed on every plan (the out-of-hours service): a synced record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.domain import OUT_OF_HOURS_NAME_KEY, OUT_OF_HOURS_PHONE_KEY
from models.registry import OUT_OF_HOURS_ID
from models.repo import changes
from models.schema import TeamService


def out_of_hours(s: Session) -> dict[str, str]:
    """``{OUT_OF_HOURS_NAME_KEY: name, OUT_OF_HOURS_PHONE_KEY: phone}``; only what is set."""
    row = s.get(TeamService, OUT_OF_HOURS_ID)
    if row is None or row.deleted:
        return {}
    out = {OUT_OF_HOURS_NAME_KEY: row.name, OUT_OF_HOURS_PHONE_KEY: row.phone}
    return {k: v for k, v in out.items() if v}


def set_out_of_hours(s: Session, *, name: str, phone: str) -> list[str]:
    """Set the team's out-of-hours service (checked by the record type's rules)."""
    row = s.get(TeamService, OUT_OF_HOURS_ID)
    if row is None:
        changes.create(s, TeamService, id=OUT_OF_HOURS_ID, name=name, phone=phone)
        return ["name", "phone"]
    return changes.change(s, row, frozenset({"name", "phone"}), name=name, phone=phone)
