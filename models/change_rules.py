"""What a change is, and the checks every change from elsewhere must pass — pure, no database.

Shared by the device (``models.merge.apply_remote``) and the hub, which refuses what a device
would quarantine, with the same reason. Imports only the record-type registry and the clock.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models import registry
from models.hlc import ClockSkew, HybridClock, is_stamp
from models.registry import RecordType

MAX_FIELDS = 400
# The change log's and a record's columns: ``change_id`` (an app's ids are 69 characters:
# stamp/record id) and ``created_by``.
MAX_CHANGE_ID = 80
MAX_ACTOR = 200

# Where a record's stamps keep what a removal had seen (see ``models.merge``).
SEEN_KEY = "deleted~seen"
# Conflict ids are derived from the version they keep, so every device and the hub name an open
# conflict alike. Never change this: ids already stored and shown would no longer match.
CONFLICT_NAMESPACE = uuid.UUID("0c3f1a8e-7b7d-4a43-9a55-3e0f0d5c2b11")


def conflict_id(table: str, row_id: str, key: str, stamp: str) -> str:
    """The id of the conflict that keeps version ``stamp`` of ``key`` of one record."""
    return str(uuid.uuid5(CONFLICT_NAMESPACE, f"{table}/{row_id}/{key}/{stamp}"))


class UniformFields(Mapping[str, list[Any]]):
    """The fields of a change that wrote every field at one stamp and replaced nothing (a new
    record, nearly every change a first sync moves): ``key -> [value, stamp, []]`` as a
    mapping, kept as the values and the one stamp. On the wire it is the change's ``stamp`` and
    ``values``; the merge's hot paths read ``values`` and ``stamp`` themselves."""

    __slots__ = ("plain", "stamp")

    def __init__(self, plain: Mapping[str, Any], stamp: str) -> None:
        self.plain = plain  # key -> value (``values`` would hide the Mapping's own method)
        self.stamp = stamp

    def __getitem__(self, key: str) -> list[Any]:
        return [self.plain[key], self.stamp, []]

    def __iter__(self) -> Iterator[str]:
        return iter(self.plain)

    def __len__(self) -> int:
        return len(self.plain)

    def __repr__(self) -> str:
        return f"UniformFields({self.plain!r}, {self.stamp!r})"


def uniform_stamp(fields: Mapping[str, Sequence[Any]]) -> str | None:
    """The one stamp of ``fields`` if every field has it and replaces nothing, else None."""
    if type(fields) is UniformFields:
        return fields.stamp
    stamp = None
    for version in fields.values():
        if len(version) != 3 or version[2] or type(version[1]) is not str:
            return None
        if stamp is None:
            stamp = version[1]
        elif version[1] != stamp:
            return None
    return stamp


@dataclass(frozen=True)
class Change:
    """One write to one record, as it travels between devices (JSON-able).

    On the wire a change is one of two shapes (both read by :meth:`from_json`):

    - ``fields``: ``{key: [value, stamp, [stamps it replaced]]}``;
    - ``stamp`` and ``values``: ``{key: value}``, when every field was written at that one stamp
      and replaced nothing (:class:`UniformFields`). :meth:`to_json` writes this shape whenever
      it fits: it is a third smaller, and quicker to read and check.
    """

    change_id: str
    table: str
    row_id: str
    young_person_id: str | None
    actor: str
    fields: Mapping[str, Sequence[Any]]  # key -> [value, stamp, [bases]]
    seen: Mapping[str, str] | None = None

    @property
    def stamp(self) -> str | None:
        """The one stamp of every field, when the change replaced nothing (else None)."""
        f = self.fields
        return f.stamp if type(f) is UniformFields else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "change_id": self.change_id,
            "table": self.table,
            "row_id": self.row_id,
            "young_person_id": self.young_person_id,
            "actor": self.actor,
        }
        stamp = uniform_stamp(self.fields)
        if stamp is None:
            out["fields"] = {k: list(v) for k, v in self.fields.items()}
        else:
            out["stamp"] = stamp
            f = self.fields
            out["values"] = (
                dict(f.plain) if type(f) is UniformFields else {k: v[0] for k, v in f.items()}
            )
        out["seen"] = dict(self.seen) if self.seen is not None else None
        return out

    @classmethod
    def from_json(cls, data: Any) -> Change:
        """Raise ``ValueError`` with a reason if ``data`` is not a well-formed change."""
        if not isinstance(data, dict):
            raise ValueError("a change must be an object")
        for key in ("change_id", "table", "row_id", "actor"):
            if not isinstance(data.get(key), str):
                raise ValueError(f"a change needs {key} as text")
        change_id = data["change_id"]
        if not 0 < len(change_id) <= MAX_CHANGE_ID or not registry.storable(change_id):
            raise ValueError(f"a change id is text of 1 to {MAX_CHANGE_ID} characters, "
                             "none that cannot be saved")
        yp = data.get("young_person_id")
        if yp is not None and not isinstance(yp, str):
            raise ValueError("young_person_id must be text")
        fields: Mapping[str, Sequence[Any]]
        if "stamp" in data or "values" in data:
            stamp, values = data.get("stamp"), data.get("values")
            if "fields" in data:
                raise ValueError("a change has either fields or a stamp and values, not both")
            if not isinstance(stamp, str):
                raise ValueError("a change's stamp must be text")
            if not isinstance(values, dict) or not values:
                raise ValueError("a change needs values")
            fields = UniformFields(values, stamp)
        else:
            raw = data.get("fields")
            if not isinstance(raw, dict) or not raw:
                raise ValueError("a change needs fields")
            fields = raw
        seen = data.get("seen")
        if seen is not None and not isinstance(seen, dict):
            raise ValueError("seen must be an object")
        return cls(
            data["change_id"], data["table"], data["row_id"], yp, data["actor"], fields, seen
        )

    def max_stamp(self) -> str:
        f = self.fields
        if type(f) is UniformFields:
            return f.stamp
        return max(str(v[1]) for v in f.values())


# The form every id this app makes takes (``str(uuid4())``); anything else gets the full check.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in any spelling :class:`uuid.UUID` reads (the usual one first)."""
    if _CANONICAL_UUID.fullmatch(text):
        return True
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class Refused(Exception):
    """A change that cannot be applied; the message is the quarantine reason."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.retryable = retryable


def check_change(c: Change, clock: HybridClock, max_drift_ms: int | None) -> RecordType:
    """The change's record type, or ``Refused`` with the reason (``retryable`` when only the
    clock is at fault). ``max_drift_ms`` None skips the clock check."""
    rt = registry.RECORD_TYPES.get(c.table)
    if rt is None:
        raise Refused(f"unknown kind of record {c.table!r}")
    if not is_uuid(c.row_id):
        raise Refused("the record id is not a UUID")
    f = c.fields
    # one stamp, replacing nothing: read as its values
    uniform = f if type(f) is UniformFields else None
    given = uniform.plain if uniform is not None else f
    if not given or not isinstance(given, Mapping):
        raise Refused("a change needs fields")
    yp = c.young_person_id
    if yp is not None and not is_uuid(yp):
        raise Refused("the young person's id is not a UUID")
    if len(c.actor) > MAX_ACTOR or not registry.storable(c.actor):
        raise Refused(f"the change's author is not a name of at most {MAX_ACTOR} characters "
                      "without a character that cannot be saved")
    if len(given) > MAX_FIELDS:
        raise Refused("too many fields in one change")
    scope = rt.scope
    if scope == "id" and yp != c.row_id:
        raise Refused("a young person's change must name that young person")
    if scope not in (None, "id") and not yp:
        raise Refused("the change does not say which young person it belongs to")
    if scope is None and yp is not None:
        raise Refused("a team-wide record belongs to no young person")
    values: Mapping[str, Any]
    if uniform is not None:
        if not is_stamp(uniform.stamp):
            raise Refused("the change has no valid stamp")
        values = uniform.plain
    else:
        values = _checked_versions(f)
    if scope not in (None, "id") and values.get("young_person_id", yp) != yp:
        raise Refused("the record's young person does not match the change")
    if c.seen is not None and not all(
        isinstance(k, str) and is_stamp(v) for k, v in c.seen.items()
    ):
        raise Refused("the removal's record of what it had seen is malformed")
    problems = rt.check_fields(values)
    if problems:
        raise Refused(" ".join(problems))
    if max_drift_ms is not None:
        try:
            clock.check_drift(uniform.stamp if uniform is not None else c.max_stamp(),
                              max_drift_ms)
        except ClockSkew as exc:
            raise Refused(str(exc), retryable=True) from None
    return rt


def _checked_versions(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Each field's value, once its ``[value, stamp, bases]`` is found well-formed."""
    values = {}
    good: object = None  # the last stamp found well-formed: a change's fields mostly share one
    for key, version in fields.items():
        if not isinstance(version, (list, tuple)) or len(version) != 3:
            raise Refused(f"field {key!r} is not [value, stamp, bases]")
        value, stamp, bases = version
        if stamp != good:
            if not is_stamp(stamp):
                raise Refused(f"field {key!r} has no valid stamp")
            good = stamp
        if not isinstance(bases, (list, tuple)) or not all(is_stamp(b) for b in bases):
            raise Refused(f"field {key!r} has invalid bases")
        if any(b >= stamp for b in bases):
            raise Refused(f"field {key!r} replaces a version that is not older")
        values[key] = value
    return values
