"""Encrypted (SQLCipher) versus plain SQLite on the app's own mix of work.

    .venv/bin/python -m bench.bench_store [--young-people 1200] [--rounds 30]

Builds a demo store (or reuses --store), makes a plaintext copy of its database with
``sqlcipher_export`` in a temp folder (fictional data, deleted afterwards), and runs the same mix
on both: load the caseload, load one young person's whole record, append a contact note.
Goal: encrypted at most 1.25x plain. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from models.crypto.keyfile import KdfParams
from models.db import make_engine
from models.demo.generate import generate_demo
from models.hlc import HybridClock
from models.repo import notes
from models.repo.whole_record import load_record
from models.repo.young_people import caseload
from models.store import Store

PASSPHRASE = "benchmark passphrase only"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def one_round(make_session, target: str) -> dict[str, float]:
    """The app's mix once: load the caseload, open one young person, append a note."""
    times = {}
    with make_session() as s:
        times["caseload"] = _timed(lambda: caseload(s))
        times["record"] = _timed(lambda: load_record(s, target))

    def append() -> None:
        with make_session() as s:
            notes.add_note(
                s,
                target,
                kind="phone",
                occurred_at=datetime.now(UTC),
                summary="Benchmark call",
                narrative="Checked in by phone.",
            )
            s.commit()

    times["append note"] = _timed(append)
    return times


def run_mix(makers: dict[str, object], ids: list[str], rounds: int, seed: int = 3):
    """Alternate the stores round by round so background load hits each alike."""
    rng = random.Random(seed)
    out: dict[str, dict[str, list[float]]] = {name: {} for name in makers}
    for _ in range(rounds):
        target = rng.choice(ids)
        for name, make_session in makers.items():
            for op, t in one_round(make_session, target).items():
                out[name].setdefault(op, []).append(t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--young-people", type=int, default=1200)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--store", type=Path, help="build into / reuse this folder (kept afterwards)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp) / "store"
        if not (folder / "key.json").exists():
            t = time.perf_counter()
            with Store.create(folder, PASSPHRASE, owner_name="Bench", kdf=KdfParams()) as st:
                generate_demo(st, young_people=args.young_people, seed=11)
            print(f"built demo store of {args.young_people} in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        store = Store.open(folder, PASSPHRASE)
        print(f"unlock (Argon2id + open): {time.perf_counter() - t:.3f} s")
        plain_path = Path(tmp) / "plain.db"
        with store.engine.connect() as conn:
            conn.exec_driver_sql(f"ATTACH DATABASE '{plain_path}' AS plaintext KEY ''")
            conn.exec_driver_sql("SELECT sqlcipher_export('plaintext')")
            conn.commit()  # DETACH is refused inside the transaction
            conn.exec_driver_sql("DETACH DATABASE plaintext")
        with store.reader() as s:
            ids = [r.id for r in caseload(s)]
        info = {"actor": "Bench", "clock": HybridClock("bench")}
        # The same SQLite build (sqlcipher3) with no key isolates what encryption costs; the
        # standard library's SQLite (another version) is shown for reference.
        same_build = make_engine(plain_path, None)
        plain_engine = make_engine(plain_path, None, module=sqlite3)
        makers = {
            name: (lambda m=sessionmaker(engine, expire_on_commit=False): m(info=info))
            for name, engine in (
                ("encrypted", store.engine),
                ("plain, same build", same_build),
                ("plain, stdlib", plain_engine),
            )
        }
        run_mix(makers, ids, 3)  # warm caches on all
        res = run_mix(makers, ids, args.rounds)
        print(f"\n{len(ids)} young people, {args.rounds} rounds alternated, median ms")
        names = list(makers)
        print(f"{'operation':<14}" + "".join(f"{n:>20}" for n in names) + "   ratio to same build")
        totals = dict.fromkeys(names, 0.0)
        for op in res["encrypted"]:
            meds = {n: statistics.median(res[n][op]) * 1000 for n in names}
            for n in names:
                totals[n] += meds[n]
            ratio = meds["encrypted"] / meds["plain, same build"]
            print(f"{op:<14}" + "".join(f"{meds[n]:>20.2f}" for n in names) + f"   {ratio:.2f}x")
        ratio = totals["encrypted"] / totals["plain, same build"]
        print(
            f"{'whole mix':<14}"
            + "".join(f"{totals[n]:>20.2f}" for n in names)
            + f"   {ratio:.2f}x (goal <= 1.25x)"
        )
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        print(f"store folder: {size / 1e6:.1f} MB")
        plain_engine.dispose()
        store.close()


if __name__ == "__main__":
    main()
