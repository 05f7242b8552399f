"""Rate limits shared by every hub process: fixed-window counters in the database.

Each attempt increments its counters with one atomic upsert, committed before the attempt is
judged, so failed attempts count and two processes never both let the same excess through.
"""

from __future__ import annotations

import time

from sqlalchemy import delete
from sqlalchemy.orm import Session

from sync.hub.db import dialect_insert
from sync.hub.tables import RateCount


def hit(session: Session, bucket: str, window_seconds: int, now: float | None = None) -> int:
    """Count one attempt in ``bucket``'s current window; returns the count including it."""
    window = int((time.time() if now is None else now) // window_seconds)
    stmt = dialect_insert(session, RateCount).values(bucket=bucket[:120], window_start=window,
                                                     count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[RateCount.bucket, RateCount.window_start],
        set_={"count": RateCount.count + 1},
    ).returning(RateCount.count)
    count: int = session.execute(stmt).scalar_one()
    # Windows before the previous one are never read again.
    session.execute(delete(RateCount).where(RateCount.bucket == bucket[:120],
                                            RateCount.window_start < window - 1))
    return count


def seconds_left(window_seconds: int, now: float | None = None) -> int:
    t = time.time() if now is None else now
    return max(1, int(window_seconds - (t % window_seconds)))
