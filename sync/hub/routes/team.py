"""What only a team manager does through the hub: see the team's advisers and their laptops
(with when each last synced), reallocate a young person within the team, revoke a laptop.

Every action is checked against the caller's team: a manager reaches their own team only, an
adviser none of this. Reallocation rewrites no record: the old adviser's laptop purges the
young person at its next sync (after pushing what it holds), the new one receives them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from sync.hub import access, admin
from sync.hub.api_errors import ApiError
from sync.hub.auth import Caller
from sync.hub.db import unit_of_work
from sync.hub.deps import caller, factory_of
from sync.hub.routes.data import protocol_checked
from sync.hub.schemas import NO_CONTROL_CHARACTERS, ErrorBody
from sync.hub.tables import Allocation, Device, HubYoungPerson, User

router = APIRouter(prefix="/v1/team")
CallerDep = Annotated[Caller, Depends(caller)]
ProtocolDep = Annotated[int, Depends(protocol_checked)]

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Not signed by an enrolled device"},
    403: {"model": ErrorBody, "description": "Only the team's manager may do this"},
    404: {"model": ErrorBody, "description": "Not in your team"},
    410: {"model": ErrorBody, "description": "This device was revoked: wipe the store"},
    426: {"model": ErrorBody, "description": "The app is too old for this hub: update it"},
}


class TeamDevice(BaseModel):
    device_id: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    last_sync_at: datetime | None
    revoked_at: datetime | None


class TeamMember(BaseModel):
    username: str
    role: str
    young_people: int
    devices: list[TeamDevice]


class TeamView(BaseModel):
    team: str
    members: list[TeamMember]
    unallocated: int


class Reallocation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=200, pattern=NO_CONTROL_CHARACTERS)


class Reallocated(BaseModel):
    young_person_id: str
    allocated_to: str
    before: str | None


class Revoked(BaseModel):
    device_id: str
    revoked: bool


def _managers_only(c: Caller) -> None:
    if c.role != "manager":
        raise ApiError(403, "role_not_permitted", "Only a team manager may do this.")


@router.get("", response_model=TeamView, responses=_ERRORS)
def team(request: Request, _v: ProtocolDep, c: CallerDep) -> TeamView:
    """The caller's team: each member, how many young people they hold, their laptops."""
    _managers_only(c)
    with unit_of_work(factory_of(request)) as s:
        counts = {user_id: n for user_id, n in s.execute(
            select(Allocation.user_id, func.count()).where(Allocation.ended_at.is_(None))
            .group_by(Allocation.user_id))}
        members = []
        for user in s.scalars(select(User).where(User.team_id == c.team_id)
                              .order_by(User.username)):
            devices = [TeamDevice(device_id=d.id, name=d.name, enrolled_at=d.enrolled_at,
                                  last_seen_at=d.last_seen_at, last_sync_at=d.scope_seen_at,
                                  revoked_at=d.revoked_at)
                       for d in s.scalars(select(Device).where(Device.user_id == user.id)
                                          .order_by(Device.enrolled_at))]
            members.append(TeamMember(username=user.username, role=user.role,
                                      young_people=counts.get(user.id, 0), devices=devices))
        allocated = select(Allocation.young_person_id).where(Allocation.ended_at.is_(None))
        unallocated = s.scalar(select(func.count()).select_from(HubYoungPerson).where(
            HubYoungPerson.team_id == c.team_id, HubYoungPerson.id.not_in(allocated))) or 0
    return TeamView(team=c.team, members=members, unallocated=unallocated)


@router.post("/young-people/{young_person_id}/allocation", response_model=Reallocated,
             responses=_ERRORS)
def reallocate(young_person_id: UUID, body: Reallocation, request: Request, _v: ProtocolDep,
               c: CallerDep) -> Reallocated:
    """Allocate a young person of the team to another member of the team."""
    _managers_only(c)
    yp = str(young_person_id)
    with unit_of_work(factory_of(request)) as s:
        allowed = access.may_reach(s, c, yp)
        target = s.scalar(select(User).where(User.username == body.username.strip()))
        in_team = target is not None and target.team_id == c.team_id and target.role != "admin"
        access.audit(s, c, yp, "reallocate", allowed and in_team)
    if not allowed:
        raise access.not_in_scope()
    if not in_team:
        raise ApiError(404, "not_found", f"There is no adviser called {body.username!r} in "
                       "your team.")
    with unit_of_work(factory_of(request)) as s:
        before = admin.allocate(s, yp, body.username)
    return Reallocated(young_person_id=yp, allocated_to=body.username.strip(), before=before)


@router.post("/devices/{device_id}/revoke", response_model=Revoked, responses=_ERRORS)
def revoke(device_id: UUID, request: Request, _v: ProtocolDep, c: CallerDep) -> Revoked:
    """Revoke a laptop of a member of the team (lost or stolen): it wipes itself when it next
    reaches the hub, and is refused meanwhile."""
    _managers_only(c)
    with unit_of_work(factory_of(request)) as s:
        owner_team = s.scalar(select(User.team_id).join(Device, Device.user_id == User.id)
                              .where(Device.id == str(device_id)))
        if owner_team != c.team_id:
            raise ApiError(404, "not_found", "There is no such laptop in your team.")
        done = admin.revoke_device(s, str(device_id))
    return Revoked(device_id=str(device_id), revoked=done)
