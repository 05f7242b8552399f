"""Changes in and out of the store: the change log read as changes, and ``apply_remote``.

A *change* is one logged write to one record: for each field it touched (or ``name[element]``
of a set-valued field), the new value, its hybrid-clock stamp, and the stamps it replaced
(its *bases*). Every device logs the changes it makes and the ones it applies, so changes can be
passed on in any order, with repeats, and every device ends in the same state:

- For each field the value with the highest stamp is current.
- Every other version of the field that nobody edited on top of (no known change has it as a
  base) is a *conflict*: kept, with who and when, until a person resolves it. Resolving is a
  new change whose bases are both sides, so it settles the conflict everywhere.
- A removal keeps what its device had seen; if any field has since been changed by an edit it
  had not seen, the record stays, and the removal is kept as a conflict for a person to decide.
- Append-only records (notes, agreed plans) never conflict: a different value for a field of
  an existing append-only record is refused.
- A change that breaks a record type's rules, names an unknown record type or field, or carries
  a stamp too far ahead of this device's clock is quarantined with the reason, never applied in
  part, never dropped.

Runs on a worker thread inside one ``Store.session()``.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import fast_json, registry
from models.bulk_insert import insert_rows
from models.change_rules import SEEN_KEY, Change, Refused, check_change, conflict_id
from models.errors import InvalidRecord, RecordNotFound
from models.gc_pause import gc_paused
from models.hlc import MAX_DRIFT_MS, HybridClock, parse_stamp
from models.registry import Kind, RecordType, decode, encode, split_element
from models.repo.changes import insert_log_rows, log_change, log_tuple
from models.schema import (
    Base,
    ChangeLog,
    Conflict,
    QuarantinedChange,
    SupersededStamp,
    utcnow,
)

_CHUNK = 500


@dataclass
class ApplyResult:
    applied: int = 0
    duplicates: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (change id, reason)
    conflicts_opened: int = 0
    young_people: set[str] = field(default_factory=set)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


# -- reading the log ---------------------------------------------------------------------------


def _wire_row(rt: RecordType, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: encode(spec.kind, row[name])
        for name, spec in rt.fields.items()
        if spec.kind not in (Kind.FLAGS, Kind.SET) and name in row
    }


def changes_since(
    s: Session,
    after_seq: int = 0,
    *,
    limit: int | None = None,
    local_only: bool = False,
) -> tuple[list[Change], int]:
    """Logged changes after ``after_seq`` in order, and the last seq read (an index range).

    ``local_only`` leaves out changes this device received from elsewhere (what a push sends)."""
    with gc_paused():  # tens of thousands of rows and dicts, no cycles among them
        return _changes_since(s, after_seq, limit, local_only)


def _changes_since(
    s: Session, after_seq: int, limit: int | None, local_only: bool
) -> tuple[list[Change], int]:
    # Plain rows, not ORM objects: nothing here is changed, and a whole log is a lot of objects.
    log = ChangeLog.__table__
    q = select(log).where(log.c.seq > after_seq).order_by(log.c.seq)
    if local_only:
        q = q.where(log.c.source == "local")
    if limit is not None:
        q = q.limit(limit)
    entries = list(s.execute(q))
    last = entries[-1].seq if entries else after_seq
    by_ref: dict[str, set[str]] = {}
    for e in entries:
        if e.by_ref:
            by_ref.setdefault(e.table_name, set()).add(e.row_id)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for table_name, ids in by_ref.items():
        t, rt = _table(table_name), registry.record_type(table_name)
        id_list = sorted(ids)
        for i in range(0, len(id_list), _CHUNK):
            for row in s.execute(select(t).where(t.c.id.in_(id_list[i : i + _CHUNK]))).mappings():
                rows[(table_name, row["id"])] = _wire_row(rt, dict(row))
    out = []
    for e in entries:
        fields: Mapping[str, Sequence[Any]] = e.fields
        if e.by_ref:
            values = rows.get((e.table_name, e.row_id), {})
            fields = {k: [values.get(k), v[1], v[2]] for k, v in fields.items()}
        out.append(
            Change(e.change_id, e.table_name, e.row_id, e.young_person_id, e.actor, fields, e.seen)
        )
    return out, last


def last_seq(s: Session) -> int:
    return s.scalar(select(ChangeLog.seq).order_by(ChangeLog.seq.desc()).limit(1)) or 0


# -- applying ---------------------------------------------------------------------------------


def apply_remote(
    s: Session,
    changes: Iterable[Change | dict[str, Any]],
    *,
    source: str,
    max_drift_ms: int | None = None,
) -> ApplyResult:
    """Apply changes that came from elsewhere, in the caller's session (one transaction).

    Idempotent by change id: a change already logged is skipped. Each change is applied whole
    or quarantined whole with its reason. ``max_drift_ms`` defaults to the clock's own limit.
    """
    ready = prepare_remote(changes, s.info["clock"], source=source, max_drift_ms=max_drift_ms)
    return apply_prepared(s, ready)


@dataclass(slots=True)
class _Ready:
    """One change as prepared off the database: parsed, checked, and (if it is shaped like the
    first change to a record) the row it would make; and the log row it would leave."""

    change: Change | None
    raw: Any  # as received, quarantined as it is if it cannot be parsed
    error: str | None = None  # why it could not be parsed
    rt: RecordType | None = None
    refused: Refused | None = None  # the record type's rules, the clock
    row: dict[str, Any] | None = None  # the storage row, if the record is new here
    row_refused: Refused | None = None  # why that row would break the record's rules
    log: tuple[Any, ...] | None = None
    top: str = ""  # the change's highest stamp


@dataclass
class PreparedChanges:
    """Changes from elsewhere made ready to apply (see :func:`prepare_remote`)."""

    batches: list[list[_Ready]]
    source: str
    drift: int


def prepare_remote(
    changes: Iterable[Change | dict[str, Any]],
    clock: HybridClock,
    *,
    source: str,
    max_drift_ms: int | None = None,
) -> PreparedChanges:
    """Everything :func:`apply_remote` does that needs no database: parsing, each record type's
    rules, the rows a new record makes, the change-log rows. A sync prepares the next page on
    its fetching thread while this one is written. What depends on the store (which records and
    changes it has, the merge) is decided by :func:`apply_prepared` in the writing transaction,
    so a page prepared early is applied exactly as if prepared then."""
    drift = MAX_DRIFT_MS if max_drift_ms is None else max_drift_ms
    batches: list[list[_Ready]] = [[]]
    with gc_paused():
        for item in changes:
            if len(batches[-1]) >= _CHUNK:
                batches.append([])
            batches[-1].append(_ready(item, clock, drift, source))
    return PreparedChanges(batches, source, drift)


def _ready(item: Change | dict[str, Any], clock: HybridClock, drift: int, source: str) -> _Ready:
    try:
        c = _parse(item)
    except ValueError as exc:
        return _Ready(None, item, str(exc))
    try:
        rt = check_change(c, clock, drift)
    except Refused as exc:
        return _Ready(c, item, refused=exc)
    ready = _Ready(c, item, rt=rt, log=log_tuple(_log_row(rt, c, source)), top=c.max_stamp())
    if _creates(c):
        try:
            ready.row = _new_row(rt, c)
        except Refused as exc:
            ready.row_refused = exc
    return ready


def _creates(c: Change) -> bool:
    """Whether ``c`` can be the first change to its record: not a removal, replacing nothing."""
    return not (c.fields.get("deleted") or [False])[0] and not any(
        v[2] for v in c.fields.values()
    )


def apply_prepared(s: Session, ready: PreparedChanges) -> ApplyResult:
    """Apply prepared changes in the caller's session (one transaction); see apply_remote."""
    clock: HybridClock = s.info["clock"]
    result = ApplyResult()
    with gc_paused():
        for batch in ready.batches:
            if batch:
                _apply_batch(s, batch, ready.source, clock, ready.drift, result)
    return result


def _parse(c: Change | dict[str, Any]) -> Change:
    return c if isinstance(c, Change) else Change.from_json(c)


def _apply_batch(
    s: Session,
    batch: list[_Ready],
    source: str,
    clock: HybridClock,
    drift: int,
    result: ApplyResult,
) -> None:
    """One page of changes. Records this device does not have yet (a first sync is nearly all
    of them) are inserted in bulk, one statement per table; a change to a record it has
    goes through the per-field merge. A page whose bulk insert breaks a database rule falls
    back to one change at a time, so only the offending change is quarantined."""
    s.flush()  # the driver's own lookups below must see what the session holds
    ids = [r.change.change_id for r in batch if r.change is not None]
    known = set(_present(s, "change_log", "change_id", ids))
    existing = _existing_rows(s, [r.change for r in batch if r.change is not None])
    bulk = _Bulk()
    log: list[tuple[Any, ...]] = []
    top = ""
    for r in batch:
        c = r.change
        if c is None:
            _quarantine(s, r.raw, str(r.error), source, result)
            continue
        if c.change_id in known:
            result.duplicates += 1
            continue
        known.add(c.change_id)
        try:
            if r.refused is not None:
                raise r.refused
            rt = r.rt
            assert rt is not None and r.log is not None
            key = (c.table, c.row_id)
            if bulk.fast_forward(c):
                opened = 0
            elif key not in existing and (r.row is not None or r.row_refused is not None):
                if r.row_refused is not None:
                    raise r.row_refused
                assert r.row is not None
                bulk.add(rt, c, r.row)
                existing.add(key)
                opened = 0
            else:
                # What came before is written first: a clash looks up who wrote a version.
                bulk.flush(s, result, source, log)
                _write_log(s, log)
                with s.begin_nested():
                    opened = _apply_one(s, rt, c)
                existing.add(key)
        except Refused as exc:
            _quarantine(s, c.to_json(), str(exc), source, result, retryable=exc.retryable)
            continue
        except Exception as exc:  # a database rule (SQLAlchemy's or the driver's own)
            if not _is_integrity(exc):
                raise
            _quarantine(s, c.to_json(), _BROKEN_RULE, source, result)
            continue
        result.conflicts_opened += opened
        result.applied += 1
        if c.young_person_id:
            result.young_people.add(c.young_person_id)
        log.append(r.log)
        top = max(top, r.top)
    bulk.flush(s, result, source, log)
    _write_log(s, log)
    if top:
        clock.observe(top, drift)
    s.flush()


def _is_integrity(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityError) or type(exc).__name__ == "IntegrityError"


def _write_log(s: Session, log: list[tuple[Any, ...]]) -> None:
    if log:
        insert_log_rows(s, log)
        log.clear()


_BROKEN_RULE = "it refers to a record this device does not have, or breaks a database rule"


def _log_row(rt: RecordType, c: Change, source: str) -> dict[str, Any]:
    return {
        "change_id": c.change_id,
        "table_name": c.table,
        "row_id": c.row_id,
        "young_person_id": c.young_person_id,
        "actor": c.actor,
        "fields": _log_fields(rt, c),
        "seen": dict(c.seen) if c.seen is not None else None,
        "by_ref": rt.append_only,
        "source": source,
    }


def _existing_rows(s: Session, changes: list[Change]) -> set[tuple[str, str]]:
    by_table: dict[str, set[str]] = {}
    for c in changes:
        if c.table in registry.RECORD_TYPES:
            by_table.setdefault(c.table, set()).add(c.row_id)
    found = set()
    for table, row_ids in by_table.items():
        found |= {(table, r) for r in _present(s, table, "id", sorted(row_ids))}
    return found


def _present(s: Session, table: str, column: str, values: list[str]) -> list[str]:
    """Which of ``values`` the table's (indexed) column holds. The driver's own query: with
    hundreds of parameters per page, SQLAlchemy's statement machinery cost more than SQLite."""
    conn = s.connection().connection.dbapi_connection
    assert conn is not None
    cur = conn.cursor()
    out: list[str] = []
    try:
        for i in range(0, len(values), _CHUNK):
            chunk = values[i : i + _CHUNK]
            sql = (
                f"SELECT {column} FROM {table} "  # noqa: S608 - fixed names
                f"WHERE {column} IN ({', '.join('?' * len(chunk))})"
            )
            out += [r[0] for r in cur.execute(sql, chunk)]
    finally:
        cur.close()
    return out


# Insert order: a record after the records it refers to.
_INSERT_ORDER = (
    "young_people",
    "team_services",
    "plans",
    "plan_sections",
    "plan_actions",
    "plan_versions",
    "contact_notes",
    "documents",
    "memory_items",
    "key_dates",
    "important_people",
    "care_leaver_facts",
)
_JSON_KINDS = (Kind.JSON, Kind.FLAGS, Kind.SET)


@functools.cache
def _storage_kinds(table: str) -> tuple[frozenset[str], tuple[tuple[str, Kind], ...]]:
    """A record type's JSON-stored fields, and its set-valued fields (stored whole, as JSON)."""
    fields = registry.RECORD_TYPES[table].fields.values()
    return (
        frozenset(spec.name for spec in fields if spec.kind is Kind.JSON),
        tuple((spec.name, spec.kind) for spec in fields if spec.kind in (Kind.FLAGS, Kind.SET)),
    )


def _new_row(rt: RecordType, c: Change) -> dict[str, Any]:
    """The storage row a change to an unknown record makes, checked against the record's rules."""
    values: dict[str, Any] = {}
    elements: dict[str, bool] = {}
    stamps: dict[str, Any] = {}
    for key, (value, stamp, _bases) in c.fields.items():
        stamps[key] = stamp
        if "[" in key:
            elements[key] = bool(value)
        else:
            values[key] = value
    problems = registry.problems_of(c.table, values)
    if problems:
        raise Refused(" ".join(problems))
    json_fields, set_fields = _storage_kinds(rt.table)
    # Every field is a column of the same name (storage_defaults lists the columns).
    row = {
        name: fast_json.dumps(value) if name in json_fields else value
        for name, value in values.items()
    }
    for name, kind in set_fields:
        prefix = name + "["
        own = {k: v for k, v in elements.items() if k.startswith(prefix)} if elements else None
        if own:
            row[name] = fast_json.dumps(registry.assemble(rt.fields[name], own, stamps))
        else:
            row[name] = "{}" if kind is Kind.FLAGS else "[]"
    if values.get("deleted"):
        stamps[SEEN_KEY] = dict(c.seen or {})
    row["id"] = c.row_id
    row["stamps"] = fast_json.dumps(stamps)
    if "created_by" not in row:
        row["created_by"] = c.actor
    if "created_at" not in row:
        row["created_at"] = encode(Kind.DATETIME, utcnow())
    if "deleted" not in row:
        row["deleted"] = False
    return row


@functools.cache
def storage_defaults(table: str) -> dict[str, Any]:
    """Each column and its default as a storage value (what the ORM would have written), once
    per table. Callable defaults are taken once too: ``id`` and ``created_at`` are always given
    by :func:`_new_row`, and the others (``{}``, ``[]``) are constants."""
    out: dict[str, Any] = {}
    for col in _table(table).columns:
        default = col.default
        value = None
        if default is not None:
            arg = default.arg  # type: ignore[attr-defined]
            value = arg(None) if callable(arg) else arg
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        elif hasattr(value, "tzinfo"):
            value = encode(Kind.DATETIME, value)
        out[col.name] = value
    return out


class _Bulk:
    """Rows of records this device does not have yet, inserted together."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Change, dict[str, Any]]]] = {}
        self.pending: dict[tuple[str, str], tuple[RecordType, dict[str, Any], dict[str, str]]] = {}

    def add(self, rt: RecordType, c: Change, row: dict[str, Any]) -> None:
        self.rows.setdefault(rt.table, []).append((c, row))
        self.pending[(rt.table, c.row_id)] = (rt, row, {k: v[1] for k, v in c.fields.items()})

    def fast_forward(self, c: Change) -> bool:
        """Fold a change into a record created earlier in this page when it was made on top of
        exactly what that page holds (a record made, then edited, on one device): no clash is
        possible, so it needs no merge."""
        entry = self.pending.get((c.table, c.row_id))
        if entry is None:
            return False
        rt, row, stamps = entry
        other_owner = rt.scope not in (None, "id") and row.get(rt.scope) != c.young_person_id
        if rt.append_only or other_owner:
            return False  # the merge refuses such a change, as it would in a later page
        for key, (_value, stamp, bases) in c.fields.items():
            name, element = split_element(key)
            if (
                element is not None
                or name == "deleted"
                or name in rt.immutable
                or list(bases) != ([stamps[key]] if key in stamps else [])
                or (key in stamps and stamp <= stamps[key])
            ):
                return False
        problems = rt.check_fields({k: v[0] for k, v in c.fields.items()})
        if problems:
            raise Refused(" ".join(problems))
        for key, (value, stamp, _bases) in c.fields.items():
            spec = rt.fields[key]
            row[key] = fast_json.dumps(value) if spec.kind is Kind.JSON else value
            stamps[key] = stamp
        merged = fast_json.loads(row["stamps"])
        merged.update({k: v[1] for k, v in c.fields.items()})
        row["stamps"] = fast_json.dumps(merged)
        return True

    def flush(
        self, s: Session, result: ApplyResult, source: str, log: list[tuple[Any, ...]]
    ) -> None:
        if not self.rows:
            return
        pending, self.rows, self.pending = self.rows, {}, {}
        try:
            with s.begin_nested():
                self.insert(s, pending)
        except Exception as exc:  # the driver's own IntegrityError: a rule broken
            if not _is_integrity(exc):
                raise
            self._one_by_one(s, pending, result, source, log)

    def insert(self, s: Session, rows: dict[str, list[tuple[Change, dict[str, Any]]]]) -> None:
        """One statement per table, parents first (see :mod:`models.bulk_insert`)."""
        conn = s.connection().connection.dbapi_connection
        assert conn is not None
        cur = conn.cursor()
        try:
            for table in _INSERT_ORDER:
                items = rows.get(table)
                if not items:
                    continue
                defaults = storage_defaults(table)
                columns = tuple(defaults)
                values = operator.itemgetter(*columns)
                insert_rows(cur, table, columns, [values(defaults | row) for _, row in items])
        finally:
            cur.close()

    def _one_by_one(
        self,
        s: Session,
        pending: dict[str, list[tuple[Change, dict[str, Any]]]],
        result: ApplyResult,
        source: str,
        log: list[tuple[Any, ...]],
    ) -> None:
        """The page's bulk insert broke a rule: insert each record alone, quarantine the bad."""
        for table in _INSERT_ORDER:
            for c, row in pending.get(table, []):
                try:
                    with s.begin_nested():
                        self.insert(s, {table: [(c, row)]})
                except Exception as exc:
                    if not _is_integrity(exc):
                        raise
                    result.applied -= 1
                    log[:] = [e for e in log if e[0] != c.change_id]
                    _quarantine(s, c.to_json(), _BROKEN_RULE, source, result)


def _log_fields(rt: RecordType, c: Change) -> dict[str, list[Any]]:
    if rt.append_only:  # the row holds the values and can never change
        return {k: [None, v[1], list(v[2])] for k, v in c.fields.items()}
    return {k: [v[0], v[1], list(v[2])] for k, v in c.fields.items()}


def _quarantine(
    s: Session,
    change: Any,
    reason: str,
    source: str,
    result: ApplyResult,
    *,
    retryable: bool = False,
) -> None:
    change_id = change.get("change_id") if isinstance(change, dict) else None
    yp = change.get("young_person_id") if isinstance(change, dict) else None
    s.add(
        QuarantinedChange(
            change_id=str(change_id or "")[:80],
            young_person_id=yp if isinstance(yp, str) else None,
            source=source,
            reason=reason,
            retryable=retryable,
            change=change if isinstance(change, dict) else {"raw": repr(change)[:2000]},
        )
    )
    result.quarantined.append((str(change_id or ""), reason))


def _current_row(s: Session, t: Table, row_id: str) -> dict[str, Any] | None:
    row = s.execute(select(t).where(t.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def _assemble_sets(rt: RecordType, row: dict[str, Any], stamps: Mapping[str, Any]) -> None:
    """Rebuild set-valued fields from their elements (``row["_elements"]`` holds new ones)."""
    changed = row.pop("_elements", {})
    for spec in rt.fields.values():
        if spec.kind in (Kind.FLAGS, Kind.SET):
            prefix = spec.name + "["
            current = registry.flatten(spec, row.get(spec.name))
            elements = {k: current.get(k, False) for k in stamps if k.startswith(prefix)}
            elements.update({k: v for k, v in changed.items() if k.startswith(prefix)})
            row[spec.name] = registry.assemble(spec, elements, stamps)


def _apply_one(s: Session, rt: RecordType, c: Change) -> int:
    t = _table(c.table)
    row = _current_row(s, t, c.row_id)
    if row is None:
        _create(s, rt, t, c)
        return 0
    return _merge_into(s, rt, t, c, row)


def _create(s: Session, rt: RecordType, t: Table, c: Change) -> None:
    """A record this device lacks, made by a change that needs more than a bulk insert (a
    removal, or versions that replace others)."""
    _Bulk().insert(s, {c.table: [(c, _new_row(rt, c))]})
    for key, (_v, _s, bases) in c.fields.items():
        _supersede(s, c.table, c.row_id, c.young_person_id, key, bases)
    if (c.fields.get("deleted") or [False])[0]:
        _reconcile_tombstone(s, rt, t, c.row_id, c.young_person_id, c)


def _supersede(
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
        q = select(ChangeLog.fields, ChangeLog.actor).where(
            where, ChangeLog.table_name == table, ChangeLog.row_id == row_id
        )
        for fields, who in s.execute(q):
            version = fields.get(key)
            if version and version[1] == stamp:
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


def _current_wire(rt: RecordType, row: Mapping[str, Any], key: str) -> Any:
    name, element = split_element(key)
    spec = rt.fields[name]
    if element is not None:
        return registry.flatten(spec, row.get(name)).get(key, False)
    return encode(spec.kind, row.get(name))


def _merge_into(s: Session, rt: RecordType, t: Table, c: Change, row: dict[str, Any]) -> int:
    if rt.scope not in (None, "id") and row.get(rt.scope) != c.young_person_id:
        raise Refused("the record belongs to another young person here")
    stamps: dict[str, Any] = dict(row.get("stamps") or {})
    fixed = rt.immutable | (set(rt.fields) if rt.append_only else set())
    for key, (value, _stamp, _bases) in c.fields.items():
        name, _ = split_element(key)
        if name in fixed and key in stamps and value != _current_wire(rt, row, key):
            raise Refused(f"{rt.label}: {name} cannot change once written")
    opened = 0
    new_values: dict[str, Any] = {}
    elements: dict[str, bool] = {}
    touched_deleted = False
    for key, (value, stamp, bases) in c.fields.items():
        _supersede(s, c.table, c.row_id, c.young_person_id, key, bases)
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
                mine = SEEN_KEY in stamps if key == "deleted" else _current_wire(rt, row, key)
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
        _assemble_sets(rt, merged, stamps)
        for spec in rt.fields.values():
            if spec.kind in (Kind.FLAGS, Kind.SET):
                new_values[spec.name] = merged[spec.name]
    if new_values or stamps != row.get("stamps"):
        new_values["stamps"] = stamps
        s.execute(update(t).where(t.c.id == c.row_id).values(**new_values))
    if touched_deleted or SEEN_KEY in stamps:
        opened += _reconcile_tombstone(s, rt, t, c.row_id, c.young_person_id, c)
    return opened


def _reconcile_tombstone(
    s: Session,
    rt: RecordType,
    t: Table,
    row_id: str,
    young_person_id: str | None,
    applying: Change,
) -> int:
    """A removal stands only if nothing was changed that its device had not seen; otherwise the
    record stays and the removal is kept as a conflict. The same on every device."""
    row = _current_row(s, t, row_id)
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


# -- conflicts for people ---------------------------------------------------------------------


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
            rows_cache[key] = _current_row(s, _table(cf.table_name), cf.row_id)
        row = rows_cache[key]
        if row is None:
            continue
        current = (
            bool(row["deleted"]) if cf.field == "deleted" else _current_wire(rt, row, cf.field)
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
    t = _table(cf.table_name)
    row = _current_row(s, t, cf.row_id)
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
            value = _current_wire(rt, row, key)
        elif keep == "other":
            value = cf.value
        stamps[key] = stamp
        if element is not None:
            merged = dict(row)
            merged["_elements"] = {key: bool(value)}
            _assemble_sets(rt, merged, stamps)
            values[name] = merged[name]
        else:
            values[name] = decode(rt.fields[name].kind, value)
    values["stamps"] = stamps
    s.execute(update(t).where(t.c.id == cf.row_id).values(**values))
    _supersede(s, cf.table_name, cf.row_id, cf.young_person_id, key, bases)
    fields = {key: [value, stamp, bases]}
    if key != "deleted" and SEEN_KEY in stamps:
        # Settling a clash on a removed record is an edit its removal had not seen: the same
        # rule as on every device that applies this change (the record back, the removal asks).
        resolution = Change("", cf.table_name, cf.row_id, cf.young_person_id, "", fields)
        _reconcile_tombstone(s, rt, t, cf.row_id, cf.young_person_id, resolution)
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
    whole = {n: row[n] for n in rt.fields if n in row and rt.fields[n].kind not in _JSON_KINDS}
    whole[name] = decode(spec.kind, wire)
    registry.validate(rt.table, whole, today=s.info.get("today") or date.today(), changed=[name])
    return wire


def quarantined(s: Session) -> list[QuarantinedChange]:
    return list(s.scalars(select(QuarantinedChange).order_by(QuarantinedChange.id)))


def retry_quarantined(s: Session, *, max_drift_ms: int | None = None) -> ApplyResult:
    """Try again the changes held back for a reason that may pass (a clock far ahead)."""
    held = list(s.scalars(select(QuarantinedChange).where(QuarantinedChange.retryable.is_(True))))
    for q in held:
        s.delete(q)
    s.flush()
    result = ApplyResult()
    by_source: dict[str, list[dict[str, Any]]] = {}
    for q in held:
        by_source.setdefault(q.source, []).append(q.change)
    for source, items in by_source.items():
        r = apply_remote(s, items, source=source, max_drift_ms=max_drift_ms)
        result.applied += r.applied
        result.quarantined += r.quarantined
        result.conflicts_opened += r.conflicts_opened
    return result
