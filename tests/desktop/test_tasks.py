"""TaskRunner: results, failures and progress arrive on the GUI thread, cancel and owners work,
and finished jobs do not leave their objects behind."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop import tasks as tasks_module
from desktop.tasks import Task, TaskRunner
from models.errors import Cancelled


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait_for_idle()


def _settle(qtbot, runner: TaskRunner) -> None:
    """Let every job end and be delivered, then run the deferred clean-up."""
    assert runner.wait_for_idle(10_000)
    qtbot.waitUntil(lambda: runner.running_count() == 0, timeout=10_000)
    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def _live_tasks() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Task))


def test_result_arrives_on_the_gui_thread(qtbot, runner) -> None:
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def job(_progress, _cancel):
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    def done(value) -> None:
        seen["value"] = value
        seen["on_gui"] = QThread.currentThread() is gui

    runner.run(job, on_done=done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=10_000)
    assert seen == {"worker": True, "value": 42, "on_gui": True}


def test_failure_arrives_on_the_gui_thread(qtbot, runner) -> None:
    gui = QThread.currentThread()
    seen: list[tuple[BaseException, bool]] = []
    done: list[object] = []

    def job(_progress, _cancel):
        raise ValueError("boom")

    runner.run(
        job,
        on_done=done.append,
        on_failed=lambda e: seen.append((e, QThread.currentThread() is gui)),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    ((exc, on_gui),) = seen
    assert isinstance(exc, ValueError) and str(exc) == "boom"
    assert on_gui and not done


def test_progress_arrives_in_order_before_the_result(qtbot, runner) -> None:
    events: list[object] = []

    def job(progress, _cancel):
        for i in range(1, 6):
            progress(i, 5)
        return "ok"

    task = runner.run(job, on_done=lambda r: events.append(("done", r)))
    task.progressed.connect(lambda d, t: events.append((d, t)))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert events == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5), ("done", "ok")]
    assert task.done


def test_progress_dialog_job_with_a_label(qtbot, runner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[object] = []

    def job(progress, _cancel):
        progress(1, 2)
        progress(2, 2)
        return "printed"

    runner.run(job, on_done=results.append, label="Working…", parent_widget=parent)
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and not dialog.isVisible()  # hidden until the delay passes
    # The finished job's dialog is deleted, and its delayed "show" timer dies with it: nothing
    # can resurrect or touch it later.
    with qtbot.waitSignal(dialog.destroyed, timeout=10_000):
        pass
    assert results == ["printed"]
    assert parent.findChild(QProgressDialog) is None


def test_a_cancelled_job_raises_cancelled_into_on_failed(qtbot, runner) -> None:
    started = threading.Event()
    failures: list[BaseException] = []
    done: list[object] = []

    def job(_progress, cancel):
        started.set()
        while True:
            cancel.raise_if_cancelled()
            QThread.msleep(5)

    task = runner.run(job, on_done=done.append, on_failed=failures.append, cancellable=True)
    assert started.wait(10)
    task.cancel()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert isinstance(failures[0], Cancelled) and not done
    assert task.token.cancelled and task.done


def test_an_owner_deleted_before_the_job_ends_gets_no_callback(qtbot, runner) -> None:
    owner = QObject()
    release = threading.Event()
    calls: list[object] = []

    def job(_progress, _cancel):
        release.wait(10)
        return 1

    runner.run(job, on_done=calls.append, on_failed=calls.append, owner=owner)
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()
    _settle(qtbot, runner)
    assert calls == []


def test_finished_jobs_do_not_leak_their_tasks(qtbot, runner) -> None:
    _settle(qtbot, runner)
    before = _live_tasks()
    results: list[int] = []
    failures: list[BaseException] = []

    def job(i):
        def run(progress, _cancel):
            progress(1, 1)
            if i % 10 == 0:
                raise ValueError(i)
            return i

        return run

    for i in range(200):
        runner.run(job(i), on_done=results.append, on_failed=failures.append)
    qtbot.waitUntil(lambda: len(results) + len(failures) == 200, timeout=20_000)
    _settle(qtbot, runner)
    assert sorted(results) == [i for i in range(200) if i % 10]
    assert len(failures) == 20
    assert _live_tasks() - before <= 2
    assert runner.running_count() == 0
    assert not tasks_module._GRAVE
    assert runner not in tasks_module._BUSY


def test_a_dropped_runner_with_finished_jobs_is_freed_safely(qtbot) -> None:
    """The earlier design crashed here: deleting a finished task released the last reference
    to its runner, which then deleted the half-destroyed task again."""
    for _ in range(5):
        tasks = TaskRunner()
        got: list[int] = []
        tasks.run(lambda _p, _c: 7, on_done=got.append, on_failed=lambda e: None)
        qtbot.waitUntil(lambda got=got: got == [7], timeout=10_000)
        del tasks
        gc.collect()
        for _ in range(3):
            QCoreApplication.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    assert not tasks_module._GRAVE and not tasks_module._BUSY
