"""The words the sync status uses, as pure functions (tested without a window)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from desktop.dates import format_moment

_CANNOT_REACH = ("Cannot reach the hub", "The connection to the hub was lost",
                 "The hub is busy or unwell")
SHORT_ERROR_CHARS = 40


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def last_sync_text(enrolled: bool, last_sync_at: str | None, now: datetime | None = None) -> str:
    """ "Not enrolled", "Never synced", "Synced just now", "Synced 5 min ago", "Synced 3 h ago",
    "Synced 2 days ago"."""
    if not enrolled:
        return "Not enrolled"
    moment = parse_time(last_sync_at)
    if moment is None:
        return "Never synced"
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    minutes = int(seconds // 60)
    if minutes < 1:
        return "Synced just now"
    if minutes < 60:
        return f"Synced {minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"Synced {hours} h ago"
    days = hours // 24
    return f"Synced {days} day{'s' if days != 1 else ''} ago"


def last_sync_detail(enrolled: bool, hub_url: str, last_sync_at: str | None) -> str:
    """The tooltip: when exactly, and with which hub."""
    if not enrolled:
        return "This laptop is not enrolled with a hub: Sync ▸ Enrol this laptop…"
    moment = parse_time(last_sync_at)
    when = f"Last synced {format_moment(moment)}" if moment else "Not synced yet"
    return f"{when} with the hub at {hub_url}."


def waiting_text(waiting: int) -> str:
    if waiting <= 0:
        return "Nothing to send"
    return f"{waiting} change{'s' if waiting != 1 else ''} to send"


def conflicts_text(count: int) -> str:
    if count <= 0:
        return "No conflicts"
    return f"{count} conflict{'s' if count != 1 else ''}"


def short_error(sentence: str | None) -> str:
    """A few plain words for the status bar; the whole sentence goes in the tooltip."""
    if not sentence:
        return ""
    text = sentence.strip()
    if text.startswith(_CANNOT_REACH):
        return "Hub not reachable"
    if text.startswith("Sync cancelled"):
        return "Sync cancelled"
    first = re.split(r" \(|: |\. |; ", text, maxsplit=1)[0].rstrip(".")
    if len(first) > SHORT_ERROR_CHARS:
        first = first[: SHORT_ERROR_CHARS - 1].rstrip() + "…"
    return first


def progress_text(stage: str, done: int, total: int) -> str:
    if total > 0:
        return f"{stage}: {min(done, total)} of {total}"
    return f"{stage}…"
