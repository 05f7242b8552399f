"""The team dashboard on a big store: figures, drill-down, the birthday-return worklist.

    .venv/bin/python -m bench.bench_dashboard [--store DIR] [--rounds 10]

DIR is a demo store made with the benchmark passphrase (``python -m bench.bench_store --store
DIR`` builds a 1,200-person one with five years of notes); without it one is built in a temp
folder (minutes). A store made before care-leaver facts existed gets demo recordings first.
Goals (issue 11): the dashboard under 0.5 s; a drill-down under 100 ms. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bench.bench_store import PASSPHRASE
from models.birthday_return import return_csv, worklist
from models.crypto.keyfile import KdfParams
from models.demo.generate import generate_demo
from models.demo.return_facts import record_birthday_facts
from models.repo.dashboard import people_facts
from models.repo.young_people import load_profile
from models.schema import CareLeaverFacts, ContactNote, YoungPerson
from models.store import Store
from models.team_figures import dashboard, drill_down


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def _add_facts(store: Store, today: date) -> int:
    made = 0
    with store.session() as s:
        for i, yp in enumerate(
            s.scalars(select(YoungPerson).where(YoungPerson.deleted.is_(False)))
        ):
            profile = {
                "date_of_birth": yp.date_of_birth,
                "eet_status": yp.eet_status,
                "accommodation_type": yp.accommodation_type,
                "accommodation_suitable": yp.accommodation_suitable,
                "in_custody": yp.in_custody,
            }
            made += record_birthday_facts(s, random.Random(f"bench/{i}"), yp.id, profile, today)
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path)
    ap.add_argument("--young-people", type=int, default=1200)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp) / "store"
        if not (folder / "key.json").exists():
            t = time.perf_counter()
            with Store.create(folder, PASSPHRASE, owner_name="Bench", kdf=KdfParams()) as st:
                generate_demo(st, young_people=args.young_people, seed=11)
            print(f"built demo store of {args.young_people} in {time.perf_counter() - t:.1f} s")
        with Store.open(folder, PASSPHRASE) as store:
            with store.reader() as s:
                has_facts = s.scalar(select(func.count()).select_from(CareLeaverFacts))
            if not has_facts:
                print(f"added {_add_facts(store, today)} demo care-leaver recordings")
            with store.reader() as s:
                people = s.scalar(select(func.count()).select_from(YoungPerson))
                notes = s.scalar(select(func.count()).select_from(ContactNote))
                recordings = s.scalar(select(func.count()).select_from(CareLeaverFacts))
            print(f"{people} young people, {notes} contact notes, {recordings} recordings")

            read, compute, total, cpu, cpu_read = [], [], [], [], []
            for _ in range(args.rounds + 1):
                c0 = time.process_time()
                t0 = time.perf_counter()
                with store.reader() as s:
                    facts = people_facts(s, today)
                t1 = time.perf_counter()
                cpu_read.append(time.process_time() - c0)
                board = dashboard(facts, today)
                t2 = time.perf_counter()
                read.append(t1 - t0)
                compute.append(t2 - t1)
                total.append(t2 - t0)
                cpu.append(time.process_time() - c0)
            print(f"\ndashboard, first after opening   {_ms(total[0])}")
            print(
                f"dashboard, median of {args.rounds:<3}        {_ms(statistics.median(total[1:]))}"
                f"   (read {_ms(statistics.median(read[1:]))}, "
                f"figures {_ms(statistics.median(compute[1:]))})"
            )
            best, worst = _ms(min(total[1:])), _ms(max(total[1:]))
            print(f"dashboard, best / worst          {best} / {worst}   goal 500 ms")
            print(
                f"dashboard, CPU time median / best {_ms(statistics.median(cpu[1:]))} / "
                f"{_ms(min(cpu[1:]))} (read {_ms(min(cpu_read[1:]))}): this process's own "
                "time, what wall time is on an idle machine"
            )
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

            drills = []
            for figure_set in (board.team, *board.advisers):
                for figure in figure_set.figures:
                    t0 = time.perf_counter()
                    drill_down(board, figure)
                    drills.append(time.perf_counter() - t0)
            biggest = max(board.team.figures, key=lambda f: f.count)
            print(
                f"\ndrill-down, {len(drills)} figures: worst {_ms(max(drills))}"
                f" (biggest list: {biggest.label}, {biggest.count})   goal 100 ms"
            )
            target = biggest.ids[0]
            opens = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                with store.reader() as s:
                    load_profile(s, target, today)
                opens.append(time.perf_counter() - t0)
            print(f"a young person's profile from the list, median {_ms(statistics.median(opens))}")

            t0 = time.perf_counter()
            rows = worklist(facts, today)
            text = return_csv(rows)
            print(
                f"\nreturn worklist + CSV ({len(rows)} rows, {len(text)} bytes) "
                f"{_ms(time.perf_counter() - t0)}"
            )
            print("\nteam figures:")
            for f in board.team.figures:
                of = f" of {f.of}" if f.of is not None else ""
                print(f"  {f.label:<52}{f.count:>5}{of}")
            print("\nper adviser (aged 16-24, visits overdue, no contact 8 weeks):")
            for a in board.advisers:
                band = sum(a[k].count for k in ("age_16_17", "age_18_20", "age_21_24"))
                print(
                    f"  {a.title:<28}{band:>5}{a['visit_overdue'].count:>5}"
                    f"{a['no_contact_8_weeks'].count:>5}"
                )


if __name__ == "__main__":
    main()
