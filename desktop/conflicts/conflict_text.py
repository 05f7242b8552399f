"""What a sync conflict says in plain words: which record and field, each side's value, who
wrote it where and when, and the difference between two texts word by word. No Qt; names and
typed values are bidi-isolated (:func:`desktop.bidi.isolate`) wherever they go into a sentence.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from desktop.bidi import isolate
from desktop.dates import format_day, format_moment
from models.domain import (
    CUSTODY_CHECKLIST,
    ActionStatus,
    DocumentCategory,
    Matter,
    NoteKind,
    legal_status_label,
)
from models.registry import field_label_of, split_element
from models.repo.conflicts import ConflictDetail, ConflictSide
from models.rules import EetStatus

EMPTY = "(left empty)"

# What a record is called in a sentence ("important person 'Aunt Sara'").
RECORD_NOUNS = {
    "young_people": "profile",
    "important_people": "important person",
    "plans": "Plan",
    "plan_sections": "Plan",
    "plan_actions": "plan action",
    "documents": "life-story document",
    "memory_items": "Memory Box item",
    "key_dates": "key date",
    "team_services": "team service",
}

_ENUM_LABELS: dict[tuple[str, str], Any] = {
    ("plan_actions", "status"): ActionStatus,
    ("documents", "category"): DocumentCategory,
    ("contact_notes", "kind"): NoteKind,
    ("young_people", "eet_status"): EetStatus,
}
_CHECKLIST = dict(CUSTODY_CHECKLIST)


def _quoted(text: str) -> str:
    return f"‘{isolate(text)}’"


def field_label(d: ConflictDetail) -> str:
    """The field in plain words: "Phone number", "Checklist: Bank account in place…"."""
    if d.removal or d.field == "deleted":
        return "Removed or kept"
    name, element = split_element(d.field)
    if name == "custody_checklist" and element is not None:
        return f"Custody checklist: {_CHECKLIST.get(element, element)}"
    if name == "languages" and element is not None:
        return f"Language: {isolate(element)}"
    return field_label_of(d.table, name)


def record_label(d: ConflictDetail, *, capital: bool = True) -> str:
    """Which record, e.g. "Profile", "Plan – Health section", "Important person ‘Aunt Sara’"."""
    if d.table == "plan_sections":
        try:
            matter = Matter(d.record_title).label
        except ValueError:
            matter = d.record_title
        return f"Plan – {matter} section"
    noun = RECORD_NOUNS.get(d.table, d.table.replace("_", " "))
    if capital:
        noun = noun[0].upper() + noun[1:]
    if d.table in ("young_people", "plans") or not d.record_title:
        return noun
    return f"{noun} {_quoted(d.record_title)}"


def headline(d: ConflictDetail) -> str:
    """One line naming the conflict: "Phone number", "Plan – Health section: Goals…",
    "Removed: important person ‘Aunt Sara’"."""
    if d.removal or d.field == "deleted":
        return f"Removed: {record_label(d, capital=False)}"
    if d.table == "young_people":
        return field_label(d)
    return f"{record_label(d)}: {field_label(d)}"


def value_text(d: ConflictDetail, side: ConflictSide) -> str:
    """A side's value as a person reads it."""
    value = side.value
    name, element = split_element(d.field)
    if d.field == "deleted":
        if value:
            return "Removed"
        changed = [field_label_of(d.table, n) for n in d.changed_since_removal]
        if changed:
            return f"Still on the record. Changed after it was removed: {', '.join(changed)}"
        return "Still on the record, changed after it was removed"
    if element is not None:
        if name == "custody_checklist":
            return "Done" if value else "Not done"
        return "Listed" if value else "Not listed"
    if value is None or value == "":
        if (d.table, name) == ("young_people", "accommodation_suitable"):
            return "Not assessed"
        return EMPTY
    if isinstance(value, bool):
        if (d.table, name) == ("young_people", "accommodation_suitable"):
            return "Suitable" if value else "Not suitable"
        return "Yes" if value else "No"
    if d.field_kind == "date":
        try:
            return format_day(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if d.field_kind == "datetime":
        try:
            return format_moment(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if (d.table, name) == ("young_people", "legal_status"):
        return legal_status_label(str(value))
    enum = _ENUM_LABELS.get((d.table, name))
    if enum is not None:
        try:
            return enum(value).label
        except ValueError:
            pass
    return str(value)


def moment_of(ms: int) -> str:
    return format_moment(datetime.fromtimestamp(ms / 1000, tz=UTC)) if ms else "at a time not known"


def device_text(side: ConflictSide) -> str:
    if side.this_device:
        return "this laptop"
    if side.device:
        return f"another device ({side.device[:8]})"
    return "a device not known"


def side_caption(side: ConflictSide) -> str:
    """ "By Bea Adviser on another device (3f2a9c01), Mon 2 Nov 2026, 14:30"."""
    who = isolate(side.by) if side.by else "someone"
    return f"By {who} on {device_text(side)}, {moment_of(side.at_ms)}"


def combined_prefill(d: ConflictDetail) -> str:
    """Both texts, the one shown now first, to edit into one."""
    now = value_text(d, d.current) if d.current.value else ""
    other = value_text(d, d.other) if d.other.value else ""
    if not now or not other or now == other:
        return now or other
    return f"{now}\n\n{other}"


# -- the difference, word by word -------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "removed" (only in the version shown now), "added" (only in the other)
    text: str


_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(now: str, other: str) -> list[Piece]:
    """From the version shown now to the other one, word by word (spaces kept)."""
    a, b = _TOKEN.findall(now or ""), _TOKEN.findall(other or "")
    out: list[Piece] = []
    matcher = difflib.SequenceMatcher(lambda t: t.isspace(), a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Piece("same", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.append(Piece("removed", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            out.append(Piece("added", "".join(b[j1:j2])))
    return out


def diff_html(pieces: list[Piece], *, added_colour: str, removed_colour: str) -> str:
    """Rich text: removed words struck through, added words underlined and bold, each in its
    colour too, with [− …] and [+ …] markers so it reads without colour or styling."""
    parts = []
    for p in pieces:
        text = html.escape(p.text).replace("\n", "<br>")
        if p.op == "same":
            parts.append(text)
        elif p.op == "removed":
            parts.append(
                f'<span style="color:{removed_colour}">[−&nbsp;<s>{text.strip()}</s>]</span>'
                + (" " if p.text.endswith((" ", "\n")) else "")
            )
        else:
            parts.append(
                f'<span style="color:{added_colour}">[+&nbsp;<u><b>{text.strip()}</b></u>]</span>'
                + (" " if p.text.endswith((" ", "\n")) else "")
            )
    return '<span dir="ltr">' + "".join(parts) + "</span>"


def _words(text: str) -> int:
    return len(text.split())


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def diff_summary(pieces: list[Piece]) -> str:
    """The difference in plain language, for screen readers and anyone who prefers words."""
    added = [p.text for p in pieces if p.op == "added" and p.text.strip()]
    removed = [p.text for p in pieces if p.op == "removed" and p.text.strip()]
    if not added and not removed:
        return "The two versions have the same words (they differ only in spacing)."
    parts = []
    if added:
        n = sum(_words(t) for t in added)
        parts.append(
            f"the other version adds {n} word{'s' if n != 1 else ''}: "
            + "; ".join(_quoted(_excerpt(t)) for t in added[:3])
            + ("; and more" if len(added) > 3 else "")
        )
    if removed:
        n = sum(_words(t) for t in removed)
        parts.append(
            f"it leaves out {n} word{'s' if n != 1 else ''} of the version shown now: "
            + "; ".join(_quoted(_excerpt(t)) for t in removed[:3])
            + ("; and more" if len(removed) > 3 else "")
        )
    text = " and ".join(parts) + "."
    return text[0].upper() + text[1:]
