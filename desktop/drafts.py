"""Keeping every edit as a draft while it is typed, so a crash, a lock or closing loses nothing.

A ``DraftKeeper`` watches one editor: ``touch(payload)`` after each change; after a short pause
it saves the draft through the operation layer (a write on the write lane: the GUI thread never
waits, however long a write ahead of it takes). ``flush()`` saves at once (the main window calls
it before locking or closing, then waits for the write lane). ``forget()`` drops what is pending
when a real save discards the draft in its own transaction; ``discard()`` throws the draft away.
Drafts live only inside the encrypted database, never in a plain file. GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.orm import Session

from desktop.operations import Changes, Kind, Operations
from models.repo.drafts import discard_draft, list_drafts, load_draft, save_draft

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 400


class DraftKeeper(QObject):
    draft_saved = Signal()  # a draft reached the store

    def __init__(self, ops: Operations, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.key = key
        self._pending: dict[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def load(self, on_loaded: Callable[[dict[str, Any] | None], Any]) -> None:
        """Read the draft the last session left (``None`` if none) and hand it to ``on_loaded``
        (skipped if this keeper, and so its editor, has gone meanwhile)."""
        key = self.key

        def loaded(read: dict[str, Any] | None) -> None:
            if shiboken6.isValid(self):
                on_loaded(read)

        # Asked for after any draft save still queued, the read sees it (see Operations.read).
        self._ops.read(lambda s: load_draft(s, key), parent=None, on_done=loaded)

    def touch(self, payload: dict[str, Any]) -> None:
        self._pending = payload
        self._timer.start()

    @property
    def has_pending(self) -> bool:
        return self._pending is not None

    def flush(self) -> None:
        """Queue the pending draft for saving now (returns at once)."""
        self._timer.stop()
        if self._pending is None or not self._ops.is_open:
            return
        payload, self._pending = self._pending, None
        key = self.key

        def failed(exc: BaseException) -> None:
            # A draft must never take the editor down; the text is still on screen.
            log.error("Could not save a draft: %s", type(exc).__name__)
            if shiboken6.isValid(self) and self._pending is None:
                self._pending = payload

        self._ops.write(
            lambda s: save_draft(s, key, payload),
            Changes.of(None, Kind.DRAFTS),
            parent=None,
            on_done=lambda _r: self._on_saved(),
            on_failed=failed,
        )

    def forget(self) -> None:
        """Drop the pending draft without writing (a save is discarding it in its transaction)."""
        self._timer.stop()
        self._pending = None

    def discard_in(self, session: Session) -> None:
        """Discard the draft inside another operation's transaction (worker thread)."""
        discard_draft(session, self.key)

    def discard(self) -> None:
        """Throw the draft away (the adviser chose to)."""
        self.forget()
        if self._ops.is_open:
            key = self.key
            self._ops.write(
                lambda s: discard_draft(s, key), Changes.of(None, Kind.DRAFTS), parent=None
            )

    def _on_saved(self) -> None:
        if shiboken6.isValid(self):  # the editor may have closed meanwhile
            self.draft_saved.emit()


def read_drafts_with_prefix(session: Session, prefix: str) -> dict[str, dict[str, Any]]:
    """Every draft whose key starts with ``prefix`` (run inside a read operation)."""
    return list_drafts(session, prefix)

