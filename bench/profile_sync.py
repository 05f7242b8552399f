"""Where a first team sync spends its time, client side and hub side.

    .venv/bin/python -m bench.profile_sync [--young-people 200] [--top 25]

Builds the workload of bench/sync_workload.py, pushes it through a real hub (timed, with the
hub's CPU), then:
- **client**: a fresh manager store's ``SyncClient.run()`` under cProfile, in this process,
  against the real hub over HTTPS (the hub's CPU for it is read from /proc);
- **hub, pull**: the hub's pull path called in this process on the hub's database, page by
  page as the client asks for them, split into the page query, building the JSON body, zstd
  (CPU time: on a shared machine wall time is mostly waiting for a core);
- **hub, push**: the push path (``exchange.push``) on a copy of the same changes into a fresh
  database, page by page, under cProfile.
Prints the figures and the top functions by cumulative and by own time. Asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.sync_workload import HubForBench, add_users, fill, running_hub
from models import merge
from sync.client import SyncClient
from sync.hub import exchange
from sync.hub.auth import Caller
from sync.hub.db import make_engine, migrate, session_factory, unit_of_work
from sync.hub.tables import Device, Team, User
from sync.protocol import DEFAULT_PULL_CHANGES, PullRequest, pack_raw


def caller_of(s: Any, username: str) -> Caller:
    user = s.scalars(select(User).where(User.username == username)).one()
    team = s.get(Team, user.team_id)
    device = s.scalars(select(Device.id).where(Device.user_id == user.id)).first()
    return Caller(device or "bench-device", user.id, user.username, user.role, team.id, team.name)


def show(profile: cProfile.Profile, top: int, title: str) -> None:
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n--- {title}, by {key} ---")
        print("\n".join(lines[start : start + top + 1]))


def profile_client(hub: HubForBench, folder: Path, top: int) -> None:
    store = hub.enrolled(folder, "mo")
    hub_cpu = hub.cpu_s()
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    report = SyncClient(store).run()
    profile.disable()
    seconds = time.perf_counter() - started
    print(f"client: first sync {seconds:.2f} s under cProfile ({report.pulled:,} changes); "
          f"hub CPU meanwhile {hub.cpu_s() - hub_cpu:.2f} s")
    show(profile, top, "client SyncClient.run()")
    store.close()


def profile_pull(database: str) -> None:
    engine = make_engine(database)
    factory = session_factory(engine)
    with unit_of_work(factory) as s:
        caller = caller_of(s, "mo")
    query = build = gz = 0.0
    raw_bytes = gz_bytes = pages = 0
    after = 0
    while True:
        started = time.process_time()
        with unit_of_work(factory) as s:
            req = PullRequest(after=after, limit=DEFAULT_PULL_CHANGES, young_people=None,
                              until=None)
            page = exchange.pull(s, caller, req)
        t1 = time.process_time()
        body = page.to_json_bytes()
        t2 = time.process_time()
        packed = pack_raw(body)
        t3 = time.process_time()
        query += t1 - started
        build += t2 - t1
        gz += t3 - t2
        raw_bytes += len(body)
        gz_bytes += len(packed)
        pages += 1
        after = page.next
        if not page.more:
            break
    engine.dispose()
    print(f"\nhub pull (CPU time), {pages} pages of {DEFAULT_PULL_CHANGES}: "
          f"query+transaction {query:.2f} s, "
          f"JSON body {build:.2f} s, zstd {gz:.2f} s ({raw_bytes / 1e6:.1f} MB -> "
          f"{gz_bytes / 1e6:.1f} MB)")


def profile_push(changes: list[dict[str, Any]], folder: Path, top: int) -> None:
    database = f"sqlite:///{folder / 'push.db'}"
    engine = make_engine(database)
    migrate(engine)
    factory = session_factory(engine)
    with unit_of_work(factory) as s:
        add_users(s)
    with unit_of_work(factory) as s:
        caller = caller_of(s, "asha")
        s.add(Device(id=caller.device_id, user_id=caller.user_id, public_key=b"\0" * 32))
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for first in range(0, len(changes), 500):
        with unit_of_work(factory) as s:
            exchange.push(s, caller, changes[first : first + 500])
    profile.disable()
    print(f"\nhub push: {len(changes):,} changes in pages of 500, in process, "
          f"{time.perf_counter() - started:.2f} s under cProfile")
    show(profile, top, "hub exchange.push")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", choices=("client", "pull", "push"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with running_hub(tmp / "hub") as hub:
            asha = hub.enrolled(tmp / "asha", "asha")
            fill(asha, args.young_people)
            cpu = hub.cpu_s()
            started = time.perf_counter()
            SyncClient(asha).run()
            print(f"push through the hub: {time.perf_counter() - started:.2f} s "
                  f"(hub CPU {hub.cpu_s() - cpu:.2f} s)")
            with asha.reader() as s:
                changes = [c.to_json() for c in merge.changes_since(s, 0)[0]]
            asha.close()
            if args.only in (None, "client"):
                profile_client(hub, tmp / "mo", args.top)
            database = hub.database
        if args.only in (None, "pull"):
            profile_pull(database)
        if args.only in (None, "push"):
            profile_push(changes, tmp, args.top)
        shutil.rmtree(tmp / "hub", ignore_errors=True)


if __name__ == "__main__":
    main()
