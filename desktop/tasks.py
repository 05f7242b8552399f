"""Running long work off the GUI thread (unlock, import, thumbnails, printing, export).

``TaskRunner.run(fn, on_done=..., on_failed=..., label=...)`` calls ``fn(progress, cancel)`` on
a worker thread and delivers the result or the exception back on the GUI thread through queued
signals (as Anki's ``QueryOp`` and Electrum's ``TaskThread`` do). A progress dialog appears only
if the job takes longer than about half a second. ``serial=True`` puts a job on the write lane:
one thread, so such jobs run one at a time in the order asked (the operation layer,
``desktop/operations.py``, runs every store write there). The store's own lock still serialises
writers that open sessions elsewhere.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.progress import CancelToken

log = logging.getLogger(__name__)

Job = Callable[[Callable[[int, int], None], CancelToken], Any]
PROGRESS_DELAY_MS = 500


class _Signals(QObject):
    """Runner-wide; the worker emits ``(job number, payload)`` and the runner's slots receive it."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)


class _Worker(QRunnable):
    def __init__(self, number: int, job: Job, signals: _Signals, cancel: CancelToken) -> None:
        super().__init__()
        self._number = number
        self._job: Job | None = job
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:  # worker thread
        number, signals, job = self._number, self._signals, self._job
        self._job = None  # the GUI thread holds the job too, and drops it after delivery

        def progress(done: int, total: int) -> None:
            signals.progressed.emit(number, done, total)

        try:
            assert job is not None
            result = job(progress, self._cancel)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            del job
            signals.failed.emit(number, exc)
        else:
            del job
            signals.finished.emit(number, result)


class Task(QObject):
    """One running job; ``cancel()`` asks it to stop at its next checkpoint.

    Parentless and owned by Python: freed once the job has been delivered and nobody keeps it.
    """

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


def _log_failure(exc: BaseException) -> None:
    log.error("Background job failed: %r", exc)


@dataclass(eq=False)
class _Running:
    """What the runner keeps for one job until it has been delivered (none of it refers back to
    the runner, and nothing connected to the task refers to the task)."""

    task: Task
    job: Job
    on_progress: list[Callable[[int, int], None]] = field(default_factory=list)
    on_end: list[Callable[[], None]] = field(default_factory=list)


class TaskRunner(QObject):
    """Owns the thread pool; one per main window, passed to views through their constructors."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        # The pool is created before the signals so that, should the runner ever be destroyed
        # with jobs running, its destructor waits for them before the signals object goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        # The write lane: one thread, so store writes run one at a time in the order they were
        # asked for (a draft saved before the note that discards it is written first).
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        # The signals object lives on the GUI thread; emits from the workers arrive queued.
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.finished.connect(self._on_finished, queued)
        self._signals.failed.connect(self._on_failed, queued)
        self._signals.progressed.connect(self._on_progressed, queued)
        self._running: dict[int, _Running] = {}
        self._next_number = 0
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
        serial: bool = False,
    ) -> Task:
        """Start ``job(progress, cancel)`` on a worker; callbacks run on the GUI thread.

        With an ``owner`` (the widget the callbacks update), the callbacks are skipped if the
        owner has been deleted meanwhile (a dialog closed, the app locked). ``serial`` jobs run
        on the write lane: one at a time, first come first served.
        """
        task = Task()
        if owner is not None:
            on_done = _unless_deleted(owner, on_done)
            on_failed = _unless_deleted(owner, on_failed)
        if on_done is not None:
            task.finished.connect(on_done)
        task.failed.connect(on_failed if on_failed is not None else _log_failure)
        self._next_number += 1
        number = self._next_number
        entry = _Running(task, job)
        if label:
            self._attach_progress(entry, label, parent_widget, cancellable)
        self._running[number] = entry
        _BUSY.add(self)  # kept alive until every job it started has been delivered
        pool = self._write_pool if serial else self._pool
        pool.start(_Worker(number, job, self._signals, task.token))
        return task

    @Slot(int, int, int)
    def _on_progressed(self, number: int, done: int, total: int) -> None:
        entry = self._running.get(number)
        if entry is None:
            return
        for update in entry.on_progress:
            update(done, total)
        entry.task.progressed.emit(done, total)

    @Slot(int, object)
    def _on_finished(self, number: int, result: Any) -> None:
        entry = self._end(number)
        if entry is not None:
            entry.task.finished.emit(result)

    @Slot(int, object)
    def _on_failed(self, number: int, exc: Any) -> None:
        entry = self._end(number)
        if entry is not None:
            entry.task.failed.emit(exc)

    def _end(self, number: int) -> _Running | None:
        entry = self._running.pop(number, None)
        if entry is None:
            return None
        entry.task.done = True
        for end in entry.on_end:
            end()
        # Dropped (and the task, its callbacks and its job freed) from a zero timer, outside
        # this slot and outside the task's own signal emission.
        _bury(entry, self if not self._running else None)
        return entry

    def _attach_progress(
        self, entry: _Running, label: str, parent: QWidget | None, cancellable: bool
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
            dialog.canceled.connect(entry.task.token.cancel)  # the token, not the task
        dialog.reset()  # stays hidden until the delay passes with work left
        state = {"running": True}

        def on_progress(done: int, total: int) -> None:
            if shiboken6.isValid(dialog):  # its parent may have gone (a lock)
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)

        def close() -> None:
            state["running"] = False
            if shiboken6.isValid(dialog):
                dialog.reset()
                dialog.close()
                dialog.deleteLater()

        def show_if_still_running() -> None:
            if state["running"] and shiboken6.isValid(dialog):
                dialog.show()

        entry.on_progress.append(on_progress)
        entry.on_end.append(close)
        # Show only after the delay, and only if still running; the timer dies with the dialog.
        QTimer.singleShot(PROGRESS_DELAY_MS, dialog, show_if_still_running)

    def running_count(self) -> int:
        """Jobs started and not yet delivered to the GUI thread."""
        return len(self._running)

    def shutdown(self, msecs: int = 30000) -> bool:
        """Drop queued reads and jobs, ask running ones to stop, and wait for them (app exit)."""
        self._pool.clear()  # queued writes still run: each holds something the user typed
        for entry in list(self._running.values()):
            entry.task.cancel()
        return self.wait_for_idle(msecs)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Block until every job ends (used at lock, at shutdown and in tests).

        Write-lane jobs first: one of them may be waiting for a read to finish, never the
        other way round."""
        return self._write_pool.waitForDone(msecs) and self._pool.waitForDone(msecs)


_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()
_BUSY: set[TaskRunner] = set()  # runners with jobs not yet delivered (strong references)
_GRAVE: list[object] = []  # delivered jobs, and idle runners, waiting to be let go


def _bury(entry: _Running, idle_runner: TaskRunner | None) -> None:
    if not _GRAVE:
        QTimer.singleShot(0, _let_go)
    _GRAVE.append(entry)
    if idle_runner is not None:
        _GRAVE.append(idle_runner)  # a reference, so discarding it from _BUSY frees nothing now
        _BUSY.discard(idle_runner)


def _let_go() -> None:
    """Drop delivered jobs (freeing their tasks and callbacks) from a timer, where no runner or
    task method is on the stack; a runner whose last reference goes here is freed safely."""
    while _GRAVE:
        dead = _GRAVE[:]
        _GRAVE.clear()
        del dead


@atexit.register  # runs before PySide's own teardown deletes the objects workers still use
def _drain_runners_at_exit() -> None:
    for runner in list(_RUNNERS):
        if shiboken6.isValid(runner):
            runner.shutdown()
