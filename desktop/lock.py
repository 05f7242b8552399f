"""Locking after a spell without use (a laptop left open in a visits room). GUI thread only.

``IdleLock`` filters every event of the application and notes the time of the last keyboard,
mouse, wheel or touch input: a monotonic clock read, no timer restart per mouse move. One
single-shot timer wakes when the idle time could be up, re-arms for the rest if there was input
meanwhile, and emits ``went_idle`` when it really is. The main window does the locking itself
(flush drafts, clear views, close the store) for this signal and for Ctrl+L alike.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleLock(QObject):
    went_idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = max(int(timeout_ms), 1)
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._installed = False

    @staticmethod
    def minutes_to_ms(minutes: int) -> int:
        return int(minutes) * 60_000

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = max(int(timeout_ms), 1)
        if self.active:
            self.start()

    def start(self) -> None:
        """Begin watching (after an unlock)."""
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.note_activity()
        self._timer.start(self._timeout_ms)

    def stop(self) -> None:
        """Stop watching (while locked: the unlock screen has nothing to protect)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def note_activity(self) -> None:
        self._last_input = time.monotonic()

    def idle_ms(self) -> int:
        return int((time.monotonic() - self._last_input) * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def on_timer_timeout(self) -> None:
        remaining = self._timeout_ms - self.idle_ms()
        if remaining > 0:
            self._timer.start(remaining)
            return
        self.stop()
        self.went_idle.emit()
