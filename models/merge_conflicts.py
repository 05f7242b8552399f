"""Open conflicts as a person sees them (both sides, who and when), and resolving one: a new
change whose bases are both sides, so it settles the conflict everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import registry
from models.change_rules import SEEN_KEY, Change
from models.errors import InvalidRecord, RecordNotFound
from models.hlc import HybridClock, parse_stamp
from models.merge_fields import reconcile_tombstone, supersede
from models.merge_rows import JSON_KINDS, assemble_sets, current_row, current_wire, sql_table
from models.registry import RecordType, decode, encode, split_element
from models.repo.changes import log_change
from models.schema import Conflict


@dataclass(frozen=True)
class ConflictView:
    """An open clash: the record's current value and the other one, with who and when."""

    id: str
    table: str
    record_label: str
    row_id: str
    young_person_id: str | None
    field: str
    current: Any
    other: Any
    other_by: str
    other_stamp: str
    other_device: str
    other_at_ms: int
    removal: bool  # the other side removed the record


def open_conflicts(s: Session, young_person_id: str | None = None) -> list[ConflictView]:
    """Open conflicts (every device lists the same), oldest clash first. A stored losing value
    equal to the current one is no clash and is not listed."""
    q = select(Conflict)
    if young_person_id is not None:
        q = q.where(Conflict.young_person_id == young_person_id)
    out = []
    rows_cache: dict[tuple[str, str], dict[str, Any] | None] = {}
    for cf in s.scalars(q):
        rt = registry.record_type(cf.table_name)
        key = (cf.table_name, cf.row_id)
        if key not in rows_cache:
            rows_cache[key] = current_row(s, sql_table(cf.table_name), cf.row_id)
        row = rows_cache[key]
        if row is None:
            continue
        current = (
            bool(row["deleted"]) if cf.field == "deleted" else current_wire(rt, row, cf.field)
        )
        removal = cf.field == "deleted" and cf.value is True and not row["deleted"]
        if current == cf.value and not removal:
            continue
        ms, _, node = parse_stamp(cf.stamp)
        out.append(
            ConflictView(
                cf.id,
                cf.table_name,
                rt.label,
                cf.row_id,
                cf.young_person_id,
                cf.field,
                current,
                cf.value,
                cf.actor,
                cf.stamp,
                node,
                ms,
                removal,
            )
        )
    out.sort(key=lambda v: (v.other_stamp, v.id))
    return out


_UNSET: Any = object()


def resolve_conflict(s: Session, conflict: str, *, keep: str, value: Any = _UNSET) -> None:
    """Settle a conflict: ``keep="current"``, ``keep="other"``, or ``keep="combined"`` with
    ``value``, a value a person wrote from both (a wire value or a Python one, checked with the
    record type's rules; :class:`InvalidRecord` if it breaks one). For a removal that met an
    edit, "current" keeps the record and "other" removes it; for a restore that lost to a
    removal, "current" keeps it removed. A removal, a checklist tick or a list element cannot
    be combined. The resolution is a change whose bases are both sides."""
    if keep not in ("current", "other", "combined"):
        raise ValueError("keep must be 'current', 'other' or 'combined'")
    if (keep == "combined") != (value is not _UNSET):
        raise ValueError("a value is given with keep='combined', and only then")
    cf = s.get(Conflict, conflict)
    if cf is None:
        raise RecordNotFound("conflict", conflict)
    rt = registry.record_type(cf.table_name)
    t = sql_table(cf.table_name)
    row = current_row(s, t, cf.row_id)
    if row is None:
        raise RecordNotFound(rt.label.lower(), cf.row_id)
    stamps: dict[str, Any] = dict(row["stamps"] or {})
    key = cf.field
    name, element = split_element(key)
    if keep == "combined":
        value = _combined_value(s, rt, row, key, value)
    clock: HybridClock = s.info["clock"]
    stamp = clock.now()
    bases = sorted({b for b in (stamps.get(key), cf.stamp) if b})
    seen = None
    values: dict[str, Any] = {}
    if key == "deleted":
        # Either side may be the removal: a removal that met an edit, or a restore that lost.
        remove = bool(cf.value) if keep == "other" else bool(row["deleted"])
        value = remove
        stamps["deleted"] = stamp
        if remove:
            seen = {k: v for k, v in stamps.items() if k not in ("deleted", SEEN_KEY)}
            stamps[SEEN_KEY] = seen
        else:
            stamps.pop(SEEN_KEY, None)
        values["deleted"] = remove
    else:
        if keep == "current":
            value = current_wire(rt, row, key)
        elif keep == "other":
            value = cf.value
        stamps[key] = stamp
        if element is not None:
            merged = dict(row)
            merged["_elements"] = {key: bool(value)}
            assemble_sets(rt, merged, stamps)
            values[name] = merged[name]
        else:
            values[name] = decode(rt.fields[name].kind, value)
    values["stamps"] = stamps
    s.execute(update(t).where(t.c.id == cf.row_id).values(**values))
    supersede(s, cf.table_name, cf.row_id, cf.young_person_id, key, bases)
    fields = {key: [value, stamp, bases]}
    if key != "deleted" and SEEN_KEY in stamps:
        # Settling a clash on a removed record is an edit its removal had not seen: the same
        # rule as on every device that applies this change (the record back, the removal asks).
        resolution = Change("", cf.table_name, cf.row_id, cf.young_person_id, "", fields)
        reconcile_tombstone(s, rt, t, cf.row_id, cf.young_person_id, resolution)
    log_change(s, cf.table_name, cf.row_id, cf.young_person_id, fields, seen=seen)


def _combined_value(
    s: Session, rt: RecordType, row: Mapping[str, Any], key: str, value: Any
) -> Any:
    """A person's combination of both sides as a wire value, checked as a local edit is: the
    field's type and length, and the record type's rules about that field."""
    name, element = split_element(key)
    if key == "deleted" or element is not None:
        raise InvalidRecord(f"{rt.label}: keep one side; this choice cannot be combined.")
    spec = rt.fields[name]
    if name in rt.immutable:
        raise InvalidRecord(f"{rt.label}: {name} cannot change once written.")
    wire = encode(spec.kind, value)
    problems = rt.check_fields({name: wire})
    if problems:
        raise InvalidRecord(" ".join(problems))
    whole = {n: row[n] for n in rt.fields if n in row and rt.fields[n].kind not in JSON_KINDS}
    whole[name] = decode(spec.kind, wire)
    registry.validate(rt.table, whole, today=s.info.get("today") or date.today(), changed=[name])
    return wire
