"""The late-commit case: with several hub processes on one PostgreSQL, a push that took its
sequence numbers earlier may commit later than one that took later numbers. A pull cursor must
never pass such a change.

The hub takes sequence numbers from one counter row as the last step before commit and holds
that row's lock until commit, so numbers become visible in order. Here three hub processes (one
``serve --workers 2`` and one plain ``serve``) share a real PostgreSQL; the test hook
``PATHWAY_HUB_TEST_COMMIT_DELAY_MS`` makes every push sleep between taking its numbers and
committing, which widens the window a late commit needs from microseconds to tens of
milliseconds. Several devices push concurrently through both hubs while a manager's device
pulls continuously with its cursor, in small pages, from both hubs: every change pushed arrives,
once, and the cursor never went past one that had not yet committed.

The second test shows the design matters: the same interleaving on the same database, with
numbers from a plain PostgreSQL sequence (no lock ordering), does skip a change.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import make_url

from models import merge
from sync.auth import DeviceAuth
from sync.hub import admin
from sync.hub.exchange import TEST_COMMIT_DELAY_ENV
from sync.hub.settings import HubSettings
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION, pack, unpack
from tests.factories import add_note, add_young_person, make_store
from tests.sync.hub.hubkit import enrol, prepare, run_admin
from tests.sync.hub.pgserver import PostgresForTests
from tests.sync.hub.served import serving

PUSHERS = ("asha", "ben", "cy", "di")
NOTES_EACH = 30
PUSH_PAGE = 3
PULL_PAGE = 4
DELAY_MS = "60"


@pytest.fixture
def pg_url(postgres: PostgresForTests) -> Iterator[str]:
    url = postgres.new_database()
    yield url
    postgres.drop_database(url)


def _changes_of(folder: Path, owner: str) -> list[dict[str, object]]:
    """A referral and its notes, made on a real store, as the device would push them."""
    store = make_store(folder, owner=owner)
    try:
        yp = add_young_person(store, allocated_pa=owner, legal_name=f"Young Person of {owner}")
        for i in range(NOTES_EACH):
            add_note(store, yp, summary=f"{owner} note {i}")
        with store.reader() as s:
            changes, _ = merge.changes_since(s, 0, local_only=True)
        return [c.to_json() for c in changes]
    finally:
        store.close()


def _post(client: httpx.Client, auth: DeviceAuth, path: str, payload: object) -> object:
    response = client.post(path, content=pack(payload), auth=auth, headers={
        HEADER_PROTOCOL: str(PROTOCOL_VERSION), "Content-Type": "application/json",
        "Content-Encoding": "zstd"})
    assert response.status_code == 200, response.text
    return unpack(response.content, None)


def test_a_pull_never_skips_a_late_commit(pg_url: str, hub_home: Path, tmp_path: Path) -> None:
    settings = HubSettings(database=pg_url)
    prepare(settings)

    def setup(s: object) -> None:
        admin.add_team(s, "North")  # type: ignore[arg-type]
        admin.add_user(s, "mo", "North", "manager")  # type: ignore[arg-type]
        for name in PUSHERS:
            admin.add_user(s, name, "North", "advisor")  # type: ignore[arg-type]

    run_admin(settings, setup)
    work = {name: _changes_of(tmp_path / name, name) for name in PUSHERS}
    expected = {str(c["change_id"]) for changes in work.values() for c in changes}
    env = {TEST_COMMIT_DELAY_ENV: DELAY_MS}
    with ExitStack() as stack:
        hubs = [
            stack.enter_context(serving(hub_home, "--database", pg_url, "--workers", "2", env=env)),
            stack.enter_context(serving(hub_home, "--database", pg_url, env=env)),
        ]
        clients = [stack.enter_context(h.client()) for h in hubs]
        devices = {}
        for i, name in enumerate([*PUSHERS, "mo"]):
            code, _ = run_admin(settings, admin.issue_enrol_code, name)
            laptop = enrol(clients[i % 2], str(code), name)
            devices[name] = DeviceAuth(laptop.key, laptop.device_id)

        pushing = threading.Event()
        pushing.set()
        errors: list[BaseException] = []
        in_flight = [0]
        lock = threading.Lock()

        def push(name: str, offset: int) -> None:
            try:
                changes = work[name]
                for n, first in enumerate(range(0, len(changes), PUSH_PAGE)):
                    with lock:
                        in_flight[0] += 1
                    try:
                        result = _post(clients[(n + offset) % 2], devices[name], "/v1/push",
                                       {"changes": changes[first : first + PUSH_PAGE]})
                    finally:
                        with lock:
                            in_flight[0] -= 1
                    assert result["refused"] == [], result  # type: ignore[index]
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        seen: list[str] = []
        cursors: list[int] = []
        pulls_during_pushes = [0]

        def pull_once(client: httpx.Client) -> bool:
            after = cursors[-1] if cursors else 0
            page = _post(client, devices["mo"], "/v1/pull", {"after": after, "limit": PULL_PAGE})
            assert isinstance(page, dict)
            seen.extend(str(c["change_id"]) for c in page["changes"])
            assert page["next"] >= after
            cursors.append(int(page["next"]))
            return bool(page["more"])

        def pull() -> None:
            try:
                for n in itertools.count():
                    busy = pushing.is_set()
                    with lock:
                        if in_flight[0]:
                            pulls_during_pushes[0] += 1
                    more = pull_once(clients[n % 2])
                    if not busy and not more:
                        return
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        pushers = [threading.Thread(target=push, args=(name, i)) for i, name in enumerate(PUSHERS)]
        puller = threading.Thread(target=pull)
        started = time.monotonic()
        puller.start()
        for t in pushers:
            t.start()
        for t in pushers:
            t.join()
        pushing.clear()
        puller.join(timeout=600)
        elapsed = time.monotonic() - started
        assert not puller.is_alive()
        assert errors == []
        # The puller stopped at its first "no more" after every push had been answered: a
        # change its cursor had passed would never arrive. Every change arrived, once.
        assert len(seen) == len(set(seen))
        assert set(seen) == expected, f"{len(expected - set(seen))} changes skipped"
        # The race was real: many pulls ran while pushes held sequence numbers uncommitted.
        assert pulls_during_pushes[0] >= 20, (pulls_during_pushes[0], elapsed)
        assert cursors == sorted(cursors)


def test_a_plain_sequence_would_skip_a_late_commit(pg_url: str) -> None:
    """Why the counter lock matters, on the same PostgreSQL: numbers from a plain sequence are
    taken in one order and committed in another, so a reader who stores the highest number it
    saw has passed a change that commits later. The counter row's lock closes that window."""
    dsn = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as setup:
        setup.execute("CREATE SEQUENCE naive_seq")
        setup.execute("CREATE TABLE naive (seq bigint PRIMARY KEY, body text)")
        setup.execute("CREATE TABLE counted (seq bigint PRIMARY KEY, body text)")
        setup.execute("CREATE TABLE counter (name text PRIMARY KEY, value bigint)")
        setup.execute("INSERT INTO counter VALUES ('changes', 0)")
    with psycopg.connect(dsn) as early, psycopg.connect(dsn) as late, \
            psycopg.connect(dsn, autocommit=True) as reader:
        # Plain sequence: the early transaction takes 1, the late one 2 and commits first.
        n1 = early.execute("SELECT nextval('naive_seq')").fetchone()[0]  # type: ignore[index]
        n2 = late.execute("SELECT nextval('naive_seq')").fetchone()[0]  # type: ignore[index]
        late.execute("INSERT INTO naive VALUES (%s, 'late')", (n2,))
        late.commit()
        cursor = reader.execute("SELECT max(seq) FROM naive").fetchone()[0]  # type: ignore[index]
        early.execute("INSERT INTO naive VALUES (%s, 'early')", (n1,))
        early.commit()
        after = reader.execute("SELECT seq FROM naive WHERE seq > %s", (cursor,)).fetchall()
        assert (n1, n2, cursor, after) == (1, 2, 2, [])  # change 1 is never pulled

        # The hub's way: the second transaction waits on the counter row until the first
        # commits, so it cannot take a number, let alone commit, before the first is visible.
        take = "UPDATE counter SET value = value + 1 WHERE name = 'changes' RETURNING value"
        n1 = early.execute(take).fetchone()[0]  # type: ignore[index]
        waiting = threading.Thread(target=lambda: late.execute(take))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive()  # blocked on the lock
        head = reader.execute("SELECT value FROM counter").fetchone()[0]  # type: ignore[index]
        assert head == 0  # nothing committed: a pull's cursor stays before number 1
        early.execute("INSERT INTO counted VALUES (%s, 'early')", (n1,))
        early.commit()
        waiting.join(timeout=10)
        assert not waiting.is_alive()
        late.rollback()
