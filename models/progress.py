"""Progress reporting and cancellation for long domain jobs (import, export, demo, print).

Domain code calls ``progress(done, total)`` and checks ``cancel.raise_if_cancelled()``; only
``desktop/`` turns that into Qt signals and progress bars. Both are plain, thread-safe objects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from models.errors import Cancelled

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``; ``total`` is 0 when unknown. Called from the worker thread."""


def no_progress(done: int, total: int) -> None:
    """A progress callback that ignores progress."""


class CancelToken:
    """Set from any thread; the worker checks it between chunks and raises :class:`Cancelled`."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


NEVER_CANCELLED = CancelToken()
