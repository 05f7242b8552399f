"""Hybrid logical clock stamps for per-field merging in sync.

A stamp is a string ``"<13-digit ms>-<5-digit counter>-<node>"`` that sorts lexicographically in
causal order, so comparing two stamps is a string comparison everywhere (client, hub, SQL).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

_COUNTER_MAX = 99999
MAX_DRIFT_MS = 15 * 60 * 1000
"""How far ahead of this device's wall clock a stamp from elsewhere may be. Further ahead means
that device's clock is wrong: its change is quarantined, never absorbed into this clock (which
would drag every later stamp, on every device it syncs with, forward for good)."""


class ClockSkew(ValueError):
    """A stamp from elsewhere is too far ahead of this device's wall clock."""


def format_stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter:05d}-{node}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    ms, counter, node = stamp.split("-", 2)
    return int(ms), int(counter), node


_STAMP_LEN = (13, 5)


# Every stamp this app makes: ASCII digits and an ASCII node. Matching it is the fast way (a
# first sync checks some 300,000 stamps); anything else gets the full check below.
_USUAL_STAMP = re.compile(r"[0-9]{13}-[0-9]{5}-[A-Za-z0-9]+")


def is_stamp(value: object) -> bool:
    """Whether ``value`` is a well-formed stamp (what a change from elsewhere must carry)."""
    if not isinstance(value, str) or len(value) > 64:
        return False
    if _USUAL_STAMP.fullmatch(value):
        return True
    parts = value.split("-", 2)
    return (
        len(parts) == 3
        and len(parts[0]) == _STAMP_LEN[0]
        and len(parts[1]) == _STAMP_LEN[1]
        and parts[0].isdigit()
        and parts[1].isdigit()
        and bool(parts[2])
        and parts[2].isalnum()
        and parts[2].isascii()
    )


class HybridClock:
    """Thread-safe HLC for one device: ``now()`` stamps local changes, ``observe()`` remote ones."""

    def __init__(self, node: str, wall: Callable[[], float] = time.time) -> None:
        if "-" in node or not node:
            raise ValueError("node id must be non-empty and contain no '-'")
        self.node = node
        self._wall = wall
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall_ms = int(self._wall() * 1000)
            if wall_ms > self._ms:
                self._ms, self._counter = wall_ms, 0
            else:
                self._counter += 1
                if self._counter > _COUNTER_MAX:  # more than 100k stamps in one ms: borrow a ms
                    self._ms, self._counter = self._ms + 1, 0
            return format_stamp(self._ms, self._counter, self.node)

    def last(self) -> str:
        """The highest stamp this clock has issued or observed (persisted as a high-water mark)."""
        with self._lock:
            return format_stamp(self._ms, self._counter, self.node)

    def wall_ms(self) -> int:
        return int(self._wall() * 1000)

    def check_drift(self, stamp: str, max_drift_ms: int = MAX_DRIFT_MS) -> None:
        """Raise :class:`ClockSkew` if ``stamp`` is further ahead of the wall clock than allowed."""
        ms, _, node = parse_stamp(stamp)
        ahead = ms - self.wall_ms()
        if ahead > max_drift_ms:
            raise ClockSkew(
                f"a change stamped {ahead // 60000} minutes ahead of this laptop's clock "
                f"(device {node}): that device's clock is wrong"
            )

    def resume_from(self, stamp: str) -> None:
        """Continue after this device's own saved high-water mark, however far ahead of the wall
        clock it is (a clock set back must never reorder this device's own changes)."""
        ms, counter, _ = parse_stamp(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter

    def observe(self, stamp: str, max_drift_ms: int = MAX_DRIFT_MS) -> None:
        """Move the clock past a stamp received from elsewhere so later local stamps sort after.

        A stamp too far ahead of the wall clock raises :class:`ClockSkew` and moves nothing."""
        self.check_drift(stamp, max_drift_ms)
        ms, counter, _ = parse_stamp(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter
