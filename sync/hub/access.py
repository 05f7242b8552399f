"""Authorisation per young person: the one place that decides who may reach whom.

An adviser reaches the young people currently allocated to them; a manager every young person
of their team (allocated to one of its members, or not yet allocated); an admin none (admins
manage users and devices, never records). Scope is a query on allocations and teams, so
reallocating rewrites no record. Every decision about one young person
is written to the audit log, allowed or refused.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from sync.hub.api_errors import ApiError
from sync.hub.auth import Caller
from sync.hub.tables import Allocation, AuditEvent, HubYoungPerson

NOT_IN_SCOPE = "There is no such young person in your scope."


def visible_query(caller: Caller) -> Select[str]:
    """The ids of the young people ``caller`` may reach, as a query (a subquery in pulls):
    an adviser's current allocations; a manager's whole team, allocated or not."""
    query = select(HubYoungPerson.id)
    if caller.role == "advisor":
        mine = select(Allocation.young_person_id).where(
            Allocation.ended_at.is_(None), Allocation.user_id == caller.user_id
        )
        return query.where(HubYoungPerson.id.in_(mine))
    if caller.role == "manager":
        return query.where(HubYoungPerson.team_id == caller.team_id)
    return query.where(false())


_visible = visible_query


def refuse_admin(caller: Caller) -> None:
    if caller.role == "admin":
        raise ApiError(403, "role_not_permitted",
                       "Admins manage users and devices; they read no young person's record.")


def scope(session: Session, caller: Caller) -> list[str]:
    """The ids of the young people ``caller`` may reach, sorted."""
    refuse_admin(caller)
    return sorted(session.scalars(_visible(caller)))


def may_reach(session: Session, caller: Caller, young_person_id: str) -> bool:
    if caller.role == "admin":
        return False
    found = session.scalar(_visible(caller).where(HubYoungPerson.id == young_person_id))
    return found is not None


def audit(session: Session, caller: Caller, young_person_id: str, action: str,
          allowed: bool) -> None:
    session.add(AuditEvent(user_id=caller.user_id, device_id=caller.device_id,
                           young_person_id=young_person_id, action=action,
                           outcome="allowed" if allowed else "refused"))


def not_in_scope() -> ApiError:
    """The same answer whether the young person exists elsewhere or not at all."""
    return ApiError(404, "not_found", NOT_IN_SCOPE)
