"""The hub's endpoints in-process (TestClient): health, schema, enrolment, device identity,
revocation and rate limits, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sync.auth import new_device_key, public_key_text
from sync.hub import admin
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from sync.protocol import PROTOCOL_VERSION
from tests.sync.hub.hubkit import World, enrol, make_world, run_admin


@pytest.fixture
def world(settings: HubSettings) -> World:
    return make_world(settings)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


def test_health_and_schema(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "protocol": PROTOCOL_VERSION}
    schema = client.get("/openapi.json").json()
    assert "/v1/enrol" in schema["paths"]
    assert "/v1/scope" in schema["paths"]


def test_enrol_then_identify(client: TestClient, world: World) -> None:
    laptop = enrol(client, world.code_for("asha"), name="Asha's laptop")
    me = laptop.get("/v1/me")
    assert me.status_code == 200
    assert me.json() == {"device_id": laptop.device_id, "username": "asha", "role": "advisor",
                         "team": "North", "protocol": PROTOCOL_VERSION}
    [row] = run_admin(world.settings, admin.list_devices)
    assert (row.id, row.username, row.name) == (laptop.device_id, "asha", "Asha's laptop")
    assert row.last_seen_at is not None and row.revoked_at is None


def test_a_code_works_once(client: TestClient, world: World) -> None:
    code = world.code_for("asha")
    enrol(client, code)
    again = client.post("/v1/enrol", json={"code": code,
                                           "public_key": public_key_text(new_device_key())})
    assert again.status_code == 403
    assert again.json()["error"] == "enrol_code_invalid"


def test_a_revoked_laptop_is_told_to_wipe(client: TestClient, world: World) -> None:
    laptop = enrol(client, world.code_for("asha"))
    assert run_admin(world.settings, admin.revoke_device, laptop.device_id) is True
    answer = laptop.get("/v1/scope")
    assert answer.status_code == 410
    assert answer.json()["error"] == "device_revoked"
    assert answer.json()["action"] == "wipe"
    assert run_admin(world.settings, admin.revoke_device, laptop.device_id) is False


def test_the_database_holds_nothing_that_signs(client: TestClient, world: World) -> None:
    """Someone with a copy of the hub's database has the public key and the code hash; neither
    lets them act as the device or enrol another."""
    laptop = enrol(client, world.code_for("asha"))
    stolen = new_device_key()  # the best they can do: a key of their own under the device's id
    from tests.sync.hub.hubkit import Laptop

    impostor = Laptop(client, stolen, laptop.device_id)
    answer = impostor.get("/v1/scope")
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthenticated"


def test_enrolment_is_rate_limited(world: World) -> None:
    settings = world.settings.model_copy(update={"enrol_attempts_per_client": 3})
    with TestClient(create_app(settings)) as client:
        body = {"code": "x" * 32, "public_key": public_key_text(new_device_key())}
        answers = [client.post("/v1/enrol", json=body).status_code for _ in range(5)]
        assert answers == [403, 403, 403, 429, 429]
        # A valid code is refused too while the limit holds: guessing gains nothing.
        good = {"code": world.code_for("asha"), "public_key": public_key_text(new_device_key())}
        limited = client.post("/v1/enrol", json=good)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
    # The counters live in the database: a second app (another process) sees the same limit.
    with TestClient(create_app(settings)) as other:
        assert other.post("/v1/enrol", json=good).status_code == 429
