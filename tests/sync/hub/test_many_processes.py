"""Many processes, one database: two ``pathway-hub serve`` processes on one real PostgreSQL
serve the same laptops interchangeably (codes, nonces, rate limits and revocation all live in
the database)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from sync.auth import DeviceAuth, new_device_key, public_key_text, signed_headers
from sync.hub.cli import app
from sync.hub.db import head_revision, make_engine, migrate
from tests.sync.hub.pgserver import PostgresForTests
from tests.sync.hub.served import RunningHub, serving

YP = "2c9f1d7e-8a4b-4c3d-9e2f-1a0b9c8d7e6f"


@pytest.fixture
def pg_url(postgres: PostgresForTests) -> Iterator[str]:
    url = postgres.new_database()
    yield url
    postgres.drop_database(url)


def hub(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--database", db])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_two_hub_processes_serve_one_set_of_devices(pg_url: str, hub_home: Path) -> None:
    hub(pg_url, "team", "add", "North")
    hub(pg_url, "user", "add", "asha", "--team", "North", "--role", "advisor")
    hub(pg_url, "allocate", YP, "asha")
    code = hub(pg_url, "enrol-code", "asha").strip().splitlines()[-1]
    limits = {"PATHWAY_HUB_ENROL_ATTEMPTS_PER_CLIENT": "4"}
    with ExitStack() as stack:
        a: RunningHub = stack.enter_context(serving(hub_home, "--database", pg_url, env=limits))
        b: RunningHub = stack.enter_context(serving(hub_home, "--database", pg_url, env=limits))
        assert a.url != b.url and a.fingerprint == b.fingerprint
        ca, cb = stack.enter_context(a.client()), stack.enter_context(b.client())

        # Enrol on one process; the code is spent for the other too.
        key = new_device_key()
        enrolled = ca.post("/v1/enrol", json={"code": code, "public_key": public_key_text(key)})
        assert enrolled.status_code == 201
        again = cb.post("/v1/enrol", json={"code": code,
                                           "public_key": public_key_text(new_device_key())})
        assert again.status_code == 403
        device_id = enrolled.json()["device_id"]
        auth = DeviceAuth(key, device_id)

        # The device is known to both, and its requests may go to either.
        for client in (ca, cb, ca, cb):
            assert client.get("/v1/scope", auth=auth).json()["young_people"] == [YP]

        # A request accepted by one process is a replay to the other.
        headers = signed_headers(key, device_id, "GET", b"/v1/scope")
        assert ca.get("/v1/scope", headers=headers).status_code == 200
        replay = cb.get("/v1/scope", headers=headers)
        assert replay.status_code == 401 and "replay" in replay.json()["detail"]

        # Enrolment attempts are counted across processes: 4 allowed in all (2 used above).
        bad = {"code": "y" * 32, "public_key": public_key_text(new_device_key())}
        assert [c.post("/v1/enrol", json=bad).status_code for c in (ca, cb, ca)] == [
            403, 403, 429]

        # Revoked through the admin command: both processes tell the device to wipe.
        hub(pg_url, "device", "revoke", device_id)
        assert ca.get("/v1/scope", auth=auth).status_code == 410
        assert cb.get("/v1/scope", auth=auth).status_code == 410
    assert "last seen 20" in hub(pg_url, "device", "list")


def test_hubs_starting_together_migrate_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        engine = make_engine(pg_url)
        try:
            migrate(engine)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert "devices" in inspect(conn).get_table_names()
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert version == head_revision()


def test_uvicorn_workers_share_the_database(pg_url: str, hub_home: Path) -> None:
    """``serve --workers 2``: every worker builds the same settings from the environment."""
    hub(pg_url, "team", "add", "North")
    hub(pg_url, "user", "add", "asha", "--team", "North", "--role", "advisor")
    hub(pg_url, "allocate", YP, "asha")
    code = hub(pg_url, "enrol-code", "asha").strip().splitlines()[-1]
    with serving(hub_home, "--database", pg_url, "--workers", "2") as served, \
            served.client() as client:
        key = new_device_key()
        enrolled = client.post("/v1/enrol", json={"code": code,
                                                  "public_key": public_key_text(key)})
        assert enrolled.status_code == 201
        auth = DeviceAuth(key, enrolled.json()["device_id"])
        for _ in range(6):
            assert client.get("/v1/scope", auth=auth).json()["young_people"] == [YP]
