"""A large file uploaded to a real hub through a link that keeps dropping.

    .venv/bin/python -m bench.bench_file_resume [--mb 500] [--drops 20] [--seed 1]

Generates a random file of ``--mb`` MB in an encrypted blob store, starts ``pathway-hub serve``
(SQLite, HTTPS on loopback) and uploads the file with ``sync.client.files.upload_missing``
through a loopback TCP proxy that cuts the connection ``--drops`` times at random points of
the upload. Prints the bytes that went over the link (counted by the proxy: TLS, HTTP and
signatures included) over the file's size, the goal being at most 1.1x; the chunks put on the
wire (a chunk cut part way counted whole); the time; and the peak memory of the laptop and of
the hub. Asserts nothing.
Linux (the hub's peak memory is read from /proc).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from models.blobs import BlobStore
from sync.auth import DeviceAuth
from sync.client.files import upload_missing
from sync.hub import admin
from sync.hub.settings import HubSettings
from sync.hub.tables import FileRef
from tests.sync.hub.cutting_proxy import CuttingProxy
from tests.sync.hub.hubkit import enrol, prepare, run_admin
from tests.sync.hub.served import serving

MB = 1_000_000


def _random_blob(blobs: BlobStore, size: int, scratch: Path) -> str:
    """A random file of ``size`` bytes put into the blob store (written in 8 MB pieces)."""
    plain = scratch / "random.bin"
    with open(plain, "wb") as out:
        left = size
        while left:
            piece = os.urandom(min(left, 8 << 20))
            out.write(piece)
            left -= len(piece)
    try:
        return blobs.put_file(plain).sha256
    finally:
        plain.unlink()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--drops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = args.mb * MB
    with tempfile.TemporaryDirectory(prefix="bench-files-") as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "hub-home"
        os.environ["PATHWAY_HUB_HOME"] = str(home)
        settings = HubSettings(database=f"sqlite:///{home / 'hub.db'}")
        prepare(settings)
        yp = str(uuid.uuid4())

        def setup(s: object) -> str:
            admin.add_team(s, "Bench")  # type: ignore[arg-type]
            admin.add_user(s, "asha", "Bench", "advisor")  # type: ignore[arg-type]
            admin.allocate(s, yp, "asha")  # type: ignore[arg-type]
            code, _ = admin.issue_enrol_code(s, "asha")  # type: ignore[arg-type]
            return str(code)

        code = run_admin(settings, setup)
        blobs = BlobStore(tmp / "laptop-blobs", secrets.token_bytes(32))
        started = time.perf_counter()
        sha = _random_blob(blobs, size, tmp)
        made = time.perf_counter() - started
        run_admin(settings, lambda s: s.add(FileRef(sha256=sha, young_person_id=yp)))

        with serving(home) as hub:
            with hub.client() as client:
                laptop = enrol(client, code)
            auth = DeviceAuth(laptop.key, laptop.device_id)
            port = int(hub.url.rsplit(":", 1)[1])
            rng = random.Random(args.seed)
            cuts = sorted(rng.sample(range(1 << 20, size), args.drops))
            put_bytes: list[int] = []

            def count(request: httpx.Request) -> None:
                if request.method == "PUT":
                    put_bytes.append(len(request.content))

            with CuttingProxy(port, cuts) as proxy, httpx.Client(
                base_url=proxy.url, verify=hub.ssl_context(), timeout=60,
                event_hooks={"request": [count]},
            ) as http:
                started = time.perf_counter()
                report = upload_missing(http, blobs, [sha], auth=auth)
                took = time.perf_counter() - started
            hub_rss = _peak_rss_mb(hub.pid)
            stored = home / "hub-files" / sha[:2] / sha
            whole = stored.is_file() and stored.stat().st_size == size

        laptop_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sent = sum(put_bytes)
        out = sys.stdout.write
        out(f"file: {size / MB:.0f} MB random (made and encrypted in {made:.1f} s); "
            f"uploaded whole and verified: {whole and report.uploaded == [sha]}\n")
        out(f"connections cut: {proxy.drops} (asked {args.drops}); retries: {report.retries}\n")
        out(f"bytes sent over the link / file size: {proxy.forwarded / size:.3f}x "
            "(goal <= 1.1x; TLS, HTTP and signatures included)\n")
        out(f"chunks put on the wire / file size: {sent / size:.3f}x ({len(put_bytes)} "
            "chunks; a chunk cut part way counted whole)\n")
        out(f"time: {took:.1f} s ({size / MB / took:.0f} MB/s)\n")
        out(f"peak memory: laptop {laptop_rss:.0f} MB, hub {hub_rss:.0f} MB\n")


if __name__ == "__main__":
    main()
