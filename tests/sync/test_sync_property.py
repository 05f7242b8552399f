"""Devices of one team sync through the hub, over the real protocol, in random schedules.

Property (hypothesis): 3–5 devices (advisers and the team's manager, each a real encrypted
store) and the hub (in process: its FastAPI app behind ``TestClient``, on an SQLite file) go
through random edits, full syncs, syncs cut at a random request (cancelled, a progress callback
that fails, a request lost, a response lost after the hub committed), replayed and reordered
push requests, tiny pages and reallocations between the advisers. After every device has synced
until quiet:

- every device that holds a young person has identical records and open conflicts for them,
  and the manager holds everyone;
- every change any device ever committed is in the change log of every holder and at the hub,
  exactly once, and every value nobody edited on top of is current or an open conflict;
- no device holds a young person outside its scope; nothing is quarantined.

``make test`` runs 150 schedules and two fixed ones; ``PATHWAY_SLOW=1`` (``make test-slow``) tens
of thousands; ``PATHWAY_SYNC_EXAMPLES=N`` exactly N (to run a slow batch in chunks), and
``NOSHRINK=1`` reports a failing schedule at once instead of shrinking it (slow here: each
example runs a hub and several encrypted stores).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from models import merge
from models.registry import RECORD_TYPES
from models.repo import notes, plans
from models.repo import young_people as yp_repo
from models.schema import ChangeLog, ImportantPerson, PlanAction, YoungPerson
from models.store import Store
from sync.client import SyncClient, SyncError, connection, engine
from sync.hub import access, admin
from sync.hub.app import create_app
from sync.hub.auth import Caller
from sync.hub.db import unit_of_work
from sync.hub.settings import HubSettings
from sync.hub.tables import Device, HubChange, Team, User
from sync.protocol import unpack
from tests.factories import PASSPHRASE, make_store
from tests.models.test_merge_property import assert_nothing_silently_lost
from tests.sync.hub.hubkit import enrol as enrol_device
from tests.sync.hub.hubkit import prepare, run_admin

SLOW = bool(os.environ.get("PATHWAY_SLOW"))
EXAMPLES = int(os.environ.get("PATHWAY_SYNC_EXAMPLES", 20_000 if SLOW else 150))
HUB_URL = "http://testserver"
# Device i is enrolled as USERS[i]; a schedule uses the first 3, 4 or 5.
USERS = ["asha", "ben", "mo", "cara", "asha"]
ADVISERS = ["asha", "ben", "cara"]
MANAGER = 2
# Young person j is referred on device REFERRED_ON[j] (the last one by the manager: unallocated).
YPS = [
    "7d2b8a43-55a5-4a8e-9d5e-1c0b6f3e9a10",
    "2f8c1c0e-4d7a-4b55-8a0e-5b1f6c9d3e21",
    "c41e7b2a-9f03-4e8d-b6a5-0d2e8f7c1b32",
]
REFERRED_ON = [0, 1, MANAGER]

PHONES = ["0115 000 0001", "0115 000 0002", "0115 000 0003"]
PRONOUNS = ["she/her", "he/him", "they/them", ""]
CHECKS = ["visit_8_weekly", "probation_contact", "id_documents"]
LANGS = ["Tigrinya", "Arabic", "English"]
MATTERS = ["health", "identity", "accommodation"]
TEXTS = ["going well", "needs help", "new job", ""]

dev_ix = st.integers(0, 4)
yp_ix = st.integers(0, len(YPS) - 1)
edit = st.one_of(
    st.tuples(st.just("field"), st.sampled_from(["phone", "pronouns"]), st.integers(0, 3)),
    st.tuples(st.just("tick"), st.sampled_from(CHECKS), st.booleans()),
    st.tuples(st.just("language"), st.sampled_from(LANGS), st.booleans()),
    st.tuples(st.just("section"), st.sampled_from(MATTERS), st.sampled_from(TEXTS)),
    st.tuples(st.just("life"), st.sampled_from(TEXTS)),
    st.tuples(st.just("action"), st.integers(0, 3), st.sampled_from(TEXTS[:3])),
    st.tuples(st.just("remove_action"), st.integers(0, 3)),
    st.tuples(st.just("person"), st.integers(0, 2), st.sampled_from(TEXTS[:3])),
    st.tuples(st.just("remove_person"), st.integers(0, 2)),
    st.tuples(st.just("note"), st.sampled_from(TEXTS[:3])),
    st.tuples(st.just("amend"), st.integers(0, 5)),
    st.tuples(st.just("agree")),
    st.tuples(st.just("resolve"), st.integers(0, 5), st.booleans()),
)
# How a sync ends: whole, or cut at the k-th request / page.
FAULTS = ["cancel", "progress", "lose_request", "lose_response"]
fault = st.one_of(
    st.just(("none", 0)), st.tuples(st.sampled_from(FAULTS), st.integers(0, 12))
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), dev_ix, yp_ix, edit),
        st.tuples(st.just("edit"), dev_ix, yp_ix, edit),
        st.tuples(st.just("sync"), dev_ix, fault),
        st.tuples(st.just("replay"), dev_ix, st.integers(0, 50)),
        st.tuples(st.just("reallocate"), yp_ix, st.sampled_from(ADVISERS)),
    ),
    max_size=30,
)


class Cut(Exception):
    """A sync stopped part way (a crash in the middle of it, as far as the store can tell)."""


@dataclass
class Link:
    """One device's connection to the in-process hub: records what it pushed, and loses the
    request or the response numbered ``lose_at`` (counting from the start of a sync)."""

    http: TestClient
    pushed: list[bytes] = field(default_factory=list)
    sent: int = 0
    lose: str = "none"
    lose_at: int = -1

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        with self.stream(method, url, **kwargs) as response:
            response.read()
            return response

    @contextmanager
    def stream(self, method: str, url: str, **kwargs: Any) -> Iterator[httpx.Response]:
        n, self.sent = self.sent, self.sent + 1
        if self.lose == "lose_request" and n == self.lose_at:
            raise httpx.ConnectError("the request was lost")
        with self.http.stream(method, url, **kwargs) as response:
            if url == "/v1/push" and response.status_code == 200:
                self.pushed.append(kwargs["content"])
            if self.lose == "lose_response" and n == self.lose_at:
                raise httpx.ReadError("the answer was lost after the hub committed")
            yield response


class CountDown:
    """``is_set()`` turns true at its ``k``-th call (a cancel token)."""

    def __init__(self, k: int) -> None:
        self.left = k

    def is_set(self) -> bool:
        self.left -= 1
        return self.left < 0


@dataclass
class HubTemplate:
    database: Path
    codes: list[str]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HubTemplate]:
    """An empty store and a hub database with the team, its users and a code per device, made
    once; every schedule starts from copies of them."""
    root = tmp_path_factory.mktemp("sync-template")
    make_store(root / "store").close()
    hub_db = root / "hub.db"
    hub = HubSettings(database=f"sqlite:///{hub_db}")
    prepare(hub)

    def setup(s: Any) -> list[str]:
        admin.add_team(s, "North")
        for username in ADVISERS:
            admin.add_user(s, username, "North", "advisor")
        admin.add_user(s, "mo", "North", "manager")
        return [admin.issue_enrol_code(s, username)[0] for username in USERS]

    codes = run_admin(hub, setup)
    return root / "store", HubTemplate(hub_db, codes)


class World:
    """The hub (a copy of the template database behind a TestClient) and ``n`` devices."""

    def __init__(self, store_template: Path, hub_template: HubTemplate, root: Path, n: int,
                 stack: ExitStack, pull_page: int) -> None:
        self.stack = stack
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        shutil.copy2(hub_template.database, root / "hub.db")
        self.app = create_app(HubSettings(database=f"sqlite:///{root / 'hub.db'}"))
        stack.callback(self.app.state.engine.dispose)
        self.http = stack.enter_context(TestClient(self.app))
        self.pull_page = pull_page
        self.stores: list[Store] = []
        self.links: list[Link] = []
        self.device_ids: list[str] = []
        for i in range(n):
            folder = root / f"device{i}"
            shutil.copytree(store_template, folder)
            store = stack.enter_context(Store.open(folder, PASSPHRASE))
            laptop = enrol_device(self.http, hub_template.codes[i], f"device {i}")
            store.enrol(hub_url=HUB_URL, hub_device_id=laptop.device_id)
            connection.save(store, connection.Credentials(
                hub_url=HUB_URL, device_id=laptop.device_id,
                private_key=connection.private_key_text(laptop.key), certificate="",
                username=USERS[i], role="manager" if i == MANAGER else "advisor",
                team="North"))
            self.stores.append(store)
            self.links.append(Link(self.http))
            self.device_ids.append(laptop.device_id)
        # Every change any device committed, by change id: (young person, change).
        self.committed: dict[str, tuple[str | None, Any]] = {}

    def hub_session(self) -> Any:
        return unit_of_work(self.app.state.session_factory)

    # -- steps ------------------------------------------------------------------------------

    def sync(self, i: int, how: str = "none", k: int = 0) -> None:
        link = self.links[i]
        link.sent, link.lose, link.lose_at = 0, how, k
        calls = [0]

        def progress(_stage: str, _done: int, _total: int) -> None:
            calls[0] += 1
            if how == "progress" and calls[0] > k:
                raise Cut()

        cancel = CountDown(k) if how == "cancel" else None
        client = SyncClient(self.stores[i], http=link, pull_page=self.pull_page)  # type: ignore[arg-type]
        try:
            client.run(progress, cancel)
        except (SyncError, Cut):
            if how == "none":
                raise
        finally:
            link.lose = "none"

    def replay(self, i: int, j: int) -> None:
        """Send again a push this device made earlier (duplicated, and out of order)."""
        pushed = self.links[i].pushed
        if not pushed:
            return
        body = pushed[j % len(pushed)]
        hub = connection.Hub(connection.load(self.stores[i]),  # type: ignore[arg-type]
                             self.http)
        result = hub._send("POST", "/v1/push", body, compressed=True)
        sent = unpack(body, "zstd")["changes"]
        assert result["accepted"] == 0 and result["duplicates"] + len(result["refused"]) == len(
            sent)

    def reallocate(self, yp: str, username: str) -> None:
        with self.hub_session() as s:
            if s.scalar(select(func.count()).select_from(HubChange).where(
                    HubChange.young_person_id == yp)):
                admin.allocate(s, yp, username)

    def refer(self, i: int, yp: str) -> None:
        self.edit(i, yp, ("refer",))

    def edit(self, i: int, yp: str, step: tuple[Any, ...]) -> None:
        store = self.stores[i]
        if step[0] != "refer" and not holds(store, yp):
            return
        with store.reader() as s:
            before = merge.last_seq(s)
        with store.session() as s:
            run_edit(s, store, yp, step)
        with store.reader() as s:
            made, _ = merge.changes_since(s, before, local_only=True)
        for c in made:
            assert c.change_id not in self.committed
            self.committed[c.change_id] = (c.young_person_id, c)


def holds(store: Store, yp: str) -> bool:
    with store.reader() as s:
        return s.get(YoungPerson, yp) is not None


def _ids(s: Any, cls: type, yp: str) -> list[str]:
    return list(s.scalars(select(cls.id).where(  # type: ignore[attr-defined]
        cls.young_person_id == yp, cls.deleted.is_(False)).order_by(cls.id)))  # type: ignore[attr-defined]


def run_edit(s: Any, store: Store, yp: str, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "refer":
        yp_repo.create_young_person(s, id=yp, legal_name="Selam Tesfay", preferred_name="Selam",
                                    date_of_birth=date(2007, 5, 14), languages=["Tigrinya"],
                                    allocated_pa=store.owner_name)
    elif kind == "field":
        values = {"phone": PHONES, "pronouns": PRONOUNS}[step[1]]
        yp_repo.update_young_person(s, yp, **{step[1]: values[step[2] % len(values)]})
    elif kind == "tick":
        checklist = dict(yp_repo.load_profile(s, yp).custody_checklist)
        checklist[step[1]] = step[2]
        yp_repo.update_young_person(s, yp, custody_checklist=checklist)
    elif kind == "language":
        langs = [x for x in yp_repo.load_profile(s, yp).languages if x != step[1]]
        yp_repo.update_young_person(s, yp, languages=[*langs, step[1]] if step[2] else langs)
    elif kind == "section":
        plans.update_section(s, yp, step[1], strengths=step[2])
    elif kind == "life":
        plans.update_plan(s, yp, life_summary=step[1])
    elif kind == "action":
        actions = _ids(s, PlanAction, yp)
        if step[1] < len(actions):
            plans.update_action(s, actions[step[1]], what=f"do: {step[2] or 'x'}")
        else:
            plans.add_action(s, yp, "health", who="PA", what=f"act {step[2] or 'x'}")
    elif kind == "remove_action":
        actions = _ids(s, PlanAction, yp)
        if actions:
            plans.remove_action(s, actions[step[1] % len(actions)])
    elif kind == "person":
        people = _ids(s, ImportantPerson, yp)
        if step[1] < len(people):
            yp_repo.update_person(s, people[step[1]], relationship=step[2] or "aunt")
        else:
            yp_repo.add_person(s, yp, name=f"Person {step[2] or 'x'}")
    elif kind == "remove_person":
        people = _ids(s, ImportantPerson, yp)
        if people:
            yp_repo.remove_person(s, people[step[1] % len(people)])
    elif kind == "note":
        notes.add_note(s, yp, kind="phone", occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
                       summary=f"note {step[1]}")
    elif kind == "amend":
        ids = sorted(n.id for n in notes.list_notes(s, yp))
        if ids:
            notes.amend_note(s, ids[step[1] % len(ids)], summary="amended", narrative="fix")
    elif kind == "agree":
        plans.agree_plan(s, yp, agreed_on=date(2026, 11, 1))
    elif kind == "resolve":
        open_ = merge.open_conflicts(s, yp)
        if open_:
            chosen = open_[step[1] % len(open_)]
            merge.resolve_conflict(s, chosen.id, keep="current" if step[2] else "other")


# -- what the devices hold -------------------------------------------------------------------


def record_of(store: Store, yp: str) -> dict[str, Any]:
    """Every synced record of one young person, field by field, with its stamps."""
    out: dict[str, Any] = {}
    with store.reader() as s:
        for table in RECORD_TYPES:
            if table == "team_services":
                continue
            column = "id" if table == "young_people" else "young_person_id"
            rows = s.execute(text(
                f"SELECT * FROM {table} WHERE {column} = :yp ORDER BY id"),  # noqa: S608
                {"yp": yp}).mappings()
            out[table] = [{k: _parsed(k, v) for k, v in r.items()} for r in rows]
    return out


def _parsed(key: str, value: Any) -> Any:
    if key in ("stamps", "custody_checklist", "snapshot") and isinstance(value, str):
        return json.loads(value)
    return value


def conflicts_of(store: Store, yp: str) -> list[tuple[Any, ...]]:
    with store.reader() as s:
        return [(c.table, c.row_id, c.field, repr(c.current), repr(c.other), c.other_stamp,
                 c.removal, c.other_by) for c in merge.open_conflicts(s, yp)]


def log_of(store: Store) -> list[tuple[str, str | None]]:
    with store.reader() as s:
        return [(cid, yp) for cid, yp in s.execute(
            select(ChangeLog.change_id, ChangeLog.young_person_id))]


def held(store: Store) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(YoungPerson.id)))


def scope_at_hub(world: World, i: int) -> set[str]:
    with world.hub_session() as s:
        device = s.get(Device, world.device_ids[i])
        user = s.get(User, device.user_id)
        team = s.get(Team, user.team_id)
        caller = Caller(device.id, user.id, user.username, user.role, user.team_id, team.name)
        return set(access.scope(s, caller))


def check(world: World, n: int) -> None:
    manager = world.stores[MANAGER]
    referred = {yp for yp, _ in world.committed.values() if yp}
    assert held(manager) == referred
    with world.hub_session() as s:
        hub_ids = list(s.scalars(select(HubChange.change_id)))
    assert len(hub_ids) == len(set(hub_ids)), "the hub stored a change twice"
    assert set(hub_ids) == set(world.committed), "the hub lacks a change or has a stranger"
    by_yp: dict[str | None, set[str]] = {}
    for cid, (yp, _c) in world.committed.items():
        by_yp.setdefault(yp, set()).add(cid)
    for i in range(n):
        store = world.stores[i]
        mine = held(store)
        assert mine <= scope_at_hub(world, i), f"device {i} holds someone outside its scope"
        log = log_of(store)
        assert len(log) == len({cid for cid, _ in log}), f"device {i} logged a change twice"
        for yp in mine:
            assert record_of(store, yp) == record_of(manager, yp), f"device {i} differs on {yp}"
            assert conflicts_of(store, yp) == conflicts_of(manager, yp)
            assert {cid for cid, y in log if y == yp} == by_yp[yp], f"device {i} log of {yp}"
        assert {y for _, y in log} <= mine, f"device {i} keeps log entries of someone it purged"
        assert_nothing_silently_lost(store)
        with store.reader() as s:
            assert not merge.quarantined(s)
            assert all(c.other_by for c in merge.open_conflicts(s))


@pytest.fixture
def worlds(templates: tuple[Path, HubTemplate],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    stacks: list[ExitStack] = []

    def make(n: int, pull_page: int) -> World:
        stack = ExitStack()
        stacks.append(stack)
        return World(*templates, tmp_path_factory.mktemp("world"), n, stack, pull_page)

    yield make
    for stack in stacks:
        stack.close()


@settings(max_examples=EXAMPLES, deadline=None,
          phases=[p for p in Phase if p is not Phase.shrink or not os.environ.get("NOSHRINK")],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# asha's referral reaches the hub but the sync is cut before she asks for her scope; it is
# reallocated to ben; her offline note must still reach him, and her laptop purge it.
@example(n=3, pull_page=2, push_page=2, schedule=[
    ("sync", 0, ("cancel", 2)), ("reallocate", 0, "ben"), ("edit", 0, 0, ("note", "x"))])
# asha's sync is cut after the hub told her Selam was reallocated but before her laptop purged
# Selam; she goes on writing offline: the note must reach ben all the same.
@example(n=3, pull_page=2, push_page=2, schedule=[
    ("sync", 0, ("none", 0)), ("reallocate", 0, "ben"), ("sync", 0, ("lose_request", 1)),
    ("edit", 0, 0, ("note", "x"))])
@given(n=st.integers(3, 5), pull_page=st.integers(1, 6), push_page=st.integers(1, 6),
       schedule=steps)
def test_devices_and_hub_converge_and_lose_nothing(
    worlds: Any, n: int, pull_page: int, push_page: int, schedule: list[Any],
) -> None:
    note(f"{n=} {pull_page=} {push_page=} {schedule=}")
    old_push_page = engine.PUSH_PAGE
    engine.PUSH_PAGE = push_page
    world = worlds(n, pull_page)
    try:
        for yp, i in zip(YPS, REFERRED_ON, strict=True):
            world.refer(i, yp)
        for step in schedule:
            kind = step[0]
            if kind == "edit":
                world.edit(step[1] % n, YPS[step[2]], step[3])
            elif kind == "sync":
                world.sync(step[1] % n, *step[2])
            elif kind == "replay":
                world.replay(step[1] % n, step[2])
            elif kind == "reallocate":
                world.reallocate(YPS[step[1]], step[2])
        for _round in range(2):
            for i in range(n):
                world.sync(i)
        check(world, n)
    finally:
        engine.PUSH_PAGE = old_push_page
        # Each schedule's hub and stores closed (and their folders removed) as it ends, not
        # when the whole test does: hundreds of open worlds slowed the later schedules.
        world.stack.close()
