"""Differences between two pathway-plan snapshots, section by section, word by word.

Input: two snapshots as :func:`models.repo.plans.snapshot` makes them (an agreed version's frozen
data, or the working copy). Output: one :class:`SectionDiff` per part of the plan (the overview,
the ten matters in statutory order, the people who matter), each a list of :class:`FieldDiff`
whose text is split into segments marked ``same``, ``removed`` or ``added``. The GUI decides how to
show them; nothing here knows about Qt or HTML. Pure functions, safe on any thread.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from models.domain import ActionStatus, Matter

SAME = "same"
REMOVED = "removed"
ADDED = "added"

# Words, runs of white space, and single punctuation marks: a changed word is highlighted alone,
# and a re-wrapped line does not mark a whole paragraph as changed.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str  # SAME, REMOVED (only on the old side) or ADDED (only on the new side)


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str
    new: str
    old_segments: tuple[Segment, ...]
    new_segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class SectionDiff:
    key: str  # "overview", a Matter value, or "people"
    title: str
    fields: tuple[FieldDiff, ...]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and out[-1].kind == seg.kind:
            out[-1] = Segment(out[-1].text + seg.text, seg.kind)
        else:
            out.append(seg)
    return tuple(out)


def text_segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Split ``old`` and ``new`` into segments; joining each side's texts gives it back."""
    a = _TOKENS.findall(old)
    b = _TOKENS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = "".join(a[i1:i2])
        new_part = "".join(b[j1:j2])
        if op == "equal":
            left.append(Segment(old_part, SAME))
            right.append(Segment(new_part, SAME))
        else:  # "replace", "delete", "insert"
            left.append(Segment(old_part, REMOVED))
            right.append(Segment(new_part, ADDED))
    return _merge(left), _merge(right)


def field_diff(label: str, old: str, new: str) -> FieldDiff:
    old_segments, new_segments = text_segments(old, new)
    return FieldDiff(label, old, new, old_segments, new_segments)


def format_day(value: str | date | None) -> str:
    """``2026-03-12`` -> ``12 Mar 2026`` (no platform-specific strftime flags); "" for none."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {day:%b %Y}"


def _status_label(status: str) -> str:
    try:
        return ActionStatus(status).label
    except ValueError:
        return status


def action_line(action: Mapping[str, Any]) -> str:
    """One action as a line of text: "What (who; by 12 Mar 2026; In progress)"."""
    details = [str(action.get("who") or "").strip() or "no one named"]
    if action.get("by_when"):
        details.append(f"by {format_day(action['by_when'])}")
    details.append(_status_label(str(action.get("status") or ActionStatus.NOT_STARTED)))
    return f"{action.get('what', '')} ({'; '.join(details)})"


def _actions_text(section: Mapping[str, Any]) -> str:
    return "\n".join(action_line(a) for a in section.get("actions", ()))


def _people_text(people: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for p in people:
        extra = ", ".join(x for x in (p.get("relationship"), p.get("how_to_contact")) if x)
        lines.append(f"{p.get('name', '')} ({extra})" if extra else str(p.get("name", "")))
    return "\n".join(lines)


def _sections_by_matter(snapshot: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(s.get("matter")): s for s in snapshot.get("sections", ())}


def diff_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[SectionDiff, ...]:
    """Compare two plan snapshots; an empty mapping stands for "no plan yet"."""
    out = [
        SectionDiff(
            "overview",
            "Life summary and review",
            (
                field_diff(
                    "Life summary", old.get("life_summary") or "", new.get("life_summary") or ""
                ),
                field_diff(
                    "Next review",
                    format_day(old.get("review_date")),
                    format_day(new.get("review_date")),
                ),
            ),
        )
    ]
    old_sections = _sections_by_matter(old)
    new_sections = _sections_by_matter(new)
    for matter in Matter:
        a = old_sections.get(matter.value, {})
        b = new_sections.get(matter.value, {})
        out.append(
            SectionDiff(
                matter.value,
                matter.label,
                (
                    field_diff(
                        "What's going well", a.get("strengths") or "", b.get("strengths") or ""
                    ),
                    field_diff(
                        "Goals, in their own words", a.get("goals") or "", b.get("goals") or ""
                    ),
                    field_diff("Actions", _actions_text(a), _actions_text(b)),
                ),
            )
        )
    out.append(
        SectionDiff(
            "people",
            "People who matter",
            (
                field_diff(
                    "People",
                    _people_text(old.get("people", ())),
                    _people_text(new.get("people", ())),
                ),
            ),
        )
    )
    return tuple(out)


def changed_sections(diffs: Sequence[SectionDiff]) -> tuple[str, ...]:
    """Titles of the sections that differ, in plan order (for a one-line summary)."""
    return tuple(d.title for d in diffs if d.changed)
