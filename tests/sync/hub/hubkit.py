"""Test data for the hub: one place that makes teams, users, allocations and enrolled devices."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from sync.auth import new_device_key, public_key_text, signed_headers
from sync.hub import admin
from sync.hub.db import make_engine, migrate, session_factory, unit_of_work
from sync.hub.settings import HubSettings
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION


def prepare(settings: HubSettings) -> None:
    """Migrate the database (as ``serve`` does before it serves)."""
    engine = make_engine(settings.database)
    migrate(engine)
    engine.dispose()


def run_admin(settings: HubSettings, fn: Any, *args: Any, **kwargs: Any) -> Any:
    engine = make_engine(settings.database)
    try:
        with unit_of_work(session_factory(engine)) as s:
            return fn(s, *args, **kwargs)
    finally:
        engine.dispose()


@dataclass
class World:
    """Two teams: North (advisers asha and ben, manager mo) and South (adviser sol, manager
    sue), an admin; each adviser has young people of their own."""

    settings: HubSettings
    young_people: dict[str, list[str]] = field(default_factory=dict)

    def code_for(self, username: str) -> str:
        code, _ = run_admin(self.settings, admin.issue_enrol_code, username)
        return str(code)


def make_world(settings: HubSettings, per_adviser: int = 2) -> World:
    prepare(settings)
    world = World(settings)

    def setup(s: Any) -> None:
        admin.add_team(s, "North")
        admin.add_team(s, "South")
        for username, team, role in [
            ("asha", "North", "advisor"), ("ben", "North", "advisor"), ("mo", "North", "manager"),
            ("sol", "South", "advisor"), ("sue", "South", "manager"), ("root", "South", "admin"),
        ]:
            admin.add_user(s, username, team, role)
        for adviser in ("asha", "ben", "sol"):
            ids = [str(uuid.uuid4()) for _ in range(per_adviser)]
            for yp in ids:
                admin.allocate(s, yp, adviser)
            world.young_people[adviser] = sorted(ids)

    run_admin(settings, setup)
    return world


@dataclass
class Laptop:
    """An enrolled device: its key and id, and a way to send signed requests."""

    client: TestClient | httpx.Client
    key: Ed25519PrivateKey
    device_id: str

    def request(self, method: str, path: str, body: bytes = b"", **extra: Any) -> httpx.Response:
        target = httpx.URL(path).raw_path
        headers = signed_headers(self.key, self.device_id, method, target, body, **extra)
        headers[HEADER_PROTOCOL] = str(PROTOCOL_VERSION)  # ignored where no protocol is spoken
        if body:
            headers["Content-Type"] = "application/json"
        return self.client.request(method, path, content=body, headers=headers)

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)


def enrol(client: TestClient | httpx.Client, code: str, name: str = "test laptop") -> Laptop:
    key = new_device_key()
    response = client.post("/v1/enrol", content=json.dumps(
        {"code": code, "public_key": public_key_text(key), "name": name}
    ), headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    return Laptop(client, key, response.json()["device_id"])
