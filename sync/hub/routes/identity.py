"""Enrolment and the device's view of itself and its scope."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from sync.hub import access, exchange
from sync.hub.auth import Caller, enrol
from sync.hub.db import unit_of_work
from sync.hub.deps import caller, factory_of, settings_of
from sync.hub.schemas import (
    AllocationView,
    DeviceIdentity,
    EnrolRequest,
    ErrorBody,
)
from sync.hub.tables import Allocation, Team, User
from sync.protocol import ScopeView

router = APIRouter(prefix="/v1")

AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Not signed by an enrolled device"},
    410: {"model": ErrorBody, "description": "This device was revoked: wipe the store"},
}
CallerDep = Annotated[Caller, Depends(caller)]


def _identity(c: Caller) -> DeviceIdentity:
    return DeviceIdentity(device_id=UUID(c.device_id), username=c.username,
                          role=c.role,  # type: ignore[arg-type]
                          team=c.team)


@router.post("/enrol", response_model=DeviceIdentity, status_code=201, responses={
    403: {"model": ErrorBody, "description": "Unknown, used or expired code"},
    409: {"model": ErrorBody, "description": "Key already enrolled"},
    429: {"model": ErrorBody, "description": "Too many attempts"},
})
def enrol_device(body: EnrolRequest, request: Request) -> DeviceIdentity:
    """Spend a one-time code: the device is enrolled for the code's user with this public key."""
    client = request.client.host if request.client else "unknown"
    c = enrol(factory_of(request), settings_of(request), client, body.code, body.public_key,
              body.name)
    return _identity(c)


@router.get("/me", response_model=DeviceIdentity, responses=AUTH_ERRORS)
def me(c: CallerDep) -> DeviceIdentity:
    """Who this device is enrolled as."""
    return _identity(c)


@router.get("/scope", response_model=ScopeView, responses={
    **AUTH_ERRORS, 403: {"model": ErrorBody, "description": "Admins read no records"}})
def scope(c: CallerDep, request: Request) -> ScopeView:
    """The young people this device may sync (an adviser's allocations, a manager's whole
    team), the hub's newest sequence number, and the caller's role."""
    with unit_of_work(factory_of(request)) as s:
        ids, head, seen_at = exchange.scope_view(s, c)
    return ScopeView(young_people=ids, head=head, role=c.role, seen_at=seen_at.isoformat())


@router.get("/young-people/{young_person_id}/allocation", response_model=AllocationView,
            responses={**AUTH_ERRORS,
                       403: {"model": ErrorBody, "description": "Admins read no records"},
                       404: {"model": ErrorBody, "description": "Not in your scope"}})
def allocation(young_person_id: UUID, c: CallerDep, request: Request) -> AllocationView:
    """To whom a young person in the caller's scope is allocated."""
    access.refuse_admin(c)
    yp = str(young_person_id)
    # The decision is audited in its own transaction, so a refusal is recorded too.
    with unit_of_work(factory_of(request)) as s:
        allowed = access.may_reach(s, c, yp)
        access.audit(s, c, yp, "read allocation", allowed)
        row = s.execute(
            select(User.username, Team.name, Allocation.allocated_at)
            .join(User, User.id == Allocation.user_id).join(Team, Team.id == User.team_id)
            .where(Allocation.young_person_id == yp, Allocation.ended_at.is_(None))
        ).first() if allowed else None
    if row is None:
        raise access.not_in_scope()
    return AllocationView(young_person_id=young_person_id, allocated_to=row[0], team=row[1],
                          allocated_at=row[2])
