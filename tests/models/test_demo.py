"""The demo caseload: realistic, varied, deterministic, and never readable on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.birthday_return import ReturnKind, ReturnStatus
from models.demo.generate import generate_demo
from models.repo.dashboard import load_return_worklist
from models.repo.whole_record import load_record
from models.repo.young_people import caseload, list_people
from models.store import Store
from tests.factories import make_store

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    store = make_store(tmp_path_factory.mktemp("demo") / "store")
    generate_demo(store, young_people=30, seed=5, today=TODAY)
    yield store
    store.close()


def test_caseload_covers_every_circumstance_and_age_band(demo: Store) -> None:
    with demo.reader() as s:
        rows = caseload(s, TODAY)
    assert len(rows) == 30
    badges = {b for r in rows for b in r.circumstances}
    assert {"21plus", "uasc"} <= badges
    ages = [r.age for r in rows]
    assert min(ages) >= 15 and max(ages) <= 24
    assert any(not r.preferred_name.isascii() for r in rows)


def test_the_birthday_return_has_recordings_and_work_left(demo: Store) -> None:
    with demo.reader() as s:
        rows = load_return_worklist(s, TODAY)
    statuses = {r.status for r in rows}
    assert ReturnStatus.RECORDED in statuses
    assert statuses & {ReturnStatus.MISSING, ReturnStatus.NOT_YET_DUE}
    assert all(not r.problems for r in rows if r.status is ReturnStatus.RECORDED)


def test_the_22_to_25s_in_contact_mostly_have_this_years_facts(demo: Store) -> None:
    """A manager opening the demo sees a return to finish, not one nobody has started."""
    with demo.reader() as s:
        rows = [r for r in load_return_worklist(s, TODAY) if r.kind is ReturnKind.LATEST_CONTACT]
    statuses = [r.status for r in rows]
    assert statuses.count(ReturnStatus.RECORDED) > statuses.count(ReturnStatus.MISSING)
    assert ReturnStatus.TO_FIX not in statuses


def test_every_record_is_full(demo: Store) -> None:
    with demo.reader() as s:
        rows = caseload(s, TODAY)
        for row in rows[:5]:
            record = load_record(s, row.id, TODAY)
            assert 20 <= len(record.notes) <= 200
            assert all(sec.strengths and sec.goals and sec.actions for sec in record.plan.sections)
            assert record.plan.life_summary
            assert any(m.kind == "photo" and m.sha256 for m in record.memories)
            assert record.documents and all(
                d.media_type == "application/pdf" for d in record.documents
            )
            assert record.people and record.key_dates
    # The files really are JPEG photos and PDF documents.
    blobs = demo.blob_store()
    photo = next(m for m in record.memories if m.kind == "photo" and m.sha256)
    assert blobs.read_bytes(photo.sha256 or "").startswith(b"\xff\xd8\xff")
    assert blobs.read_bytes(record.documents[0].sha256 or "").startswith(b"%PDF")


def test_same_seed_same_caseload(tmp_path: Path) -> None:
    names = []
    for n in range(2):
        with make_store(tmp_path / f"s{n}") as store:
            generate_demo(store, young_people=4, seed=9, today=TODAY)
            with store.reader() as s:
                names.append(sorted((r.legal_name, r.date_of_birth) for r in caseload(s, TODAY)))
    assert names[0] == names[1]


def test_no_name_of_the_demo_caseload_is_in_any_byte_of_the_store(demo: Store) -> None:
    with demo.reader() as s:
        rows = caseload(s, TODAY)
        names = {r.legal_name for r in rows} | {r.preferred_name for r in rows}
        for r in rows:
            names |= {p.name for p in list_people(s, r.id)}
    # Long enough that a chance match in ciphertext is negligible (>= 6 bytes).
    needles = {n.encode("utf-8") for n in names if len(n.encode("utf-8")) >= 6}
    assert len(needles) > 30
    for path in demo.folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, f"a demo name is readable in {path.name}"
