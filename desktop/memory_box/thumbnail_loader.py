"""Makes thumbnails off the GUI thread, a couple at a time, newest memories first.

Each job reads the verified plaintext into memory, decodes it straight to thumbnail size and
returns a QImage; ``thumbnail_made(sha256, image)`` then fires on the GUI thread. Nothing is
written to disk and nothing is cached beyond the model that shows them. A file that cannot be
decoded just keeps its placeholder (the full viewer explains what is wrong). GUI thread only.
"""

from __future__ import annotations

import logging
from collections import deque

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from desktop.tasks import TaskRunner
from desktop.viewer.image_loading import thumbnail_image
from models.records import StoredFile
from models.store import Store

log = logging.getLogger(__name__)
IN_FLIGHT = 2


class ThumbnailLoader(QObject):
    thumbnail_made = Signal(str, QImage)
    queue_emptied = Signal()

    def __init__(self, store: Store, tasks: TaskRunner, side: int, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._tasks = tasks
        self._side = side
        self._queue: deque[StoredFile] = deque()
        self._queued: set[str] = set()
        self._running = 0
        self._stopped = False

    def request(self, items: list[StoredFile]) -> None:
        for item in items:
            if item.sha256 and item.sha256 not in self._queued:
                self._queued.add(item.sha256)
                self._queue.append(item)
        self._pump()

    def stop(self) -> None:
        """Forget the queue (the panel is closing or the store locking); running jobs finish."""
        self._stopped = True
        self._queue.clear()

    def idle(self) -> bool:
        return not self._queue and self._running == 0

    def _pump(self) -> None:
        while not self._stopped and self._queue and self._running < IN_FLIGHT:
            if not self._store.is_open:  # locked: the panel is about to be rebuilt
                self.stop()
                return
            item = self._queue.popleft()
            self._running += 1
            sha, media_type, side = item.sha256 or "", item.media_type, self._side
            blobs = self._store.blob_store()
            self._tasks.run(
                lambda _p, _c, b=blobs, s=sha, m=media_type, z=side: thumbnail_image(b, s, m, z),
                on_done=lambda image, s=sha: self._on_done(s, image),
                on_failed=lambda exc, s=sha: self._on_failed(s, exc),
            )

    def _on_done(self, sha256: str, image: QImage | None) -> None:
        if not shiboken6.isValid(self):  # the panel closed while this one was being made
            return
        self._running -= 1
        self._queued.discard(sha256)
        if image is not None and not image.isNull() and not self._stopped:
            self.thumbnail_made.emit(sha256, image)
        self._after()

    def _on_failed(self, sha256: str, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._running -= 1
        log.info("No thumbnail for one memory-box item: %s", type(exc).__name__)
        self._after()

    def _after(self) -> None:
        self._pump()
        if self.idle():
            self.queue_emptied.emit()
