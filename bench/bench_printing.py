"""Benchmark printing: a full plan, a 100-photo keepsake book, a five-year records export.

Run from the repository root::

    .venv/bin/python -m bench.bench_printing

Goals (issue 4): a full plan with six photos under 0.5 s; a keepsake book of 100 photos under
5 s; the export of a young person with five years of records under 10 s. Everything lives in
a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from desktop.printing import export_young_person, render_keepsake
from desktop.printing.jobs import plan_pdf_bytes
from models.crypto.keyfile import KdfParams
from models.repo import files, plans
from models.repo import young_people as yp
from models.repo.whole_record import load_record
from models.store import Store

GOALS = {"plan": 0.5, "keepsake": 5.0, "export": 10.0}
TODAY = date(2026, 11, 20)
TEXT = (
    "I am doing well at college and go to the gym twice a week. My friends from the mosque "
    "help me a lot, and I call my cousin in Manchester when I feel lonely. "
)


def photo(rng: random.Random, size=(1600, 1200)) -> bytes:
    """A phone-sized JPEG (about 150-300 KB) that is not trivially compressible."""
    img = Image.new("RGB", size, tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(20, 200)
        draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(0, 255) for _ in range(3))
        )
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def make_person(store: Store, rng: random.Random, *, photos: int, years: int) -> str:
    with store.session() as s:
        yp_id = yp.create_young_person(
            s,
            legal_name="Maryam Hassan",
            preferred_name="مريم حسن",
            date_of_birth=date(2003, 3, 2),
            allocated_pa="Priya Sandhu",
            allocated_pa_phone="07700 900102",
            uasc=True,
        )
        plans.update_plan(s, yp_id, life_summary=TEXT * 4, review_date=date(2027, 3, 15))
        for m in plans.Matter:
            plans.update_section(s, yp_id, m.value, strengths=TEXT * 2, goals=TEXT)
            for k in range(3):
                plans.add_action(
                    s,
                    yp_id,
                    m.value,
                    who="Priya (PA)",
                    what=f"Step {k + 1} for {m.label.lower()}: book and go together",
                    by_when=TODAY + timedelta(days=30 * k),
                )
        for i in range(4):
            yp.add_person(
                s,
                yp_id,
                name=f"Person {i}",
                relationship="Friend",
                how_to_contact="07700 900000",
                is_emergency_contact=i == 0,
            )
        for v in range(years * 2):
            plans.agree_plan(s, yp_id, agreed_on=TODAY - timedelta(days=182 * (years * 2 - v)))
    blobs = store.blob_store()
    cover = None
    with store.session() as s:
        for i in range(photos):
            info = blobs.put_bytes(photo(rng))
            cover = cover or info.sha256
            files.add_memory(
                s,
                yp_id,
                kind="photo",
                blob=info,
                filename=f"p{i}.jpg",
                caption=f"A day to remember, number {i + 1}",
                memory_date=TODAY - timedelta(days=17 * i),
            )
        yp.update_young_person(s, yp_id, cover_photo_sha256=cover)
    return yp_id


def add_five_years(store: Store, rng: random.Random, yp_id: str, years: int) -> None:
    from models.repo import notes

    blobs = store.blob_store()
    with store.session() as s:
        start = datetime(TODAY.year - years, TODAY.month, 1, 10, tzinfo=UTC)
        for i in range(years * 120):  # about ten contacts a month
            notes.add_note(
                s,
                yp_id,
                kind=rng.choice(["home_visit", "phone", "whatsapp"]),
                occurred_at=start + timedelta(days=i * 3),
                summary="Contact",
                narrative=TEXT * 3,
            )
        for i in range(years * 8):
            data = b"%PDF-1.4\n" + rng.randbytes(80_000)
            info = blobs.put_bytes(data)
            files.add_document(
                s,
                yp_id,
                blob=info,
                filename=f"letter-{i}.pdf",
                title=f"Letter {i}",
                category="letter",
                added_by_name="Priya Sandhu",
            )


def timed(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    rng = random.Random(4)
    rows = []
    with tempfile.TemporaryDirectory(prefix="pathway-bench-print-") as tmp:
        work = Path(tmp)
        store = Store.create(
            work / "store",
            "benchmark passphrase",
            owner_name="Bench",
            kdf=KdfParams.fast_for_tests(),
        )
        with store:
            plan_id = make_person(store, rng, photos=6, years=1)
            plan_pdf_bytes(store, plan_id, "standard", TODAY)  # warm up fonts
            for variant in ("standard", "large", "easy", "professional"):
                seconds = timed(lambda v=variant: plan_pdf_bytes(store, plan_id, v, TODAY))
                rows.append((f"plan, {variant}, six photos in store", seconds, GOALS["plan"]))

            book_id = make_person(store, rng, photos=100, years=1)
            with store.reader() as s:
                record = load_record(s, book_id, TODAY)
            blobs = store.blob_store()
            seconds = timed(lambda: render_keepsake(record, blobs.read_bytes, io.BytesIO()), 1)
            rows.append(("keepsake book, 100 photos", seconds, GOALS["keepsake"]))

            years = 5
            export_id = make_person(store, rng, photos=60, years=years)
            add_five_years(store, rng, export_id, years)
            target = work / "export.zip"
            seconds = timed(lambda: export_young_person(store, export_id, target), 1)
            size = target.stat().st_size / 1e6
            rows.append(
                (
                    f"export, {years} years ({years * 120} notes, 60 photos, "
                    f"{years * 8} documents, {size:.0f} MB)",
                    seconds,
                    GOALS["export"],
                )
            )
    print(f"{'benchmark':<66} {'seconds':>8} {'goal':>6}")
    failed = 0
    for name, seconds, goal in rows:
        ok = seconds < goal
        failed += not ok
        print(f"{name:<66} {seconds:>8.3f} {goal:>6.1f}  {'ok' if ok else 'SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
