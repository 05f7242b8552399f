"""The one write funnel for synced records: who, when, per-field stamps, rules and the change log.

Every create, change and removal of a synced record goes through here. Each one is checked
against the record type's rules (:mod:`models.registry`), stamped per field with the device's
hybrid clock, and appended to the session's pending change log, which :func:`write_log` writes
in the same transaction (``Store.session`` calls it before committing). Set-valued fields are
stamped per element, so two devices ticking different checklist items both stick.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models import fast_json, registry
from models.bulk_insert import encode_row, insert_encoded
from models.change_rules import SEEN_KEY, UniformFields, uniform_stamp
from models.errors import InvalidRecord, RecordNotFound
from models.hlc import HybridClock
from models.registry import Kind, RecordType, encode, flatten, split_element
from models.schema import Synced, new_id, utcnow

T = TypeVar("T", bound=Synced)

_NOT_FIELDS = {"id", "stamps"}


def actor(s: Session) -> str:
    return str(s.info.get("actor") or "unknown")


def _clock(s: Session) -> HybridClock:
    return s.info["clock"]


def _today(s: Session) -> date:
    return s.info.get("today") or date.today()


def record_type_of(obj_or_cls: Any) -> RecordType:
    return registry.record_type(obj_or_cls.__tablename__)


def scope_of(rt: RecordType, row_id: str, values: Any) -> str | None:
    if rt.scope is None:
        return None
    if rt.scope == "id":
        return row_id
    return values.get(rt.scope) if isinstance(values, dict) else getattr(values, rt.scope)


def log_change(
    s: Session,
    table: str,
    row_id: str,
    young_person_id: str | None,
    fields: dict[str, list[Any]],
    *,
    seen: dict[str, str] | None = None,
    by_ref: bool = False,
    who: str | None = None,
) -> None:
    """Queue one change-log entry; written with the transaction by :func:`write_log`."""
    s.info.setdefault("change_log", []).append(
        {
            # The write's newest stamp and the record: unique, and in time order, so the log's
            # unique index grows at its end instead of at random places.
            "change_id": f"{max(v[1] for v in fields.values())}/{row_id}",
            "table_name": table,
            "row_id": row_id,
            "young_person_id": young_person_id,
            "actor": who if who is not None else actor(s),
            "fields": fields,
            "seen": seen,
            "by_ref": by_ref,
            "source": "local",
        }
    )
    s.info.setdefault("changed_people", set()).add(young_person_id)


_LOG_COLUMNS = (
    "change_id",
    "table_name",
    "row_id",
    "young_person_id",
    "actor",
    "fields",
    "stamp",
    "seen",
    "by_ref",
    "source",
)


def log_tuple(entry: dict[str, Any]) -> tuple[Any, ...]:
    """The row in ``_LOG_COLUMNS`` order, JSON columns encoded (spelled out: it runs per change).

    A change that wrote every field at one stamp and replaced nothing (nearly all of them: every
    new record) is kept compact: the stamp once, and the values (on append-only records, whose
    row holds the values for good, only the fields' names). See ``ChangeLog``."""
    fields, seen = entry["fields"], entry["seen"]
    stamp = uniform_stamp(fields)
    if stamp is None:
        if entry["by_ref"]:
            fields = {k: [None, v[1], list(v[2])] for k, v in fields.items()}
        else:
            fields = {k: list(v) for k, v in fields.items()}
    elif entry["by_ref"]:
        fields = list(fields)
    else:
        fields = fields.plain if type(fields) is UniformFields else {
            k: v[0] for k, v in fields.items()
        }
    return (
        entry["change_id"],
        entry["table_name"],
        entry["row_id"],
        entry["young_person_id"],
        entry["actor"],
        fast_json.dumps(fields),
        stamp,
        None if seen is None else fast_json.dumps(seen),
        entry["by_ref"],
        entry["source"],
    )


def write_log(s: Session) -> None:
    """Write the queued change-log entries (one ``executemany``). Called before commit."""
    pending = s.info.pop("change_log", None)
    if not pending:
        return
    s.flush()  # the records first, then their log, in this transaction
    insert_log(s, pending)


def insert_log(s: Session, entries: list[dict[str, Any]]) -> None:
    """Insert change-log entries (dicts of the log's columns) in the session's transaction."""
    insert_log_rows(s, [log_tuple(e) for e in entries])


def insert_log_encoded(s: Session, rows: list[bytes]) -> None:
    """Insert change-log rows made by :func:`log_tuple` and encoded ahead
    (``models.bulk_insert.encode_row``), in the session's transaction."""
    conn = s.connection().connection.dbapi_connection
    assert conn is not None
    cur = conn.cursor()
    try:
        insert_encoded(cur, "change_log", _LOG_COLUMNS, rows)
    finally:
        cur.close()


def insert_log_rows(s: Session, rows: list[tuple[Any, ...]]) -> None:
    """Insert change-log rows (made by :func:`log_tuple`) in the session's transaction.

    One statement (:mod:`models.bulk_insert`): the log is on every write's path (and on every
    change a sync applies), and SQLAlchemy's statement machinery costs more than the insert."""
    insert_log_encoded(s, [encode_row(row) for row in rows])


def _versions(
    rt: RecordType, name: str, value: Any, s: Session, stamp: str, stamps: dict[str, Any]
) -> dict[str, list[Any]]:
    """``{field or name[element]: [wire value, stamp, bases]}`` for one field's new value;
    ``stamps`` is updated in place. Bases are the stamps the values replace."""
    spec = rt.fields[name]
    out: dict[str, list[Any]] = {}
    if spec.kind in (Kind.FLAGS, Kind.SET):
        for key, present in flatten(spec, value).items():
            old = stamps.get(key)
            # Each new element gets its own stamp so a set keeps the order it was typed in.
            element_stamp = stamp if spec.kind is Kind.FLAGS else _clock(s).now()
            out[key] = [present, element_stamp, [old] if old else []]
            stamps[key] = element_stamp
        return out
    old = stamps.get(name)
    out[name] = [encode(spec.kind, value), stamp, [old] if old else []]
    stamps[name] = stamp
    return out


def _check_fields(rt: RecordType, fields: dict[str, list[Any]]) -> None:
    """The per-field rules every device applies to changes from elsewhere (lengths, types)."""
    problems = rt.check_fields({k: v[0] for k, v in fields.items()})
    if problems:
        raise InvalidRecord(" ".join(problems))


def create(s: Session, cls: type[T], **values: Any) -> T:
    """Add a new record; every given field gets this change's stamp, and the rules apply."""
    rt = record_type_of(cls)
    unknown = set(values) - set(rt.fields) - {"id"}
    if unknown:
        raise InvalidRecord(f"Unknown fields: {', '.join(sorted(unknown))}.")
    registry.validate(rt.table, values, today=_today(s))
    stamp = _clock(s).now()
    # The id is set here, not at flush, so callers can return it without a round trip.
    row_id = values.pop("id", None) or new_id()
    columns = {"created_by": actor(s), "created_at": utcnow(), **values}
    stamps: dict[str, Any] = {}
    fields: dict[str, list[Any]] = {}
    for name, value in columns.items():
        fields.update(_versions(rt, name, value, s, stamp, stamps))
    _check_fields(rt, fields)
    obj = cls(id=row_id, **columns)  # type: ignore[call-arg]
    _canonical_sets(rt, obj, stamps)
    obj.stamps = stamps
    s.add(obj)
    log_change(s, rt.table, row_id, scope_of(rt, row_id, columns), fields, by_ref=rt.append_only)
    return obj


def bulk_create(s: Session, cls: type[Synced], rows: list[dict[str, Any]]) -> None:
    """Insert many new append-only records at once (the demo's 100k notes), each checked,
    stamped and logged as :func:`create` would, in one ``executemany`` each."""
    rt = record_type_of(cls)
    if not rt.append_only:
        raise ValueError("bulk_create is for append-only records")
    today, who, stamp = _today(s), actor(s), _clock(s).now()
    out = []
    for values in rows:
        registry.validate(rt.table, values, today=today)
        row_id = values.get("id") or new_id()
        columns = {"created_by": who, "created_at": utcnow(), **values, "id": row_id}
        keys = [k for k in columns if k not in _NOT_FIELDS]
        columns["stamps"] = dict.fromkeys(keys, stamp)
        columns["deleted"] = False
        out.append(columns)
        fields: dict[str, list[Any]] = {k: [None, stamp, []] for k in keys}
        log_change(s, rt.table, row_id, scope_of(rt, row_id, columns), fields, by_ref=True)
    s.execute(insert(cls), out)


def _canonical_sets(rt: RecordType, obj: Any, stamps: dict[str, Any]) -> None:
    """Store set-valued fields in the order every device computes from their element stamps."""
    for spec in rt.fields.values():
        if spec.kind is Kind.SET:
            value = getattr(obj, spec.name, None) or []
            elements = flatten(spec, value)
            for key in list(stamps):
                if key.startswith(spec.name + "[") and key not in elements:
                    elements[key] = False
            setattr(obj, spec.name, registry.assemble(spec, elements, stamps))


def change(s: Session, obj: Synced, allowed: frozenset[str], **changes: Any) -> list[str]:
    """Set fields on ``obj``; only fields whose value really changes are stamped and logged.

    Returns the names of the fields that changed. Unknown fields, immutable fields and values
    that break the record type's rules raise :class:`InvalidRecord`.
    """
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidRecord(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    rt = record_type_of(obj)
    really = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not really:
        return []
    fixed = set(really) & (rt.immutable | ({"deleted"} if not rt.removable else set()))
    if rt.append_only or fixed:
        raise InvalidRecord(
            f"{rt.label}: these cannot be changed once written: "
            f"{', '.join(sorted(fixed or really))}."
        )
    merged = {name: getattr(obj, name) for name in rt.fields if hasattr(obj, name)}
    merged.update(really)
    registry.validate(rt.table, merged, today=_today(s), changed=really)
    stamp = _clock(s).now()
    stamps = dict(obj.stamps or {})
    fields: dict[str, list[Any]] = {}
    seen = None
    for name, value in really.items():
        if rt.fields[name].kind is Kind.SET:
            value = _set_change(rt, name, getattr(obj, name) or [], value, stamps, fields, s)
        elif rt.fields[name].kind is Kind.FLAGS:
            old_flags = flatten(rt.fields[name], getattr(obj, name) or {})
            for key, present in flatten(rt.fields[name], value).items():
                if old_flags.get(key) != present:
                    old = stamps.get(key)
                    fields[key] = [present, stamp, [old] if old else []]
                    stamps[key] = stamp
        else:
            fields.update(_versions(rt, name, value, s, stamp, stamps))
        setattr(obj, name, value)
    if "deleted" in really:
        if really["deleted"]:
            # What this device had seen when it deleted: an edit elsewhere that it had not seen
            # keeps the record (see models.merge).
            seen = {k: v for k, v in stamps.items() if k != "deleted" and isinstance(v, str)}
            stamps[SEEN_KEY] = seen
        else:
            stamps.pop(SEEN_KEY, None)
    _canonical_sets(rt, obj, stamps)
    if not fields:  # e.g. a set given in another order: the same elements, nothing to change
        return []
    _check_fields(rt, fields)
    obj.stamps = stamps  # reassign so SQLAlchemy sees the JSON change
    log_change(s, rt.table, obj.id, scope_of(rt, obj.id, obj), fields, seen=seen)
    return [name for name in really if any(split_element(k)[0] == name for k in fields)]


def _set_change(
    rt: RecordType,
    name: str,
    old: Iterable[str],
    new: Iterable[str],
    stamps: dict[str, Any],
    fields: dict[str, list[Any]],
    s: Session,
) -> list[str]:
    old_set, new_list = set(old), list(dict.fromkeys(new))
    for element in [*new_list, *sorted(old_set - set(new_list))]:
        present = element in new_list
        if (element in old_set) == present:
            continue
        key = registry.element_key(name, element)
        stamp = _clock(s).now()
        prev = stamps.get(key)
        fields[key] = [present, stamp, [prev] if prev else []]
        stamps[key] = stamp
    return new_list


def tombstone(s: Session, obj: Synced) -> None:
    change(s, obj, frozenset({"deleted"}), deleted=True)


def get(s: Session, cls: type[T], ident: str, kind: str) -> T:
    obj = s.get(cls, ident)
    if obj is None or obj.deleted:
        raise RecordNotFound(kind, ident)
    return obj
