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


def run_mix(make_session, ids: list[str], rounds: int, seed: int = 3) -> dict[str, list[float]]:
    rng = random.Random(seed)
    out: dict[str, list[float]] = {"caseload": [], "record": [], "append note": []}
    for _ in range(rounds):
        target = rng.choice(ids)
        with make_session() as s:
            out["caseload"].append(_timed(lambda: caseload(s)))  # noqa: B023
            out["record"].append(_timed(lambda: load_record(s, target)))  # noqa: B023

        def append(target: str = target) -> None:
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

        out["append note"].append(_timed(append))
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
        enc_sessions = sessionmaker(store.engine, expire_on_commit=False)
        plain_engine = make_engine(plain_path, None)
        plain_sessions = sessionmaker(plain_engine, expire_on_commit=False)
        info = {"actor": "Bench", "clock": HybridClock("bench")}

        def enc() -> object:
            return enc_sessions(info=info)

        def plain() -> object:
            return plain_sessions(info=info)

        run_mix(enc, ids, 3)  # warm caches on both
        run_mix(plain, ids, 3)
        enc_t = run_mix(enc, ids, args.rounds)
        plain_t = run_mix(plain, ids, args.rounds)
        print(f"\n{len(ids)} young people, {args.rounds} rounds, median ms")
        print(f"{'operation':<14}{'encrypted':>11}{'plain':>9}{'ratio':>8}")
        total_e = total_p = 0.0
        for op in enc_t:
            e, p = statistics.median(enc_t[op]) * 1000, statistics.median(plain_t[op]) * 1000
            total_e, total_p = total_e + e, total_p + p
            print(f"{op:<14}{e:>11.2f}{p:>9.2f}{e / p:>7.2f}x")
        ratio = total_e / total_p
        print(f"{'whole mix':<14}{total_e:>11.2f}{total_p:>9.2f}{ratio:>7.2f}x  (goal <= 1.25x)")
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        print(f"store folder: {size / 1e6:.1f} MB")
        plain_engine.dispose()
        store.close()


if __name__ == "__main__":
    main()
