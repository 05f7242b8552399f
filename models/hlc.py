"""Hybrid logical clock stamps for per-field merging in sync.

A stamp is a string ``"<13-digit ms>-<5-digit counter>-<node>"`` that sorts lexicographically in
causal order, so comparing two stamps is a string comparison everywhere (client, hub, SQL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_COUNTER_MAX = 99999


def format_stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter:05d}-{node}"


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    ms, counter, node = stamp.split("-", 2)
    return int(ms), int(counter), node


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

    def observe(self, stamp: str) -> None:
        """Move the clock past a stamp received from elsewhere so later local stamps sort after."""
        ms, counter, _ = parse_stamp(stamp)
        with self._lock:
            if (ms, counter) > (self._ms, self._counter):
                self._ms, self._counter = ms, counter
