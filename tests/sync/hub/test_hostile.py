"""Malformed, oversized and hostile requests: each gets a 4xx with a structured reason that
echoes nothing it was sent, and the hub keeps answering."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.auth import (
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    b64,
    new_device_key,
    public_key_text,
    signed_headers,
)
from sync.hub import admin
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from sync.hub.tables import Device, EnrolCode
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world, run_admin

Attack = Callable[["Arena"], httpx.Response]


class Arena:
    def __init__(self, client: TestClient, world: World, laptop: Laptop, other: Laptop) -> None:
        self.client, self.world, self.laptop, self.other = client, world, laptop, other
        self.own = world.young_people["asha"][0]

    def signed(self, method: str, path: str, body: bytes = b"", key: Any = None,
               device_id: str | None = None, **changes: str) -> httpx.Response:
        headers = signed_headers(key or self.laptop.key, device_id or self.laptop.device_id,
                                 method, httpx.URL(path).raw_path, body)
        headers.update(changes)
        return self.client.request(method, path, content=body, headers=headers)

    def enrol_raw(self, body: bytes, content_type: str = "application/json") -> httpx.Response:
        return self.client.post("/v1/enrol", content=body,
                                headers={"Content-Type": content_type})

    def enrol_json(self, **fields: Any) -> httpx.Response:
        body = {"code": "c" * 32, "public_key": public_key_text(new_device_key())}
        body.update(fields)
        return self.enrol_raw(json.dumps(body).encode())


def _stolen_key(arena: Arena) -> Ed25519PrivateKey:
    """What a copy of the database offers: the public key's 32 bytes, used as a private key."""
    raw = run_admin(arena.world.settings, lambda s: s.scalar(
        select(Device.public_key).where(Device.id == arena.laptop.device_id)))
    return Ed25519PrivateKey.from_private_bytes(raw)


def _code_hash_as_code(arena: Arena) -> httpx.Response:
    digest = run_admin(arena.world.settings, lambda s: s.scalar(select(EnrolCode.code_hash)))
    return arena.enrol_json(code=b64(digest))


def _replayed(arena: Arena) -> httpx.Response:
    headers = signed_headers(arena.laptop.key, arena.laptop.device_id, "GET", b"/v1/scope")
    assert arena.client.get("/v1/scope", headers=headers).status_code == 200
    return arena.client.get("/v1/scope", headers=headers)


def _replayed_code(arena: Arena) -> httpx.Response:
    code = arena.world.code_for("ben")
    assert arena.enrol_json(code=code).status_code == 201
    return arena.enrol_json(code=code)


def _expired_code(arena: Arena) -> httpx.Response:
    code, _ = run_admin(arena.world.settings, admin.issue_enrol_code, "ben", hours=-1)
    return arena.enrol_json(code=code)


def _reused_key(arena: Arena) -> httpx.Response:
    key = new_device_key()
    assert arena.enrol_json(code=arena.world.code_for("ben"),
                            public_key=public_key_text(key)).status_code == 201
    return arena.enrol_json(code=arena.world.code_for("ben"), public_key=public_key_text(key))


def _chunked_huge(arena: Arena) -> httpx.Response:
    def chunks() -> Iterator[bytes]:
        yield b'{"code": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'
    return arena.client.post("/v1/enrol", content=chunks(),
                             headers={"Content-Type": "application/json"})


ATTACKS: dict[str, Attack] = {
    # enrolment bodies
    "bad JSON": lambda a: a.enrol_raw(b'{"code": '),
    "JSON array": lambda a: a.enrol_raw(b"[1, 2, 3]"),
    "JSON null": lambda a: a.enrol_raw(b"null"),
    "JSON string": lambda a: a.enrol_raw(b'"hello"'),
    "empty body": lambda a: a.enrol_raw(b""),
    "not UTF-8": lambda a: a.enrol_raw(b'{"code": "\xff\xfe"}'),
    "deeply nested": lambda a: a.enrol_raw(b"[" * 5000 + b"]" * 5000),
    "code is a number": lambda a: a.enrol_json(code=12345678),
    "code is a list": lambda a: a.enrol_json(code=["a"] * 10),
    "code is null": lambda a: a.enrol_json(code=None),
    "code too long": lambda a: a.enrol_json(code="a" * 10_000),
    "code with unicode": lambda a: a.enrol_json(code="ÅÅÅÅÅÅÅÅÅÅÅÅ"),
    "code with SQL": lambda a: a.enrol_json(code="x' OR '1'='1"),
    "unknown field": lambda a: a.enrol_json(admin=True),
    "missing key": lambda a: a.enrol_raw(json.dumps({"code": "c" * 32}).encode()),
    "key wrong length": lambda a: a.enrol_json(public_key="AAAA"),
    "key not base64": lambda a: a.enrol_json(public_key="!" * 43),
    "name too long": lambda a: a.enrol_json(name="n" * 101),
    "name with NUL": lambda a: a.enrol_json(code=a.world.code_for("ben"), name="Asha\x00"),
    "name with half a UTF-16 pair": lambda a: a.enrol_json(code=a.world.code_for("ben"),
                                                          name="Asha \ud800"),
    "form encoded": lambda a: a.enrol_raw(b"code=x&public_key=y",
                                          "application/x-www-form-urlencoded"),
    "huge body": lambda a: a.enrol_raw(b'{"code": "' + b"x" * 2_000_000 + b'"}'),
    "huge body, chunked": _chunked_huge,
    "replayed code": _replayed_code,
    "expired code": _expired_code,
    "code hash from the database": _code_hash_as_code,
    "key already enrolled": _reused_key,
    # paths and methods
    "dot-dot path": lambda a: a.client.get("/v1/young-people/../../etc/passwd"),
    "encoded dot-dot": lambda a: a.client.get("/v1/young-people/%2e%2e%2f%2e%2e/allocation"),
    "NUL in path": lambda a: a.client.get("/v1/young-people/abc%00def/allocation"),
    "SQL in path": lambda a: a.signed("GET", "/v1/young-people/'%20OR%201=1--/allocation"),
    "not a UUID": lambda a: a.signed("GET", "/v1/young-people/12345/allocation"),
    "trailing segment": lambda a: a.signed("GET", f"/v1/young-people/{a.own}/allocation/x"),
    "very long path": lambda a: a.client.get("/v1/" + "a" * 5000),
    "unknown path": lambda a: a.client.get("/v1/admin/users"),
    "wrong method": lambda a: a.client.delete("/v1/scope"),
    "PUT health": lambda a: a.client.put("/health", content=b"{}"),
    "too many headers": lambda a: a.client.get(
        "/health", headers={f"X-Filler-{i}": "x" for i in range(80)}),
    # signatures
    "unsigned": lambda a: a.client.get("/v1/scope"),
    "stale timestamp": lambda a: a.signed(
        "GET", "/v1/scope", **{HEADER_TIMESTAMP: str(int(time.time()) - 3600)}),
    "future timestamp": lambda a: a.signed(
        "GET", "/v1/scope", **{HEADER_TIMESTAMP: str(int(time.time()) + 3600)}),
    "timestamp not a number": lambda a: a.signed("GET", "/v1/scope", **{HEADER_TIMESTAMP: "x"}),
    "huge timestamp": lambda a: a.signed("GET", "/v1/scope", **{HEADER_TIMESTAMP: "9" * 40}),
    "signature not base64": lambda a: a.signed("GET", "/v1/scope", **{HEADER_SIGNATURE: "%%%"}),
    "signature too long": lambda a: a.signed("GET", "/v1/scope",
                                             **{HEADER_SIGNATURE: "A" * 5000}),
    "signature truncated": lambda a: a.signed("GET", "/v1/scope", **{
        HEADER_SIGNATURE: b64(base64.b64decode("A" * 40))}),
    "short nonce": lambda a: a.signed("GET", "/v1/scope", **{"X-Pathway-Nonce": "abc"}),
    "device id not a UUID": lambda a: a.signed("GET", "/v1/scope", device_id="../../root"),
    "unknown device": lambda a: a.signed("GET", "/v1/scope",
                                         device_id="00000000-0000-4000-8000-000000000000"),
    "signed for another path": lambda a: a.client.get("/v1/scope", headers=signed_headers(
        a.laptop.key, a.laptop.device_id, "GET", b"/v1/me")),
    "signed for another body": lambda a: a.client.request(
        "GET", "/v1/scope", content=b"tampered", headers=signed_headers(
            a.laptop.key, a.laptop.device_id, "GET", b"/v1/scope", b"original")),
    "another device's key": lambda a: a.signed("GET", "/v1/scope", key=a.other.key),
    "key stolen from the database": lambda a: a.signed("GET", "/v1/scope", key=_stolen_key(a)),
    "replayed request": _replayed,
}


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arena]:
    db = tmp_path_factory.mktemp("hostile") / "hub.db"
    settings = HubSettings(database=f"sqlite:///{db}", enrol_attempts_per_client=10_000)
    world = make_world(settings)
    with TestClient(create_app(settings)) as client:
        yield Arena(client, world, enrol(client, world.code_for("asha")),
                    enrol(client, world.code_for("sol")))


def test_there_are_at_least_forty() -> None:
    assert len(ATTACKS) >= 40


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_hostile_request_gets_a_4xx(arena: Arena, name: str) -> None:
    answer = ATTACKS[name](arena)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    body = answer.json()
    assert set(body) <= {"error", "detail", "action"} and body["error"] and body["detail"]
    assert "Traceback" not in answer.text
    assert len(answer.content) < 1000  # nothing it was sent is echoed back
    # ... and the hub still answers, and the real laptop still works.
    assert arena.client.get("/health").status_code == 200
    assert arena.laptop.get("/v1/scope").status_code == 200
