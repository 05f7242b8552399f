"""Letting an offscreen window get somewhere: shared by the screenshot tools."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop


def settle(until: Callable[[], bool] = lambda: True, timeout: float = 10.0) -> None:
    """Run the event loop until ``until()`` holds or ``timeout`` seconds pass, then a little
    more, so what the last event asked for is painted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if until():
            break
    for _ in range(5):
        QCoreApplication.processEvents()
