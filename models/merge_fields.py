"""The per-field merge of a change into a record the store has: the highest stamp is current,
every version nobody edited on top of is kept as a conflict, a removal keeps what it had seen
(see :mod:`models.merge`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from models.change_rules import SEEN_KEY, Change, Refused, conflict_id
from models.merge_log import logged_stamp
from models.merge_rows import (
    Bulk,
    Pending,
    assemble_sets,
    current_row,
    current_wire,
    new_row,
    sql_table,
)
from models.registry import Kind, RecordType, decode, split_element
from models.schema import ChangeLog, Conflict, SupersededStamp


def apply_one(s: Session, rt: RecordType, c: Change) -> int:
    t = sql_table(c.table)
    row = current_row(s, t, c.row_id)
    if row is None:
        _create(s, rt, t, c)
        return 0
    return _merge_into(s, rt, t, c, row)


def _create(s: Session, rt: RecordType, t: Table, c: Change) -> None:
    """A record this device lacks, made by a change that needs more than a bulk insert (a
    removal, or versions that replace others)."""
    Bulk.insert(s, {c.table: [Pending(c, new_row(rt, c))]})
    for key, (_v, _s, bases) in c.fields.items():
        supersede(s, c.table, c.row_id, c.young_person_id, key, bases)
    if (c.fields.get("deleted") or [False])[0]:
        reconcile_tombstone(s, rt, t, c.row_id, c.young_person_id, c)


def supersede(
    s: Session,
    table: str,
    row_id: str,
    young_person_id: str | None,
    key: str,
    bases: Sequence[str],
) -> None:
    """Record that ``bases`` were edited on top of (never a clash again) and settle any
    conflict kept for them."""
    if not bases:
        return
    for base in bases:
        s.merge(
            SupersededStamp(
                table_name=table,
                row_id=row_id,
                field=key,
                stamp=base,
                young_person_id=young_person_id,
            )
        )
    s.execute(
        delete(Conflict).where(
            Conflict.table_name == table,
            Conflict.row_id == row_id,
            Conflict.field == key,
            Conflict.stamp.in_(list(bases)),
        )
    )


def _is_superseded(s: Session, table: str, row_id: str, key: str, stamp: str) -> bool:
    return (
        s.get(
            SupersededStamp, {"table_name": table, "row_id": row_id, "field": key, "stamp": stamp}
        )
        is not None
    )


def _actor_of(
    s: Session, table: str, row_id: str, young_person_id: str | None, key: str, stamp: str
) -> str:
    """Who wrote this version of the field (a clash shows who). Local change ids begin with
    the write's stamp, so most are found by the log's unique index; else by young person."""
    by_stamp = ChangeLog.change_id.between(stamp + "/", stamp + "/\uffff")
    for where in (
        by_stamp,
        ChangeLog.young_person_id.is_(young_person_id)
        if young_person_id is None
        else ChangeLog.young_person_id == young_person_id,
    ):
        q = select(ChangeLog.fields, ChangeLog.stamp, ChangeLog.actor).where(
            where, ChangeLog.table_name == table, ChangeLog.row_id == row_id
        )
        for fields, logged, who in s.execute(q):
            if logged_stamp(fields, logged, key) == stamp:
                return str(who)
    return ""


def _keep_conflict(s: Session, c: Change, key: str, value: Any, stamp: str, who: str) -> int:
    ident = conflict_id(c.table, c.row_id, key, stamp)
    if s.get(Conflict, ident) is not None:
        return 0
    s.add(
        Conflict(
            id=ident,
            table_name=c.table,
            row_id=c.row_id,
            young_person_id=c.young_person_id,
            field=key,
            value=value,
            stamp=stamp,
            actor=who,
        )
    )
    return 1


def _merge_into(s: Session, rt: RecordType, t: Table, c: Change, row: dict[str, Any]) -> int:
    if rt.scope not in (None, "id") and row.get(rt.scope) != c.young_person_id:
        raise Refused("the record belongs to another young person here")
    stamps: dict[str, Any] = dict(row.get("stamps") or {})
    fixed = rt.immutable | (set(rt.fields) if rt.append_only else set())
    for key, (value, _stamp, _bases) in c.fields.items():
        name, _ = split_element(key)
        if name in fixed and key in stamps and value != current_wire(rt, row, key):
            raise Refused(f"{rt.label}: {name} cannot change once written")
    opened = 0
    new_values: dict[str, Any] = {}
    elements: dict[str, bool] = {}
    touched_deleted = False
    for key, (value, stamp, bases) in c.fields.items():
        supersede(s, c.table, c.row_id, c.young_person_id, key, bases)
        current = stamps.get(key)
        if current == stamp:
            continue
        name, element = split_element(key)
        visible = rt.fields[name].user_visible
        if current is None or stamp > current:
            if (
                current is not None
                and visible
                and current not in bases
                and not _is_superseded(s, c.table, c.row_id, key, current)
            ):
                # The removal's own value, not the record's shown state (an overridden removal
                # still shows the record).
                mine = SEEN_KEY in stamps if key == "deleted" else current_wire(rt, row, key)
                opened += _keep_conflict(
                    s,
                    c,
                    key,
                    mine,
                    current,
                    _actor_of(s, c.table, c.row_id, c.young_person_id, key, current),
                )
            stamps[key] = stamp
            if element is not None:
                elements[key] = bool(value)
            else:
                new_values[name] = decode(rt.fields[name].kind, value)
            if name == "deleted":
                touched_deleted = True
                if value:
                    stamps[SEEN_KEY] = dict(c.seen or {})
                else:
                    stamps.pop(SEEN_KEY, None)
        elif visible and not _is_superseded(s, c.table, c.row_id, key, stamp):
            opened += _keep_conflict(s, c, key, value, stamp, c.actor)
    if elements:
        merged = dict(row)
        merged["_elements"] = elements
        assemble_sets(rt, merged, stamps)
        for spec in rt.fields.values():
            if spec.kind in (Kind.FLAGS, Kind.SET):
                new_values[spec.name] = merged[spec.name]
    if new_values or stamps != row.get("stamps"):
        new_values["stamps"] = stamps
        s.execute(update(t).where(t.c.id == c.row_id).values(**new_values))
    if touched_deleted or SEEN_KEY in stamps:
        opened += reconcile_tombstone(s, rt, t, c.row_id, c.young_person_id, c)
    return opened


def reconcile_tombstone(
    s: Session,
    rt: RecordType,
    t: Table,
    row_id: str,
    young_person_id: str | None,
    applying: Change,
) -> int:
    """A removal stands only if nothing was changed that its device had not seen; otherwise the
    record stays and the removal is kept as a conflict. The same on every device."""
    row = current_row(s, t, row_id)
    assert row is not None
    stamps = row["stamps"] or {}
    seen = stamps.get(SEEN_KEY)
    removal_stamp = stamps.get("deleted")
    ident = conflict_id(t.name, row_id, "deleted", str(removal_stamp))
    if seen is None:  # the current version of "deleted" is not a removal
        if row["deleted"]:
            s.execute(update(t).where(t.c.id == row_id).values(deleted=False))
        return 0
    unseen = [k for k, v in stamps.items() if k not in ("deleted", SEEN_KEY) and seen.get(k) != v]
    if unseen:
        if row["deleted"]:
            s.execute(update(t).where(t.c.id == row_id).values(deleted=False))
        if s.get(Conflict, ident) is None:
            s.add(
                Conflict(
                    id=ident,
                    table_name=t.name,
                    row_id=row_id,
                    young_person_id=young_person_id,
                    field="deleted",
                    value=True,
                    stamp=removal_stamp,
                    actor=applying.actor
                    if (applying.fields.get("deleted") or [None, None])[1] == removal_stamp
                    else _actor_of(
                        s, t.name, row_id, young_person_id, "deleted", str(removal_stamp)
                    ),
                )
            )
            return 1
        return 0
    if not row["deleted"]:
        s.execute(update(t).where(t.c.id == row_id).values(deleted=True))
    s.execute(delete(Conflict).where(Conflict.id == ident))
    return 0
