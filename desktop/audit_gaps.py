"""Audit events that could not be written because the disk was full.

Reading must still work on a full disk, but its audit event cannot be saved. The gap is noted
(action, time, store id: no record contents) in a small file in the log folder, if even that
fits, and written into the store's audit trail as an ``audit-gap`` event the next time the store
is opened with room to spare. Qt-free: the CLI and the GUI share it.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

from desktop.paths import log_dir
from models.errors import PathwayDeskError
from models.repo.audit import record_event

GAPS_FILE_NAME = "audit-gaps.json"
GAP_ACTION = "audit-gap"


def _path() -> Path:
    return log_dir() / GAPS_FILE_NAME


def _read() -> list[dict[str, str]]:
    try:
        value = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [g for g in value if isinstance(g, dict)] if isinstance(value, list) else []


def note_gap(store_id: str, action: str, young_person_id: str | None = None) -> str:
    """Remember that ``action`` went unrecorded; returns the sentence to tell the adviser."""
    gap = {"store_id": store_id, "action": action, "young_person_id": young_person_id or "",
           "at": datetime.now(UTC).isoformat(timespec="seconds")}
    kept = False
    with contextlib.suppress(OSError):
        _path().parent.mkdir(parents=True, exist_ok=True)
        _path().write_text(json.dumps([*_read(), gap]), encoding="utf-8")
        kept = True
    later = ("it will be added to the audit trail when there is space again" if kept
             else "tell IT support so the gap can be noted")
    return (f"the disk is full, so this {action} could not be recorded in the audit trail; "
            f"{later}. Free some space soon: nothing can be saved until you do.")


def flush_gaps(store) -> int:
    """Write this store's noted gaps into its audit trail; returns how many were written."""
    gaps = _read()
    mine = [g for g in gaps if g.get("store_id") == store.store_id]
    if not mine:
        return 0
    try:
        with store.session() as s:
            for g in mine:
                record_event(s, GAP_ACTION, g.get("young_person_id") or None,
                             detail=f"{g.get('action', '?')} at {g.get('at', '?')} was not "
                                    "recorded: the disk was full")
    except PathwayDeskError:
        return 0  # still full: try again next time
    rest = [g for g in gaps if g.get("store_id") != store.store_id]
    with contextlib.suppress(OSError):
        if rest:
            _path().write_text(json.dumps(rest), encoding="utf-8")
        else:
            _path().unlink(missing_ok=True)
    return len(mine)
