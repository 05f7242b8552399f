"""A sync costs what changed, not the size of the store or of the hub.

    .venv/bin/python -m bench.bench_sync_incremental [--rounds 15] [--large 200] [--small 2]

Real hubs (``pathway-hub serve``, SQLite, HTTPS on loopback), real encrypted stores, the
workload of bench/sync_workload.py (a profile, a plan with ten sections, 150 notes and 20
memory-box items per young person).

1. **Store size.** One hub; team North (200 young people, ~36,400 records) and team South (2,
   ~364 records). Each team's manager has synced everything once (untimed). Timed, round by
   round, side by side: a no-change sync; a sync pulling 10 notes an adviser added; a sync
   pushing 10 notes the manager added. Large store versus small store: goal <= 1.2x.
2. **Hub size.** Two more hubs: one holding 12 young people, one 1,200. The timed device is the
   same on both (South's manager, 2 young people); the rest of the hub is team North's
   (copies of the workload with fresh ids, stored through the hub's own push path, untimed).
   Hub of 1,200 versus hub of 12: goal <= 1.2x.
Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.sync_workload import HubForBench, fill, running_hub
from models import merge
from models.repo import notes
from models.schema import YoungPerson
from models.store import Store
from sync.client import SyncClient
from sync.hub import exchange
from sync.hub.auth import Caller
from sync.hub.tables import Device, Team, User

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NS = uuid.UUID("6d1f7a52-3c4b-4e0f-9a51-2f7e8c9d0b1a")


def add_notes(store: Store, count: int, text: str) -> None:
    with store.session() as s:
        yp = s.scalars(select(YoungPerson.id).order_by(YoungPerson.id)).first()
        assert yp is not None
        for i in range(count):
            notes.add_note(s, yp, kind="phone", occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
                           summary=f"{text} {i}", narrative="Rang to check in; all well.")


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def filler(template: list[dict[str, Any]], young_people: int) -> Iterator[list[dict[str, Any]]]:
    """``young_people`` young people's changes, copied from ``template`` with fresh ids, one
    copy of the template at a time (all at once would not fit in memory)."""
    by_yp: dict[str, list[dict[str, Any]]] = {}
    for c in template:
        by_yp.setdefault(str(c["young_person_id"]), []).append(c)
    text = json.dumps(list(by_yp.values()))
    left, copy = young_people, 0
    while left > 0:
        copy += 1
        def renamed(m: re.Match[str], k: int = copy) -> str:
            return str(uuid.uuid5(_NS, f"{k}/{m.group(0)}"))

        fresh = _UUID.sub(renamed, text)
        groups = json.loads(fresh)[:left]
        left -= len(groups)
        yield [c for group in groups for c in group]


def store_filler(hub: HubForBench, username: str,
                 copies: Iterator[list[dict[str, Any]]]) -> None:
    """Store ``changes`` as pushed by ``username``'s first device, through ``exchange.push``."""
    def push_page(s: Any, page: list[dict[str, Any]]) -> None:
        user = s.scalars(select(User).where(User.username == username)).one()
        team = s.get(Team, user.team_id)
        device = s.scalars(select(Device.id).where(Device.user_id == user.id)).first()
        caller = Caller(device, user.id, user.username, user.role, team.id, team.name)
        result = exchange.push(s, caller, page)
        assert not result.refused, result.refused[:3]

    for changes in copies:
        for first in range(0, len(changes), 1000):
            hub.admin(push_page, changes[first : first + 1000])


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--large", type=int, default=200, help="young people in the large team")
    parser.add_argument("--small", type=int, default=2, help="young people in the small team")
    parser.add_argument("--hub-small", type=int, default=12)
    parser.add_argument("--hub-large", type=int, default=1200)
    parser.add_argument("--store-size-only", action="store_true",
                        help="skip the hub-size part (its setup takes minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        hub = stack.enter_context(running_hub(tmp / "hub"))
        asha = stack.enter_context(hub.enrolled(tmp / "asha", "asha"))
        sol = stack.enter_context(hub.enrolled(tmp / "sol", "sol"))
        fill(asha, args.large, seed=1)
        fill(sol, args.small, seed=2)
        SyncClient(asha).run()
        SyncClient(sol).run()
        mo = stack.enter_context(hub.enrolled(tmp / "mo", "mo"))
        sue = stack.enter_context(hub.enrolled(tmp / "sue", "sue"))
        SyncClient(mo).run()
        SyncClient(sue).run()
        with mo.reader() as s:
            template = [c.to_json() for c in merge.changes_since(s, 0)[0]]
        sizes = {"large": len(template)}
        with sue.reader() as s:
            sizes["small"] = len(merge.changes_since(s, 0)[0])
        print(f"store size: manager stores of {args.large} and {args.small} young people "
              f"({sizes['large']:,} and {sizes['small']:,} changes) set up in "
              f"{time.perf_counter() - started:.0f} s")
        stores = {"large": (mo, asha), "small": (sue, sol)}
        figures: dict[tuple[str, str], list[float]] = {}
        for r in range(args.rounds):
            for size in ("large", "small") if r % 2 == 0 else ("small", "large"):
                manager, adviser = stores[size]
                figures.setdefault(("no change", size), []).append(
                    timed(SyncClient(manager).run))
                add_notes(adviser, 10, f"round {r}")
                SyncClient(adviser).run()
                figures.setdefault(("10 pulled", size), []).append(
                    timed(SyncClient(manager).run))
                add_notes(manager, 10, f"manager round {r}")
                figures.setdefault(("10 pushed", size), []).append(
                    timed(SyncClient(manager).run))
        for what in ("no change", "10 pulled", "10 pushed"):
            large, small = figures[(what, "large")], figures[(what, "small")]
            ratio = statistics.median(large) / statistics.median(small)
            print(f"  {what:9}: {median_ms(large)} at {sizes['large']:,} vs "
                  f"{median_ms(small)} at {sizes['small']:,}  ratio {ratio:.2f}x (goal <= 1.2x)")

        if args.store_size_only:
            return
        # -- hub size ---------------------------------------------------------------------
        started = time.perf_counter()
        hub_figures: dict[tuple[str, str], list[float]] = {}
        devices: dict[str, tuple[Store, Store]] = {}
        for size, total in (("small", args.hub_small), ("large", args.hub_large)):
            other = stack.enter_context(running_hub(tmp / f"hub-{size}"))
            # ben's device exists so the filler has a device to come from.
            stack.enter_context(other.enrolled(tmp / f"ben-{size}", "ben"))
            store_filler(other, "ben", filler(template, total - args.small))
            adviser = stack.enter_context(other.enrolled(tmp / f"sol-{size}", "sol"))
            fill(adviser, args.small, seed=2)
            SyncClient(adviser).run()
            manager = stack.enter_context(other.enrolled(tmp / f"sue-{size}", "sue"))
            SyncClient(manager).run()
            devices[size] = (manager, adviser)
        print(f"hub size: hubs of {args.hub_small} and {args.hub_large} young people set up in "
              f"{time.perf_counter() - started:.0f} s; the device holds {args.small}")
        for r in range(args.rounds):
            for size in ("large", "small") if r % 2 == 0 else ("small", "large"):
                manager, adviser = devices[size]
                hub_figures.setdefault(("no change", size), []).append(
                    timed(SyncClient(manager).run))
                add_notes(adviser, 10, f"round {r}")
                SyncClient(adviser).run()
                hub_figures.setdefault(("10 pulled", size), []).append(
                    timed(SyncClient(manager).run))
                add_notes(manager, 10, f"manager round {r}")
                hub_figures.setdefault(("10 pushed", size), []).append(
                    timed(SyncClient(manager).run))
        for what in ("no change", "10 pulled", "10 pushed"):
            large, small = hub_figures[(what, "large")], hub_figures[(what, "small")]
            ratio = statistics.median(large) / statistics.median(small)
            print(f"  {what:9}: {median_ms(large)} hub of {args.hub_large:,} vs "
                  f"{median_ms(small)} hub of {args.hub_small:,}  ratio {ratio:.2f}x "
                  "(goal <= 1.2x)")


if __name__ == "__main__":
    main()
