"""Sync as the window sees it: how things stand, a sync in the background, and syncing by
itself when the hub can be reached.

* ``refresh()`` reads :func:`sync.client.status` on a worker (``ops.inspect``) and emits
  ``status_changed``. It runs after every announced change, after each sync, and on each probe.
* ``sync_now()`` runs :meth:`sync.client.SyncClient.run` as a background ``ops.job`` beside
  the write lane, with no modal dialog: progress goes to ``progressed(stage, done, total)`` for
  the status bar, and ``cancel()`` stops it at its next page. The GUI never waits, and an edit
  saved meanwhile is written between two of the sync's short transactions. What a sync
  applied is announced like any edit (every kind, for no one in particular), also when it was
  cut short after applying some pages.
* A timer probes the hub (a TLS handshake through the sync client, on a worker) every
  ``probe_ms``; when it answers after not answering, or has changes waiting, or the last
  sync is older than ``auto_every_ms``, a sync starts by itself. Automatic syncs report
  failures in the status bar only; "Sync now" shows them in a message too.

GUI thread only. The client, status and probe are constructor arguments (tests give fakes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.operations import NO_CHANGES, Changes, Kind, Operations
from desktop.tasks import Task
from models.errors import StoreLocked
from models.progress import CancelToken
from models.store import Store
from sync.client import HubUnreachable, SyncClient, SyncError, SyncReport, SyncStatus, status
from sync.client.connection import fetch_certificate, normalise_url

PROBE_MS = 60_000
MAX_PROBE_MS = 5 * 60_000  # while the hub does not answer, probes back off to this
AUTO_EVERY_MS = 15 * 60_000
SYNC_KINDS = (
    Kind.PROFILE,
    Kind.PLAN,
    Kind.NOTES,
    Kind.DOCUMENTS,
    Kind.MEMORIES,
    Kind.PEOPLE,
    Kind.SETTINGS,
    Kind.CONFLICTS,
)
EVERYTHING = Changes.of(None, *SYNC_KINDS)


def probe_hub(hub_url: str) -> bool:
    """Whether the hub answers a TLS handshake now (worker thread; a few seconds at most)."""
    try:
        fetch_certificate(normalise_url(hub_url), timeout=5.0)
    except (HubUnreachable, ValueError):
        return False
    return True


class _Cancel:
    """The sync client's cancel (``is_set()``) over the runner's token."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token

    def is_set(self) -> bool:
        return self._token.cancelled


@dataclass
class _Stage:
    text: str = ""


def announced(report: SyncReport) -> Changes:
    if not (report.pulled or report.purged or report.backfilled or report.conflicts_opened):
        return Changes.of(None, Kind.CONFLICTS) if report.open_conflicts else NO_CHANGES
    people = report.young_people
    if len(people) == 1 and not report.purged:
        return Changes.of(next(iter(people)), *SYNC_KINDS)
    return EVERYTHING


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    reachable_changed = Signal(bool)
    sync_started = Signal(bool)  # automatic
    progressed = Signal(str, int, int)  # stage, done, total
    sync_finished = Signal(object)  # SyncReport
    sync_failed = Signal(object, bool)  # the error, automatic

    def __init__(
        self,
        ops: Operations,
        parent: QObject | None = None,
        *,
        client_factory: Callable[[Store], Any] = SyncClient,
        read_status: Callable[[Store], SyncStatus] = status,
        probe: Callable[[str], bool] = probe_hub,
        probe_ms: int = PROBE_MS,
        max_probe_ms: int = MAX_PROBE_MS,
        auto_every_ms: int = AUTO_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._client_factory = client_factory
        self._read_status = read_status
        self._probe = probe
        self._auto_every_ms = auto_every_ms
        self._probe_ms = probe_ms
        self._max_probe_ms = max(max_probe_ms, probe_ms)
        self.status: SyncStatus | None = None
        self.reachable: bool | None = None  # None: not probed yet
        self.task: Task | None = None
        self._probing = False
        self._refresh_asked = False
        self._last_auto = 0.0
        self._stage = _Stage()
        self.timer = QTimer(self)
        self.timer.setInterval(probe_ms)
        self.timer.timeout.connect(self.on_timer_timeout)
        ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    # -- public --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        """Read the status, probe the hub now and then every ``probe_ms``."""
        self.refresh()
        self.timer.start()
        QTimer.singleShot(0, self, self.on_timer_timeout)

    def stop(self) -> None:
        self.timer.stop()
        self.cancel()

    def refresh(self) -> None:
        if not self._ops.is_open:
            return
        if self._refresh_asked:
            return  # one read at a time is enough: it reads everything
        self._refresh_asked = True
        self._ops.inspect(
            self._read_status,
            parent=self,  # type: ignore[arg-type]  # any QObject: callbacks skipped once gone
            on_done=self._on_status_read,
            on_failed=self._on_status_failed,
        )

    def sync_now(self, *, automatic: bool = False) -> bool:
        """Start a sync unless one runs or the laptop is not enrolled. Returns whether it
        started."""
        if self.running or not self._ops.is_open:
            return False
        if self.status is not None and not self.status.enrolled:
            return False
        factory, stage = self._client_factory, self._stage

        def run(store: Store, progress: Callable[[int, int], None], cancel: CancelToken):
            def report(text: str, done: int, total: int) -> None:
                stage.text = text  # read on the GUI thread with the progress signal
                progress(done, total)

            return factory(store).run(report, _Cancel(cancel))

        self.task = self._ops.job(
            run,
            announced,
            parent=self,  # type: ignore[arg-type]  # any QObject: callbacks skipped once gone
            on_done=self._on_sync_done,
            on_failed=lambda exc: self._on_sync_failed(exc, automatic),
            background=True,  # edits are written between its pages, never after the whole sync
        )
        self.task.progressed.connect(self.on_task_progressed)
        self._last_auto = time.monotonic()
        self.sync_started.emit(automatic)
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # -- slots ---------------------------------------------------------------------------------

    def on_task_progressed(self, done: int, total: int) -> None:
        self.progressed.emit(self._stage.text or "Syncing", done, total)

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.kinds - {Kind.AUDIT, Kind.DRAFTS}:
            self.refresh()  # what waits, and open conflicts, may have changed

    def on_timer_timeout(self) -> None:
        if self._probing or self.running or not self._ops.is_open:
            return
        if self.status is None or not self.status.enrolled:
            self.refresh()
            return
        self._probing = True
        url, probe = self.status.hub_url, self._probe
        self._ops.tasks.run(
            lambda _p, _c: probe(url),
            on_done=self._on_probed,
            on_failed=lambda _exc: self._on_probed(False),
            owner=self,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _on_status_read(self, value: SyncStatus) -> None:
        self._refresh_asked = False
        newly_enrolled = value.enrolled and (self.status is None or not self.status.enrolled)
        self.status = value
        self.status_changed.emit(value)
        if newly_enrolled and self.timer.isActive():
            self.on_timer_timeout()  # probe now, not at the next tick

    def _on_status_failed(self, exc: BaseException) -> None:
        self._refresh_asked = False
        if not isinstance(exc, StoreLocked):
            self.sync_failed.emit(exc, True)

    def _on_probed(self, reachable: bool) -> None:
        self._probing = False
        # Back off while the hub does not answer (a laptop offline all day probes rarely);
        # every probe_ms again as soon as it does.
        self.timer.setInterval(
            self._probe_ms if reachable else min(self.timer.interval() * 2, self._max_probe_ms)
        )
        was = self.reachable
        if reachable != was:
            self.reachable = reachable
            self.reachable_changed.emit(reachable)
        if not reachable or self.status is None:
            return
        overdue = (time.monotonic() - self._last_auto) * 1000 >= self._auto_every_ms
        if was is not True or self.status.waiting > 0 or overdue:
            self.sync_now(automatic=True)

    def _on_sync_done(self, report: SyncReport) -> None:
        self.task = None
        self._set_reachable(True)
        self.sync_finished.emit(report)
        self.refresh()

    def _on_sync_failed(self, exc: BaseException, automatic: bool) -> None:
        self.task = None
        if isinstance(exc, HubUnreachable):
            self._set_reachable(False)
        # A sync cut short may have applied some pages: views re-read what they show.
        if isinstance(exc, SyncError) and self._ops.is_open:
            self._ops.announcer.announce(EVERYTHING)
        self.sync_failed.emit(exc, automatic)
        self.refresh()

    def _set_reachable(self, reachable: bool) -> None:
        if self.reachable != reachable:
            self.reachable = reachable
            self.reachable_changed.emit(reachable)
