"""Open sync conflicts as a person reads them: whose record, which record, both sides with who,
on which device and when. Built on :func:`models.merge_conflicts.open_conflicts` (what is open,
the same on every device); this adds what a screen needs to say it in plain words. Read-only;
runs on a worker thread in a ``Store.reader()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import merge_conflicts, registry
from models.hlc import parse_stamp
from models.registry import Kind, split_element
from models.repo.changes import SEEN_KEY
from models.schema import Base, ChangeLog, DeviceIdentity, YoungPerson

# The column that names a record of each kind in a sentence ("Aunt Sara", "Book the GP").
_TITLE_COLUMNS = {
    "important_people": ("name",),
    "plan_actions": ("what",),
    "key_dates": ("label",),
    "documents": ("title", "filename"),
    "memory_items": ("caption", "filename"),
    "plan_sections": ("matter",),
    "team_services": ("name",),
}


@dataclass(frozen=True)
class ConflictSide:
    """One version of the field: its wire value, who wrote it, on which device, when."""

    value: Any
    by: str  # the author's display name as the change log has it; "" if not known
    device: str  # the node id in the version's stamp; "" if not known
    at_ms: int  # when it was written (ms since the epoch, UTC); 0 if not known
    this_device: bool  # written on this device


@dataclass(frozen=True)
class ConflictDetail:
    id: str
    table: str
    row_id: str
    young_person_id: str | None
    young_person_name: str  # preferred name ("" for a team-wide record)
    field: str  # a field, or ``name[element]`` of a checklist or list
    field_kind: str  # the field's wire kind (registry.Kind); "element" for name[element]
    record_title: str  # what names the record ("Aunt Sara"; a plan section's matter)
    current: ConflictSide  # what the record shows now (it won for the moment)
    other: ConflictSide  # the version kept for a person to decide
    removal: bool  # the other side removed the record; current keeps it
    free_text: bool = False  # a text field with no short limit (a goal, a summary, notes)
    # For a removal kept back: the fields changed since, that the removal had not seen.
    changed_since_removal: tuple[str, ...] = ()

    @property
    def combinable(self) -> bool:
        """Whether a person may write a value from both sides (free text only)."""
        return self.free_text and not self.removal and self.field != "deleted"


def count_open_conflicts(s: Session, young_person_id: str | None = None) -> int:
    return len(merge_conflicts.open_conflicts(s, young_person_id))


def conflict_details(s: Session, young_person_id: str | None = None) -> list[ConflictDetail]:
    """Open conflicts (of one young person, or all), grouped by young person (by name), each
    person's oldest clash first."""
    views = merge_conflicts.open_conflicts(s, young_person_id)
    ident = s.get(DeviceIdentity, 1)
    mine = {ident.node_id, *ident.retired_nodes} if ident is not None else set()
    names = _names(s, {v.young_person_id for v in views if v.young_person_id})
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    out = []
    for v in views:
        if (v.table, v.row_id) not in rows:
            rows[(v.table, v.row_id)] = _row(s, v.table, v.row_id)
        row = rows[(v.table, v.row_id)]
        name, element = split_element(v.field)
        spec = registry.record_type(v.table).fields[name]
        spec = registry.record_type(v.table).fields[name]
        kind = "element" if element is not None else str(spec.kind)
        stamps = row.get("stamps") or {}
        current_stamp = _current_stamp(stamps, v.field, v.removal)
        unseen = tuple(sorted({split_element(k)[0] for k in _unseen(stamps)})) if v.removal else ()
        current = _side(s, v, v.current, current_stamp, mine)
        other = ConflictSide(
            v.other, v.other_by, v.other_device, v.other_at_ms, v.other_device in mine
        )
        out.append(
            ConflictDetail(
                v.id,
                v.table,
                v.row_id,
                v.young_person_id,
                names.get(v.young_person_id or "", ""),
                v.field,
                kind,
                _title(v.table, row),
                current,
                other,
                v.removal,
                element is None and spec.kind == Kind.TEXT and spec.max_length is None,
                unseen,
            )
        )
    out.sort(key=lambda d: (d.young_person_name.casefold(), d.young_person_id or ""))
    return out


def _names(s: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    q = select(YoungPerson.id, YoungPerson.preferred_name, YoungPerson.legal_name).where(
        YoungPerson.id.in_(sorted(ids))
    )
    return {i: (preferred or legal or "") for i, preferred, legal in s.execute(q)}


def _row(s: Session, table: str, row_id: str) -> dict[str, Any]:
    t = Base.metadata.tables[table]
    found = s.execute(select(t).where(t.c.id == row_id)).mappings().first()
    return dict(found) if found is not None else {}


def _title(table: str, row: dict[str, Any]) -> str:
    for column in _TITLE_COLUMNS.get(table, ()):
        if row.get(column):
            return str(row[column])
    return ""


def _current_stamp(stamps: dict[str, Any], key: str, removal: bool) -> str:
    """The stamp of the version shown now; for a removal kept back, the newest edit the
    removal had not seen (that edit is why the record stays)."""
    if not removal:
        stamp = stamps.get(key)
        return stamp if isinstance(stamp, str) else ""
    return max(_unseen(stamps).values(), default="")


def _unseen(stamps: dict[str, Any]) -> dict[str, str]:
    """The fields (and their stamps) changed since a removal that had not seen them."""
    seen = stamps.get(SEEN_KEY) or {}
    return {
        k: v
        for k, v in stamps.items()
        if k not in ("deleted", SEEN_KEY) and isinstance(v, str) and seen.get(k) != v
    }


def _side(
    s: Session, v: merge_conflicts.ConflictView, value: Any, stamp: str, mine: set[str]
) -> ConflictSide:
    if not stamp:
        return ConflictSide(value, "", "", 0, False)
    ms, _counter, node = parse_stamp(stamp)
    return ConflictSide(value, _author(s, v.table, v.row_id, stamp), node, ms, node in mine)


def _author(s: Session, table: str, row_id: str, stamp: str) -> str:
    """Who wrote the change that carries ``stamp`` for this record (the change log knows)."""
    q = (
        select(ChangeLog.fields, ChangeLog.stamp, ChangeLog.actor)
        .where(ChangeLog.table_name == table, ChangeLog.row_id == row_id)
        .order_by(ChangeLog.seq.desc())
    )
    for fields, logged, who in s.execute(q):
        if logged is not None:  # the compact form: every field at that one stamp
            if logged == stamp:
                return str(who)
        elif any(isinstance(f, list) and len(f) > 1 and f[1] == stamp for f in fields.values()):
            return str(who)
    return ""
