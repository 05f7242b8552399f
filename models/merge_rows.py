"""Records as storage rows for the merge: a new record's row made from its first change (checked
against its record type), rows of records a page brings for the first time inserted together,
lookups of which records and changes the store has, and what is quarantined."""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import fast_json, registry
from models.bulk_insert import encode_row, insert_encoded
from models.change_rules import SEEN_KEY, Change, Refused, UniformFields
from models.registry import Kind, RecordType, encode, split_element
from models.schema import Base, QuarantinedChange, compact_stamps, utcnow

# Changes applied together (one bulk insert per table, one lookup of known changes and records):
# a whole pull page (``sync.protocol.MAX_PULL_CHANGES``). At 500 a first team sync took 0.5 s
# longer (six alternating pairs): four times the statements, savepoints and hand-overs of the
# interpreter lock.
CHUNK = 5000


@dataclass
class ApplyResult:
    applied: int = 0
    duplicates: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (change id, reason)
    conflicts_opened: int = 0
    young_people: set[str] = field(default_factory=set)


def sql_table(name: str) -> Table:
    return Base.metadata.tables[name]


def is_integrity(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityError) or type(exc).__name__ == "IntegrityError"


BROKEN_RULE = "it refers to a record this device does not have, or breaks a database rule"


def existing_rows(s: Session, changes: list[Change]) -> set[tuple[str, str]]:
    by_table: dict[str, set[str]] = {}
    for c in changes:
        if c.table in registry.RECORD_TYPES:
            by_table.setdefault(c.table, set()).add(c.row_id)
    found = set()
    for table, row_ids in by_table.items():
        found |= {(table, r) for r in present(s, table, "id", sorted(row_ids))}
    return found


def present(s: Session, table: str, column: str, values: list[str]) -> list[str]:
    """Which of ``values`` the table's (indexed) column holds. The driver's own query: with
    hundreds of parameters per page, SQLAlchemy's statement machinery cost more than SQLite."""
    conn = s.connection().connection.dbapi_connection
    assert conn is not None
    cur = conn.cursor()
    out: list[str] = []
    try:
        for i in range(0, len(values), CHUNK):
            chunk = values[i : i + CHUNK]
            sql = (
                f"SELECT {column} FROM {table} "  # noqa: S608 - fixed names
                f"WHERE {column} IN ({', '.join('?' * len(chunk))})"
            )
            out += [r[0] for r in cur.execute(sql, chunk)]
    finally:
        cur.close()
    return out


# Insert order: a record after the records it refers to (their foreign keys decide it; a purge
# deletes in the reverse order).
INSERT_ORDER = tuple(
    t.name for t in Base.metadata.sorted_tables if t.name in registry.RECORD_TYPES
)


JSON_KINDS = (Kind.JSON, Kind.FLAGS, Kind.SET)


@functools.cache
def _storage_kinds(table: str) -> tuple[frozenset[str], tuple[tuple[str, Kind], ...]]:
    """A record type's JSON-stored fields, and its set-valued fields (stored whole, as JSON)."""
    fields = registry.RECORD_TYPES[table].fields.values()
    return (
        frozenset(spec.name for spec in fields if spec.kind is Kind.JSON),
        tuple((spec.name, spec.kind) for spec in fields if spec.kind in (Kind.FLAGS, Kind.SET)),
    )


def new_row(rt: RecordType, c: Change) -> dict[str, Any]:
    """The storage row a change to an unknown record makes, checked against the record's rules."""
    values: Mapping[str, Any]
    parts: dict[str, Any] = {}  # the values, when some are a set's elements
    elements: dict[str, bool] = {}
    stamps: dict[str, Any]
    f = c.fields
    uniform = f if type(f) is UniformFields else None
    if uniform is not None and "[" not in "".join(uniform.plain):
        # every field at one stamp, none a set's element (most records): the values as they came
        stamps = dict.fromkeys(uniform.plain, uniform.stamp)
        values = uniform.plain
    else:
        stamps = {}
        for key, (value, stamp, _bases) in f.items():
            stamps[key] = stamp
            if "[" in key:
                elements[key] = bool(value)
            else:
                parts[key] = value
        values = parts
    if rt.validate(values, None, None):  # broken: the full sentences (a new record, every rule)
        raise Refused(" ".join(registry.problems_of(c.table, values)))
    json_fields, set_fields = _storage_kinds(rt.table)
    # Every field is a column of the same name (storage_defaults lists the columns).
    row = (
        {name: fast_json.dumps(value) if name in json_fields else value
         for name, value in values.items()}
        if json_fields
        else dict(values)
    )
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
    row["stamps"] = fast_json.dumps(compact_stamps(stamps))
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
    by :func:`new_row`, and the others (``{}``, ``[]``) are constants."""
    out: dict[str, Any] = {}
    for col in sql_table(table).columns:
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


def storage_row(table: str, row: dict[str, Any]) -> bytes:
    """A new record's row in its table's column order, encoded for :meth:`Bulk.insert`
    (``models.bulk_insert``): made when a page is prepared, off the writing thread."""
    defaults = storage_defaults(table)
    return encode_row(_column_values(table)(defaults | row))


@functools.cache
def _column_values(table: str) -> Any:
    return operator.itemgetter(*storage_defaults(table))


@dataclass(slots=True)
class Pending:
    """A record this device does not have yet, to be inserted: the change that makes it, its
    row, and the row encoded (None once a later change in the page has folded into it)."""

    change: Change
    row: dict[str, Any]
    encoded: bytes | None = None


class Bulk:
    """Rows of records this device does not have yet, inserted together."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Pending]] = {}
        # per record: its type, its entry, and its stamps (worked out the first time asked)
        self.pending: dict[tuple[str, str], tuple[RecordType, Pending, dict[str, Any] | None]] = {}

    def add(self, rt: RecordType, c: Change, row: dict[str, Any], encoded: bytes | None) -> None:
        entry = Pending(c, row, encoded)
        self.rows.setdefault(rt.table, []).append(entry)
        self.pending[(rt.table, c.row_id)] = (rt, entry, None)

    def fast_forward(self, c: Change) -> bool:
        """Fold a change into a record created earlier in this page when it was made on top of
        exactly what that page holds (a record made, then edited, on one device): no clash is
        possible, so it needs no merge."""
        found = self.pending.get((c.table, c.row_id))
        if found is None:
            return False
        rt, entry, stamps = found
        row = entry.row
        if stamps is None:
            f = entry.change.fields
            stamps = (
                dict.fromkeys(f.plain, f.stamp)
                if type(f) is UniformFields
                else {k: v[1] for k, v in f.items()}
            )
            self.pending[(c.table, c.row_id)] = (rt, entry, stamps)
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
        # The row's stamps are exactly these: its first change's, then each one folded in.
        row["stamps"] = fast_json.dumps(compact_stamps(stamps))
        entry.encoded = None
        return True

    def flush(
        self, s: Session, result: ApplyResult, source: str, log: list[tuple[str, bytes]]
    ) -> None:
        """Insert what was added; ``log`` holds the page's (change id, encoded log row) so far."""
        if not self.rows:
            return
        pending, self.rows, self.pending = self.rows, {}, {}
        try:
            with s.begin_nested():
                self.insert(s, pending)
        except Exception as exc:  # the driver's own IntegrityError: a rule broken
            if not is_integrity(exc):
                raise
            self._one_by_one(s, pending, result, source, log)

    @staticmethod
    def insert(s: Session, rows: dict[str, list[Pending]]) -> None:
        """One statement per table, parents first (see :mod:`models.bulk_insert`)."""
        conn = s.connection().connection.dbapi_connection
        assert conn is not None
        cur = conn.cursor()
        try:
            for table in INSERT_ORDER:
                items = rows.get(table)
                if not items:
                    continue
                encoded = [
                    e.encoded if e.encoded is not None else storage_row(table, e.row)
                    for e in items
                ]
                insert_encoded(cur, table, tuple(storage_defaults(table)), encoded)
        finally:
            cur.close()

    def _one_by_one(
        self,
        s: Session,
        pending: dict[str, list[Pending]],
        result: ApplyResult,
        source: str,
        log: list[tuple[str, bytes]],
    ) -> None:
        """The page's bulk insert broke a rule: insert each record alone, quarantine the bad."""
        for table in INSERT_ORDER:
            for entry in pending.get(table, []):
                c = entry.change
                try:
                    with s.begin_nested():
                        self.insert(s, {table: [entry]})
                except Exception as exc:
                    if not is_integrity(exc):
                        raise
                    result.applied -= 1
                    log[:] = [e for e in log if e[0] != c.change_id]
                    quarantine(s, c.to_json(), BROKEN_RULE, source, result)


def quarantine(
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


def current_row(s: Session, t: Table, row_id: str) -> dict[str, Any] | None:
    row = s.execute(select(t).where(t.c.id == row_id)).mappings().first()
    return dict(row) if row is not None else None


def assemble_sets(rt: RecordType, row: dict[str, Any], stamps: Mapping[str, Any]) -> None:
    """Rebuild set-valued fields from their elements (``row["_elements"]`` holds new ones)."""
    changed = row.pop("_elements", {})
    for spec in rt.fields.values():
        if spec.kind in (Kind.FLAGS, Kind.SET):
            prefix = spec.name + "["
            current = registry.flatten(spec, row.get(spec.name))
            elements = {k: current.get(k, False) for k in stamps if k.startswith(prefix)}
            elements.update({k: v for k, v in changed.items() if k.startswith(prefix)})
            row[spec.name] = registry.assemble(spec, elements, stamps)


def current_wire(rt: RecordType, row: Mapping[str, Any], key: str) -> Any:
    name, element = split_element(key)
    spec = rt.fields[name]
    if element is not None:
        return registry.flatten(spec, row.get(name)).get(key, False)
    return encode(spec.kind, row.get(name))
