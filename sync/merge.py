"""The merge as a pure fold: what a set of changes comes to, without a store.

Devices merge incrementally (``models.merge.apply_remote`` over their SQL tables); the hub keeps
every accepted change verbatim and folds them here. Both follow one rule set, stated over the
whole set of changes, so the result depends on neither order nor repeats (duplicates are
recognised by change id):

- For each field key (a field, or ``name[element]`` of a set-valued field) the version with the
  highest stamp is current. A set-valued field is its present elements, in order of their
  stamps (``models.registry.assemble``).
- A version is *superseded* when some change names it among its bases. Every other version of a
  user-visible field that is not current is kept as a conflict; it is *open* (shown to a person)
  when its value differs from the current one.
- A removal (the current ``deleted`` version, true) stands only if every field's current stamp
  is the one it had seen; otherwise the record stays and the removal is an open conflict.
- Append-only records never conflict. A change that would rewrite a field fixed once written
  (every field of an append-only record, a record type's immutable fields) or that names
  another young person than its record's is refused whole, as a device quarantines it; among
  such rivals the earliest-stamped change stands.

Conflict ids are ``models.change_rules.conflict_id``, so a conflict is named alike on every
device and on the hub. Imports only pure modules: the hub uses it without the device's store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from models import registry
from models.change_rules import Change, Refused, check_change, conflict_id
from models.hlc import HybridClock, parse_stamp
from models.registry import Kind, RecordType, decode, encode, split_element


@dataclass(frozen=True)
class Version:
    """One version of one field key, from one change."""

    value: Any
    stamp: str
    actor: str
    change_id: str


@dataclass(frozen=True)
class FoldedConflict:
    """An open conflict, as ``models.merge.open_conflicts`` lists it on a device, plus who
    wrote the current side and when (for a removal kept as a conflict: the newest edit it had
    not seen)."""

    id: str
    table: str
    record_label: str
    row_id: str
    young_person_id: str | None
    field: str
    current: Any
    current_stamp: str
    current_by: str
    other: Any
    other_by: str
    other_stamp: str
    other_device: str
    other_at_ms: int
    removal: bool  # the other side removed the record


@dataclass
class FoldedRecord:
    """One record as the changes leave it."""

    table: str
    row_id: str
    young_person_id: str | None
    current: dict[str, Version]  # field key -> current version
    values: dict[str, Any]  # field name -> current wire value (set-valued fields assembled)
    deleted: bool
    removal_seen: dict[str, str] | None  # what the current removal had seen, if it is one
    conflicts: list[FoldedConflict]

    @property
    def stamps(self) -> dict[str, str]:
        return {k: v.stamp for k, v in self.current.items()}


@dataclass
class Folded:
    records: dict[tuple[str, str], FoldedRecord] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (change id, reason)

    def conflicts(self, young_person_id: str | None = None) -> list[FoldedConflict]:
        """Open conflicts, oldest clash first (the order ``open_conflicts`` lists them in)."""
        out = [
            c
            for r in self.records.values()
            for c in r.conflicts
            if young_person_id is None or c.young_person_id == young_person_id
        ]
        out.sort(key=lambda c: (c.other_stamp, c.id))
        return out


def fold(changes: Iterable[Change | Mapping[str, Any]]) -> Folded:
    """Fold changes (objects or their JSON) into records and open conflicts.

    A change that is not well formed or breaks its record type's rules is listed in
    ``refused`` with the reason and takes no part. Clock drift is not checked: that depends
    on the reader's clock, and the hub checked it when the change arrived."""
    result = Folded()
    by_id: dict[str, Change] = {}
    for raw in changes:
        try:
            c = raw if isinstance(raw, Change) else Change.from_json(raw)
        except ValueError as exc:
            cid = raw.get("change_id") if isinstance(raw, Mapping) else None
            result.refused.append((str(cid or ""), str(exc)))
            continue
        other = by_id.get(c.change_id)
        if other is None or _canonical(c) < _canonical(other):
            by_id[c.change_id] = c  # one id, two bodies: the same one chosen whatever the order
    clock = HybridClock("fold")
    by_record: dict[tuple[str, str], list[Change]] = {}
    for c in by_id.values():
        try:
            check_change(c, clock, None)
        except Refused as exc:
            result.refused.append((c.change_id, str(exc)))
            continue
        by_record.setdefault((c.table, c.row_id), []).append(c)
    for key in sorted(by_record):
        record = _fold_record(registry.RECORD_TYPES[key[0]], by_record[key], result.refused)
        if record is not None:
            result.records[key] = record
    result.refused.sort()
    return result


def _canonical(c: Change) -> str:
    return json.dumps(c.to_json(), sort_keys=True, separators=(",", ":"))


def _wire(rt: RecordType, key: str, value: Any) -> Any:
    """A version's value as the device's store gives it back (``_current_wire``)."""
    name, element = split_element(key)
    if element is not None:
        return bool(value)
    kind = rt.fields[name].kind
    return encode(kind, decode(kind, value))


def _accepted(
    rt: RecordType, changes: list[Change], refused: list[tuple[str, str]]
) -> list[Change]:
    """The changes a device takes, in stamp order: a change that rewrites a fixed field or
    names another young person than the record's is refused whole."""
    fixed_names = rt.immutable | (set(rt.fields) if rt.append_only else set())
    fixed: dict[str, Any] = {}
    owner: str | None = None
    out = []
    for c in sorted(changes, key=lambda c: (c.max_stamp(), c.change_id)):
        if rt.scope not in (None, "id") and owner is not None and c.young_person_id != owner:
            refused.append((c.change_id, "the record belongs to another young person here"))
            continue
        clash = next(
            (
                split_element(k)[0]
                for k, v in c.fields.items()
                if split_element(k)[0] in fixed_names
                and k in fixed
                and _wire(rt, k, v[0]) != fixed[k]
            ),
            None,
        )
        if clash is not None:
            refused.append((c.change_id, f"{rt.label}: {clash} cannot change once written"))
            continue
        for k, v in c.fields.items():
            if split_element(k)[0] in fixed_names:
                fixed.setdefault(k, _wire(rt, k, v[0]))
        if rt.scope not in (None, "id") and owner is None:
            owner = c.young_person_id
        out.append(c)
    return out


def _fold_record(
    rt: RecordType, changes: list[Change], refused: list[tuple[str, str]]
) -> FoldedRecord | None:
    accepted = _accepted(rt, changes, refused)
    if not accepted:
        return None
    first = accepted[0]
    versions: dict[str, dict[str, tuple[Version, Change]]] = {}
    superseded: dict[str, set[str]] = {}
    for c in accepted:
        for key, (value, stamp, bases) in c.fields.items():
            # One stamp of one key twice (never made so): the earliest change's stands.
            versions.setdefault(key, {}).setdefault(
                stamp, (Version(_wire(rt, key, value), stamp, c.actor, c.change_id), c)
            )
            superseded.setdefault(key, set()).update(bases)
    current = {key: by_stamp[max(by_stamp)][0] for key, by_stamp in versions.items()}
    stamps = {key: v.stamp for key, v in current.items()}
    values: dict[str, Any] = {}
    for name, spec in rt.fields.items():
        if spec.kind in (Kind.FLAGS, Kind.SET):
            elements = {k: bool(v.value) for k, v in current.items() if split_element(k)[0] == name}
            if elements:
                values[name] = registry.assemble(spec, elements, stamps)
        elif name in current:
            values[name] = current[name].value
    seen: dict[str, str] | None = None
    unseen: list[Version] = []
    removal = current.get("deleted")
    if removal is not None and removal.value:
        carrier = versions["deleted"][removal.stamp][1]
        seen = dict(carrier.seen or {})
        unseen = [current[k] for k, v in stamps.items() if k != "deleted" and seen.get(k) != v]
    deleted = seen is not None and not unseen
    values["deleted"] = deleted
    record = FoldedRecord(
        rt.table, first.row_id, first.young_person_id, current, values, deleted, seen, []
    )
    if not rt.append_only:
        newest_unseen = max(unseen, key=lambda v: v.stamp) if unseen else None
        record.conflicts = _open_conflicts(rt, record, versions, superseded, newest_unseen)
    return record


def _open_conflicts(
    rt: RecordType,
    record: FoldedRecord,
    versions: dict[str, dict[str, tuple[Version, Change]]],
    superseded: dict[str, set[str]],
    unseen_edit: Version | None,
) -> list[FoldedConflict]:
    """The open conflicts. The current side of a removal that met an unseen edit is that edit
    (the newest, if several), which is what keeps the record."""
    out = []
    for key, by_stamp in versions.items():
        name, _ = split_element(key)
        if not rt.fields[name].user_visible:
            continue
        winner = record.current[key]
        shown = record.deleted if key == "deleted" else winner.value
        kept = [
            v for stamp, (v, _c) in by_stamp.items()
            if stamp != winner.stamp and stamp not in superseded[key]
        ]
        if key == "deleted" and unseen_edit is not None:
            kept.append(winner)  # a removal that met an edit it had not seen
        for v in kept:
            side = unseen_edit if v is winner and unseen_edit is not None else winner
            removal = key == "deleted" and v.value is True and not record.deleted
            if shown == v.value and not removal:
                continue
            ms, _, node = parse_stamp(v.stamp)
            out.append(
                FoldedConflict(
                    conflict_id(rt.table, record.row_id, key, v.stamp),
                    rt.table,
                    rt.label,
                    record.row_id,
                    record.young_person_id,
                    key,
                    shown,
                    side.stamp,
                    side.actor,
                    v.value,
                    v.actor,
                    v.stamp,
                    node,
                    ms,
                    removal,
                )
            )
    return out
