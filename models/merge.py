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

Runs on a worker thread inside one ``Store.session()``. The parts: :mod:`models.merge_log` (the
log read back as changes), :mod:`models.merge_rows` (storage rows, bulk inserts, lookups,
quarantine), :mod:`models.merge_fields` (the per-field merge), :mod:`models.merge_conflicts`
(open conflicts and resolving them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.bulk_insert import encode_row
from models.change_rules import Change, Refused, UniformFields, check_change
from models.gc_pause import gc_paused
from models.hlc import MAX_DRIFT_MS, HybridClock
from models.merge_conflicts import ConflictView, open_conflicts, resolve_conflict
from models.merge_fields import apply_one
from models.merge_log import changes_since, last_seq, log_row
from models.merge_rows import (
    BROKEN_RULE,
    CHUNK,
    ApplyResult,
    Bulk,
    existing_rows,
    is_integrity,
    new_row,
    present,
    quarantine,
    storage_defaults,
    storage_row,
)
from models.registry import RecordType
from models.repo.changes import insert_log_encoded, log_tuple
from models.schema import QuarantinedChange

# The merge's parts live beside it (the log read back, storage rows, the per-field merge,
# conflicts for people); callers use this module.
__all__ = [
    "ApplyResult",
    "Change",
    "ConflictView",
    "PreparedChanges",
    "apply_prepared",
    "apply_remote",
    "changes_since",
    "last_seq",
    "open_conflicts",
    "prepare_remote",
    "quarantined",
    "resolve_conflict",
    "retry_quarantined",
    "storage_defaults",
]


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
    row_encoded: bytes | None = None  # that row, encoded for the bulk insert
    row_refused: Refused | None = None  # why that row would break the record's rules
    log: bytes | None = None  # the change-log row, encoded for the bulk insert
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
            if len(batches[-1]) >= CHUNK:
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
    ready = _Ready(
        c, item, rt=rt, log=encode_row(log_tuple(log_row(rt, c, source))), top=c.max_stamp()
    )
    if _creates(c):
        try:
            ready.row = new_row(rt, c)
        except Refused as exc:
            ready.row_refused = exc
        else:
            ready.row_encoded = storage_row(rt.table, ready.row)
    return ready


def _creates(c: Change) -> bool:
    """Whether ``c`` can be the first change to its record: not a removal, replacing nothing."""
    f = c.fields
    if type(f) is UniformFields:  # replaces nothing
        return not f.plain.get("deleted")
    return not (f.get("deleted") or [False])[0] and not any(v[2] for v in f.values())


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
    known = set(present(s, "change_log", "change_id", ids))
    existing = existing_rows(s, [r.change for r in batch if r.change is not None])
    bulk = Bulk()
    log: list[tuple[str, bytes]] = []  # (change id, encoded log row)
    top = ""
    for r in batch:
        c = r.change
        if c is None:
            quarantine(s, r.raw, str(r.error), source, result)
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
                bulk.add(rt, c, r.row, r.row_encoded)
                existing.add(key)
                opened = 0
            else:
                # What came before is written first: a clash looks up who wrote a version.
                bulk.flush(s, result, source, log)
                _write_log(s, log)
                with s.begin_nested():
                    opened = apply_one(s, rt, c)
                existing.add(key)
        except Refused as exc:
            quarantine(s, c.to_json(), str(exc), source, result, retryable=exc.retryable)
            continue
        except Exception as exc:  # a database rule (SQLAlchemy's or the driver's own)
            if not is_integrity(exc):
                raise
            quarantine(s, c.to_json(), BROKEN_RULE, source, result)
            continue
        result.conflicts_opened += opened
        result.applied += 1
        if c.young_person_id:
            result.young_people.add(c.young_person_id)
        log.append((c.change_id, r.log))
        top = max(top, r.top)
    bulk.flush(s, result, source, log)
    _write_log(s, log)
    if top:
        clock.observe(top, drift)
    s.flush()


def _write_log(s: Session, log: list[tuple[str, bytes]]) -> None:
    if log:
        insert_log_encoded(s, [row for _change_id, row in log])
        log.clear()


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
