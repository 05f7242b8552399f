"""The open conflicts of one young person, as the hub folds the changes it holds.

The hub merges with the devices' rules (``sync.merge``, pure): folding every change it stored for
a young person gives the records every device converges to and the same open conflicts, with
the same ids, so a conflict can be named across devices and the hub.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from models.registry import RECORD_TYPES
from sync.hub import access
from sync.hub.auth import Caller
from sync.hub.db import unit_of_work
from sync.hub.deps import caller, factory_of
from sync.hub.routes.data import ProtocolDep
from sync.hub.schemas import ConflictList, ConflictView, ErrorBody
from sync.hub.tables import HubChange
from sync.merge import FoldedConflict, fold
from sync.protocol import HEADER_PROTOCOL, MIN_CLIENT_PROTOCOL

router = APIRouter(prefix="/v1")

CallerDep = Annotated[Caller, Depends(caller)]
# Append-only records never conflict: their changes need not be read.
_MAY_CONFLICT = sorted(t for t, rt in RECORD_TYPES.items() if not rt.append_only)


def stored_changes(s: Session, young_person_id: str) -> list[str]:
    """The bodies of every change the hub holds for one young person's records that may
    conflict, in the order they committed."""
    return list(s.scalars(
        select(HubChange.body)
        .where(HubChange.young_person_id == young_person_id,
               HubChange.table_name.in_(_MAY_CONFLICT))
        .order_by(HubChange.seq)
    ))


def _view(c: FoldedConflict) -> ConflictView:
    return ConflictView(
        id=UUID(c.id), table=c.table, record=c.record_label, row_id=UUID(c.row_id),
        field=c.field, current=c.current, current_stamp=c.current_stamp,
        current_by=c.current_by, other=c.other, other_stamp=c.other_stamp, other_by=c.other_by,
        other_device=c.other_device,
        other_at=datetime.fromtimestamp(c.other_at_ms / 1000, UTC), removal=c.removal,
    )


@router.get(
    "/conflicts", response_model=ConflictList,
    responses={
        401: {"model": ErrorBody, "description": "Not signed by an enrolled device"},
        403: {"model": ErrorBody, "description": "Admins read no records"},
        404: {"model": ErrorBody, "description": "Not in your scope"},
        410: {"model": ErrorBody, "description": "This device was revoked: wipe the store"},
        422: {"model": ErrorBody, "description": "young_person is not a UUID"},
        426: {"model": ErrorBody, "description": "The app is too old for this hub: update it"},
    },
    openapi_extra={"parameters": [{
        "name": HEADER_PROTOCOL, "in": "header", "required": True,
        "schema": {"type": "integer", "minimum": MIN_CLIENT_PROTOCOL}}]},
)
async def conflicts(
    request: Request,
    _v: ProtocolDep,
    c: CallerDep,
    young_person: Annotated[UUID, Query(description="The young person's id")],
) -> ConflictList:
    """The open conflicts of one young person in the caller's scope, oldest clash first:
    what every device that holds them lists, with both values, stamps and who wrote them."""
    access.refuse_admin(c)
    yp = str(young_person)
    factory = factory_of(request)

    def run() -> list[str] | None:
        # The decision is audited in its own transaction, so a refusal is recorded too.
        with unit_of_work(factory) as s:
            allowed = access.may_reach(s, c, yp)
            access.audit(s, c, yp, "read conflicts", allowed)
            return stored_changes(s, yp) if allowed else None

    bodies = await run_in_threadpool(run)
    if bodies is None:
        raise access.not_in_scope()
    folded = await run_in_threadpool(fold, (json.loads(b) for b in bodies))
    return ConflictList(young_person_id=young_person,
                        conflicts=[_view(x) for x in folded.conflicts(yp)])
