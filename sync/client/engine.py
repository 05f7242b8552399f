"""One sync of this laptop with its hub: push, scope, pull, purge, files.

1. **Push** this laptop's own changes, oldest first, a page at a time. The push cursor (the
   local change-log sequence number reached) is stored only after the hub has answered, so a
   cut push is sent again and the hub counts the repeats as duplicates. A change the hub
   refuses is kept here (it is still in the change log) and listed in the report; a
   *retryable* refusal (a clock too far ahead) stops the push there, to be sent next time.
2. **Scope**: which young people this laptop may hold now, and the hub's newest sequence number.
   Once step 5 has purged by it, the laptop tells the hub (``/v1/scope/applied``): until then
   the hub still takes what it writes about those it held before, so a sync cut between the
   scope answer and the purge strands no offline note.
3. **Backfill** young people who joined the scope since the last sync (a reallocation): their
   whole history, which the pull cursor has already passed.
4. **Pull** everything after the cursor; each page is applied and the cursor stored in the
   same local transaction, so a cut pull loses and repeats nothing.
5. **Purge** young people who left the scope, once nothing of theirs waits to be sent.
6. **Files**: upload what this laptop's records refer to and the hub lacks; download the small
   files and those of pinned young people (large ones download when opened).

Runs on a worker thread. ``progress(stage, done, total)`` is called between pages; ``cancel``
(anything with ``is_set()``) is checked between pages and raises ``SyncCancelled``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from sqlalchemy import func, select

from models import merge
from models.blobs import BlobInfo
from models.purge import purge_young_person, rebuild_database
from models.repo import files as files_repo
from models.schema import ChangeLog, Meta, YoungPerson
from models.store import Store
from sync.client import files
from sync.client.connection import Hub
from sync.client.errors import (
    CopiedStore,
    HubUnreachable,
    NotEnrolled,
    SyncCancelled,
    SyncError,
)
from sync.protocol import DEFAULT_PULL_CHANGES, MAX_BACKFILL_YOUNG_PEOPLE

PUSH_PAGE = 500
PUSH_SEQ = "sync.push_seq"
PULL_SEQ = "sync.pull_seq"
HELD = "sync.held"
# Young people kept here after they left the scope (something of theirs waited or was refused):
# pulls skip them while they are out of scope, so if they come back their history is fetched
# again (a backfill), as for anyone new to the scope.
AWAY = "sync.kept_away"
REFUSED = "sync.refused"
LAST = "sync.last"
FILES_AT_HUB = "sync.files_at_hub"
MAX_REFUSED_KEPT = 1000
PULL_SWITCH_INTERVAL_S = 0.00005
SOURCE = "hub"

Progress = Callable[[str, int, int], None]


class Cancel(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class SyncReport:
    pushed: int = 0
    push_duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    waiting: int = 0
    pulled: int = 0
    pull_duplicates: int = 0
    quarantined: int = 0
    conflicts_opened: int = 0
    open_conflicts: int = 0
    backfilled: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    kept_out_of_scope: list[str] = field(default_factory=list)
    files_uploaded: int = 0
    files_downloaded: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    young_people: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["young_people"] = sorted(self.young_people)
        return data


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    hub_url: str
    username: str
    role: str
    last_sync_at: str | None
    last_error: str | None
    waiting: int
    open_conflicts: int
    refused: int


def _json(raw: str | None, empty: Any) -> Any:
    """A JSON value kept in ``meta`` (a list or an object), or ``empty`` if none is kept."""
    return json.loads(raw) if raw else empty


def _meta_int(meta: dict[str, str], key: str) -> int:
    try:
        return int(meta.get(key, "0"))
    except ValueError:
        return 0


def waiting(store: Store) -> int:
    """How many of this laptop's changes the hub has not yet acknowledged."""
    after = _meta_int(store.meta(), PUSH_SEQ)
    with store.reader() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeLog).where(
            ChangeLog.seq > after, ChangeLog.source == "local")) or 0)


def status(store: Store) -> SyncStatus:
    """What the status bar shows: enrolment, last sync, what waits, what needs a person."""
    from sync.client import connection

    meta = store.meta()
    creds = connection.load(store)
    last = _json(meta.get(LAST), {})
    with store.reader() as s:
        conflicts = len(merge.open_conflicts(s))
    return SyncStatus(
        enrolled=creds is not None,
        hub_url=creds.hub_url if creds else "",
        username=creds.username if creds else "",
        role=creds.role if creds else "",
        last_sync_at=last.get("ok_at"),
        last_error=last.get("error"),
        waiting=waiting(store),
        open_conflicts=conflicts,
        refused=len(_json(meta.get(REFUSED), [])),
    )


class SyncClient:
    """Syncs one open store with its hub. ``http`` may be given (tests: an in-process hub)."""

    def __init__(self, store: Store, http: httpx.Client | None = None,
                 pull_page: int = DEFAULT_PULL_CHANGES) -> None:
        self.store = store
        self._http = http
        self.pull_page = pull_page

    def run(self, progress: Progress | None = None, cancel: Cancel | None = None) -> SyncReport:
        started = time.monotonic()
        report = SyncReport()
        self._progress = progress or (lambda _stage, _done, _total: None)
        self._cancel = cancel
        if self.store.identity().copied_from:
            raise CopiedStore()
        try:
            with Hub.of(self.store, self._http) as hub:
                self._push(hub, report)
                scope, head, seen_at = self._scope(hub)
                self._backfill(hub, scope, head, report)
                self._pull(hub, report)
                self._retry_quarantined(report)
                self._hold(scope)
                self._purge(scope, report)
                if seen_at:  # this laptop holds no one outside that scope any more
                    hub.post("/v1/scope/applied", {"seen_at": seen_at})
                self._files(hub, report)
        except SyncError as exc:
            self._remember(error=str(exc))
            raise
        report.waiting = waiting(self.store)
        with self.store.reader() as s:
            report.open_conflicts = len(merge.open_conflicts(s))
        report.seconds = round(time.monotonic() - started, 3)
        self._remember(error=None)
        return report

    # -- steps ------------------------------------------------------------------------------

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise SyncCancelled()

    def _push(self, hub: Hub, report: SyncReport) -> None:
        total = waiting(self.store)
        done = 0
        while True:
            self._check_cancel()
            after = _meta_int(self.store.meta(), PUSH_SEQ)
            with self.store.reader() as s:
                changes, last = merge.changes_since(s, after, limit=PUSH_PAGE, local_only=True)
                if not changes:
                    # Everything logged since is from elsewhere: step the cursor over it, so
                    # the next sync does not read it again (one snapshot: nothing local slips).
                    top = merge.last_seq(s)
            if not changes:
                if top > after:
                    self.store.set_meta(PUSH_SEQ, str(top))
                return
            with self.store.reader() as s:
                seqs = {cid: seq for cid, seq in s.execute(
                    select(ChangeLog.change_id, ChangeLog.seq).where(
                        ChangeLog.seq > after, ChangeLog.seq <= last,
                        ChangeLog.source == "local"))}
            result = hub.post("/v1/push", {"changes": [c.to_json() for c in changes]})
            report.pushed += int(result["accepted"])
            report.push_duplicates += int(result["duplicates"])
            by_id = {c.change_id: c for c in changes}
            stop_at: int | None = None
            refusals = []
            for r in result.get("refused", []):
                if r.get("retryable"):
                    seq = seqs.get(r["change_id"])
                    if seq is not None:
                        stop_at = seq if stop_at is None else min(stop_at, seq)
                    continue
                c = by_id.get(r["change_id"])
                refusals.append({
                    "change_id": r["change_id"], "reason": r["reason"],
                    "young_person_id": c.young_person_id if c else None,
                    "table": c.table if c else None,
                    "at": datetime.now(UTC).isoformat(timespec="seconds"),
                })
            report.refused.extend(refusals)
            reached = last if stop_at is None else stop_at - 1
            # Young people the hub now holds this laptop's changes about are shared through
            # it: purged here like any other once they leave the scope (a referral
            # reallocated before this laptop ever saw it in its scope included).
            refused_ids = {r["change_id"] for r in result.get("refused", [])}
            shared = {c.young_person_id for c in changes
                      if c.young_person_id and c.change_id not in refused_ids}
            with self.store.session() as s:
                if refusals:
                    kept = _json(_get(s, REFUSED), []) + refusals
                    s.merge(Meta(key=REFUSED, value=json.dumps(kept[-MAX_REFUSED_KEPT:])))
                held = set(_json(_get(s, HELD), []))
                if not shared <= held:
                    s.merge(Meta(key=HELD, value=json.dumps(sorted(held | shared))))
                s.merge(Meta(key=PUSH_SEQ, value=str(reached)))
            done += len(changes)
            self._progress("Sending changes", min(done, total), total)
            if stop_at is not None:
                first = next(r for r in result["refused"] if r.get("retryable"))
                raise SyncError(f"The hub will take the rest later: {first['reason']}. Check "
                                "this laptop's date and time, then sync again.")

    def _scope(self, hub: Hub) -> tuple[set[str], int, str]:
        self._check_cancel()
        answer = hub.get("/v1/scope")
        return set(answer["young_people"]), int(answer["head"]), str(answer.get("seen_at", ""))

    def _held(self, meta: dict[str, str] | None = None) -> set[str]:
        return set(_json((meta or self.store.meta()).get(HELD), []))

    def _apply_page(self, changes: merge.PreparedChanges, report: SyncReport,
                    cursor: tuple[str, int] | None = None,
                    backfilled: set[str] | None = None) -> None:
        with self.store.session() as s:
            result = merge.apply_prepared(s, changes)
            if cursor is not None:
                s.merge(Meta(key=cursor[0], value=str(cursor[1])))
            if backfilled:
                held = set(_json(_get(s, HELD), [])) | backfilled
                s.merge(Meta(key=HELD, value=json.dumps(sorted(held))))
                away = set(_json(_get(s, AWAY), []))
                if away & backfilled:
                    s.merge(Meta(key=AWAY, value=json.dumps(sorted(away - backfilled))))
        report.pulled += result.applied
        report.pull_duplicates += result.duplicates
        report.quarantined += len(result.quarantined)
        report.conflicts_opened += result.conflicts_opened
        report.young_people |= result.young_people

    def _backfill(self, hub: Hub, scope: set[str], head: int, report: SyncReport) -> None:
        """Young people new to this laptop's scope, or back in it after being kept here while
        away, when the cursor has already passed their history (on a first sync the pull
        brings everything anyway; what the laptop already has is skipped by change id)."""
        meta = self.store.meta()
        held = self._held(meta)
        if _meta_int(meta, PULL_SEQ) == 0:
            return
        away = set(_json(meta.get(AWAY), []))
        new = sorted((scope - held) | (scope & away))
        for i in range(0, len(new), MAX_BACKFILL_YOUNG_PEOPLE):
            batch = new[i : i + MAX_BACKFILL_YOUNG_PEOPLE]

            def request(after: int, batch: list[str] = batch) -> dict[str, Any]:
                return {"after": after, "until": head, "young_people": batch,
                        "limit": self.pull_page}

            for page in self._pages(hub, 0, request):
                done = not page["more"]
                self._apply_page(page["prepared"], report, None, set(batch) if done else None)
                self._progress("Receiving newly allocated young people", i, len(new))
            report.backfilled.extend(batch)

    def _pull(self, hub: Hub, report: SyncReport) -> None:
        after = _meta_int(self.store.meta(), PULL_SEQ)
        pages = self._pages(hub, after, lambda after: {"after": after, "limit": self.pull_page})
        for page in pages:
            self._apply_page(page["prepared"], report, (PULL_SEQ, int(page["next"])))
            head = int(page["head"])
            self._progress("Receiving changes", min(int(page["next"]), head), head)

    def _pages(self, hub: Hub, after: int,
               request: Callable[[int], dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Pull pages from ``after`` on. The next page is asked for (and travels, is inflated,
        parsed and prepared: checked, its rows and log rows made) on a helper thread while the
        caller writes this one, so the hub's work, the transfer and the Python work overlap the
        database's (which leaves the interpreter free while it runs). Nothing is stored ahead:
        the caller stores each page's cursor with that page, so a cut sync still loses and
        repeats nothing. Cancel is checked before each page."""
        def fetch(after: int) -> dict[str, Any]:
            page = hub.post("/v1/pull", request(after))
            page["prepared"] = merge.prepare_remote(page["changes"], self.store.clock,
                                                    source=SOURCE)
            return page

        # The writing thread takes the interpreter back from the preparing one after every
        # database call, waiting up to Python's switch interval (5 ms) each time. While
        # pulling it is 50 µs: a manager's first sync took 5% less time at 0.5 ms, and another
        # 9% less at 50 µs (alternating pairs of bench/bench_sync_first.py), for 4% more CPU.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, PULL_SWITCH_INTERVAL_S))
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="sync-pull") as pool:
                self._check_cancel()
                pending = pool.submit(fetch, after)
                while True:
                    page = pending.result()
                    more = bool(page["more"])
                    if more:
                        self._check_cancel()
                        pending = pool.submit(fetch, int(page["next"]))
                    yield page
                    if not more:
                        return
        finally:
            sys.setswitchinterval(switch)

    def _purge(self, scope: set[str], report: SyncReport) -> None:
        """Young people the hub gave this laptop once but no longer: removed, with every trace,
        once nothing of theirs waits to be sent or was refused."""
        meta = self.store.meta()
        held = self._held(meta)
        after = _meta_int(meta, PUSH_SEQ)
        refused = {r.get("young_person_id") for r in _json(meta.get(REFUSED), [])}
        with self.store.reader() as s:
            local = set(s.scalars(select(YoungPerson.id)))
            # Not DISTINCT: SQLite would read the whole log through its young-person index
            # instead of the few entries after the cursor.
            pending = set(s.scalars(select(ChangeLog.young_person_id).where(
                ChangeLog.seq > after, ChangeLog.source == "local")))
        try:
            for yp in sorted(local - scope):
                if yp not in held:
                    continue  # never shared through the hub: made here, its push refused or waiting
                if yp in pending or yp in refused:
                    report.kept_out_of_scope.append(yp)
                    continue
                self._check_cancel()
                purge_young_person(self.store, yp, rebuild=False)
                report.purged.append(yp)
                report.young_people.add(yp)
        except BaseException:
            if report.purged:  # cancelled part way: what was purged still leaves no trace
                rebuild_database(self.store)
            raise
        still = {yp for yp in held if yp in scope or yp in report.kept_out_of_scope}
        if still != held:
            self.store.set_meta(HELD, json.dumps(sorted(still)))
        away = set(_json(meta.get(AWAY), []))
        now_away = (away | set(report.kept_out_of_scope)) - set(report.purged)
        if now_away != away:
            self.store.set_meta(AWAY, json.dumps(sorted(now_away)))
        if report.purged:
            # Once, after the held list no longer names them: the database rebuilt, the WAL
            # emptied (see models.purge).
            rebuild_database(self.store)

    def _retry_quarantined(self, report: SyncReport) -> None:
        """Changes set aside earlier (a clock that was ahead, a record that had not arrived)
        are tried again now that more has arrived."""
        with self.store.reader() as s:
            if not any(q.retryable for q in merge.quarantined(s)):
                return
        with self.store.session() as s:
            result = merge.retry_quarantined(s)
        report.pulled += result.applied
        report.young_people |= result.young_people

    def _hold(self, scope: set[str]) -> None:
        """After a complete pull, everything in the scope the hub gave is held here. (One that
        joined the scope after that answer is backfilled by the next sync.)"""
        held = self._held()
        if not scope <= held:
            self.store.set_meta(HELD, json.dumps(sorted(held | scope)))

    def _files(self, hub: Hub, report: SyncReport) -> None:
        """Files move after the records that name them (so the hub knows whose they are):
        this laptop's files the hub has not confirmed are offered to it (it takes what it
        lacks), then the small files and those of pinned young people that this laptop lacks
        are fetched. ``sync.files_at_hub`` remembers what the hub holds, so a sync with nothing
        new asks nothing."""
        blobs = self.store.blob_store()
        with self.store.reader() as s:
            named = files_repo.named_files(s)
        known = set(_json(self.store.meta().get(FILES_AT_HUB), []))
        at_hub = set(known)
        # Files known to be at the hub were sent or fetched: they are here too. Only the rest
        # are looked at, so a sync with nothing new costs no look at the disk per file.
        unsettled = [f for f in named if f.sha256 not in at_hub]
        here = {f.sha256 for f in unsettled if blobs.exists(f.sha256)}
        offer = sorted(here)
        if offer:
            self._check_cancel()
            sent = files.upload_missing(
                hub.http, blobs, offer, lambda done, total: self._progress(
                    "Sending files", done, total), self._cancel, auth=hub.auth)
            report.files_uploaded += len(sent.uploaded)
            report.bytes_sent += sent.bytes_sent
            at_hub |= set(sent.uploaded) | {sha for sha in offer if sha not in sent.failed
                                            and sha not in sent.unknown}
        lacking = [f for f in unsettled if f.sha256 not in here]
        if lacking:
            got = files.download_eager(
                hub.http, blobs, lacking, files.pinned(self.store),
                lambda done, total: self._progress("Receiving files", done, total),
                self._cancel, auth=hub.auth)
            if got.downloaded:
                with self.store.reader() as s:
                    media = files_repo.media_types(s)
                with self.store.session() as s:
                    for sha in got.downloaded:
                        files_repo.register_blob(s, BlobInfo(sha, blobs.size_of(sha)),
                                                 media.get(sha, ""))
            report.files_downloaded += len(got.downloaded)
            report.bytes_received += got.bytes_received
            at_hub |= set(got.downloaded)
        still = at_hub & {f.sha256 for f in named}
        if still != known:
            self.store.set_meta(FILES_AT_HUB, json.dumps(sorted(still)))

    def _remember(self, *, error: str | None) -> None:
        try:
            last = _json(self.store.meta().get(LAST), {})
            now = datetime.now(UTC).isoformat(timespec="seconds")
            if error is None:
                last = {"ok_at": now, "error": None}
            else:
                last = {**last, "error": error, "error_at": now}
            self.store.set_meta(LAST, json.dumps(last))
        except Exception:  # noqa: BLE001 - a failure to note the failure must not hide it
            pass


def _get(s: Any, key: str) -> str | None:
    row = s.get(Meta, key)
    return row.value if row is not None else None


def fetch_file(store: Store, sha256: str, progress: Callable[[int, int], None] | None = None,
               cancel: Cancel | None = None) -> bool:
    """Fetch one file this laptop's records name but it does not hold (a large file, left on
    the hub until someone opens it). Returns False if it was already here. Raises a
    ``SyncError`` that says what to do (offline, not enrolled, not sent to the hub yet)."""
    blobs = store.blob_store()
    if blobs.exists(sha256):
        return False
    try:
        with Hub.of(store) as hub:
            files.download(hub.http, blobs, sha256, progress, cancel, auth=hub.auth)
    except NotEnrolled:
        raise SyncError("This file is not on this laptop, and the laptop is not enrolled with "
                        "a hub to fetch it from.") from None
    except HubUnreachable:
        raise HubUnreachable("This file is not on this laptop yet and the hub cannot be "
                             "reached. Connect and open it again; before an offline visit, "
                             "keep a young person's files on the laptop (pin them).") from None
    with store.reader() as s:
        media = files_repo.media_types(s).get(sha256, "")
    with store.session() as s:
        files_repo.register_blob(s, BlobInfo(sha256, blobs.size_of(sha256)), media)
    return True
