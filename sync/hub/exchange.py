"""The hub's side of sync: taking a device's changes in (push) and handing changes out (pull).

A push is checked change by change with the rules a device applies (``models.change_rules``:
known record types and fields, valid stamps, the record type's validator, a clock not too far
ahead) and with the caller's scope, then stored whole in the hub's change log. Sequence numbers
are taken as the last step before commit from one counter row whose lock is held until commit:
sequence numbers therefore become visible in order, on SQLite and on PostgreSQL with any number
of hub processes, and a pull cursor can never pass a change that commits later.

Scope of a change from a device (see ``access``):
- a young person in the caller's scope now;
- a young person the hub has never met, when the change creates their record (a referral):
  they join the caller's team, allocated to the caller if the caller is an adviser;
- a young person the device still held at the last scope it applied (pulled and purged by),
  or has written about (accepted changes) since: what it wrote offline reaches the hub even
  if the young person was reallocated meanwhile (a referral whose first push was cut before
  the device read its scope included);
- a team-wide record (no young person) of the caller's own team.
Anything else is refused and recorded with the reason; the device keeps its copy.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from models.change_rules import Change, Refused, check_change
from models.hlc import MAX_DRIFT_MS, HybridClock
from models.registry import storable
from sync.hub import access
from sync.hub.auth import Caller
from sync.hub.db import dialect_insert, utf8_bytes
from sync.hub.tables import (
    Allocation,
    Counter,
    Device,
    FileRef,
    HubChange,
    HubYoungPerson,
    RefusedChange,
    User,
    utcnow,
)
from sync.protocol import PullRequest, PushResult, Refusal

FILE_FIELDS = ("sha256", "cover_photo_sha256")
_WAITS = "waits for an earlier change in the same push that must be sent again first"
_NOT_YOURS = "this young person is not in your scope (allocated to someone else?)"

# TEST HOOK, off by default: a push sleeps a random 0..N ms after taking its sequence numbers
# and before it commits, widening the window in which a late commit could be skipped by a pull
# (tests/sync/hub/test_late_commit.py). Never set it on a real hub: it only slows pushes down.
TEST_COMMIT_DELAY_ENV = "PATHWAY_HUB_TEST_COMMIT_DELAY_MS"


def _held_at(s: Session, caller: Caller, yp: str, when: datetime | None) -> bool:
    """Was ``yp`` in the caller's scope at ``when`` (the device's last scope request)?"""
    if when is None:
        return False
    users = (
        select(User.id).where(User.team_id == caller.team_id)
        if caller.role == "manager"
        else select(User.id).where(User.id == caller.user_id)
    )
    found = s.scalar(
        select(Allocation.id).where(
            Allocation.young_person_id == yp,
            Allocation.user_id.in_(users),
            Allocation.allocated_at <= when,
            or_(Allocation.ended_at.is_(None), Allocation.ended_at > when),
        ).limit(1)
    )
    return found is not None


def _pushed_since(s: Session, caller: Caller, yp: str, when: datetime | None) -> bool:
    """Has this device written about ``yp`` (changes the hub accepted) since ``when``, its last
    scope request? Then, as far as the hub knows, it still held them after that request."""
    q = select(HubChange.seq).where(HubChange.device_id == caller.device_id,
                                    HubChange.young_person_id == yp)
    if when is not None:
        q = q.where(HubChange.received_at > when)
    return s.scalar(q.limit(1)) is not None


def _files_of(c: Change) -> Iterable[str]:
    for key in FILE_FIELDS:
        version = c.fields.get(key)
        if version and isinstance(version[0], str) and len(version[0]) == 64:
            yield version[0]


@dataclass
class _Accepted:
    change: Change
    body: str
    team_id: int | None
    files: list[str] = field(default_factory=list)


def push(s: Session, caller: Caller, raw_changes: Sequence[Any]) -> PushResult:
    """Check and store one page of a device's changes (the caller's open transaction)."""
    access.refuse_admin(caller)
    device = s.get(Device, caller.device_id)
    scope_seen_at = device.scope_seen_at if device is not None else None
    in_scope = set(access.scope(s, caller))
    clock = HybridClock("hub")
    parsed: list[tuple[Change | None, Any, str]] = []
    for raw in raw_changes:
        try:
            parsed.append((Change.from_json(raw), raw, ""))
        except ValueError as exc:
            parsed.append((None, raw, str(exc)))
    ids = [c.change_id for c, _, _ in parsed if c is not None]
    known = set(s.scalars(select(HubChange.change_id).where(HubChange.change_id.in_(ids))))
    result = PushResult(accepted=0, duplicates=0)
    accepted: list[_Accepted] = []
    held: dict[str, bool] = {}
    audited: dict[str, bool] = {}
    stop = False

    def still_held(yp: str) -> bool:
        """Out of scope now, but this device held them when it last applied its scope."""
        if yp not in held:
            held[yp] = _held_at(s, caller, yp, scope_seen_at) or _pushed_since(
                s, caller, yp, scope_seen_at)
        return held[yp]

    for c, raw, error in parsed:
        if c is None:
            cid = str(raw.get("change_id", ""))[:200] if isinstance(raw, dict) else ""
            _refuse(s, caller, result, cid, None, error, False, raw)
            continue
        cid = c.change_id
        if stop:
            result.refused.append(Refusal(change_id=cid, reason=_WAITS, retryable=True))
            continue
        if cid in known:
            result.duplicates += 1
            continue
        try:
            check_change(c, clock, MAX_DRIFT_MS)
        except Refused as exc:
            _refuse(s, caller, result, cid, c.young_person_id, str(exc), exc.retryable, raw)
            stop = exc.retryable
            continue
        yp = c.young_person_id
        team_id = caller.team_id if yp is None else None
        if yp is not None and yp not in in_scope and not still_held(yp):
            if c.table == "young_people" and s.get(HubYoungPerson, yp) is None:
                _register(s, caller, yp)
                in_scope.add(yp)
                result.registered.append(yp)
            else:
                if audited.get(yp) is not False:
                    access.audit(s, caller, yp, "push changes", False)
                    audited[yp] = False
                _refuse(s, caller, result, cid, yp, _NOT_YOURS, False, raw)
                continue
        if yp is not None and yp not in audited:
            access.audit(s, caller, yp, "push changes", True)
            audited[yp] = True
        known.add(cid)
        body = json.dumps(c.to_json(), separators=(",", ":"), ensure_ascii=False)
        accepted.append(_Accepted(c, body, team_id, list(_files_of(c))))
    if accepted:
        _store(s, caller, accepted)
    if result.refused:
        _bound_refusals(s, caller.device_id)
    result.accepted = len(accepted)
    return result


MAX_REFUSALS_KEPT = 10_000


def _bound_refusals(s: Session, device_id: str) -> None:
    """A device's refusals stay bounded: the newest ``MAX_REFUSALS_KEPT`` are kept (the device
    keeps its own copy of every refused change in any case)."""
    s.flush()
    cutoff = s.scalar(
        select(RefusedChange.id).where(RefusedChange.device_id == device_id)
        .order_by(RefusedChange.id.desc()).offset(MAX_REFUSALS_KEPT).limit(1)
    )
    if cutoff is not None:
        s.execute(delete(RefusedChange).where(RefusedChange.device_id == device_id,
                                              RefusedChange.id <= cutoff))


def _register(s: Session, caller: Caller, yp: str) -> None:
    """A young person the hub meets for the first time joins the caller's team; an adviser's
    referral is allocated to that adviser, a manager's waits unallocated."""
    now = utcnow()
    s.add(HubYoungPerson(id=yp, team_id=caller.team_id, registered_at=now))
    if caller.role == "advisor":
        s.add(Allocation(young_person_id=yp, user_id=caller.user_id, allocated_at=now))
    s.flush()
    access.audit(s, caller, yp, "register young person", True)


def _refuse(
    s: Session, caller: Caller, result: PushResult, change_id: str, yp: str | None,
    reason: str, retryable: bool, raw: Any,
) -> None:
    # What cannot be parsed may hold text no database keeps (NUL, half a UTF-16 pair): the
    # change id is kept and answered escaped, the body as ASCII JSON.
    change_id = _keepable(change_id)
    result.refused.append(Refusal(change_id=change_id, reason=reason, retryable=retryable))
    try:
        body = json.dumps(raw, separators=(",", ":"), ensure_ascii=False)
        if not storable(body):
            body = json.dumps(raw, separators=(",", ":"))
        body = body[:200_000]
    except (TypeError, ValueError):
        body = ""
    s.add(RefusedChange(device_id=caller.device_id, change_id=change_id[:200],
                        young_person_id=yp if yp and len(yp) <= 36 and storable(yp) else None,
                        reason=reason[:500], retryable=retryable, body=body))


def _keepable(text: str) -> str:
    """``text`` as a database can keep it: unchanged when it can, else escaped."""
    if storable(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00")


def _store(s: Session, caller: Caller, accepted: list[_Accepted]) -> None:
    """Take sequence numbers (holding the counter's lock until commit) and store the page."""
    s.flush()
    top = s.execute(
        update(Counter).where(Counter.name == "changes")
        .values(value=Counter.value + len(accepted)).returning(Counter.value)
    ).scalar_one()
    first = top - len(accepted) + 1
    _test_commit_delay()
    now = utcnow()
    rows = [
        {
            "seq": first + i,
            "change_id": a.change.change_id,
            "young_person_id": a.change.young_person_id,
            "team_id": a.team_id,
            "table_name": a.change.table,
            "row_id": a.change.row_id,
            "device_id": caller.device_id,
            "user_id": caller.user_id,
            "max_stamp": a.change.max_stamp(),
            "body": a.body,
            "received_at": now,
        }
        for i, a in enumerate(accepted)
    ]
    s.execute(
        dialect_insert(s, HubChange).on_conflict_do_nothing(index_elements=["change_id"]), rows
    )
    refs = {(sha, a.change.young_person_id) for a in accepted for sha in a.files
            if a.change.young_person_id}
    if refs:
        s.execute(
            dialect_insert(s, FileRef).on_conflict_do_nothing(),
            [{"sha256": sha, "young_person_id": yp} for sha, yp in sorted(refs)],
        )


def _test_commit_delay() -> None:
    """The test hook above (``TEST_COMMIT_DELAY_ENV``); does nothing unless it is set."""
    raw = os.environ.get(TEST_COMMIT_DELAY_ENV)
    if raw:
        time.sleep(random.uniform(0, float(raw)) / 1000)  # noqa: S311 - test timing only


def head(s: Session) -> int:
    return int(s.scalar(select(Counter.value).where(Counter.name == "changes")) or 0)


@dataclass
class Page:
    bodies: list[bytes]  # each change's JSON, in UTF-8 as stored
    next: int
    more: bool
    head: int

    def to_json_bytes(self) -> bytes:
        """The page as JSON, built around the stored bodies without parsing them again."""
        tail = f'],"next":{self.next},"more":{str(self.more).lower()},"head":{self.head}}}'
        return b'{"changes":[' + b",".join(self.bodies) + tail.encode()


# How a pull reads the log. A small scope (an adviser's caseload) reads its young people's
# index ranges after the cursor, so a pull costs what is theirs, however big the hub. A large
# scope (a manager's team) reads the log in sequence order and filters as it goes, stopping at
# the page's limit: through the young-person index instead, the database gathers and sorts
# every remaining change in scope, bodies and all, for every page (SQLite's plan: each page of
# a 200-young-person first sync took 0.4-1.3 s instead of 0.07 s, and a first sync grew with
# the square of the team's history).
SCAN_SCOPE = 50


def _unindexed(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The same values, as an expression no index answers: the planner reads in seq order."""
    return func.coalesce(column, "")


def pull(s: Session, caller: Caller, req: PullRequest) -> Page:
    """Changes after ``req.after`` in the caller's scope, oldest first, without the caller's
    own (except in a backfill). ``next`` is safe to store: every change up to it is in this
    page or out of scope."""
    access.refuse_admin(caller)
    top = head(s)  # read first: every sequence number up to it has committed
    visible = access.visible_query(caller)
    changes = HubChange.__table__.c
    # The bodies as the stored UTF-8 bytes, run through Core, not the ORM's row handling: a
    # page then costs its query and its compression (hub CPU per first-team-sync page: 34 to
    # 22 ms).
    q = select(changes.seq, utf8_bytes(changes.body)).where(changes.seq > req.after)
    if req.young_people is None:
        # A backfill includes the caller's own changes: it may be getting back young people
        # it held before and purged.
        q = q.where(changes.device_id != caller.device_id)
    limit_to = top if req.until is None else min(top, req.until)
    if req.until is not None:
        q = q.where(changes.seq <= limit_to)
    yp_col: ColumnElement[Any] = changes.young_person_id
    team_col: ColumnElement[Any] = changes.team_id
    if req.young_people is not None:
        wanted = sorted(set(req.young_people))
        allowed = set(s.scalars(visible.where(HubYoungPerson.id.in_(wanted))))
        for yp in wanted:
            access.audit(s, caller, yp, "pull changes", yp in allowed)
        if len(allowed) > SCAN_SCOPE:
            yp_col = _unindexed(yp_col)
        q = q.where(yp_col.in_(sorted(allowed)))
    else:
        if (s.scalar(select(func.count()).select_from(visible.subquery())) or 0) > SCAN_SCOPE:
            yp_col, team_col = _unindexed(yp_col), team_col + 0
        q = q.where(or_(
            yp_col.in_(visible),
            and_(changes.young_person_id.is_(None), team_col == caller.team_id),
        ))
    rows = s.connection().execute(q.order_by(changes.seq).limit(req.limit + 1)).all()
    more = len(rows) > req.limit
    rows = rows[: req.limit]
    # Without more, nothing else in scope is committed up to what this read could see.
    nxt = rows[-1][0] if more else max([req.after, limit_to, *(r[0] for r in rows[-1:])])
    return Page([r[1] for r in rows], nxt, more, top)


def scope_view(s: Session, caller: Caller) -> tuple[list[str], int, datetime]:
    """The caller's scope, the hub's head, and when they were read (the device sends that
    time back through :func:`scope_applied` once it has purged by this scope)."""
    now = utcnow()
    return access.scope(s, caller), head(s), now


def scope_applied(s: Session, caller: Caller, seen_at: datetime) -> None:
    """The device holds no one outside the scope it read at ``seen_at``: from now on it may
    write only about those it held then (or wrote about since). Never moves backwards, nor
    past now."""
    when = min(seen_at, utcnow())
    s.execute(update(Device).where(
        Device.id == caller.device_id,
        or_(Device.scope_seen_at.is_(None), Device.scope_seen_at < when),
    ).values(scope_seen_at=when))


def stats(s: Session) -> dict[str, int]:
    return {"changes": int(s.scalar(select(func.count()).select_from(HubChange)) or 0)}
