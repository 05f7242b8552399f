"""What an operator does to the hub (the CLI's admin commands), as functions named by intent.

Each takes an open session and returns frozen dataclasses, never live ORM objects. Each raises a
``HubError`` with a one-line reason for a bad name or a duplicate.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync.hub.errors import AlreadyExists, BadValue, NotFound
from sync.hub.tables import (
    ROLES,
    Allocation,
    AuditEvent,
    Device,
    EnrolCode,
    HubYoungPerson,
    Team,
    User,
    utcnow,
)

NAME_MAX = 200


@dataclass(frozen=True)
class TeamRow:
    name: str
    members: int


@dataclass(frozen=True)
class UserRow:
    username: str
    team: str
    role: str
    young_people: int


@dataclass(frozen=True)
class DeviceRow:
    id: str
    username: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    username: str
    device_id: str | None
    young_person_id: str
    action: str
    outcome: str


def _clean_name(kind: str, name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > NAME_MAX or not cleaned.isprintable():
        raise BadValue(f"A {kind} is 1 to {NAME_MAX} printable characters; {name!r} is not.")
    return cleaned


def young_person_id(value: str) -> str:
    """The canonical form of a young person's id (a UUID), or ``BadValue``."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise BadValue(f"{value!r} is not a young person's id (a UUID).") from None


def add_team(session: Session, name: str) -> TeamRow:
    name = _clean_name("team name", name)
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise AlreadyExists(f"There is already a team called {name!r}.")
    session.add(Team(name=name))
    session.flush()
    return TeamRow(name=name, members=0)


def list_teams(session: Session) -> list[TeamRow]:
    members = func.count(User.id)
    rows = session.execute(
        select(Team.name, members).outerjoin(User, User.team_id == Team.id)
        .group_by(Team.id, Team.name).order_by(Team.name)
    )
    return [TeamRow(name=name, members=count) for name, count in rows]


def _team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name.strip()))
    if team is None:
        raise NotFound(f"There is no team called {name!r}; `pathway-hub team list` shows them.")
    return team


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(
            f"There is no user called {username!r}; `pathway-hub user list` shows them."
        )
    return user


def add_user(session: Session, username: str, team: str, role: str) -> UserRow:
    username = _clean_name("username", username)
    if role not in ROLES:
        raise BadValue(f"A role is one of {', '.join(ROLES)}; {role!r} is not.")
    the_team = _team(session, team)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AlreadyExists(f"There is already a user called {username!r}.")
    session.add(User(username=username, team_id=the_team.id, role=role))
    session.flush()
    return UserRow(username=username, team=the_team.name, role=role, young_people=0)


def list_users(session: Session, team: str | None = None) -> list[UserRow]:
    allocated = (
        select(func.count(Allocation.id))
        .where(Allocation.user_id == User.id, Allocation.ended_at.is_(None))
        .scalar_subquery()
    )
    query = (
        select(User.username, Team.name, User.role, allocated)
        .join(Team, Team.id == User.team_id)
        .order_by(User.username)
    )
    if team is not None:
        query = query.where(Team.id == _team(session, team).id)
    return [UserRow(username=u, team=t, role=r, young_people=n) for u, t, r, n in
            session.execute(query)]


def allocate(session: Session, young_person: str, username: str) -> str | None:
    """Allocate a young person to an adviser (or manager); returns whom they were allocated to
    before, if anyone. The old allocation is kept as history."""
    yp = young_person_id(young_person)
    user = _user(session, username)
    if user.role == "admin":
        raise BadValue(f"{user.username} is an admin; young people are allocated to advisers "
                       "and managers.")
    now = utcnow()
    current = session.scalar(
        select(Allocation).where(Allocation.young_person_id == yp, Allocation.ended_at.is_(None))
        .with_for_update()
    )
    before = None
    if current is not None:
        if current.user_id == user.id:
            return user.username
        before = session.scalar(select(User.username).where(User.id == current.user_id))
        current.ended_at = now
        session.flush()
    session.add(Allocation(young_person_id=yp, user_id=user.id, allocated_at=now))
    known = session.get(HubYoungPerson, yp, with_for_update=True)
    if known is None:
        session.add(HubYoungPerson(id=yp, team_id=user.team_id, registered_at=now))
    else:
        known.team_id = user.team_id
    session.flush()
    return before


def hash_code(code: str) -> bytes:
    return hashlib.sha256(code.strip().encode("utf-8", "replace")).digest()


def issue_enrol_code(session: Session, username: str, hours: int = 24) -> tuple[str, datetime]:
    """A new one-time code for ``username``'s next device; only its hash is stored."""
    user = _user(session, username)
    code = secrets.token_urlsafe(24)  # 192 bits: guessing is hopeless, so a hash suffices
    expires = utcnow() + timedelta(hours=hours)
    session.add(EnrolCode(code_hash=hash_code(code), user_id=user.id, expires_at=expires))
    session.flush()
    return code, expires


def list_devices(session: Session) -> list[DeviceRow]:
    rows = session.execute(
        select(Device, User.username).join(User, User.id == Device.user_id)
        .order_by(Device.enrolled_at, Device.id)
    )
    return [
        DeviceRow(id=d.id, username=u, name=d.name, enrolled_at=d.enrolled_at,
                  last_seen_at=d.last_seen_at, revoked_at=d.revoked_at)
        for d, u in rows
    ]


def revoke_device(session: Session, device_id: str) -> bool:
    """Revoke a device; False if it was revoked already. Its next request is told to wipe."""
    try:
        canonical = str(uuid.UUID(device_id.strip()))
    except ValueError:
        raise BadValue(f"{device_id!r} is not a device id; `pathway-hub device list` shows "
                       "them.") from None
    device = session.get(Device, canonical)
    if device is None:
        raise NotFound(f"There is no device {canonical}; `pathway-hub device list` shows them.")
    if device.revoked_at is not None:
        return False
    session.execute(update(Device).where(Device.id == canonical).values(revoked_at=utcnow()))
    return True


def audit_events(
    session: Session,
    *,
    username: str | None = None,
    young_person: str | None = None,
    device_id: str | None = None,
    since: datetime | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    query = select(AuditEvent, User.username).join(User, User.id == AuditEvent.user_id)
    if username is not None:
        query = query.where(AuditEvent.user_id == _user(session, username).id)
    if young_person is not None:
        query = query.where(AuditEvent.young_person_id == young_person_id(young_person))
    if device_id is not None:
        query = query.where(AuditEvent.device_id == device_id.strip())
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return [
        AuditRow(at=e.at, username=u, device_id=e.device_id, young_person_id=e.young_person_id,
                 action=e.action, outcome=e.outcome)
        for e, u in session.execute(query)
    ]
