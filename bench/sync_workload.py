"""The sync benchmarks' workload and their real hub (shared by bench_sync_first and
bench_sync_incremental).

The issue's workload, shaped like ``../shared/peers/pouchdb`` (workload.js): per young person a
profile, a plan (here: the plan row with its life summary and its ten sections, as our model
stores a plan), ``notes`` contact notes and ``memories`` written memory-box items (metadata and
text only, no files). Text comes from the demo generator's word lists, so sizes are realistic.

``HubForBench`` runs a real ``pathway-hub serve`` (SQLite, HTTPS on loopback) in its own
process, with teams and users made through the admin functions; ``enrolled`` makes a new store
enrolled as a user. Nothing here is timed.
"""

from __future__ import annotations

import os
import random
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx

from models.crypto.keyfile import KdfParams
from models.demo import circumstances, content
from models.demo.generate import NOTE_KIND_WEIGHTS, _profile
from models.domain import AddedBy, Matter, MemoryKind
from models.repo import changes, files, plans
from models.repo import young_people as yp_repo
from models.schema import ContactNote
from models.store import Store
from sync.client import enrol
from sync.hub import admin
from sync.hub.db import make_engine, migrate, session_factory, unit_of_work

PASSPHRASE = "benchmark passphrase only"
TODAY = date(2026, 11, 1)


def new_store(folder: Path, owner: str) -> Store:
    return Store.create(folder, PASSPHRASE, owner_name=owner, kdf=KdfParams.fast_for_tests())


def fill(store: Store, young_people: int, *, notes: int = 150, memories: int = 20,
         seed: int = 42, batch: int = 10) -> list[str]:
    """Add ``young_people`` young people of the workload's shape; returns their ids."""
    rng = random.Random(seed)
    ids: list[str] = []
    for first in range(0, young_people, batch):
        with store.session() as s:
            for index in range(first, min(first + batch, young_people)):
                values = _profile(rng, TODAY, index)
                values["allocated_pa"] = store.owner_name
                yp = yp_repo.create_young_person(s, **values)
                ids.append(yp)
                name = values["preferred_name"]
                tags = circumstances.story_tags(values)
                plans.update_plan(s, yp, life_summary=content.life_summary(rng, name, tags=tags))
                for matter in Matter:
                    strengths, goals, _ = content.plan_section_text(rng, matter.value, tags=tags)
                    plans.update_section(s, yp, matter.value, strengths=strengths, goals=goals)
                add_notes(s, rng, yp, name, notes, store.owner_name)
                for _ in range(memories):
                    memory = content.written_memory_item(rng, tags=tags)
                    files.add_memory(
                        s, yp, kind=MemoryKind.MEMORY, body=memory.text, caption=memory.title,
                        added_by_kind=AddedBy.YOUNG_PERSON, added_by_name="",
                        memory_date=TODAY - timedelta(days=rng.randrange(0, 2000)),
                    )
    return ids


def add_notes(s: Any, rng: random.Random, yp: str, name: str, count: int, author: str) -> None:
    kinds = list(NOTE_KIND_WEIGHTS)
    weights = list(NOTE_KIND_WEIGHTS.values())
    rows = []
    for _ in range(count):
        kind = rng.choices(kinds, weights=weights)[0]
        day = TODAY - timedelta(days=rng.randrange(0, 1500))
        summary, narrative, place = content.note_text(rng, kind.value, name=name, tags=(),
                                                      place=None)
        rows.append({
            "young_person_id": yp, "kind": kind.value,
            "occurred_at": datetime.combine(day, clock_time(rng.randrange(9, 18)), UTC),
            "place": place, "summary": summary, "narrative": narrative, "author": author,
        })
    changes.bulk_create(s, ContactNote, rows)


@dataclass
class HubForBench:
    url: str
    fingerprint: str
    database: str
    proc: subprocess.Popen[str]

    def admin(self, fn: Any, *args: Any) -> Any:
        engine = make_engine(self.database)
        try:
            with unit_of_work(session_factory(engine)) as s:
                return fn(s, *args)
        finally:
            engine.dispose()

    def enrolled(self, folder: Path, username: str) -> Store:
        store = new_store(folder, username)
        code, _ = self.admin(admin.issue_enrol_code, username)
        enrol(store, self.url, code, self.fingerprint)
        return store

    def rss_mb(self) -> float:
        """Resident memory of the hub process now (VmRSS), and its peak (VmHWM) via peak_mb."""
        return _proc_status(self.proc.pid, "VmRSS")

    def peak_mb(self) -> float:
        return _proc_status(self.proc.pid, "VmHWM")

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_status(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


USERS = [("North", "asha", "advisor"), ("North", "ben", "advisor"), ("North", "mo", "manager"),
         ("South", "sol", "advisor"), ("South", "sue", "manager")]


def add_users(s: Any) -> None:
    for team in ("North", "South"):
        admin.add_team(s, team)
    for team, username, role in USERS:
        admin.add_user(s, username, team, role)


@contextmanager
def running_hub(home: Path, database: str | None = None, env: dict[str, str] | None = None,
                setup: bool = True) -> Iterator[HubForBench]:
    """A migrated hub served by ``pathway-hub serve`` in its own process (one worker), over
    HTTPS on loopback; with ``setup``, teams North and South and their ``USERS`` are made."""
    database = database or f"sqlite:///{home / 'hub.db'}"
    home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database)
    migrate(engine)
    engine.dispose()
    hub_env = {**os.environ, "PATHWAY_HUB_HOME": str(home), "PYTHONUNBUFFERED": "1",
               **(env or {})}
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.hub", "serve", "--database", database, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=hub_env)
    try:
        assert proc.stdout is not None
        fingerprint, cert = "", ""
        while not fingerprint:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("the hub did not start")
            if line.startswith("Certificate: "):
                cert = line.split(": ", 1)[1].strip()
            if line.startswith("Certificate SHA-256 fingerprint: "):
                fingerprint = line.split(": ", 1)[1].strip()
        url = f"https://127.0.0.1:{port}"
        ctx = ssl.create_default_context(cafile=cert)
        with httpx.Client(base_url=url, verify=ctx) as client:
            for _ in range(400):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
        hub = HubForBench(url, fingerprint, database, proc)

        if setup:
            hub.admin(add_users)
        yield hub
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
