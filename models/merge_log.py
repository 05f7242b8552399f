"""The change log read back as changes (what a push sends, what a peer passes on), and the
log rows an applied change leaves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import registry
from models.change_rules import Change, UniformFields
from models.gc_pause import gc_paused
from models.merge_rows import CHUNK, sql_table
from models.registry import Kind, RecordType, encode
from models.schema import ChangeLog


def wire_row(rt: RecordType, row: Mapping[str, Any]) -> dict[str, Any]:
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
        t, rt = sql_table(table_name), registry.record_type(table_name)
        id_list = sorted(ids)
        for i in range(0, len(id_list), CHUNK):
            for row in s.execute(select(t).where(t.c.id.in_(id_list[i : i + CHUNK]))).mappings():
                rows[(table_name, row["id"])] = wire_row(rt, dict(row))
    out = []
    for e in entries:
        fields: Mapping[str, Sequence[Any]] = e.fields
        if e.stamp is not None:  # the compact form (see ChangeLog)
            if e.by_ref:
                values = rows.get((e.table_name, e.row_id), {})
                fields = UniformFields({k: values.get(k) for k in fields}, e.stamp)
            else:
                fields = UniformFields(fields, e.stamp)
        elif e.by_ref:
            values = rows.get((e.table_name, e.row_id), {})
            fields = {k: [values.get(k), v[1], v[2]] for k, v in fields.items()}
        out.append(
            Change(e.change_id, e.table_name, e.row_id, e.young_person_id, e.actor, fields, e.seen)
        )
    return out, last


def last_seq(s: Session) -> int:
    return s.scalar(select(ChangeLog.seq).order_by(ChangeLog.seq.desc()).limit(1)) or 0


def log_row(rt: RecordType, c: Change, source: str) -> dict[str, Any]:
    """The change's log entry (``models.repo.changes.log_tuple`` encodes it)."""
    return {
        "change_id": c.change_id,
        "table_name": c.table,
        "row_id": c.row_id,
        "young_person_id": c.young_person_id,
        "actor": c.actor,
        "fields": c.fields,
        "seen": dict(c.seen) if c.seen is not None else None,
        "by_ref": rt.append_only,
        "source": source,
    }


def logged_fields(fields: Any, stamp: str | None) -> dict[str, list[Any]]:
    """A log entry's ``fields`` and ``stamp`` columns as ``{key: [value, stamp, bases]}``,
    whichever form it is kept in (see ``ChangeLog``; values of a compact ``by_ref`` entry are
    None: its row holds them)."""
    if stamp is None:
        return dict(fields)
    if isinstance(fields, list):
        return {k: [None, stamp, []] for k in fields}
    return {k: [v, stamp, []] for k, v in fields.items()}


def logged_stamp(fields: Any, stamp: str | None, key: str) -> str | None:
    """The stamp a logged change (its ``fields`` and ``stamp`` columns) wrote ``key`` at, if it
    wrote ``key``: either form of the log (see ``ChangeLog``)."""
    if stamp is not None:
        return stamp if key in fields else None
    version = fields.get(key)
    return version[1] if version else None
