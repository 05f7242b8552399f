"""A manager's hub actions reach their own team only; advisers and other teams are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from sync.auth import signed_headers
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world


@pytest.fixture
def world(settings: HubSettings) -> World:
    return make_world(settings)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


def call(laptop: Laptop, method: str, path: str, payload: object = None) -> httpx.Response:
    body = b"" if payload is None else json.dumps(payload).encode()
    headers = signed_headers(laptop.key, laptop.device_id, method, httpx.URL(path).raw_path,
                             body)
    headers[HEADER_PROTOCOL] = str(PROTOCOL_VERSION)
    if body:
        headers["Content-Type"] = "application/json"
    return laptop.client.request(method, path, content=body, headers=headers)


def test_only_the_teams_manager_reallocates_and_revokes(client: TestClient, world: World) -> None:
    mo, sue, asha = (enrol(client, world.code_for(u)) for u in ("mo", "sue", "asha"))
    ben_laptop = enrol(client, world.code_for("ben"))
    yp = world.young_people["asha"][0]
    path = f"/v1/team/young-people/{yp}/allocation"
    assert call(asha, "POST", path, {"username": "ben"}).status_code == 403
    assert call(sue, "POST", path, {"username": "sol"}).status_code == 404
    assert call(mo, "POST", path, {"username": "sol"}).status_code == 404  # not in North
    for odd in ("ben\x00", "ben\ud800"):  # no user is called that; no database keeps it
        assert call(mo, "POST", path, {"username": odd}).status_code in (404, 422)
    moved = call(mo, "POST", path, {"username": "ben"})
    assert moved.status_code == 200 and moved.json()["before"] == "asha"
    assert yp in ben_laptop.get("/v1/scope").json()["young_people"]
    assert yp not in asha.get("/v1/scope").json()["young_people"]

    view = call(mo, "GET", "/v1/team").json()
    assert view["team"] == "North"
    assert {m["username"] for m in view["members"]} == {"asha", "ben", "mo"}
    assert call(asha, "GET", "/v1/team").status_code == 403

    revoke = f"/v1/team/devices/{ben_laptop.device_id}/revoke"
    assert call(sue, "POST", revoke).status_code == 404
    assert call(mo, "POST", revoke).json() == {"device_id": ben_laptop.device_id,
                                               "revoked": True}
    assert ben_laptop.get("/v1/scope").status_code == 410
