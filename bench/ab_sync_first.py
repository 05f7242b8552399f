"""Two checkouts' first team sync, side by side: alternating pairs against one hub.

    .venv/bin/python -m bench.ab_sync_first CHECKOUT_A CHECKOUT_B [--pairs 6]

Wall times on a small shared machine drift by a third within minutes; a change worth 10% only
shows when runs alternate. Each checkout needs its own ``.venv`` (``make setup``). The hub,
its workload and the raw figures come from this checkout (``bench.bench_sync_first``); each
sync runs ``bench.bench_sync_first``'s client in the other checkout's own interpreter, in the
order A B, B A, A B, … Prints each run, both medians and the pairwise differences.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.sync_workload import HubForBench, fill, new_store, running_hub
from sync.client import SyncClient, enrol
from sync.hub import admin


def sync_with(checkout: Path, hub: HubForBench, folder: Path) -> dict[str, float]:
    code, _ = hub.admin(admin.issue_enrol_code, "mo")
    hub_cpu = hub.cpu_s()
    out = subprocess.run(
        [str(checkout / ".venv" / "bin" / "python"), "-m", "bench.bench_sync_first", "--client",
         json.dumps([str(folder), hub.url, code, hub.fingerprint])],
        check=True, capture_output=True, text=True, cwd=checkout)
    result = json.loads([ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1])
    result["hub_cpu"] = hub.cpu_s() - hub_cpu
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--young-people", type=int, default=200)
    args = parser.parse_args()
    checkouts = {"A": args.a.resolve(), "B": args.b.resolve()}
    os.environ["PATHWAY_HUB_ENROL_ATTEMPTS_PER_CLIENT"] = "1000"  # one enrolment a run
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store = new_store(tmp / "asha", "asha")
        fill(store, args.young_people)
        home = tmp / "hub"
        with running_hub(home) as hub:
            code, _ = hub.admin(admin.issue_enrol_code, "asha")
            enrol(store, hub.url, code, hub.fingerprint)
            SyncClient(store).run()
        store.close()
        runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
        with running_hub(home, setup=False) as hub:
            for i in range(args.pairs):
                for name in ("A", "B") if i % 2 == 0 else ("B", "A"):
                    r = sync_with(checkouts[name], hub, tmp / f"{name}{i}")
                    runs[name].append(r)
                    print(f"{name} {r['seconds']:.2f} s  client CPU {r['cpu']:.2f} s  "
                          f"hub CPU {r['hub_cpu']:.2f} s", flush=True)
    for name, found in runs.items():
        print(f"{name} ({checkouts[name]}): median "
              f"{statistics.median(r['seconds'] for r in found):.2f} s, client CPU "
              f"{statistics.median(r['cpu'] for r in found):.2f} s")
    diffs = [a["seconds"] - b["seconds"] for a, b in zip(runs["A"], runs["B"], strict=True)]
    print("A - B per pair:", ", ".join(f"{d:+.2f}" for d in diffs),
          f"(median {statistics.median(diffs):+.2f} s)")


if __name__ == "__main__":
    main()
