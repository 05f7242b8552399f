"""Store operations off the GUI thread, and the announcement of what each write changed.

Modelled on Anki's ``CollectionOp``/``QueryOp`` and ``OpChanges``/``operation_did_execute``, but
with no global: one :class:`Operations` per unlocked store and one :class:`ChangeAnnouncer` per
main window, both handed to views through their constructors.

* ``ops.write(op, changes, parent=...)`` runs ``op(session)`` on the runner's write lane (one
  thread: writes run one at a time, in the order asked) inside one ``store.session()``, so an
  operation is one transaction. On the GUI thread it then calls ``on_done(result)`` and announces
  the :class:`Changes`; views refresh from the announcement, not from signals wired between panels.
* ``ops.read(query, parent=..., on_done=...)`` runs ``query(session)`` in a ``store.reader()`` on
  a worker and hands the result (frozen dataclasses, never live ORM objects) to ``on_done``. A
  read asked for while writes are pending queues behind them, so it sees them.
* ``ops.job(fn, changes, ...)`` runs a write that opens its own sessions, ``fn(store, progress,
  cancel)`` (changing the passphrase, store settings), on the write lane, with a progress dialog
  after half a second when given a label.

A failure goes to ``on_failed`` if given, otherwise to :func:`desktop.errors.show_error`; a store
locked meanwhile is not an error worth a dialog. Callbacks are skipped once ``parent`` has been
deleted (a dialog closed, the app locked); the announcement of a finished write is never skipped.
The GUI thread never opens a store session and never waits for one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from desktop.errors import show_error
from desktop.tasks import Task, TaskRunner
from models.errors import StoreLocked
from models.progress import CancelToken
from models.store import Store

T = TypeVar("T")
Progress = Callable[[int, int], None]


class Kind(StrEnum):
    """The kinds of record a write can change (what a view looks at to decide to refresh)."""

    PROFILE = "profile"  # the young person's details and circumstances (caseload row, header)
    PLAN = "plan"  # the pathway plan, its matters, actions and history
    NOTES = "notes"
    DOCUMENTS = "documents"
    MEMORIES = "memories"
    PEOPLE = "people"  # people to stay in contact with, and key dates
    SETTINGS = "settings"  # store-wide settings (out-of-hours number, passphrase)
    DRAFTS = "drafts"
    AUDIT = "audit"
    CONFLICTS = "conflicts"  # sync conflicts opened (a sync) or settled (a resolution)


@dataclass(frozen=True)
class Changes:
    """What one write changed: for which young person (``None``: not one in particular) and
    which kinds of record. Immutable, so it can travel from a worker to the GUI thread."""

    young_person_id: str | None = None
    kinds: frozenset[Kind] = frozenset()

    @classmethod
    def of(cls, young_person_id: str | None, *kinds: Kind) -> Changes:
        return cls(young_person_id, frozenset(kinds))

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def concerns(self, young_person_id: str | None) -> bool:
        """True if the change is about ``young_person_id`` (or about no one in particular)."""
        return self.young_person_id is None or self.young_person_id == young_person_id


NO_CHANGES = Changes()


class ChangeAnnouncer(QObject):
    """One per main window. ``changes_announced(changes, initiator)`` fires on the GUI thread
    after each write; ``initiator`` is the object that asked for it (``None`` if nobody said),
    so a view can skip refreshing what it has just shown itself."""

    changes_announced = Signal(object, object)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        if changes.kinds:
            self.changes_announced.emit(changes, initiator)


def _alive(widget: QObject | None) -> bool:
    return widget is None or shiboken6.isValid(widget)


class Operations:
    """Reads and writes of one unlocked store, run on the task runner's workers."""

    def __init__(self, store: Store, tasks: TaskRunner, announcer: ChangeAnnouncer) -> None:
        self.store = store
        self.tasks = tasks
        self.announcer = announcer
        self._writes_pending = 0  # asked for and not yet delivered back (GUI thread)

    @property
    def is_open(self) -> bool:
        return self.store.is_open

    @property
    def writes_pending(self) -> int:
        """Writes asked for whose result has not reached the GUI thread yet (what is waiting)."""
        return self._writes_pending

    def write(
        self,
        op: Callable[[Session], T],
        changes: Changes | Callable[[T], Changes],
        *,
        parent: QWidget | None,
        on_done: Callable[[T], Any] | None = None,
        on_failed: Callable[[BaseException], Any] | None = None,
        initiator: object | None = None,
    ) -> Task:
        """Run ``op(session)`` in one transaction on the write lane; then ``on_done(result)`` and
        the announcement of ``changes`` (or of ``changes(result)``) on the GUI thread."""
        store = self.store

        def job(_progress: Progress, _cancel: CancelToken) -> T:
            with store.session() as s:
                return op(s)

        return self._start(job, changes, parent, on_done, on_failed, initiator, serial=True)

    def read(
        self,
        query: Callable[[Session], T],
        *,
        parent: QWidget | None,
        on_done: Callable[[T], Any],
        on_failed: Callable[[BaseException], Any] | None = None,
        after_writes: bool = False,
    ) -> Task:
        """Run ``query(session)`` in a read-only session on a worker; ``on_done(result)`` on the
        GUI thread. A read sees every write asked for before it: while writes are pending it
        queues behind them on the write lane (``after_writes`` forces that); otherwise it runs
        on the read workers, alongside any long job (SQLite WAL)."""
        store = self.store

        def job(_progress: Progress, _cancel: CancelToken) -> T:
            with store.reader() as s:
                return query(s)

        serial = after_writes or self._writes_pending > 0
        return self._start(job, NO_CHANGES, parent, on_done, on_failed, None, serial=serial)

    def inspect(
        self,
        fn: Callable[[Store], T],
        *,
        parent: QWidget | None,
        on_done: Callable[[T], Any],
        on_failed: Callable[[BaseException], Any] | None = None,
    ) -> Task:
        """A read through a function that opens its own readers, ``fn(store)`` (the sync
        client's status), on a worker like :meth:`read`; ``on_done(result)`` on the GUI thread."""
        store = self.store

        def job(_progress: Progress, _cancel: CancelToken) -> T:
            return fn(store)

        serial = self._writes_pending > 0
        return self._start(job, NO_CHANGES, parent, on_done, on_failed, None, serial=serial)

    def job(
        self,
        fn: Callable[[Store, Progress, CancelToken], T],
        changes: Changes | Callable[[T], Changes],
        *,
        parent: QWidget | None,
        on_done: Callable[[T], Any] | None = None,
        on_failed: Callable[[BaseException], Any] | None = None,
        label: str = "",
        cancellable: bool = False,
        initiator: object | None = None,
        background: bool = False,
    ) -> Task:
        """A long write (``fn(store, progress, cancel)`` opens its own sessions) on the write
        lane, with a progress dialog after half a second when ``label`` is given.

        ``background``: on a worker beside the write lane instead, for a job made of many short
        transactions (a sync): an edit saved meanwhile is written between two of them rather
        than waiting for the whole job. The store's write lock keeps the transactions apart."""
        store = self.store

        def run(progress: Progress, cancel: CancelToken) -> T:
            return fn(store, progress, cancel)

        return self._start(
            run,
            changes,
            parent,
            on_done,
            on_failed,
            initiator,
            serial=not background,
            label=label,
            cancellable=cancellable,
        )

    def _start(
        self,
        job: Callable[[Progress, CancelToken], T],
        changes: Changes | Callable[[T], Changes],
        parent: QWidget | None,
        on_done: Callable[[T], Any] | None,
        on_failed: Callable[[BaseException], Any] | None,
        initiator: object | None,
        *,
        serial: bool,
        label: str = "",
        cancellable: bool = False,
    ) -> Task:
        announcer = self.announcer
        is_write = serial and changes is not NO_CHANGES
        if is_write:
            self._writes_pending += 1

        def settle() -> None:
            if is_write:
                self._writes_pending -= 1

        def done(result: T) -> None:  # GUI thread
            settle()
            try:
                if on_done is not None and _alive(parent):
                    on_done(result)
            finally:
                announced = changes(result) if callable(changes) else changes
                if shiboken6.isValid(announcer):
                    announcer.announce(announced, initiator)

        def failed(exc: BaseException) -> None:  # GUI thread
            settle()
            if not _alive(parent):
                return
            if on_failed is not None:
                on_failed(exc)
            elif not isinstance(exc, StoreLocked):  # locked meanwhile: nothing to say
                show_error(parent, exc)

        return self.tasks.run(
            job,
            on_done=done,
            on_failed=failed,
            label=label,
            parent_widget=parent,
            cancellable=cancellable,
            serial=serial,
        )
