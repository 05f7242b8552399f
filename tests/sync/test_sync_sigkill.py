"""Real processes killed at random points of a sync lose and duplicate nothing.

A real hub (``pathway-hub serve`` over HTTPS on loopback, SQLite) and laptops syncing in their
own processes. An adviser's laptop holds a young person with many notes and keeps writing more;
each round kills (SIGKILL) one of: the adviser's sync during its push, the manager's sync during
its pull, or the hub while the adviser pushes (then starts it again on the same port). At the
end both laptops sync whole with ``pathway-desk sync``, and:

- every change the adviser's laptop made is at the hub exactly once, and nothing else of hers;
- the manager's laptop has every one of them, once, and the same notes;
- nothing waits on the adviser's laptop;
- ``PRAGMA integrity_check`` is ok on both encrypted stores and on the hub's database.

About a minute; ``PATHWAY_SLOW=1`` runs many more rounds.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.repo import notes
from models.repo import young_people as yp_repo
from models.schema import ChangeLog, ContactNote
from models.store import Store
from sync.client import enrol, waiting
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.factories import PASSPHRASE, make_store
from tests.sync.hub.hubkit import prepare, run_admin
from tests.sync.hub.served import RunningHub, free_port, serving

SLOW = bool(os.environ.get("PATHWAY_SLOW"))
ROUNDS = 60 if SLOW else 9
FIRST_NOTES = 800
NOTES_PER_ROUND = 120
PUSH_PAGE = 25  # small pages, so a push or a pull has several places to be cut
PULL_PAGE = 50
ROOT = Path(__file__).resolve().parents[2]

# A laptop's sync in its own process; it says when it starts and at each page, so the test can
# kill it at a random page (and a random moment after it).
RUNNER = """
import os, sys
from pathlib import Path
from models.store import Store
from sync.client import SyncClient, engine
engine.PUSH_PAGE = int(sys.argv[2])
store = Store.open(Path(sys.argv[1]), os.environ["PATHWAY_DESK_PASSPHRASE"])
print("ready", flush=True)
def progress(stage, done, total):
    print("page", stage, flush=True)
report = SyncClient(store, pull_page=int(sys.argv[3])).run(progress)
print("done", report.pushed, report.pulled, flush=True)
"""


@contextmanager
def store_at(folder: Path) -> Iterator[Store]:
    with Store.open(folder, PASSPHRASE) as store:
        yield store


def write_notes(folder: Path, yp: str, count: int, tag: str) -> None:
    with store_at(folder) as store, store.session() as s:
        for i in range(count):
            notes.add_note(s, yp, kind="phone", occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
                           summary=f"{tag} call {i}", narrative=f"{tag} spoke about week {i}")


def start_sync(folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PATHWAY_DESK_PASSPHRASE": PASSPHRASE}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(folder), str(PUSH_PAGE), str(PULL_PAGE)], cwd=ROOT,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def kill_at_random_page(proc: subprocess.Popen[str], rng: random.Random, pages: int,
                        stage: str, victim: int | None = None) -> tuple[bool, str]:
    """Wait for the ``k``-th progress line of ``stage`` (k random, 0 = as soon as the laptop is
    ready), then a random moment, then SIGKILL ``victim`` (the sync itself by default).
    Whether it was killed (not if the sync ended first), and what the sync said meanwhile."""
    assert proc.stdout is not None
    k = rng.randrange(pages + 1)
    seen = -1
    said: list[str] = []
    for line in proc.stdout:
        said.append(line)
        if line.startswith("ready") or (line.startswith("page") and stage in line):
            seen += 1
            if seen >= k:
                time.sleep(rng.uniform(0, 0.15))
                if proc.poll() is not None:
                    return False, "".join(said)
                os.kill(victim or proc.pid, signal.SIGKILL)
                return True, "".join(said)
    return False, "".join(said)


def finish(proc: subprocess.Popen[str], said: str) -> str:
    out, _ = proc.communicate(timeout=120)
    return said + out


def sync_cli(folder: Path) -> None:
    env = {**os.environ, "PATHWAY_DESK_PASSPHRASE": PASSPHRASE}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "sync", "--store", str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def integrity(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


class Hub:
    """The hub process on a fixed port, killed and started again at will."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.stack = ExitStack()
        self.running: RunningHub = self.start()

    def start(self) -> RunningHub:
        self.running = self.stack.enter_context(serving(self.home, port=self.port))
        return self.running

    def restart(self) -> None:
        self.stack.close()
        self.stack = ExitStack()
        self.start()

    def close(self) -> None:
        self.stack.close()


@pytest.mark.slow
def test_sigkill_client_and_hub_lose_and_duplicate_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(int(os.environ.get("PATHWAY_KILL_SEED", "0")) or None)
    home = tmp_path / "hub-home"
    home.mkdir()
    monkeypatch.setenv("PATHWAY_HUB_HOME", str(home))
    settings = HubSettings(database=f"sqlite:///{home / 'hub.db'}")
    prepare(settings)

    def setup(s: object) -> None:
        admin.add_team(s, "North")  # type: ignore[arg-type]
        admin.add_user(s, "asha", "North", "advisor")  # type: ignore[arg-type]
        admin.add_user(s, "mo", "North", "manager")  # type: ignore[arg-type]

    run_admin(settings, setup)
    hub = Hub(home)
    asha, mo = tmp_path / "asha", tmp_path / "mo"
    try:
        for folder, user in ((asha, "asha"), (mo, "mo")):
            code, _ = run_admin(settings, admin.issue_enrol_code, user)
            with make_store(folder, owner=user) as store:
                enrol(store, hub.running.url, code, hub.running.fingerprint)
        with store_at(asha) as store, store.session() as s:
            yp = yp_repo.create_young_person(s, legal_name="Selam Tesfay",
                                             date_of_birth=date(2007, 5, 14))
        write_notes(asha, yp, FIRST_NOTES, "first")
        kills = {"asha push": 0, "mo pull": 0, "hub during push": 0}
        rounds = 0

        def one_round(what: str, pages: int) -> None:
            nonlocal rounds
            write_notes(asha, yp, NOTES_PER_ROUND, f"round{rounds}")
            rounds += 1
            if what == "mo pull":
                sync_cli(asha)  # so the manager has much to pull
                proc = start_sync(mo)
                killed, said = kill_at_random_page(proc, rng, pages, "Receiving")
                out = finish(proc, said)
            elif what == "asha push":
                proc = start_sync(asha)
                killed, said = kill_at_random_page(proc, rng, pages, "Sending")
                out = finish(proc, said)
            else:
                proc = start_sync(asha)
                killed, said = kill_at_random_page(proc, rng, pages, "Sending",
                                                   victim=hub.running.pid)
                out = finish(proc, said)  # the laptop finds the hub gone and gives up
                hub.restart()
            kills[what] += killed
            if not killed:
                assert "done" in out, out

        for round_ in range(ROUNDS):
            one_round(("asha push", "mo pull", "hub during push")[round_ % 3], 6)
        # A kill aimed late in a sync misses when the sync ends first (a fast machine): each
        # kind that was never killed gets rounds aimed at the sync's first pages until it is.
        for what in kills:
            for _ in range(10):
                if kills[what]:
                    break
                one_round(what, 1)
        sync_cli(asha)
        sync_cli(mo)
        sync_cli(asha)
    finally:
        hub.close()

    with store_at(asha) as a, store_at(mo) as m:
        assert integrity(a) == "ok" and integrity(m) == "ok"
        assert waiting(a) == 0
        with a.reader() as s:
            mine = list(s.scalars(select(ChangeLog.change_id).where(ChangeLog.source == "local")))
            asha_notes = set(s.scalars(select(ContactNote.id)))
        with m.reader() as s:
            theirs = list(s.scalars(select(ChangeLog.change_id)))
            mo_notes = set(s.scalars(select(ContactNote.id)))
            assert s.scalar(select(func.count()).select_from(ContactNote)) == len(mo_notes)
    assert len(mine) == len(set(mine))
    assert len(theirs) == len(set(theirs)), "a change reached the manager twice"
    assert set(theirs) == set(mine), "the manager lacks a change, or has a stranger"
    assert mo_notes == asha_notes
    assert len(asha_notes) == FIRST_NOTES + rounds * NOTES_PER_ROUND
    hub_db = sqlite3.connect(home / "hub.db")
    try:
        assert hub_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        at_hub = [cid for (cid,) in hub_db.execute("SELECT change_id FROM changes")]
    finally:
        hub_db.close()
    assert len(at_hub) == len(set(at_hub)), "the hub stored a change twice"
    assert set(at_hub) == set(mine)
    # Every kind of kill happened (a sync that ended first is not counted).
    assert all(kills.values()), kills
    print(f"kills: {kills}")
