"""A pull reads the log one of two ways (by its young people's index ranges for a small scope,
in sequence order for a large one); both give exactly the same pages, on SQLite and PostgreSQL,
for a whole-scope pull and for a backfill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import merge
from sync.hub import exchange
from sync.hub.auth import Caller
from sync.hub.db import make_engine, session_factory, unit_of_work
from sync.hub.settings import HubSettings
from sync.hub.tables import Device, Team, User
from sync.protocol import PullRequest
from tests.factories import add_note, add_young_person, make_store
from tests.sync.hub.hubkit import make_world


def _caller(s: Any, username: str, device: str) -> Caller:
    user = s.scalars(select(User).where(User.username == username)).one()
    team = s.get(Team, user.team_id)
    if s.get(Device, device) is None:
        s.add(Device(id=device, user_id=user.id, public_key=device.encode()[:32].ljust(32)))
        s.flush()
    return Caller(device, user.id, user.username, user.role, team.id, team.name)


def _referrals(folder: Path, owner: str, young_people: int) -> list[dict[str, Any]]:
    store = make_store(folder, owner=owner)
    try:
        for i in range(young_people):
            yp = add_young_person(store, allocated_pa=owner, legal_name=f"{owner} {i}")
            for n in range(3):
                add_note(store, yp, summary=f"note {n}")
        with store.reader() as s:
            return [c.to_json() for c in merge.changes_since(s, 0)[0]]
    finally:
        store.close()


def _pages(factory: Any, caller: Caller, **req: Any) -> list[tuple[list[str], int, bool]]:
    out, after = [], 0
    while True:
        with unit_of_work(factory) as s:
            page = exchange.pull(s, caller, PullRequest(after=after, limit=5, **req))
        out.append((page.bodies, page.next, page.more))
        after = page.next
        if not page.more:
            return out


def test_both_ways_of_reading_give_the_same_pages(
    settings: HubSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_world(settings)
    engine = make_engine(settings.database)
    factory = session_factory(engine)
    try:
        pushed = {"asha": _referrals(tmp_path / "asha", "asha", 3),
                  "ben": _referrals(tmp_path / "ben", "ben", 2),
                  "sol": _referrals(tmp_path / "sol", "sol", 2)}
        for name, changes in pushed.items():
            for first in range(0, len(changes), 4):  # interleaved in the log, page by page
                with unit_of_work(factory) as s:
                    result = exchange.push(s, _caller(s, name, f"dev-{name}"),
                                           changes[first : first + 4])
                assert result.refused == []
        with unit_of_work(factory) as s:
            mo = _caller(s, "mo", "dev-mo")
            asha = _caller(s, "asha", "dev-asha")
            backfill = sorted({str(c["young_person_id"]) for c in pushed["ben"]})
        results = []
        for scan_above in (10**9, 0):  # the index ranges, then the sequence-order read
            monkeypatch.setattr(exchange, "SCAN_SCOPE", scan_above)
            results.append((
                _pages(factory, mo),
                _pages(factory, mo, young_people=backfill),
                _pages(factory, asha),
            ))
        assert results[0] == results[1]
        team_pull, backfill_pull, own_pull = results[0]
        north = {str(c["change_id"]) for n in ("asha", "ben") for c in pushed[n]}
        got = [b for bodies, _, _ in team_pull for b in bodies]
        assert len(got) == len(north)  # all of North's, none of South's, in order
        assert sum(len(b) for b, _, _ in backfill_pull) == len(pushed["ben"])
        assert sum(len(b) for b, _, _ in own_pull) == 0  # asha's own changes are not sent back
    finally:
        engine.dispose()
