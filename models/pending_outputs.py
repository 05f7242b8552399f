"""Readable files being written outside the store (a printed PDF, a subject-access zip).

Before a job writes its hidden temporary file beside the output, the temporary file's path is
noted here, in the encrypted store; it is forgotten once the output is published. A job cut short
(a crash, ``kill -9``, a power cut) leaves its path here, so the next job or the next start can
remove the leftover and tell the adviser where readable data may have been left.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from models.schema import Meta

PENDING_KEY = "pending_outputs"


def pending(s: Session) -> list[str]:
    row = s.get(Meta, PENDING_KEY)
    if row is None:
        return []
    try:
        value = json.loads(row.value)
    except ValueError:
        return []
    return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []


def _store(s: Session, paths: list[str]) -> None:
    s.merge(Meta(key=PENDING_KEY, value=json.dumps(sorted(set(paths)))))


def add_pending(s: Session, path: str) -> None:
    _store(s, [*pending(s), path])


def remove_pending(s: Session, *paths: str) -> None:
    _store(s, [p for p in pending(s) if p not in paths])
