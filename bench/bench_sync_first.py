"""A manager's first sync of a 200-young-person team through a real hub over HTTPS on loopback.

    .venv/bin/python -m bench.bench_sync_first [--young-people 200] [--rounds 3] [--no-pouchdb]

The workload (bench/sync_workload.py): per young person a profile, a plan with its ten
sections, 150 contact notes and 20 memory-box items; 200 of them are ~36,400 records, ~25 MB
as plain JSON records (about twice that on the wire: every field carries its change stamp).

Untimed setup: an adviser's store holding the team's records pushes them to a hub
(``pathway-hub serve``, SQLite, one process, HTTPS on loopback); then a fresh hub process is
started on that database, so its peak memory is the serving of first syncs alone.

Then, round by round, side by side (the order rotates):
- **sync**: a fresh store enrolled as the team's manager runs ``SyncClient.run()`` (timed), in
  its own process, whose peak memory (``getrusage``) is the client's;
- **raw**: an httpx GET over loopback of the same records as one plain JSON body, from a tiny
  HTTP server in its own process (the floor any sync of these bytes has);
- **pouchdb**: ``../shared/peers/pouchdb/run.sh`` (one trial per round): PouchDB's first
  replication of the same shape of data, and its own raw copy.
Prints medians and ratios: goals sync <= 25x raw, <= 0.2x PouchDB, client and hub peak memory
< 300 MB. Asserts nothing. ``BENCH_PY_SPY=FILE`` (py-spy on the PATH) samples each client sync's
threads into FILE (py-spy's raw stacks, idle time included), for where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from bench.sync_workload import HubForBench, fill, new_store, running_hub
from models import merge
from sync.client import SyncClient, enrol
from sync.hub import admin

ROOT = Path(__file__).resolve().parent.parent
# ``../shared`` seen from the main checkout (/work/main); worktrees sit one level deeper.
POUCHDB_CANDIDATES = [base / "shared" / "peers" / "pouchdb" / "run.sh"
                      for base in (ROOT.parent, ROOT.parent.parent)]


def records_json(store_dir: Path) -> bytes:
    """The store's records as plain JSON objects (field values only, no stamps), one array."""
    from bench.sync_workload import PASSPHRASE
    from models.store import Store

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    with Store.open(store_dir, PASSPHRASE) as store, store.reader() as s:
        changes, _ = merge.changes_since(s, 0)
        for c in changes:
            row = rows.setdefault((c.table, c.row_id), {"_id": c.row_id, "type": c.table})
            row.update({k: v[0] for k, v in c.fields.items()})
    return json.dumps(list(rows.values()), separators=(",", ":"), ensure_ascii=False).encode()


# -- the client's own process ---------------------------------------------------------------

def client_main(folder: str, url: str, code: str, fingerprint: str) -> None:
    """Enrol a fresh store as the manager (untimed), then time one sync; prints JSON."""
    store = new_store(Path(folder), "mo")
    enrol(store, url, code, fingerprint)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = SyncClient(store).run()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    store.close()
    print(json.dumps({
        "seconds": seconds, "pulled": report.pulled,
        "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        # ru_maxrss survives exec on Linux: it can be the parent's peak at fork, not ours.
        # VmHWM is this process's own peak.
        "maxrss_mb": after.ru_maxrss / 1024, "peak_mb": _own_peak_mb(),
    }))


def _own_peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_sync(hub: HubForBench, folder: Path) -> dict[str, float]:
    code, _ = hub.admin(admin.issue_enrol_code, "mo")
    hub_cpu = hub.cpu_s()
    # One JSON argument: an enrol code may begin with "-", which argparse would take for an option.
    command = [sys.executable, "-m", "bench.bench_sync_first", "--client",
               json.dumps([str(folder), hub.url, code, hub.fingerprint])]
    spy = os.environ.get("BENCH_PY_SPY")  # a file: the client sampled by py-spy (raw stacks)
    if spy:
        command = ["py-spy", "record", "-r", "250", "-t", "-i", "-f", "raw", "-o", spy, "--",
                   *command]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    # the client's last line of JSON (py-spy writes its own lines after it)
    result = json.loads([ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1])
    result["hub_cpu"] = hub.cpu_s() - hub_cpu
    return result


# -- the raw copy -----------------------------------------------------------------------------

def raw_server_main(path: str) -> None:
    body = Path(path).read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def raw_copy(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with httpx.Client() as client:
        size = len(client.get(url).content)
    return time.perf_counter() - started, size


# -- PouchDB ------------------------------------------------------------------------------

def pouchdb_round(script: Path, young_people: int) -> dict[str, float]:
    env = {**os.environ, "BENCH_TRIALS": "1", "BENCH_LARGE_YP": str(young_people)}
    out = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True,
                         env=env)
    figures = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(": ")
        with contextlib.suppress(ValueError):
            figures[key] = float(value)
    return figures


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-pouchdb", action="store_true")
    parser.add_argument("--pouchdb", type=Path, help="the peer's run.sh (default: found in "
                        "../shared/peers/pouchdb)")
    parser.add_argument("--client", metavar='["DIR", "URL", "CODE", "FINGERPRINT"]',
                        help=argparse.SUPPRESS)
    parser.add_argument("--raw-server", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(*json.loads(args.client))
        return
    if args.raw_server:
        raw_server_main(args.raw_server)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        adviser_dir = tmp / "asha"
        store = new_store(adviser_dir, "asha")
        fill(store, args.young_people)
        print(f"workload built in {time.perf_counter() - started:.1f} s")
        home = tmp / "hub"
        with running_hub(home) as hub:
            code, _ = hub.admin(admin.issue_enrol_code, "asha")
            enrol(store, hub.url, code, hub.fingerprint)
            cpu = hub.cpu_s()
            started = time.perf_counter()
            pushed = SyncClient(store).run()
            print(f"seed push: {pushed.pushed:,} changes in {time.perf_counter() - started:.1f} s"
                  f" (hub CPU {hub.cpu_s() - cpu:.1f} s, hub peak {hub.peak_mb():.0f} MB)")
        store.close()
        body = records_json(adviser_dir)
        (tmp / "records.json").write_bytes(body)
        records = len(json.loads(body))
        print(f"{records:,} records, {len(body) / 1e6:.1f} MB as plain JSON")

        raw_proc = subprocess.Popen(
            [sys.executable, "-m", "bench.bench_sync_first", "--raw-server",
             str(tmp / "records.json")], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert raw_proc.stdout is not None
        raw_url = f"http://127.0.0.1:{raw_proc.stdout.readline().strip()}/"
        syncs: list[dict[str, float]] = []
        raws: list[float] = []
        pouches: list[dict[str, float]] = []
        pouchdb = args.pouchdb or next((p for p in POUCHDB_CANDIDATES if p.exists()), None)
        use_pouch = not args.no_pouchdb and pouchdb is not None
        if not use_pouch:
            print("PouchDB peer not run")
        try:
            with running_hub(home, setup=False) as hub:
                kinds = ["sync", "raw", *(["pouchdb"] if use_pouch else [])]
                for r in range(args.rounds):
                    order = kinds[r % len(kinds):] + kinds[: r % len(kinds)]
                    for kind in order:
                        if kind == "sync":
                            syncs.append(timed_sync(hub, tmp / f"mo{r}"))
                            print(f"  round {r + 1} sync    {syncs[-1]['seconds']:.2f} s "
                                  f"({int(syncs[-1]['pulled']):,} pulled)", flush=True)
                        elif kind == "raw":
                            seconds, size = raw_copy(raw_url)
                            assert size == len(body)
                            raws.append(seconds)
                            print(f"  round {r + 1} raw     {seconds:.3f} s", flush=True)
                        else:
                            assert pouchdb is not None
                            pouches.append(pouchdb_round(pouchdb, args.young_people))
                            print(f"  round {r + 1} pouchdb "
                                  f"{pouches[-1].get('first_repl_large_s', 0):.2f} s", flush=True)
                hub_peak = hub.peak_mb()
        finally:
            raw_proc.terminate()
            raw_proc.wait()

    sync_s = _med([x["seconds"] for x in syncs])
    raw_s = _med(raws)
    print(f"first team sync : median {sync_s:.2f} s  (runs {_runs([x['seconds'] for x in syncs])})")
    print(f"  CPU: client {_med([x['cpu'] for x in syncs]):.2f} s, "
          f"hub {_med([x['hub_cpu'] for x in syncs]):.2f} s (wall time on a busy machine is "
          "mostly waiting for a core)")
    print(f"raw HTTP copy   : median {raw_s:.3f} s  (runs {_runs(raws)}; {len(body) / 1e6:.1f} MB)")
    print(f"sync / raw      : {sync_s / raw_s:.1f}x   (goal <= 25x)")
    if pouches:
        pouch_s = _med([p["first_repl_large_s"] for p in pouches])
        print(f"PouchDB first   : median {pouch_s:.2f} s  "
              f"(runs {_runs([p['first_repl_large_s'] for p in pouches])}; its raw copy "
              f"{_med([p['raw_copy_s'] for p in pouches]):.3f} s, its ratio "
              f"{_med([p['first_repl_large_over_raw_copy_ratio'] for p in pouches]):.0f}x)")
        print(f"sync / PouchDB  : {sync_s / pouch_s:.2f}x   (goal <= 0.2x)")
    print(f"peak memory     : client {max(x['peak_mb'] for x in syncs):.0f} MB, hub "
          f"{hub_peak:.0f} MB   (goal < 300 MB each; VmHWM of each process. The client's "
          f"getrusage maxrss says {max(x['maxrss_mb'] for x in syncs):.0f} MB: on Linux it "
          "keeps the parent's peak across fork and exec)")
    if pouches:
        client_mb = _med([p["first_repl_large_client_peak_rss_mb"] for p in pouches])
        print(f"  PouchDB client {client_mb:.0f} MB, "
              f"server {_med([p['server_peak_rss_mb'] for p in pouches]):.0f} MB")


if __name__ == "__main__":
    main()
