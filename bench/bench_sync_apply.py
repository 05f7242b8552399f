"""A team's first sync: applying ~34,000 records (200 young people) into an empty store.

    .venv/bin/python -m bench.bench_sync_apply [--young-people 200] [--rounds 3] [--store DIR]

Builds a demo store of 200 young people (or uses --store), reads its whole change log as the
changes a hub would send, then, round by round, into a fresh empty encrypted store:
- ``apply_remote``: the real path (checks, per-field merge, conflicts, change log, clock), in
  pages of 1,000 changes, each page one transaction, as a pull applies them;
- ``executemany``: a plain ``INSERT`` of the same rows, table by table, in one transaction.
Goal: apply at most 3x the plain insert, and under 2 s on the 2-core development machine.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from models import merge
from models.crypto.keyfile import KdfParams
from models.demo.generate import generate_demo
from models.registry import RECORD_TYPES, Kind, split_element
from models.store import Store

PASSPHRASE = "benchmark passphrase only"
PAGE = 1000


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


ORDER = (
    "young_people",
    "team_services",
    "plans",
    "plan_sections",
    "plan_actions",
    "plan_versions",
    "contact_notes",
    "documents",
    "memory_items",
    "key_dates",
    "important_people",
)


def plain_insert(store: Store, rows: dict[str, list[dict]]) -> float:
    start = time.perf_counter()
    with store.engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        cur = raw.cursor()
        for table in ORDER:
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


def apply_all(store: Store, payload: list[dict]) -> float:
    start = time.perf_counter()
    for i in range(0, len(payload), PAGE):
        with store.session() as s:
            merge.apply_remote(s, payload[i : i + PAGE], source="hub")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source_dir = args.store or Path(tmp) / "source"
        if args.store is None:
            with Store.create(
                source_dir, PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
            ) as src:
                generate_demo(src, young_people=args.young_people, seed=3)
        with Store.open(source_dir, PASSPHRASE) as src, src.reader() as s:
            changes, _ = merge.changes_since(s, 0)
        payload = [c.to_json() for c in changes]
        rows = _plain_rows(changes)
        records = sum(len(v) for v in rows.values())
        print(
            f"{len(payload):,} changes, {records:,} records, "
            f"{len(json.dumps(payload)) / 1e6:.1f} MB as JSON"
        )
        applied, plain = [], []
        for r in range(args.rounds):
            for kind in ("apply", "plain") if r % 2 == 0 else ("plain", "apply"):
                folder = Path(tmp) / f"{kind}{r}"
                with Store.create(
                    folder, PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
                ) as dst:
                    if kind == "apply":
                        applied.append(apply_all(dst, payload))
                    else:
                        plain.append(plain_insert(dst, rows))
        a, p = statistics.median(applied), statistics.median(plain)
        print(f"apply_remote : median {a:.2f} s  (runs {', '.join(f'{x:.2f}' for x in applied)})")
        print(f"executemany  : median {p:.2f} s  (runs {', '.join(f'{x:.2f}' for x in plain)})")
        print(f"ratio        : {a / p:.2f}x   (goal <= 3x, and apply < 2 s)")


if __name__ == "__main__":
    main()
