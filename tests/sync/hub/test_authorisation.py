"""The authorisation matrix: every young-person endpoint x (own, team-mate's, other team's,
unknown young person) x (adviser, manager, admin, revoked device). Nothing leaks: out of scope
and unknown get byte-identical answers, and the scope list holds exactly what may be reached."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from sync.hub import admin
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world, run_admin

# Every endpoint that reads or writes one young person's data. The sync issue adds its own
# (push, pull, files, conflict details) here, and the matrix covers them too.
YOUNG_PERSON_ENDPOINTS = ["/v1/young-people/{id}/allocation", "/v1/conflicts?young_person={id}"]


@pytest.fixture
def world(settings: HubSettings) -> World:
    return make_world(settings)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


@pytest.fixture
def laptops(client: TestClient, world: World) -> dict[str, Laptop]:
    devices = {who: enrol(client, world.code_for(who)) for who in ("asha", "mo", "sue", "root")}
    devices["revoked"] = enrol(client, world.code_for("asha"))
    run_admin(world.settings, admin.revoke_device, devices["revoked"].device_id)
    return devices


def _targets(world: World) -> dict[str, str]:
    return {
        "own": world.young_people["asha"][0],
        "team-mate's": world.young_people["ben"][0],
        "other team's": world.young_people["sol"][0],
        "unknown": str(uuid.uuid4()),
    }


# (caller, target) -> reached? ; every other pair must look exactly like "unknown".
REACHES = {
    ("asha", "own"): True,
    ("mo", "own"): True,
    ("mo", "team-mate's"): True,
    ("sue", "other team's"): True,
}


def test_the_matrix(client: TestClient, world: World, laptops: dict[str, Laptop]) -> None:
    targets = _targets(world)
    for template in YOUNG_PERSON_ENDPOINTS:
        for who, laptop in laptops.items():
            refusals = set()
            for target, yp in targets.items():
                answer = laptop.get(template.format(id=yp))
                if REACHES.get((who, target)):
                    assert answer.status_code == 200, (template, who, target)
                    assert answer.json()["young_person_id"] == yp
                    continue
                assert answer.status_code in (403, 404, 410), (template, who, target)
                assert yp not in answer.text
                # The refusal's status, body and headers are the same whatever the target.
                refusals.add((answer.status_code, answer.content,
                              answer.headers.get("content-length")))
            assert len(refusals) <= 1, (template, who, refusals)
            expected = {"root": 403, "revoked": 410}.get(who, 404)
            assert {r[0] for r in refusals} <= {expected}, (template, who)


def test_the_scope_list(world: World, laptops: dict[str, Laptop]) -> None:
    yp = world.young_people
    expected = {
        "asha": sorted(yp["asha"]),
        "mo": sorted(yp["asha"] + yp["ben"]),
        "sue": sorted(yp["sol"]),
    }
    for who, ids in expected.items():
        assert laptops[who].get("/v1/scope").json()["young_people"] == ids
    assert laptops["root"].get("/v1/scope").status_code == 403
    assert laptops["revoked"].get("/v1/scope").status_code == 410


def test_reallocation_moves_scope_without_rewriting(world: World,
                                                    laptops: dict[str, Laptop]) -> None:
    moved = world.young_people["asha"][0]
    path = f"/v1/young-people/{moved}/allocation"
    assert laptops["asha"].get(path).status_code == 200
    run_admin(world.settings, admin.allocate, moved, "sol")
    assert laptops["asha"].get(path).status_code == 404
    assert moved not in laptops["asha"].get("/v1/scope").text
    assert laptops["mo"].get(path).status_code == 404
    assert laptops["sue"].get(path).json()["allocated_to"] == "sol"


def test_every_decision_is_audited(world: World, laptops: dict[str, Laptop]) -> None:
    own, other = world.young_people["asha"][0], world.young_people["sol"][0]
    laptops["asha"].get(f"/v1/young-people/{own}/allocation")
    laptops["asha"].get(f"/v1/young-people/{other}/allocation")
    rows = run_admin(world.settings, admin.audit_events, username="asha")
    seen = {(r.young_person_id, r.outcome, r.device_id) for r in rows}
    device = laptops["asha"].device_id
    assert seen == {(own, "allowed", device), (other, "refused", device)}
    assert run_admin(world.settings, admin.audit_events, young_person=other)[0].action == (
        "read allocation")
