"""GET /v1/conflicts: the hub folds the changes it holds and lists the open conflicts every
device lists, with the same ids, on SQLite and PostgreSQL. Two real stores (an adviser's and
her manager's) clash offline and push through the real endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from models import merge
from models.repo import young_people as yp_repo
from models.store import Store
from sync.auth import signed_headers
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from sync.hub.tables import AuditEvent
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION, pack
from tests.factories import add_young_person, make_store
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world, run_admin


@pytest.fixture
def world(settings: HubSettings) -> World:
    return make_world(settings)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    asha = make_store(tmp_path / "asha", owner="Asha Adviser")
    mo = make_store(tmp_path / "mo", owner="Mo Manager")
    yield asha, mo
    asha.close()
    mo.close()


def _signed(laptop: Laptop, method: str, path: str, body: bytes = b"") -> dict[str, str]:
    headers = signed_headers(laptop.key, laptop.device_id, method, httpx.URL(path).raw_path, body)
    headers[HEADER_PROTOCOL] = str(PROTOCOL_VERSION)
    return headers


def push(laptop: Laptop, store: Store) -> dict[str, Any]:
    """Everything the store wrote itself, as one zstd page."""
    with store.reader() as s:
        changes, _ = merge.changes_since(s, 0, local_only=True)
    body = pack({"changes": [c.to_json() for c in changes]})
    headers = _signed(laptop, "POST", "/v1/push", body)
    headers |= {"Content-Type": "application/json", "Content-Encoding": "zstd"}
    answer = laptop.client.post("/v1/push", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    assert result["refused"] == []
    return result


def conflicts_of(laptop: Laptop, young_person: str, *, protocol: bool = True) -> httpx.Response:
    path = f"/v1/conflicts?young_person={young_person}"
    headers = _signed(laptop, "GET", path)
    if not protocol:
        del headers[HEADER_PROTOCOL]
    return laptop.client.get(path, headers=headers)


def exchange(frm: Store, to: Store) -> None:
    with frm.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    with to.session() as s:
        merge.apply_remote(s, changes, source="peer")


def on_device(store: Store, young_person: str) -> list[dict[str, Any]]:
    with store.reader() as s:
        return [
            {"id": c.id, "row_id": c.row_id, "field": c.field, "current": c.current,
             "other": c.other, "other_by": c.other_by, "other_stamp": c.other_stamp,
             "other_device": c.other_device, "removal": c.removal}
            for c in merge.open_conflicts(s, young_person)
        ]


def on_hub(answer: httpx.Response) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.text
    keys = ("id", "row_id", "field", "current", "other", "other_by", "other_stamp",
            "other_device", "removal")
    return [{k: c[k] for k in keys} for c in answer.json()["conflicts"]]


def test_the_hub_lists_the_conflicts_every_device_lists(
    client: TestClient, world: World, stores: tuple[Store, Store]
) -> None:
    asha, mo = stores
    yp = world.young_people["asha"][0]
    add_young_person(asha, id=yp)
    with asha.session() as s:
        person = yp_repo.add_person(s, yp, name="Aunt Hiwet")
    exchange(asha, mo)
    exchange(mo, asha)
    # Offline on both laptops: the same field twice, and a removal against an edit.
    with asha.session() as s:
        yp_repo.update_young_person(s, yp, phone="0115 000 0001")
        yp_repo.remove_person(s, person)
    with mo.session() as s:
        yp_repo.update_young_person(s, yp, phone="0115 000 0002")
        yp_repo.update_person(s, person, how_to_contact="07700 900555")
    asha_laptop = enrol(client, world.code_for("asha"))
    mo_laptop = enrol(client, world.code_for("mo"))
    push(asha_laptop, asha)
    push(mo_laptop, mo)
    assert push(mo_laptop, mo)["duplicates"] > 0  # a repeat changes nothing
    exchange(asha, mo)
    exchange(mo, asha)

    expected = on_device(asha, yp)
    assert expected == on_device(mo, yp)
    assert {(c["field"], c["removal"]) for c in expected} == {("phone", False), ("deleted", True)}
    for laptop in (asha_laptop, mo_laptop):
        answer = conflicts_of(laptop, yp)
        assert on_hub(answer) == expected
    (phone,) = [c for c in answer.json()["conflicts"] if c["field"] == "phone"]
    assert {phone["current"], phone["other"]} == {"0115 000 0001", "0115 000 0002"}
    assert {phone["current_by"], phone["other_by"]} == {"Asha Adviser", "Mo Manager"}
    assert phone["record"] == "Young person" and phone["current_stamp"] > phone["other_stamp"]
    (gone,) = [c for c in answer.json()["conflicts"] if c["removal"]]
    assert (gone["current"], gone["other"]) == (False, True)
    assert (gone["current_by"], gone["other_by"]) == ("Mo Manager", "Asha Adviser")

    # A person settles the removal on Mo's laptop: the hub no longer lists it.
    removal = next(c for c in expected if c["removal"])
    with mo.session() as s:
        merge.resolve_conflict(s, removal["id"], keep="current")
    push(mo_laptop, mo)
    exchange(mo, asha)
    assert on_hub(conflicts_of(asha_laptop, yp)) == on_device(asha, yp) == on_device(mo, yp)
    assert [c["field"] for c in on_device(asha, yp)] == ["phone"]


def test_out_of_scope_looks_like_unknown_and_is_audited(client: TestClient, world: World) -> None:
    laptop = enrol(client, world.code_for("asha"))
    own = world.young_people["asha"][0]
    unknown = str(uuid.uuid4())
    answers = [conflicts_of(laptop, yp) for yp in (world.young_people["sol"][0],
                                                   world.young_people["ben"][0], unknown)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert conflicts_of(laptop, own).json() == {"young_person_id": own, "conflicts": []}
    # The manager reaches the team's young people.
    manager = enrol(client, world.code_for("mo"))
    assert conflicts_of(manager, world.young_people["ben"][0]).status_code == 200

    def audit(s: Any) -> list[tuple[str, str]]:
        rows = s.execute(select(AuditEvent.young_person_id, AuditEvent.outcome)
                         .where(AuditEvent.action == "read conflicts")
                         .order_by(AuditEvent.id)).all()
        return [tuple(r) for r in rows]

    assert run_admin(world.settings, audit) == [
        (world.young_people["sol"][0], "refused"),
        (world.young_people["ben"][0], "refused"),
        (unknown, "refused"),
        (own, "allowed"),
        (world.young_people["ben"][0], "allowed"),
    ]


def test_the_protocol_header_is_required_and_admins_read_nothing(
    client: TestClient, world: World
) -> None:
    laptop = enrol(client, world.code_for("asha"))
    yp = world.young_people["asha"][0]
    old = conflicts_of(laptop, yp, protocol=False)
    assert old.status_code == 426 and old.json()["error"] == "update_required"
    admin = enrol(client, world.code_for("root"))
    assert conflicts_of(admin, yp).status_code == 403
    bad = laptop.client.get("/v1/conflicts?young_person=nope",
                            headers=_signed(laptop, "GET", "/v1/conflicts?young_person=nope"))
    assert bad.status_code == 422
