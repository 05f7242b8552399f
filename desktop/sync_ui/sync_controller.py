"""When and how this laptop syncs: on demand and by itself when the hub comes back.

``SyncController`` holds no widget. The main window attaches it to the operation layer when the
store is unlocked and detaches it when the store locks or closes; between the two it

* reads the sync status (``sync.client.status``) on a worker: after unlocking, after each sync,
  and a moment after local writes (what waits to be sent changes as the person works);
* probes whether the hub is reachable (``HubProbe``) every ``probe_ms``, backing off to
  ``max_probe_ms`` while it is not; when the hub becomes reachable, or is reachable with changes
  waiting, it starts a sync by itself;
* runs a sync (``SyncClient.run``) as a background job (``ops.job(..., background=True)``): beside
  the write lane, in the client's short transactions, so editing never waits for it. Never two at
  once; none while locked or not enrolled.

What a sync touched is announced like any local edit (``Changes``), after ``sync_finished`` has let
the window close a record that was removed from this laptop. A revoked laptop is reported through
``device_revoked`` (the window closes and wipes the store). GUI thread only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.operations import NO_CHANGES, Changes, Kind, Operations
from desktop.sync_ui.hub_probe import HubProbe
from desktop.tasks import Task
from models.errors import StoreLocked
from models.progress import CancelToken
from models.store import Store
from sync.client import (
    DeviceRevoked,
    HubUnreachable,
    SyncCancelled,
    SyncClient,
    SyncError,
    SyncReport,
    SyncStatus,
    status,
)

log = logging.getLogger(__name__)

PROBE_MS = 60_000
MAX_PROBE_MS = 5 * 60_000
STATUS_DELAY_MS = 1_500  # after local writes: one status read for a burst of typing
ONE_BY_ONE = 5  # more young people touched than this: one announcement for everyone
RECORD_KINDS = (Kind.PROFILE, Kind.PLAN, Kind.NOTES, Kind.DOCUMENTS, Kind.MEMORIES, Kind.PEOPLE)


class _Cancel:
    """The ``is_set()`` the sync client checks, over the runner's cancel token."""

    def __init__(self, token: CancelToken) -> None:
        self._token = token

    def is_set(self) -> bool:
        return self._token.cancelled


def announcements(report: SyncReport) -> list[Changes]:
    """What a sync changed, as the views' announcements: one per young person touched, or one
    for everyone when many were."""
    touched = sorted(report.young_people)
    if not touched:
        return []
    if len(touched) > ONE_BY_ONE:
        return [Changes.of(None, *RECORD_KINDS)]
    return [Changes.of(yp, *RECORD_KINDS) for yp in touched]


class SyncController(QObject):
    status_read = Signal(object)  # SyncStatus
    reachability_changed = Signal(object)  # True, False, or None (not known yet)
    sync_started = Signal(bool)  # automatic?
    sync_progressed = Signal(str, int, int)  # stage, done, total (0: not known)
    sync_finished = Signal(object)  # SyncReport (before its changes are announced)
    sync_failed = Signal(object)  # the exception (SyncCancelled included; not DeviceRevoked)
    device_revoked = Signal(str)  # the hub's sentence: this laptop must wipe its store

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        probe_ms: int = PROBE_MS,
        max_probe_ms: int = MAX_PROBE_MS,
    ) -> None:
        super().__init__(parent)
        self.ops: Operations | None = None
        self.status: SyncStatus | None = None
        self.reachable: bool | None = None
        self.task: Task | None = None
        self.probe_ms = probe_ms
        self.max_probe_ms = max(max_probe_ms, probe_ms)
        self._interval = probe_ms
        self._generation = 0  # bumped at attach/detach: late answers of an old store are dropped
        self._announcer: QObject | None = None
        self._auto_paused = False  # an automatic sync failed for a reason retrying won't fix
        self.probe = HubProbe(self)
        self.probe.probed.connect(self.on_probe_probed)
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.timeout.connect(self.probe_now)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_DELAY_MS)
        self._status_timer.timeout.connect(self.refresh_status)

    # -- public --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def attach(self, ops: Operations) -> None:
        """The store is unlocked: read the status, then start probing for the hub."""
        self.detach()
        self.ops = ops
        self._auto_paused = False
        self._interval = self.probe_ms
        if ops.announcer is not self._announcer:  # one per window: connected once
            self._announcer = ops.announcer
            ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)
        self.refresh_status()

    def detach(self) -> None:
        """The store locks or closes: stop probing, cancel a sync (the caller waits for the
        runner before closing the store), forget the status."""
        self._generation += 1
        self.ops = None
        self.cancel()
        self.task = None
        self.status = None
        self._probe_timer.stop()
        self._status_timer.stop()
        self.probe.stop()
        if self.reachable is not None:
            self.reachable = None
            self.reachability_changed.emit(None)

    def refresh_status(self) -> None:
        """Read the sync status on a worker; ``status_read`` on the GUI thread."""
        ops = self.ops
        if ops is None or not ops.is_open:
            return
        generation = self._generation
        store = ops.store

        def read(_progress: object, _cancel: CancelToken) -> SyncStatus:
            return status(store)

        ops.tasks.run(
            read,
            owner=self,
            on_done=lambda st: self._on_status(generation, st),
            on_failed=lambda exc: self._on_status_failed(generation, exc),
        )

    def sync_now(self, *, automatic: bool = False) -> bool:
        """Start a sync unless one is running or the store is locked; False if none started."""
        ops = self.ops
        if ops is None or not ops.is_open or self.task is not None:
            return False
        if automatic and (self._auto_paused or not (self.status and self.status.enrolled)):
            return False
        if not automatic:
            self._auto_paused = False
        generation = self._generation
        relay = self.sync_progressed  # emitted on the worker, delivered queued on the GUI thread

        def run(store: Store, _progress: object, cancel: CancelToken) -> SyncReport:
            return SyncClient(store).run(
                progress=lambda stage, done, total: relay.emit(stage, done, total),
                cancel=_Cancel(cancel),
            )

        self.task = ops.job(
            run,
            NO_CHANGES,  # announced in _on_synced, once the window has seen the report
            parent=None,
            on_done=lambda report: self._on_synced(generation, report),
            on_failed=lambda exc: self._on_sync_failed(generation, exc, automatic),
            background=True,
        )
        self.sync_started.emit(automatic)
        return True

    @property
    def probing(self) -> bool:
        """A probe is under way or due (never while locked)."""
        return self.probe.busy or self._probe_timer.isActive()

    @property
    def next_probe_ms(self) -> int:
        """How long the next probe waits when scheduled: ``probe_ms`` while the hub answers,
        doubling up to ``max_probe_ms`` while it does not."""
        return self._interval

    def cancel(self) -> None:
        """Ask a running sync to stop at its next page; what was done is kept."""
        if self.task is not None:
            self.task.cancel()

    def probe_now(self) -> None:
        """Ask whether the hub is reachable now (enrolled laptops only)."""
        self._probe_timer.stop()
        if self.ops is None or self.status is None or not self.status.enrolled:
            return
        self.probe.probe(self.status.hub_url)

    # -- slots ---------------------------------------------------------------------------------

    def on_probe_probed(self, reachable: bool) -> None:
        if self.ops is None:
            return
        came_back = reachable and self.reachable is not True
        self._set_reachable(reachable)
        waiting = self.status is not None and self.status.waiting > 0
        if reachable and (came_back or waiting):
            self.sync_now(automatic=True)
        self._schedule_probe()

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if self.ops is not None and changes.touches(*RECORD_KINDS) and self.task is None:
            self._status_timer.start()  # what waits to be sent has changed

    # -- helpers -------------------------------------------------------------------------------

    def _on_status(self, generation: int, st: SyncStatus) -> None:
        if generation != self._generation:
            return
        self.status = st
        self.status_read.emit(st)
        if st.enrolled and not self._probe_timer.isActive() and not self.probe.busy:
            self.probe_now()  # just unlocked or enrolled: is the hub there?

    def _on_status_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation and not isinstance(exc, StoreLocked):
            log.warning("The sync status could not be read: %r", exc)

    def _on_synced(self, generation: int, report: SyncReport) -> None:
        self.task = None
        if generation != self._generation:
            return
        self._set_reachable(True)
        self.sync_finished.emit(report)
        if self.ops is not None:
            for changes in announcements(report):
                self.ops.announcer.announce(changes, self)
        self.refresh_status()

    def _on_sync_failed(self, generation: int, exc: BaseException, automatic: bool) -> None:
        self.task = None
        if generation != self._generation or isinstance(exc, StoreLocked):
            return
        if isinstance(exc, DeviceRevoked):
            self.device_revoked.emit(str(exc))
            return
        if isinstance(exc, HubUnreachable):
            self._set_reachable(False)
            self._schedule_probe()
        elif automatic and isinstance(exc, SyncError) and not isinstance(exc, SyncCancelled):
            self._auto_paused = True  # an update, a refusal, a copied store: a person acts first
        self.sync_failed.emit(exc)
        self.refresh_status()

    def _set_reachable(self, reachable: bool) -> None:
        if reachable:
            self._interval = self.probe_ms
        if reachable != self.reachable:
            self.reachable = reachable
            self.reachability_changed.emit(reachable)

    def _schedule_probe(self) -> None:
        if self.ops is None:
            return
        self._probe_timer.start(self._interval)
        if not self.reachable:
            self._interval = min(self._interval * 2, self.max_probe_ms)
