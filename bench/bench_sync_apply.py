"""A team's first sync: reading ~36,000 changes (200 young people) out of a store, decoding them,
and applying them into an empty one.

    .venv/bin/python -m bench.bench_sync_apply [--young-people 200] [--rounds 3] [--store DIR]

Builds a demo store of 200 young people (or uses --store), then times:
- ``changes_since``: the whole change log read out of that store, in one call and in pages of
  1,000 (what the hub's pull, or a first push, reads);
- the pages as JSON bytes, as they arrive (the "download", written to a file); then, round by
  round, in a fresh process (so its peak memory is the client's own) into a fresh empty encrypted
  store: ``json.loads`` of each page (decode) and ``apply_remote`` (the real path: checks,
  per-field merge, conflicts, change log, clock), each page one transaction, as a pull applies
  them;
- ``executemany``: a plain ``INSERT`` of the same rows, table by table, in one transaction.
Goal (the sync issue): decode + apply well under 2 s on the 2-core development machine, and the
client's peak memory under 300 MB. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from models import merge
from models.crypto.keyfile import KdfParams
from models.demo.generate import generate_demo
from models.merge_rows import INSERT_ORDER
from models.registry import RECORD_TYPES, Kind, split_element
from models.store import Store

PASSPHRASE = "benchmark passphrase only"
PAGE = 1000


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (POSIX only: ``None`` elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        # Linux: ru_maxrss keeps the parent's peak across fork and exec, VmHWM does not.
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes / KiB


def _plain_rows(changes: list[merge.Change]) -> dict[str, list[dict]]:
    """The rows the changes make, as storage values, per table (what a bare insert writes)."""
    rows: dict[str, dict[str, dict]] = {}
    for c in changes:
        rt = RECORD_TYPES[c.table]
        row = rows.setdefault(c.table, {}).setdefault(c.row_id, {"id": c.row_id, "stamps": {}})
        for key, (value, stamp, _b) in c.fields.items():
            name, element = split_element(key)
            row["stamps"][key] = stamp
            spec = rt.fields[name]
            if element is not None:
                if spec.kind is Kind.FLAGS:
                    row.setdefault(name, {})[element] = value
                elif value:
                    row.setdefault(name, []).append(element)
            else:
                row[name] = value
    out = {}
    for table, by_id in rows.items():
        columns = merge.storage_defaults(table)
        json_columns = ("stamps", "languages", "custody_checklist", "snapshot")
        out[table] = [
            {
                col: (json.dumps(r[col]) if col in json_columns else r[col])
                if col in r
                else default
                for col, default in columns.items()
            }
            for r in by_id.values()
        ]
    return out


def plain_insert(store: Store, rows: dict[str, list[dict]]) -> float:
    start = time.perf_counter()
    with store.engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        cur = raw.cursor()
        for table in INSERT_ORDER:
            batch = rows.get(table)
            if not batch:
                continue
            cols = list(batch[0])
            sql = (
                f"INSERT INTO {table} ({', '.join(cols)}) "  # noqa: S608 - fixed names
                f"VALUES ({', '.join('?' for _ in cols)})"
            )
            cur.executemany(sql, [tuple(r[c] for c in cols) for r in batch])
    return time.perf_counter() - start


def read_log(store: Store) -> tuple[list[merge.Change], float, float]:
    """The whole log, read in one call and in pages; both times."""
    with store.reader() as s:
        start = time.perf_counter()
        changes, _ = merge.changes_since(s, 0)
        whole = time.perf_counter() - start
    with store.reader() as s:
        start = time.perf_counter()
        after, paged = 0, 0
        while True:
            page, after = merge.changes_since(s, after, limit=PAGE)
            if not page:
                break
            paged += len(page)
        by_page = time.perf_counter() - start
    assert paged == len(changes)
    return changes, whole, by_page


def client(pages_file: Path, folder: Path) -> None:
    """One first sync as the client sees it: decode each downloaded page, apply it. Prints one
    JSON line of figures (run in its own process, so its peak memory is the client's)."""
    with Store.create(
        folder, PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
    ) as dst:
        base = peak_rss_mb()
        decode = apply = apply_cpu = 0.0
        with open(pages_file, "rb") as fh:
            for line in fh:
                start = time.perf_counter()
                page = json.loads(line)
                mid, mid_cpu = time.perf_counter(), time.process_time()
                with dst.session() as s:
                    merge.apply_remote(s, page, source="hub")
                decode += mid - start
                apply += time.perf_counter() - mid
                apply_cpu += time.process_time() - mid_cpu
    print(
        json.dumps(
            {
                "decode": decode,
                "apply": apply,
                "apply_cpu": apply_cpu,
                "base_rss": base,
                "peak_rss": peak_rss_mb(),
            }
        )
    )


def _runs(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} s  (runs {', '.join(f'{x:.2f}' for x in values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--client", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(*args.client)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source_dir = args.store or Path(tmp) / "source"
        if args.store is None:
            with Store.create(
                source_dir, PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
            ) as src:
                generate_demo(src, young_people=args.young_people, seed=3)
        reads: list[tuple[float, float]] = []
        with Store.open(source_dir, PASSPHRASE) as src:
            for _ in range(args.rounds):
                changes, whole, by_page = read_log(src)
                reads.append((whole, by_page))
        pages_file = Path(tmp) / "pages.jsonl"
        with open(pages_file, "wb") as fh:
            for i in range(0, len(changes), PAGE):
                page = [c.to_json() for c in changes[i : i + PAGE]]
                fh.write(json.dumps(page).encode() + b"\n")
        rows = _plain_rows(changes)
        records = sum(len(v) for v in rows.values())
        print(
            f"{len(changes):,} changes, {records:,} records, "
            f"{pages_file.stat().st_size / 1e6:.1f} MB as JSON in {-(-len(changes) // PAGE)} pages"
        )
        del changes
        decoded, applied, applied_cpu, plain, peaks = [], [], [], [], []
        for r in range(args.rounds):
            for kind in ("apply", "plain") if r % 2 == 0 else ("plain", "apply"):
                folder = Path(tmp) / f"{kind}{r}"
                if kind == "apply":
                    out = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "bench.bench_sync_apply",
                            "--client",
                            str(pages_file),
                            str(folder),
                        ],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                    figures = json.loads(out.strip().splitlines()[-1])
                    decoded.append(figures["decode"])
                    applied.append(figures["apply"])
                    applied_cpu.append(figures["apply_cpu"])
                    peaks.append((figures["base_rss"], figures["peak_rss"]))
                    continue
                with Store.create(
                    folder, PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
                ) as dst:
                    plain.append(plain_insert(dst, rows))
        whole_read = [w for w, _ in reads]
        paged_read = [p for _, p in reads]
        total = [d + a for d, a in zip(decoded, applied, strict=True)]
        print(f"changes_since, whole log : {_runs(whole_read)}")
        print(f"changes_since, by pages  : {_runs(paged_read)}")
        print(f"decode (json.loads)      : {_runs(decoded)}")
        print(f"apply_remote             : {_runs(applied)}")
        print(f"apply_remote, CPU time   : {_runs(applied_cpu)}   (the machine's load aside)")
        print(f"decode + apply           : {_runs(total)}   (goal well under 2 s)")
        print(f"executemany              : {_runs(plain)}")
        ratio = statistics.median(applied) / statistics.median(plain)
        print(f"ratio apply / executemany: {ratio:.2f}x")
        if peaks[0][1] is not None:
            print(
                "client peak RSS          : "
                + ", ".join(f"{p:.0f} MB (store open: {b:.0f} MB)" for b, p in peaks)
                + "   (goal < 300 MB)"
            )


if __name__ == "__main__":
    main()
