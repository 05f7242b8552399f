"""Keeping every edit as a draft while it is typed, so a crash, a lock or closing loses nothing.

A ``DraftKeeper`` watches one editor: ``touch(payload)`` after each change; it writes the draft
into the encrypted store after a short pause (and at once on ``flush()``, which the main window
calls before locking or closing). ``clear()`` after a real save. Drafts live only inside the
encrypted database, never in a plain file.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer

from models.repo.drafts import discard_draft, list_drafts, load_draft, save_draft
from models.store import Store

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 400


class DraftKeeper(QObject):
    def __init__(self, store: Store, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.key = key
        self._pending: dict[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def load(self) -> dict[str, Any] | None:
        """The saved draft, if the last session left one."""
        if not self._store.is_open:
            return None
        with self._store.reader() as s:
            return load_draft(s, self.key)

    def touch(self, payload: dict[str, Any]) -> None:
        self._pending = payload
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending is None or not self._store.is_open:
            return
        payload, self._pending = self._pending, None
        try:
            with self._store.session() as s:
                save_draft(s, self.key, payload)
        except Exception:  # a draft must never take the editor down; the text is still on screen
            log.exception("Could not save a draft")
            self._pending = payload

    def clear(self) -> None:
        self._timer.stop()
        self._pending = None
        if self._store.is_open:
            with self._store.session() as s:
                discard_draft(s, self.key)


def drafts_with_prefix(store: Store, prefix: str) -> dict[str, dict[str, Any]]:
    with store.reader() as s:
        return list_drafts(s, prefix)
