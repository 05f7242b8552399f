"""Words about a stored item, shared by the documents panel, the memory box and the viewer:
who added it, when, its date, its size. Pure functions (no widgets)."""

from __future__ import annotations

from desktop.bidi import isolate
from desktop.dates import format_day
from models.domain import AddedBy
from models.records import StoredFile


def added_by_text(item: StoredFile, young_person_name: str = "") -> str:
    if item.added_by_kind == AddedBy.YOUNG_PERSON:
        name = item.added_by_name or young_person_name
        return f"{isolate(name)} (the young person)" if name else "the young person"
    return isolate(item.added_by_name) if item.added_by_name else "a professional"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def item_meta_text(item: StoredFile, young_person_name: str = "") -> str:
    """One or two sentences: the caption, then "Added by … on …", the date, the file."""
    parts = []
    if item.caption and item.caption != item.title:
        caption = isolate(item.caption.strip())
        parts.append(caption if caption[-1:] in ".!?" else caption + ".")
    when = format_day(item.added_at.astimezone())
    added = f"Added by {added_by_text(item, young_person_name)} on {when}."
    if item.dated:
        added = f"Dated {format_day(item.dated)}. " + added
    parts.append(added)
    if item.sha256:
        parts.append(f"File: {isolate(item.filename) or 'unnamed'}, {size_text(item.size)}.")
    return " ".join(parts)
