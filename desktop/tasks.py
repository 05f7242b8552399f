"""Running long work off the GUI thread (unlock, import, thumbnails, printing, export).

``TaskRunner.run(fn, on_done=..., on_failed=..., label=...)`` calls ``fn(progress, cancel)`` on
a worker thread and delivers the result or the exception back on the GUI thread through queued
signals (as Anki's ``QueryOp`` and Electrum's ``TaskThread`` do). A progress dialog appears only
if the job takes longer than about half a second. Store writes are serialised by the store itself.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.progress import CancelToken

log = logging.getLogger(__name__)

Job = Callable[[Callable[[int, int], None], CancelToken], Any]
PROGRESS_DELAY_MS = 500


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Worker(QRunnable):
    def __init__(self, job: Job, signals: _Signals, cancel: CancelToken) -> None:
        super().__init__()
        self._job = job
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:  # worker thread
        try:
            result = self._job(self._signals.progressed.emit, self._cancel)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class Task(QObject):
    """One running job; ``cancel()`` asks it to stop at its next checkpoint."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self.done = False

    def cancel(self) -> None:
        self.token.cancel()


def _unless_deleted(owner: QObject, callback: Callable[[Any], None] | None):
    if callback is None:
        return None

    def guarded(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return guarded


class TaskRunner(QObject):
    """Owns the thread pool; one per main window, passed to views through their constructors."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: set[Task] = set()
        _RUNNERS.add(self)

    def run(
        self,
        job: Job,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        label: str = "",
        parent_widget: QWidget | None = None,
        cancellable: bool = False,
        owner: QObject | None = None,
    ) -> Task:
        """Start ``job(progress, cancel)`` on a worker; callbacks run on the GUI thread.

        With an ``owner`` (the widget the callbacks update), the callbacks are skipped if the
        owner has been deleted meanwhile (a dialog closed, the app locked).
        """
        task = Task(self)
        if owner is not None:
            on_done = _unless_deleted(owner, on_done)
            on_failed = _unless_deleted(owner, on_failed)
        signals = _Signals()
        # Signals live on the GUI thread; emits from the worker arrive queued.
        signals.finished.connect(task.finished, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(task.failed, Qt.ConnectionType.QueuedConnection)
        signals.progressed.connect(task.progressed, Qt.ConnectionType.QueuedConnection)
        task._signals = signals  # type: ignore[attr-defined] - keep alive
        if on_done is not None:
            task.finished.connect(on_done)
        if on_failed is not None:
            task.failed.connect(on_failed)
        else:
            task.failed.connect(lambda exc: log.error("Background job failed: %r", exc))
        task.finished.connect(lambda _r: self._forget(task))
        task.failed.connect(lambda _e: self._forget(task))
        if label:
            self._attach_progress(task, label, parent_widget, cancellable)
        self._running.add(task)
        self._pool.start(_Worker(job, signals, task.token))
        return task

    def _forget(self, task: Task) -> None:
        task.done = True
        self._running.discard(task)

    def _attach_progress(
        self, task: Task, label: str, parent: QWidget | None, cancellable: bool
    ) -> None:
        dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle("Pathway Desk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoReset(False)
        dialog.setAccessibleName(label)
        if not cancellable:
            dialog.setCancelButton(None)
        else:
            dialog.canceled.connect(task.cancel)
        dialog.reset()  # stays hidden until the delay passes with work left

        @Slot(int, int)
        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)

        def close(*_: object) -> None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()

        task.progressed.connect(on_progress)
        task.finished.connect(close)
        task.failed.connect(close)
        # Show only after the delay, and only if still running.
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: None if task.done else dialog.show())

    def shutdown(self, msecs: int = 30000) -> bool:
        """Drop queued jobs, ask running ones to stop, and wait for them (app exit)."""
        self._pool.clear()
        for task in list(self._running):
            task.cancel()
        return self._pool.waitForDone(msecs)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Block until every job ends (used at shutdown and in tests)."""
        return self._pool.waitForDone(msecs)


_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()


@atexit.register  # runs before PySide's own teardown deletes the objects workers still use
def _drain_runners_at_exit() -> None:
    for runner in list(_RUNNERS):
        if shiboken6.isValid(runner):
            runner.shutdown()
