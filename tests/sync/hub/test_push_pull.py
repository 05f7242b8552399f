"""Push and pull at the hub (in-process, on SQLite and PostgreSQL): scope decides what goes in
and out, referrals register, repeats are duplicates, bad input is refused with a reason, and an
old app is told to update."""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import zstandard
from fastapi.testclient import TestClient

from models import merge
from models.repo import young_people as yp_repo
from sync.auth import signed_headers
from sync.hub import admin
from sync.hub.app import create_app
from sync.hub.settings import HubSettings
from sync.hub.tables import RefusedChange
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION, pack
from tests.factories import full_form, make_store
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world, run_admin


@pytest.fixture
def world(settings: HubSettings) -> World:
    return make_world(settings)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings)) as c:
        yield c


def send(laptop: Laptop, path: str, payload: Any, *, protocol: str | None = str(PROTOCOL_VERSION),
         body: bytes | None = None, encoding: str = "zstd",
         accept: str | None = None) -> Any:
    raw = pack(payload, encoding) if body is None else body
    headers = signed_headers(laptop.key, laptop.device_id, "POST", httpx.URL(path).raw_path, raw)
    headers.update({"Content-Type": "application/json", "Content-Encoding": encoding})
    if accept is not None:
        headers["Accept-Encoding"] = accept
    if protocol is not None:
        headers[HEADER_PROTOCOL] = protocol
    return laptop.client.post(path, content=raw, headers=headers)


def referral_changes(tmp_path: Path, name: str, yp_id: str | None = None) -> list[dict[str, Any]]:
    """A real store's change log for one new young person (and their plan)."""
    with make_store(tmp_path / name) as store:
        with store.session() as s:
            extra = {"id": yp_id} if yp_id else {}
            yp_repo.create_young_person(s, legal_name=name, date_of_birth=date(2006, 1, 2),
                                        **extra)
        with store.reader() as s:
            changes, _ = merge.changes_since(s, 0)
    return [c.to_json() for c in changes]


def test_a_referral_registers_with_the_adviser_and_reaches_the_manager(
    client: TestClient, world: World, tmp_path: Path,
) -> None:
    asha, mo, ben = (enrol(client, world.code_for(u)) for u in ("asha", "mo", "ben"))
    changes = referral_changes(tmp_path, "Amira Haile")
    yp = changes[0]["young_person_id"]
    first = send(asha, "/v1/push", {"changes": changes})
    assert first.status_code == 200, first.text
    assert first.json()["accepted"] == len(changes) and first.json()["registered"] == [yp]
    again = send(asha, "/v1/push", {"changes": changes}).json()
    assert (again["accepted"], again["duplicates"]) == (0, len(changes))
    assert yp in asha.get("/v1/scope").json()["young_people"]
    assert yp in mo.get("/v1/scope").json()["young_people"]
    assert yp not in ben.get("/v1/scope").json()["young_people"]
    answer = send(mo, "/v1/pull", {"after": 0})
    assert answer.headers["content-encoding"] == "zstd"  # httpx has inflated .content
    pulled = json.loads(answer.content)
    assert [c["change_id"] for c in pulled["changes"]] == [c["change_id"] for c in changes]
    assert pulled["more"] is False and pulled["next"] == pulled["head"] == len(changes)
    # The adviser does not get her own changes back; ben gets nothing, and his cursor moves on.
    assert json.loads(send(asha, "/v1/pull", {"after": 0}).content)["changes"] == []
    nothing = json.loads(send(ben, "/v1/pull", {"after": 0}).content)
    assert nothing["changes"] == [] and nothing["next"] == len(changes)


@pytest.mark.parametrize("name", [
    'Amira "Mimi" Haile', "Back\\slash \\n not a newline", "Line\nbreak\ttab",
    "أمينة حسن", "ሩታ ኪዳነ", "Ruta 🌻 Kidane",
])
def test_a_pull_hands_over_each_change_exactly_as_it_was_pushed(
    client: TestClient, world: World, tmp_path: Path, name: str,
) -> None:
    # The hub sends the bodies it keeps as they are stored (UTF-8 bytes, not parsed again):
    # quotes, backslashes, control characters and any script must come out as they went in,
    # on PostgreSQL (where text read as bytes can mistake backslashes for escapes) too.
    asha, mo = enrol(client, world.code_for("asha")), enrol(client, world.code_for("mo"))
    changes = referral_changes(tmp_path, name)
    assert send(asha, "/v1/push", {"changes": changes}).json()["accepted"] == len(changes)
    pulled = json.loads(send(mo, "/v1/pull", {"after": 0}).content)["changes"]
    assert pulled == changes
    assert pulled[0]["values"]["legal_name"] == name


def test_a_managers_referral_joins_the_team_unallocated(
    client: TestClient, world: World, tmp_path: Path,
) -> None:
    mo, asha = enrol(client, world.code_for("mo")), enrol(client, world.code_for("asha"))
    changes = referral_changes(tmp_path, "Tesfay Gebre")
    yp = changes[0]["young_person_id"]
    assert send(mo, "/v1/push", {"changes": changes}).json()["registered"] == [yp]
    assert yp in mo.get("/v1/scope").json()["young_people"]
    assert yp not in asha.get("/v1/scope").json()["young_people"]
    run_admin(world.settings, admin.allocate, yp, "asha")
    assert yp in asha.get("/v1/scope").json()["young_people"]


def test_changes_outside_the_scope_are_refused_and_kept_with_the_reason(
    client: TestClient, world: World, tmp_path: Path,
) -> None:
    ben, sol = enrol(client, world.code_for("ben")), enrol(client, world.code_for("sol"))
    theirs = world.young_people["asha"][0]  # allocated to asha, known to the hub
    changes = referral_changes(tmp_path, "Someone Else", yp_id=theirs)
    answer = send(ben, "/v1/push", {"changes": changes}).json()
    assert answer["accepted"] == 0
    assert {r["reason"] for r in answer["refused"]} == {
        "this young person is not in your scope (allocated to someone else?)"}
    assert not any(r["retryable"] for r in answer["refused"])
    refused = run_admin(world.settings, lambda s: s.query(RefusedChange).count())
    assert refused == len(changes)
    # Another team's manager cannot pull it either.
    assert json.loads(send(sol, "/v1/pull", {"after": 0, "young_people": [theirs]}).content
                      )["changes"] == []


def test_a_change_that_breaks_the_rules_is_refused_whole_and_the_rest_go_in(
    client: TestClient, world: World, tmp_path: Path,
) -> None:
    asha = enrol(client, world.code_for("asha"))
    changes = referral_changes(tmp_path, "Amira Haile")
    bad = full_form(changes[0])
    bad["change_id"] = "x/" + bad["change_id"]
    bad["fields"]["date_of_birth"] = ["last spring", bad["fields"]["legal_name"][1], []]
    far = full_form(changes[0])
    far["change_id"] = "y/" + far["change_id"]
    an_hour_ahead = int((time.time() + 3600) * 1000)
    far["fields"] = {"pronouns": ["they/them", f"{an_hour_ahead:013d}-00000-{'a' * 12}", []]}
    answer = send(asha, "/v1/push", {"changes": [*changes, bad, far]}).json()
    assert answer["accepted"] == len(changes)
    reasons = {r["change_id"][:2]: r for r in answer["refused"]}
    assert "Date of birth must be a date" in reasons["x/"]["reason"]
    assert reasons["x/"]["retryable"] is False
    assert "ahead" in reasons["y/"]["reason"] and reasons["y/"]["retryable"] is True


@pytest.mark.parametrize("protocol", [None, "0", "1", "abc"])
def test_an_old_app_is_told_to_update(client: TestClient, world: World,
                                      protocol: str | None) -> None:
    asha = enrol(client, world.code_for("asha"))
    answer = send(asha, "/v1/push", {"changes": []}, protocol=protocol)
    assert answer.status_code == 426
    assert answer.json()["error"] == "update_required"
    assert "too old" in answer.json()["detail"]


def test_hostile_bodies_get_a_clear_answer(client: TestClient, world: World) -> None:
    asha = enrol(client, world.code_for("asha"))
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]")
    assert len(bomb) < 1_000_000
    assert send(asha, "/v1/push", None, body=bomb, encoding="gzip").status_code == 413
    assert send(asha, "/v1/push", None, body=b"not gzip", encoding="gzip").status_code == 400
    assert send(asha, "/v1/push", None, body=gzip.compress(b"{"),
                encoding="gzip").status_code == 400
    # The same in zstd, the app's own encoding, and zstd's own ways to be wrong.
    zbomb = zstandard.ZstdCompressor(level=19).compress(b"[" + b" " * (64 * 1024 * 1024) + b"]")
    assert len(zbomb) < 100_000
    assert send(asha, "/v1/push", None, body=zbomb).status_code == 413
    assert send(asha, "/v1/push", None, body=b"not zstd").status_code == 400
    good = pack({"changes": []})
    for bad in (good[:-3], good + b"\0" * 300, zstandard.ZstdCompressor().compress(b"{")):
        answer = send(asha, "/v1/push", None, body=bad)
        assert answer.status_code == 400 and "cannot be read" in answer.json()["detail"]
    assert send(asha, "/v1/push", None, body=b"{}", encoding="br").status_code == 400
    assert send(asha, "/v1/push", {"changes": []}).json()["accepted"] == 0
    wrong_shape = send(asha, "/v1/push", {"changes": "all of them"})
    assert wrong_shape.status_code == 422 and "changes" in wrong_shape.json()["detail"]
    junk = send(asha, "/v1/push", {"changes": [{"change_id": 1}, {}, {"fields": [1]}]})
    assert junk.status_code == 200 and len(junk.json()["refused"]) == 3
    assert send(asha, "/v1/push", {"changes": ["x"]}).status_code == 422
    too_many = send(asha, "/v1/pull", {"after": 0, "limit": 10**9})
    assert too_many.status_code == 422
    # A backfill's young people go into the hub's query: ids only, nothing a database refuses.
    for odd in ("\x00", "\ud800", "x' OR '1'='1", "A" * 36, "0" * 36 + "\x00"):
        answer = send(asha, "/v1/pull", {"after": 0, "young_people": [odd]})
        assert answer.status_code == 422, (odd, answer.text)
    upper = str(uuid.uuid4()).upper()  # a UUID in another spelling is still an id
    assert send(asha, "/v1/pull", {"after": 0, "young_people": [upper]}).status_code == 200


def test_refusals_kept_at_the_hub_stay_bounded(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync.hub import exchange

    monkeypatch.setattr(exchange, "MAX_REFUSALS_KEPT", 5)
    asha = enrol(client, world.code_for("asha"))
    for _ in range(3):
        send(asha, "/v1/push", {"changes": [{"change_id": f"junk{i}"} for i in range(4)]})
    kept = run_admin(world.settings, lambda s: [r.change_id for r in
                                                s.query(RefusedChange).order_by(RefusedChange.id)])
    assert len(kept) == 5 and kept[-1] == "junk3"


@pytest.mark.parametrize(("accept", "expected"), [
    ("zstd, gzip", "zstd"), ("gzip", "gzip"), (None, "zstd"), ("br;q=1.0, gzip;q=0.5", "gzip"),
])
def test_a_pull_answers_in_an_encoding_the_caller_accepts(
    client: TestClient, world: World, tmp_path: Path, accept: str | None, expected: str,
) -> None:
    asha = enrol(client, world.code_for("asha"))
    send(asha, "/v1/push", {"changes": referral_changes(tmp_path, "Ruta Kidane")})
    answer = send(asha, "/v1/pull", {"after": 0}, accept=accept)
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == expected
    assert answer.json()["changes"] == []  # the caller's own changes are left out


def test_text_no_database_keeps_is_refused_with_the_reason_and_the_hub_keeps_serving(
    client: TestClient, world: World, tmp_path: Path,
) -> None:
    """JSON may spell half of a UTF-16 pair alone, or carry NUL; no database text keeps either
    (PostgreSQL refuses NUL). Wherever it is (a field, the change id, the author, the young
    person's id) that change is refused with the reason and kept, the rest go in, and the
    team's manager still pulls them."""
    asha, mo = enrol(client, world.code_for("asha")), enrol(client, world.code_for("mo"))
    changes = referral_changes(tmp_path, "Amira Haile")
    in_field = full_form(changes[0])
    in_field["change_id"] = "f/" + in_field["change_id"]
    in_field["fields"] = {"pronouns": ["she/\ud800", in_field["fields"]["legal_name"][1], []]}
    in_id = dict(in_field, change_id="i/\udc00" + changes[0]["change_id"])
    in_id["fields"] = {"pronouns": ["she/her", in_field["fields"]["pronouns"][1], []]}
    in_actor = dict(in_id, change_id="a/" + changes[0]["change_id"], actor="asha\udfff")
    nul = dict(in_field, change_id="n/" + changes[0]["change_id"])
    nul["fields"] = {"pronouns": ["she/\x00her", in_field["fields"]["pronouns"][1], []]}
    nul_id = dict(nul, change_id="\x00/" + changes[0]["change_id"])
    nul_yp = dict(in_id, change_id="y/" + changes[0]["change_id"], young_person_id="yp\x00")
    odd = [in_field, in_id, in_actor, nul, nul_id, nul_yp]
    answer = send(asha, "/v1/push", {"changes": [*changes, *odd]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == len(changes)
    refused = answer.json()["refused"]
    assert len(refused) == len(odd)
    assert all("cannot be saved" in r["reason"] or "not a UUID" in r["reason"]
               for r in refused), refused
    kept = run_admin(world.settings, lambda s: s.query(RefusedChange).count())
    assert kept == len(odd)
    pulled = json.loads(send(mo, "/v1/pull", {"after": 0}).content)["changes"]
    assert {c["change_id"] for c in pulled} == {c["change_id"] for c in changes}
