"""Files against a real hub (``pathway-hub serve`` over HTTPS on loopback): uploads through a
link that keeps dropping, the hub SIGKILLed at random points of an upload, the laptop SIGKILLed
mid-download. Afterwards the file is whole, verified and stored once, nothing half-made is
visible on either side, and the hub's database passes its integrity check."""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from models.blobs import BlobStore
from models.partial_blobs import PARTIAL_PREFIX
from sync.auth import DeviceAuth
from sync.client import files as client_files
from sync.client.connection import private_key_text
from sync.client.errors import HubUnreachable
from sync.client.files import FileReport, download, upload_missing
from sync.hub.settings import HubSettings
from tests.sync.hub.cutting_proxy import CuttingProxy
from tests.sync.hub.hubkit import Laptop, World, enrol, make_world
from tests.sync.hub.served import RunningHub, serving
from tests.sync.hub.test_files import refer

MiB = 1 << 20
KILLS = 12 if os.environ.get("PATHWAY_SLOW") else 3
"""How many times each test kills a process (many more in ``PATHWAY_SLOW=1`` runs)."""


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_files, "_BACKOFF", (0.01, 0.02, 0.05, 0.1, 0.2))


@pytest.fixture
def world(hub_home: Path) -> World:
    return make_world(HubSettings(database=f"sqlite:///{hub_home / 'hub.db'}"))


def _file(tmp_path: Path, size: int, name: str = "laptop") -> tuple[BlobStore, bytes, str]:
    blobs = BlobStore(tmp_path / name, secrets.token_bytes(32))
    sha = blobs.put_bytes(os.urandom(size)).sha256
    return blobs, blobs.read_bytes(sha), sha


def _hub_file(hub_home: Path, sha: str) -> Path:
    return hub_home / "hub-files" / sha[:2] / sha


def _integrity(hub_home: Path) -> str:
    with sqlite3.connect(hub_home / "hub.db") as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def _laptop(hub: RunningHub, world: World, username: str) -> tuple[Laptop, DeviceAuth]:
    with hub.client() as client:
        laptop = enrol(client, world.code_for(username))
    return laptop, DeviceAuth(laptop.key, laptop.device_id)


def test_an_upload_through_a_link_that_keeps_dropping_resends_little(
    hub_home: Path, world: World, tmp_path: Path
) -> None:
    blobs, data, sha = _file(tmp_path, 12 * MiB + 321)
    refer(world.settings, sha, world.young_people["asha"][0])
    with serving(hub_home) as hub:
        _, auth = _laptop(hub, world, "asha")
        port = int(hub.url.rsplit(":", 1)[1])
        cuts = sorted(random.Random(7).sample(range(64 * 1024, len(data)), 6))
        with CuttingProxy(port, cuts) as proxy, httpx.Client(
                base_url=proxy.url, verify=hub.ssl_context(), timeout=30) as http:
            report = upload_missing(http, blobs, [sha], auth=auth)
        assert proxy.drops == 6 and report.retries >= 6
    assert report.uploaded == [sha]
    # A drop costs at most the chunk in flight.
    assert len(data) <= report.bytes_sent <= len(data) + proxy.drops * MiB
    assert hashlib.sha256(_hub_file(hub_home, sha).read_bytes()).hexdigest() == sha


def test_a_download_over_a_link_that_keeps_dropping_carries_on_where_it_stopped(
    hub_home: Path, world: World, tmp_path: Path
) -> None:
    source, data, sha = _file(tmp_path, 12 * MiB + 99, "source")
    refer(world.settings, sha, world.young_people["asha"][0])
    blobs = BlobStore(tmp_path / "mo", secrets.token_bytes(32))
    with serving(hub_home) as hub:
        _, asha = _laptop(hub, world, "asha")
        _, mo = _laptop(hub, world, "mo")
        with hub.client() as http:
            upload_missing(http, source, [sha], auth=asha)
        port = int(hub.url.rsplit(":", 1)[1])
        cuts = sorted(random.Random(5).sample(range(64 * 1024, len(data)), 5))
        with CuttingProxy(port, cuts, replies=True) as proxy, httpx.Client(
                base_url=proxy.url, verify=hub.ssl_context(), timeout=30) as http:
            got = download(http, blobs, sha, auth=mo)
    assert proxy.drops == 5
    # A drop costs at most the chunk being sealed when it came.
    assert len(data) <= got <= len(data) + proxy.drops * MiB
    assert blobs.read_bytes(sha) == data


def _upload_into(outcome: list[object], http: httpx.Client, blobs: BlobStore, sha: str,
                 auth: DeviceAuth) -> None:
    try:
        outcome.append(upload_missing(http, blobs, [sha], auth=auth))
    except HubUnreachable as exc:
        outcome.append(exc)


def test_the_hub_killed_at_random_points_of_an_upload_loses_and_doubles_nothing(
    hub_home: Path, world: World, tmp_path: Path
) -> None:
    blobs, data, sha = _file(tmp_path, 8 * MiB + 5)
    refer(world.settings, sha, world.young_people["asha"][0])
    chunk = 128 * 1024
    env = {"PATHWAY_HUB_MAX_BODY_BYTES": str(chunk)}
    partial = hub_home / "hub-files" / "partial" / sha
    rng = random.Random(11)
    kills = 0
    auth: DeviceAuth | None = None
    sent: list[int] = []  # the size of every chunk put on the wire, whatever became of it

    def count(request: httpx.Request) -> None:
        if request.method == "PUT":
            sent.append(len(request.content))

    while not _hub_file(hub_home, sha).exists():
        assert kills <= KILLS, "the upload never finished"
        # Kill when the hub holds somewhere between what it has now and the whole file.
        held = partial.stat().st_size if partial.exists() else 0
        kill_at = rng.randrange(held + 1, len(data)) if kills < KILLS else len(data) + 1
        with serving(hub_home, env=env) as hub:
            if auth is None:
                _, auth = _laptop(hub, world, "asha")
            with hub.client(event_hooks={"request": [count]}) as http:
                outcome: list[object] = []

                assert auth is not None
                worker = threading.Thread(target=_upload_into,
                                          args=(outcome, http, blobs, sha, auth))
                worker.start()
                while worker.is_alive():
                    if partial.exists() and partial.stat().st_size >= kill_at:
                        os.kill(hub.pid, signal.SIGKILL)
                        kills += 1
                        break
                    time.sleep(0.002)
                worker.join(30)
                assert not worker.is_alive()
                if kills == KILLS and _hub_file(hub_home, sha).exists():  # sent again: no-op
                    outcome.append(upload_missing(http, blobs, [sha], auth=auth))
        assert _integrity(hub_home) == "ok"
    assert kills == KILLS
    assert _hub_file(hub_home, sha).read_bytes() == data
    assert not partial.exists()
    last = outcome[-1]
    assert isinstance(last, FileReport) and last.already_there == 1 and last.bytes_sent == 0
    # Each restart carried on from what the hub had made durable: a kill costs at most the
    # chunk in flight (and one the hub wrote but could not acknowledge).
    assert len(data) <= sum(sent) <= len(data) + 2 * kills * chunk


_DOWNLOADER = """
import json, sys, time
from models.blobs import BlobStore
from sync.auth import DeviceAuth
from sync.client.connection import Credentials
from sync.client.files import download
import httpx, ssl

a = json.loads(sys.argv[1])
creds = Credentials(a["url"], a["device"], a["key"], "")
blobs = BlobStore(a["folder"], bytes.fromhex(a["data_key"]))
ctx = ssl.create_default_context(cadata=open(a["cert"]).read())

def progress(done, total):
    print(done, flush=True)
    time.sleep(0.002)

with httpx.Client(base_url=a["url"], verify=ctx, timeout=30) as http:
    download(http, blobs, a["sha"], progress, auth=DeviceAuth(creds.key(), a["device"]))
print("done", flush=True)
"""


def test_a_laptop_killed_mid_download_keeps_no_half_file_and_resumes(
    hub_home: Path, world: World, tmp_path: Path
) -> None:
    source, data, sha = _file(tmp_path, 16 * MiB + 77, "source")
    yp = world.young_people["asha"][0]
    refer(world.settings, sha, yp)
    data_key = secrets.token_bytes(32)
    folder = tmp_path / "mo"
    rng = random.Random(3)
    with serving(hub_home) as hub:
        _, asha = _laptop(hub, world, "asha")
        mo, mo_auth = _laptop(hub, world, "mo")
        with hub.client() as http:
            upload_missing(http, source, [sha], auth=asha)
        args = json.dumps({"url": hub.url, "device": mo.device_id, "key": private_key_text(mo.key),
                           "folder": str(folder), "data_key": data_key.hex(), "sha": sha,
                           "cert": str(hub.cert)})
        for _ in range(KILLS):  # killed at random points
            stop_at = rng.uniform(0.1, 0.9) * len(data)
            proc = subprocess.Popen([sys.executable, "-c", _DOWNLOADER, args],
                                    stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip() == "done" or int(line) >= stop_at:
                    break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            blobs = BlobStore(folder, data_key)
            assert not blobs.exists(sha)
            parts = [p for p in folder.iterdir() if p.name.startswith(PARTIAL_PREFIX)]
            assert len(parts) == 1 and data[:4096] not in parts[0].read_bytes()
        with hub.client() as http:
            got = download(http, blobs, sha, auth=mo_auth)
    assert 0 < got < len(data)  # resumed, not started again
    assert blobs.read_bytes(sha) == data
    assert [p for p in folder.iterdir() if p.name.startswith(PARTIAL_PREFIX)] == []
