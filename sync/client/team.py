"""A manager's actions through the hub, from the laptop: the team's members and laptops,
reallocating a young person, revoking a laptop. Each needs the hub (online)."""

from __future__ import annotations

from typing import Any

import httpx

from models.store import Store
from sync.client.connection import Hub


def team(store: Store, http: httpx.Client | None = None) -> dict[str, Any]:
    """The team as the hub sees it: members, how many young people each holds, their laptops
    with when each last synced, and how many young people wait unallocated."""
    with Hub.of(store, http) as hub:
        return dict(hub.get("/v1/team"))


def reallocate(store: Store, young_person_id: str, username: str,
               http: httpx.Client | None = None) -> dict[str, Any]:
    """Allocate a young person of the team to ``username``. The old adviser's laptop purges
    them at its next sync (after sending what it holds); the new adviser's receives them."""
    with Hub.of(store, http) as hub:
        return dict(hub.post(f"/v1/team/young-people/{young_person_id}/allocation",
                             {"username": username}, compress=False))


def revoke(store: Store, device_id: str, http: httpx.Client | None = None) -> bool:
    """Revoke a team member's laptop: it is refused from now on and wipes itself when it
    next reaches the hub."""
    with Hub.of(store, http) as hub:
        return bool(hub.post(f"/v1/team/devices/{device_id}/revoke", {},
                                 compress=False)["revoked"])
