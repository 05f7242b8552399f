"""One registry of the record types that sync: their fields, rules, and how they merge.

Pure: imports no store code (no SQLAlchemy, no schema), so the hub applies exactly the rules the
devices apply. For each synced table it says which fields sync and how each is encoded on the
wire, a validator (the rules the forms used to hold), whether the record is append-only, and its
scope column (the young person it belongs to, or none for team-wide records).

Wire values are JSON: text, numbers, booleans, ``None``, dates as ``YYYY-MM-DD`` and times as
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC), exactly as the store keeps them, so applying a change needs
no conversion. Set-valued fields (the custody checklist, languages) merge element by element:
each element is its own field ``name[element]`` with its own stamp.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from models.care_leaver_return import record_problems
from models.domain import (
    ActionStatus,
    AddedBy,
    DocumentCategory,
    KeyDateKind,
    LegalStatus,
    Matter,
    MemoryKind,
    NoteKind,
)
from models.errors import InvalidRecord
from models.rules import AGE_OUT, EetStatus, age_on


class Kind(StrEnum):
    TEXT = "text"
    BOOL = "bool"
    INT = "int"
    DATE = "date"
    DATETIME = "datetime"
    JSON = "json"
    FLAGS = "flags"  # {element: bool}, merged per element
    SET = "set"  # [element, ...], merged per element (present or not)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind = Kind.TEXT
    nullable: bool = False
    # Bookkeeping fields (who created a record and when) never make a clash worth a person's time.
    user_visible: bool = True
    max_length: int | None = None


Validator = Callable[
    [Mapping[str, Any], "date | None", "frozenset[str] | None"],
    "list[str] | list[tuple[str, str]]",
]


@dataclass(frozen=True)
class RecordType:
    table: str
    label: str
    fields: Mapping[str, FieldSpec]
    validate: Validator
    append_only: bool = False
    # Fields that never change once written, even on records that are not append-only.
    immutable: frozenset[str] = frozenset()
    # None: a team-wide record (no young person); "id": the record *is* the young person.
    scope: str | None = "young_person_id"
    # Whether a record may be removed (a tombstone). Append-only legal records may not.
    removable: bool = True
    # Other synced tables this one refers to: {column: table}.
    refers_to: Mapping[str, str] = field(default_factory=dict)

    def check_fields(self, values: Mapping[str, Any]) -> list[str]:
        """Per-field problems (type, vocabulary, length): the same on every device, in any order."""
        problems = []
        fields = self.fields
        plain = _plain_rules(self)
        for key, value in values.items():
            # The usual case first, spelled out (a sync checks hundreds of thousands of fields):
            # text within its length, a well-formed time. Anything else takes the full check.
            rule = plain.get(key)
            if rule is not None and type(value) is str:
                if rule > 0:
                    if len(value) <= rule and storable(value):
                        continue
                elif len(value) == 27 and _DATETIME.match(value) and _real_time(value):
                    continue
            # Most keys are plain fields: split only the ones that name an element.
            name, element = split_element(key) if "[" in key else (key, None)
            spec = fields.get(name)
            if spec is None or name in BOOKKEEPING_NOT_SYNCED:
                problems.append(f"{self.label}: unknown field {name!r}.")
                continue
            if element is not None:
                label = field_label_of(self.table, name)
                if not storable(element):
                    problems.append(f"{self.label}: {label}[…] {BROKEN_TEXT}.")
                elif spec.kind not in (Kind.FLAGS, Kind.SET):
                    problems.append(f"{self.label}: {label} has no elements.")
                elif not isinstance(value, bool) or not element:
                    problems.append(f"{self.label}: {label}[…] must be true or false.")
                continue
            problem = _check_value(spec, value)
            if problem:
                problems.append(f"{self.label}: {field_label_of(self.table, name)} {problem}.")
        return problems


# What a person calls each field: the forms' labels. Rule messages and the conflicts view name
# fields this way; a field not listed is named from its column ("review_date": "Review date").
FIELD_LABELS: dict[str, dict[str, str]] = {
    "young_people": {
        "legal_name": "Legal name",
        "preferred_name": "Preferred name",
        "date_of_birth": "Date of birth",
        "pronouns": "Pronouns",
        "religion": "Religion",
        "ethnicity": "Ethnicity",
        "phone": "Phone number",
        "email": "Email address",
        "address": "Address",
        "legal_status": "Legal status",
        "allocated_pa": "Personal adviser",
        "allocated_pa_phone": "Personal adviser's phone",
        "allocated_pa_email": "Personal adviser's email",
        "in_custody": "In custody",
        "prison": "Prison or YOI",
        "prison_number": "Prison number",
        "release_date": "Release date",
        "release_accommodation_plan": "Accommodation plan for release",
        "is_parent": "A parent",
        "expecting_child": "Expecting a child",
        "uasc": "UASC (came to the UK alone)",
        "twenty_one_plus_requested": "Wants support after 21 (21Plus)",
        "accommodation_type": "Accommodation",
        "accommodation_suitable": "Accommodation suitable",
        "eet_status": "Education, employment or training",
        "needs_assessment_done": "Needs assessment done",
        "cover_photo_sha256": "Cover photo",
    },
    "important_people": {
        "name": "Name",
        "relationship": "Relationship",
        "how_to_contact": "How to contact",
        "notes": "Notes",
        "is_emergency_contact": "Emergency contact",
    },
    "plans": {
        "life_summary": "Life summary",
        "review_date": "Review date",
        "last_reviewed_on": "Last reviewed",
    },
    "plan_sections": {"strengths": "What's going well", "goals": "Goals in their own words"},
    "plan_actions": {
        "who": "Who",
        "what": "What",
        "by_when": "By when",
        "status": "Status",
        "position": "Order in the list",
    },
    "documents": {
        "title": "Title",
        "caption": "Caption",
        "category": "Category",
        "document_date": "Date of the document",
    },
    "memory_items": {"caption": "Caption", "memory_date": "Date"},
    "key_dates": {
        "kind": "Kind of date",
        "label": "Name of the day",
        "on_date": "Date",
        "recurring": "Every year",
        "plan_for_day": "Plan for the day",
    },
    "team_services": {"name": "Service name", "phone": "Phone number"},
    # as the note editor labels them
    "contact_notes": {
        "kind": "Kind of contact",
        "occurred_at": "Date and time",
        "place": "Place",
        "summary": "Summary",
        "narrative": "Note text",
        "author": "Written by",
    },
}


def field_label_of(table: str, name: str) -> str:
    """A field as a person knows it: "Note text", not ``narrative``."""
    return FIELD_LABELS.get(table, {}).get(name) or name.replace("_", " ").capitalize()


BOOKKEEPING_NOT_SYNCED = frozenset({"stamps"})

_PLAIN_RULES: dict[int, tuple[RecordType, dict[str, int]]] = {}


def _plain_rules(rt: RecordType) -> dict[str, int]:
    """Per field checked by a shortcut: a text field's length limit, or 0 for a time."""
    found = _PLAIN_RULES.get(id(rt))
    if found is not None and found[0] is rt:
        return found[1]
    rules = {}
    for name, spec in rt.fields.items():
        if name in BOOKKEEPING_NOT_SYNCED:
            continue
        if spec.kind is Kind.TEXT:
            rules[name] = spec.max_length or MAX_TEXT
        elif spec.kind is Kind.DATETIME:
            rules[name] = 0
    _PLAIN_RULES[id(rt)] = (rt, rules)
    return rules


def _real_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def split_element(key: str) -> tuple[str, str | None]:
    """``"languages[Tigrinya]"`` -> ``("languages", "Tigrinya")``; a field -> ``(key, None)``."""
    name, bracket, rest = key.partition("[")
    if not bracket:
        return key, None
    return name, rest[:-1] if rest.endswith("]") else rest


def element_key(name: str, element: str) -> str:
    return f"{name}[{element}]"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_PHONE = re.compile(r"^[0-9+() \-]{3,20}$")
MAX_TEXT = 200_000  # a long narrative is a few thousand characters; 200k is surely a mistake


# JSON may carry what no text column keeps: half of a UTF-16 pair alone (``"\\ud800"``), which
# has no UTF-8 form (SQLite would store bytes that every later read of that young person's
# records fails on), or NUL, which PostgreSQL refuses. No keyboard types either.
BROKEN_TEXT = (
    "contains a hidden character that cannot be saved, often from pasted text: type that part "
    "again"
)


def storable(text: str) -> bool:
    """Whether a text column can keep ``text``: no NUL, and a UTF-8 form (no lone surrogate)."""
    if "\x00" in text:
        return False
    if text.isascii():  # known without reading it
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _check_value(spec: FieldSpec, value: Any) -> str | None:
    if value is None:
        return None if spec.nullable or spec.kind in (Kind.JSON,) else "cannot be empty"
    kind = spec.kind
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            return "must be text"
        limit = spec.max_length or MAX_TEXT
        if len(value) > limit:
            return f"is longer than {limit} characters"
        if not storable(value):
            return BROKEN_TEXT
    elif kind is Kind.BOOL:
        if not isinstance(value, bool):
            return "must be true or false"
    elif kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
            return "must be a whole number"
    elif kind is Kind.DATE:
        if not isinstance(value, str) or not _DATE.match(value):
            return "must be a date (YYYY-MM-DD)"
        try:
            date.fromisoformat(value)
        except ValueError:
            return "is not a real date"
    elif kind is Kind.DATETIME:
        if not isinstance(value, str) or not _DATETIME.match(value):
            return "must be a UTC time"
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return "is not a real time"
    elif kind in (Kind.FLAGS, Kind.SET):
        return "is merged per element; send name[element] instead"
    return None


# -- encoding: Python values <-> wire values ---------------------------------------------------


def encode(kind: Kind, value: Any) -> Any:
    """A Python value as the wire (and storage) value."""
    if value is None:
        return None
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date) else value
    if kind is Kind.DATETIME:
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return value
    if kind is Kind.BOOL:
        return bool(value)
    return value


def decode(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATE:
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind is Kind.DATETIME:
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    return value


def flatten(spec: FieldSpec, value: Any) -> dict[str, bool]:
    """A set-valued field's whole value as its elements: ``{name[element]: present}``."""
    if spec.kind is Kind.FLAGS:
        return {element_key(spec.name, k): bool(v) for k, v in (value or {}).items()}
    return {element_key(spec.name, k): True for k in (value or [])}


def assemble(spec: FieldSpec, elements: Mapping[str, bool], stamps: Mapping[str, str]) -> Any:
    """The whole value from its elements. Sets keep the order elements were first added in
    (by stamp, then text), which every device computes alike."""
    if spec.kind is Kind.FLAGS:
        return {split_element(k)[1]: v for k, v in sorted(elements.items())}
    present = [k for k, v in elements.items() if v]
    present.sort(key=lambda k: (stamps.get(k, ""), k))
    return [split_element(k)[1] for k in present]


# -- validators -----------------------------------------------------------------------------


def _enum_problem(
    enum: type[StrEnum], value: Any, what: str, *, blank_ok: bool = False
) -> list[str]:
    if value is None or (blank_ok and value == ""):
        return []
    try:
        enum(value)
    except ValueError:
        return [f"Unknown {what} {value!r}."]
    return []


def _as_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


YOUNGEST_AGE = 13
OLDEST_AGE = AGE_OUT + 1  # someone older has left the service: the date is probably mistyped


def email_problem(email: str) -> str | None:
    email = (email or "").strip()
    if email and ("@" not in email or "." not in email.rpartition("@")[2]):
        return f"“{email}” does not look like an email address."
    return None


def phone_problem(phone: str) -> str | None:
    phone = (phone or "").strip()
    if phone and not _PHONE.match(phone):
        return "The phone number may hold only digits, spaces, + ( ) and -."
    return None


def _touches(changed: frozenset[str] | None, *names: str) -> bool:
    """Whether a rule about ``names`` applies: to a whole record always, to a change only when
    it touches one of them (an old record is not refused a new phone number for an old flaw)."""
    return changed is None or any(n in changed for n in names)


def _young_person(
    v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if "legal_name" in v and not str(v["legal_name"] or "").strip():
        out.append(("legal_name", "Give the legal name."))
    if "preferred_name" in v and not str(v["preferred_name"] or "").strip():
        out.append(("preferred_name", "Give the name they like to be called."))
    dob = _as_date(v.get("date_of_birth"))
    if "date_of_birth" in v and dob is None:
        out.append(("date_of_birth", "Give the date of birth."))
    if dob is not None and today is not None and _touches(changed, "date_of_birth"):
        if dob > today:
            out.append(("date_of_birth", "The date of birth is in the future; check it."))
        elif not YOUNGEST_AGE <= age_on(dob, today) <= OLDEST_AGE:
            out.append(
                (
                    "date_of_birth",
                    f"That date of birth makes them {age_on(dob, today)}; Pathway Desk is for "
                    f"young people aged {YOUNGEST_AGE} to {AGE_OUT}. Check the year.",
                )
            )
    done = _as_date(v.get("needs_assessment_done"))
    if (
        done is not None
        and today is not None
        and _touches(changed, "needs_assessment_done")
        and done > today
    ):
        out.append(("needs_assessment_done", "The needs assessment date is in the future."))
    if _touches(changed, "email") and (problem := email_problem(v.get("email") or "")):
        out.append(("email", problem))
    if _touches(changed, "phone") and (problem := phone_problem(v.get("phone") or "")):
        out.append(("phone", problem))
    if (
        _touches(changed, "in_custody", "prison")
        and v.get("in_custody")
        and not str(v.get("prison") or "").strip()
    ):
        out.append(("prison", "Give the prison or young offender institution."))
    out += [
        ("eet_status", m)
        for m in _enum_problem(EetStatus, v.get("eet_status"), "education/employment status")
    ]
    if _touches(changed, "legal_status"):
        out += [
            ("legal_status", m)
            for m in _enum_problem(
                LegalStatus, v.get("legal_status"), "legal status", blank_ok=True
            )
        ]
    return out


def _person(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    if "name" in v and not str(v["name"] or "").strip():
        return ["Give the person's name."]
    return []


def _plan(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    return []


def _section(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    if "matter" in v and v["matter"] not in {m.value for m in Matter}:
        return [f"{v['matter']!r} is not one of the ten pathway-plan matters."]
    return []


def _action(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    out = _enum_problem(ActionStatus, v.get("status"), "action status")
    if "what" in v and not str(v["what"] or "").strip():
        out.append("Say what the action is.")
    return out


def _version(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    if "snapshot" in v and not isinstance(v["snapshot"], dict):
        return ["An agreed plan version must hold the plan."]
    return []


def _note(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    out = _enum_problem(NoteKind, v.get("kind"), "kind of contact")
    if ("summary" in v or "narrative" in v) and not (
        str(v.get("summary") or "").strip() or str(v.get("narrative") or "").strip()
    ):
        out.append("Write a summary or the note itself before saving.")
    return out


def _added_by(v: Mapping[str, Any]) -> list[str]:
    out = _enum_problem(AddedBy, v.get("added_by_kind"), "'added by'")
    if (
        v.get("added_by_kind") == AddedBy.PROFESSIONAL
        and not str(v.get("added_by_name") or "").strip()
    ):
        out.append("Name the professional who added this.")
    return out


def _document(
    v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None
) -> list[str]:
    return _enum_problem(DocumentCategory, v.get("category"), "document category") + _added_by(v)


def _memory(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    out = _enum_problem(MemoryKind, v.get("kind"), "kind of memory") + _added_by(v)
    if v.get("kind") == MemoryKind.MEMORY and "body" in v and not str(v["body"] or "").strip():
        out.append("Write the memory before saving it.")
    if (
        v.get("kind") in (MemoryKind.PHOTO, MemoryKind.DOCUMENT)
        and "sha256" in v
        and not v["sha256"]
    ):
        out.append("Choose the photo or document to add.")
    return out


def _key_date(
    v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None
) -> list[str]:
    out = _enum_problem(KeyDateKind, v.get("kind"), "kind of key date")
    if "label" in v and not str(v["label"] or "").strip():
        out.append("Give the key date a name.")
    return out


def _service(v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None) -> list[str]:
    problem = phone_problem(v.get("phone") or "")
    return [problem] if problem else []


def _care_leaver_facts(
    v: Mapping[str, Any], today: date | None, changed: frozenset[str] | None
) -> list[str]:
    out = record_problems(
        str(v.get("in_touch") or ""),
        str(v.get("activity") or ""),
        str(v.get("accommodation") or ""),
        v.get("accommodation_suitable"),
    )
    if "recorded_by" in v and not str(v["recorded_by"] or "").strip():
        out.append("Say who recorded the care-leaver facts.")
    recorded_on = _as_date(v.get("recorded_on"))
    if "recorded_on" in v and recorded_on is None:
        out.append("Give the date the care-leaver facts were recorded.")
    elif recorded_on is not None and today is not None and recorded_on > today:
        out.append("The care-leaver facts cannot be recorded on a date in the future.")
    return out


# -- the tables ------------------------------------------------------------------------------

T, B, N, D, DT = Kind.TEXT, Kind.BOOL, Kind.INT, Kind.DATE, Kind.DATETIME


def _fields(*specs: FieldSpec | tuple[str, Kind] | tuple[str, Kind, bool]) -> dict[str, FieldSpec]:
    out = {
        "created_by": FieldSpec("created_by", T, user_visible=False),
        "created_at": FieldSpec("created_at", DT, user_visible=False),
        "deleted": FieldSpec("deleted", B),
    }
    for s in specs:
        spec = s if isinstance(s, FieldSpec) else FieldSpec(s[0], s[1], *s[2:])
        out[spec.name] = spec
    return out


YP = "young_person_id"
_SCOPE_FIELD = FieldSpec(YP, T, user_visible=False)
_FILE_FIELDS = (
    ("sha256", T, True),
    ("filename", T),
    ("media_type", T),
    ("size", N),
    ("caption", T),
    ("added_by_kind", T),
    ("added_by_name", T),
)

RECORD_TYPES: dict[str, RecordType] = {
    rt.table: rt
    for rt in (
        RecordType(
            "young_people",
            "Young person",
            _fields(
                ("legal_name", T),
                ("preferred_name", T),
                ("date_of_birth", D),
                ("pronouns", T),
                FieldSpec("languages", Kind.SET),
                ("religion", T),
                ("ethnicity", T),
                ("phone", T),
                ("email", T),
                ("address", T),
                ("legal_status", T),
                ("allocated_pa", T),
                ("allocated_pa_phone", T),
                ("allocated_pa_email", T),
                ("in_custody", B),
                ("prison", T),
                ("prison_number", T),
                ("release_date", D, True),
                ("release_accommodation_plan", T),
                FieldSpec("custody_checklist", Kind.FLAGS),
                ("is_parent", B),
                ("expecting_child", B),
                ("uasc", B),
                ("twenty_one_plus_requested", B),
                ("accommodation_type", T),
                ("accommodation_suitable", B, True),
                ("eet_status", T),
                ("needs_assessment_done", D, True),
                ("cover_photo_sha256", T, True),
            ),
            _young_person,
            scope="id",
        ),
        RecordType(
            "important_people",
            "Person who matters",
            _fields(
                _SCOPE_FIELD,
                ("name", T),
                ("relationship", T),
                ("how_to_contact", T),
                ("notes", T),
                ("is_emergency_contact", B),
            ),
            _person,
            immutable=frozenset({YP}),
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "plans",
            "Pathway plan",
            _fields(
                _SCOPE_FIELD,
                ("life_summary", T),
                ("review_date", D, True),
                ("last_reviewed_on", D, True),
            ),
            _plan,
            immutable=frozenset({YP}),
            removable=False,
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "plan_sections",
            "Plan section",
            _fields(
                _SCOPE_FIELD,
                FieldSpec("plan_id", T, user_visible=False),
                FieldSpec("matter", T, user_visible=False),
                ("strengths", T),
                ("goals", T),
            ),
            _section,
            immutable=frozenset({YP, "plan_id", "matter"}),
            removable=False,
            refers_to={YP: "young_people", "plan_id": "plans"},
        ),
        RecordType(
            "plan_actions",
            "Plan action",
            _fields(
                _SCOPE_FIELD,
                FieldSpec("section_id", T, user_visible=False),
                ("who", T),
                ("what", T),
                ("by_when", D, True),
                ("status", T),
                ("position", N),
            ),
            _action,
            immutable=frozenset({YP, "section_id"}),
            refers_to={YP: "young_people", "section_id": "plan_sections"},
        ),
        RecordType(
            "plan_versions",
            "Agreed plan",
            _fields(
                _SCOPE_FIELD,
                ("agreed_on", D),
                ("agreed_with", T),
                ("snapshot", Kind.JSON),
            ),
            _version,
            append_only=True,
            removable=False,
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "contact_notes",
            "Contact note",
            _fields(
                _SCOPE_FIELD,
                ("kind", T),
                ("occurred_at", DT),
                ("place", T),
                ("summary", T),
                ("narrative", T),
                ("author", T),
                ("amends_id", T, True),
            ),
            _note,
            append_only=True,
            removable=False,
            refers_to={YP: "young_people", "amends_id": "contact_notes"},
        ),
        RecordType(
            "documents",
            "Life-story document",
            _fields(
                _SCOPE_FIELD,
                *_FILE_FIELDS,
                ("category", T),
                ("title", T),
                ("document_date", D, True),
            ),
            _document,
            immutable=frozenset(
                {YP, "sha256", "filename", "media_type", "size", "added_by_kind", "added_by_name"}
            ),
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "memory_items",
            "Memory Box item",
            _fields(
                _SCOPE_FIELD,
                *_FILE_FIELDS,
                ("kind", T),
                ("body", T),
                ("memory_date", D, True),
            ),
            _memory,
            # What a young person put in their Memory Box is kept as it was given: only the
            # caption and the date can be corrected, and the item removed (a tombstone).
            immutable=frozenset(
                {
                    YP,
                    "sha256",
                    "filename",
                    "media_type",
                    "size",
                    "added_by_kind",
                    "added_by_name",
                    "kind",
                    "body",
                }
            ),
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "key_dates",
            "Key date",
            _fields(
                _SCOPE_FIELD,
                ("kind", T),
                ("label", T),
                ("on_date", D),
                ("recurring", B),
                ("plan_for_day", T),
            ),
            _key_date,
            immutable=frozenset({YP}),
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "care_leaver_facts",
            "Care-leaver facts",
            _fields(
                _SCOPE_FIELD,
                ("recorded_on", D),
                ("recorded_by", T),
                ("in_touch", T),
                ("activity", T),
                ("accommodation", T),
                ("accommodation_suitable", B, True),
            ),
            _care_leaver_facts,
            append_only=True,
            removable=False,
            refers_to={YP: "young_people"},
        ),
        RecordType(
            "team_services",
            "Team service",
            _fields(("name", T), ("phone", T)),
            _service,
            scope=None,
            removable=False,
        ),
    )
}

# The longest text each short field may hold (as the store's columns declare; a test checks).
# Longer text from another device is quarantined, and refused when typed here.
LENGTHS = {
    "young_people": {
        "legal_name": 300,
        "preferred_name": 300,
        "pronouns": 60,
        "religion": 120,
        "ethnicity": 120,
        "phone": 60,
        "email": 200,
        "legal_status": 40,
        "allocated_pa": 200,
        "allocated_pa_phone": 60,
        "allocated_pa_email": 200,
        "prison": 200,
        "prison_number": 40,
        "accommodation_type": 120,
        "eet_status": 40,
        "cover_photo_sha256": 64,
    },
    "important_people": {"name": 300, "relationship": 120, "how_to_contact": 300},
    "plan_sections": {"plan_id": 36, "matter": 40},
    "plan_actions": {"section_id": 36, "who": 200, "status": 20},
    "plan_versions": {"agreed_with": 300},
    "contact_notes": {"kind": 30, "place": 300, "summary": 500, "author": 200, "amends_id": 36},
    "documents": {
        "sha256": 64,
        "filename": 300,
        "media_type": 100,
        "added_by_kind": 20,
        "added_by_name": 200,
        "category": 40,
        "title": 300,
    },
    "memory_items": {
        "sha256": 64,
        "filename": 300,
        "media_type": 100,
        "added_by_kind": 20,
        "added_by_name": 200,
        "kind": 20,
    },
    "key_dates": {"kind": 30, "label": 200},
    "care_leaver_facts": {"recorded_by": 200, "in_touch": 4, "activity": 2, "accommodation": 1},
    "team_services": {"name": 200, "phone": 60},
}
for _table in RECORD_TYPES:
    _fields_of = dict(RECORD_TYPES[_table].fields)
    _limits = {
        **LENGTHS.get(_table, {}),
        "created_by": 200,
        **({YP: 36} if YP in _fields_of else {}),
    }
    for _name, _limit in _limits.items():
        _fields_of[_name] = replace(_fields_of[_name], max_length=_limit)
    RECORD_TYPES[_table] = replace(RECORD_TYPES[_table], fields=_fields_of)

SYNCED_TABLES = tuple(RECORD_TYPES)


def record_type(table: str) -> RecordType:
    try:
        return RECORD_TYPES[table]
    except KeyError:
        raise InvalidRecord(f"{table!r} is not a kind of record Pathway Desk keeps.") from None


def validate(
    table: str,
    values: Mapping[str, Any],
    *,
    today: date | None = None,
    changed: Iterable[str] | None = None,
) -> None:
    """Raise :class:`InvalidRecord` with every problem, one sentence each, if ``values`` (a whole
    record, as Python or wire values) break a rule; see :func:`problems_of`. ``today`` turns
    on the rules that depend on the date (a date of birth in the future); changes from other
    devices are checked without them, so every device reaches the same verdict."""
    problems = problems_of(table, values, today=today, changed=changed)
    if problems:
        raise InvalidRecord(" ".join(problems))


def problems_of(
    table: str,
    values: Mapping[str, Any],
    *,
    today: date | None = None,
    changed: Iterable[str] | None = None,
) -> list[str]:
    """Every rule ``values`` break, one sentence each. ``changed``: the fields being changed in
    a whole record given as ``values`` (rules about other fields are not applied); ``None``
    means ``values`` is a new record and every rule applies."""
    return [
        message for _field, message in field_problems(table, values, today=today, changed=changed)
    ]


def field_problems(
    table: str,
    values: Mapping[str, Any],
    *,
    today: date | None = None,
    changed: Iterable[str] | None = None,
) -> list[tuple[str | None, str]]:
    """:func:`problems_of` with the field each problem is about (``None``: the whole record),
    so a form can put each sentence beside its field."""
    touched = None if changed is None else frozenset(changed)
    return [
        item if isinstance(item, tuple) else (None, item)
        for item in record_type(table).validate(values, today, touched)
    ]


# -- identities derived from a young person's id ---------------------------------------------

_NAMESPACE = uuid.UUID("5b0f7a52-8d8e-4d58-9b7e-2f6b4f0f5a31")


def plan_id_for(young_person_id: str) -> str:
    """The id of a young person's plan: the same on every device that creates it."""
    return str(uuid.uuid5(_NAMESPACE, f"plan/{young_person_id}"))


def section_id_for(young_person_id: str, matter: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"plan_section/{young_person_id}/{matter}"))


OUT_OF_HOURS_ID = str(uuid.uuid5(_NAMESPACE, "team_services/out_of_hours"))


def wire_fields(table: str) -> Iterable[FieldSpec]:
    return record_type(table).fields.values()
