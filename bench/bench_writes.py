"""The app's write mix, to compare the store with and without the change log.

    .venv/bin/python -m bench.bench_writes [--rounds 300] [--json]

On a fresh encrypted store with 50 young people, each round is what an adviser's day is made
of, one transaction each: append a contact note, change a profile field, edit a plan section,
add a plan action, save a draft. Prints the median per operation and for the whole round.

To compare with a version before the change log, run the same file against that checkout:
``PYTHONPATH=<old checkout> .venv/bin/python bench/bench_writes.py`` (it uses only the repo
functions both versions share). Goal: with the change log at most 1.1x without. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from models.crypto.keyfile import KdfParams
from models.repo import drafts, notes, plans
from models.repo import young_people as yp
from models.store import Store

PASSPHRASE = "benchmark passphrase only"
MATTERS = ("health", "identity", "accommodation", "education_training")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(
            Path(tmp) / "s", PASSPHRASE, owner_name="Bench", kdf=KdfParams.fast_for_tests()
        )
        with store.session() as s:
            people = [
                yp.create_young_person(s, legal_name=f"Person {i}", date_of_birth=date(2006, 1, 1))
                for i in range(50)
            ]
            for ident in people:
                plans.update_plan(s, ident, life_summary="Summary")
        ops = {
            "note": lambda i, p: notes.add_note(
                s_(),
                p,
                kind="phone",
                occurred_at=datetime.now(UTC),
                summary=f"Call {i}",
                narrative="Talked about college, money and the flat. " * 8,
            ),
            "profile": lambda i, p: yp.update_young_person(s_(), p, phone=f"0115 {i:07d}"),
            "section": lambda i, p: plans.update_section(
                s_(), p, rng.choice(MATTERS), strengths=f"Going well {i} " * 20
            ),
            "action": lambda i, p: plans.add_action(s_(), p, "health", who="PA", what=f"Do {i}"),
            "draft": lambda i, p: drafts.save_draft(s_(), f"note:{p}", {"summary": f"typing {i}"}),
        }
        current = {}

        def s_():
            return current["s"]

        times: dict[str, list[float]] = {k: [] for k in ops}
        rounds = []
        for i in range(args.rounds):
            total = 0.0
            for name, op in ops.items():
                person = rng.choice(people)
                start = time.perf_counter()
                with store.session() as s:
                    current["s"] = s
                    op(i, person)
                took = time.perf_counter() - start
                times[name].append(took)
                total += took
            rounds.append(total)
        store.close()
    figures = {k: statistics.median(v) * 1000 for k, v in times.items()}
    figures["round"] = statistics.median(rounds) * 1000
    if args.json:
        print(json.dumps(figures))
        return
    for name, ms in figures.items():
        print(f"{name:8s} {ms:7.2f} ms (median of {args.rounds})")


if __name__ == "__main__":
    main()
