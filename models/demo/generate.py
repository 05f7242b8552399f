"""Filling a store with a fictional but realistic caseload (``pathway-desk demo``).

Deterministic for a seed and a day. Ages 15-25 in every circumstance (custody, parent, UASC,
21Plus, not in education or work), names in many scripts, plans with all ten matters filled,
20-200 contact notes each, real generated photos and small PDFs in memory boxes and life-story
documents. Photos and PDFs come from a small pool so a 1,200-person store builds quickly;
the blob store keeps each distinct file once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from models.blobs import BlobInfo
from models.demo import circumstances, content, media, return_facts
from models.domain import (
    ActionStatus,
    AddedBy,
    Matter,
    MemoryKind,
    NoteKind,
)
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from models.repo import changes, files, plans, services
from models.repo import young_people as yp_repo
from models.rules import EetStatus, age_on
from models.schema import ContactNote
from models.store import Store

TEAM = (
    ("Demo Adviser", "07700 900101", "demo.adviser@example.org"),
    ("Priya Sandhu", "07700 900102", "priya.sandhu@example.org"),
    ("Tom Whitfield", "07700 900103", "tom.whitfield@example.org"),
    ("Grace Okafor", "07700 900104", "grace.okafor@example.org"),
    ("Marek Nowak", "07700 900105", "marek.nowak@example.org"),
)
PHOTO_POOL = 24
DOCUMENT_POOL = 10
NEET = [s for s in EetStatus if s.is_neet]
IN_EET = [s for s in EetStatus if not s.is_neet and s is not EetStatus.UNKNOWN]
NOTE_KIND_WEIGHTS = {  # how often advisers record each kind of contact
    NoteKind.CUSTODY_VISIT: 1,
    NoteKind.HOME_VISIT: 8,
    NoteKind.OUT_OF_AREA_VISIT: 2,
    NoteKind.PHONE: 8,
    NoteKind.VIDEO: 2,
    NoteKind.WHATSAPP: 6,
    NoteKind.EMAIL: 3,
    NoteKind.LETTER: 1,
    NoteKind.DROP_IN: 2,
    NoteKind.OTHER: 1,
}


@dataclass
class _Pool:
    photos: list[BlobInfo]
    pdfs: list[tuple[str, str, BlobInfo]]  # (category, title, blob)


def _make_pool(store: Store, rng: random.Random) -> _Pool:
    blobs = store.blob_store()
    photos = [blobs.put_bytes(media.make_photo_jpeg(rng)) for _ in range(PHOTO_POOL)]
    pdfs = []
    for _ in range(DOCUMENT_POOL):
        category, title, lines = content.document_spec(rng)
        pdfs.append((category, title, blobs.put_bytes(media.make_document_pdf(title, lines))))
    return _Pool(photos, pdfs)


def _dob_for_age(rng: random.Random, today: date, age_years: int) -> date:
    return today - relativedelta(years=age_years) - timedelta(days=rng.randrange(1, 365))


def _profile(rng: random.Random, today: date, index: int) -> dict[str, Any]:
    ident = content.pick_identity(rng)
    # 15-24 weighted where the service's numbers are: many 18-20, many 21-24.
    age = rng.choices(range(15, 25), weights=[3, 6, 7, 10, 10, 10, 9, 8, 7, 6])[0]
    dob = _dob_for_age(rng, today, age)
    pa = TEAM[index % len(TEAM)]
    in_custody = age >= 16 and rng.random() < 0.08
    eet = rng.choice(NEET) if rng.random() < 0.28 else rng.choice(IN_EET)
    accommodation, suitable = circumstances.accommodation(rng, age=age, uasc=ident.uasc)
    values: dict[str, Any] = {
        "legal_name": ident.legal_name,
        "preferred_name": ident.preferred_name,
        "date_of_birth": dob,
        "pronouns": ident.pronouns,
        "languages": list(ident.languages),
        "religion": ident.religion,
        "ethnicity": ident.ethnicity,
        "phone": f"07700 900{rng.randrange(200, 1000):03d}",  # Ofcom's drama range
        "email": f"young.person{index:05d}@example.org",
        "address": circumstances.address(rng),
        "legal_status": circumstances.legal_status(rng, age),
        "allocated_pa": pa[0],
        "allocated_pa_phone": pa[1],
        "allocated_pa_email": pa[2],
        "uasc": ident.uasc,
        "is_parent": age >= 17 and rng.random() < 0.1,
        "expecting_child": age >= 16 and rng.random() < 0.04,
        "twenty_one_plus_requested": age >= 21,
        "accommodation_type": "Custody" if in_custody else accommodation,
        "accommodation_suitable": None if in_custody else suitable,
        "eet_status": eet.value,
    }
    if age >= 16:
        sixteenth = dob + relativedelta(years=16)
        assessed = sixteenth + timedelta(days=rng.randrange(20, 80))
        values["needs_assessment_done"] = min(today, assessed)
    if in_custody:
        values.update(
            in_custody=True,
            prison=circumstances.prison(rng, age=age, gender=ident.gender),
            prison_number=f"A{rng.randrange(1000, 9999)}{rng.choice('BCDEFGH')}{rng.choice('AZ')}",
            release_date=today + timedelta(days=rng.randrange(14, 400)),
            release_accommodation_plan=circumstances.release_plan(rng),
            custody_checklist={"visit_8_weekly": True, "probation_contact": rng.random() < 0.6},
        )
    return values


def _fill_plan(
    s: Session, rng: random.Random, yp_id: str, name: str, today: date, age: int, tags
) -> None:
    plans.update_plan(s, yp_id, life_summary=content.life_summary(rng, name, tags=tags))
    for matter in Matter:
        strengths, goals, actions = content.plan_section_text(rng, matter.value, tags=tags)
        plans.update_section(s, yp_id, matter.value, strengths=strengths, goals=goals)
        for action in actions:
            plans.add_action(
                s,
                yp_id,
                matter.value,
                who=action["who"],
                what=action["what"],
                by_when=today + timedelta(days=rng.randrange(-60, 180)),
                status=rng.choice(list(ActionStatus)).value,
            )
    if age >= 16:
        agreed = today - timedelta(days=rng.randrange(10, 240))
        if rng.random() < 0.5:  # an earlier agreed version too, for the history view
            plans.agree_plan(s, yp_id, agreed_on=agreed - timedelta(days=180), agreed_with=name)
        plans.agree_plan(s, yp_id, agreed_on=agreed, agreed_with=name)


def _notes(s: Session, rng: random.Random, yp_id: str, name: str, today: date, profile: dict, tags):
    dob, custody = profile["date_of_birth"], profile.get("in_custody", False)
    count = rng.randrange(20, 201)
    start = max(dob + relativedelta(years=15, months=6), today - relativedelta(years=5))
    span = max((today - start).days, 30)
    # Some young people are overdue a visit: their latest contact was a while ago.
    end_gap = rng.randrange(70, 120) if rng.random() < 0.12 else rng.randrange(0, 40)
    # In custody since some months ago: notes from before that are of life outside.
    custody_days = end_gap + rng.randrange(60, 540) if custody else -1
    rows = []
    latest_visit = NoteKind.CUSTODY_VISIT if custody else NoteKind.HOME_VISIT
    for index in range(count):
        ago = end_gap if index == 0 else end_gap + rng.randrange(0, span)
        inside = ago <= custody_days
        weights = circumstances.note_kind_weights(NOTE_KIND_WEIGHTS, inside=inside, tags=tags)
        if index == 0:  # the latest contact is a visit, so overdue visits stay the exception
            kind = latest_visit
        else:
            kind = rng.choices(list(weights), weights=list(weights.values()))[0]
        day = today - timedelta(days=ago)
        hour = time(rng.randrange(9, 18), rng.choice((0, 15, 30, 45)))
        summary, narrative, place = content.note_text(
            rng,
            kind.value,
            name=name,
            tags=circumstances.note_tags(tags, inside=inside),
            place=circumstances.note_place(kind.value, profile),
        )
        who = profile["allocated_pa"]  # the young person's own adviser wrote it
        rows.append(
            {
                "young_person_id": yp_id,
                "kind": kind.value,
                "occurred_at": datetime.combine(day, hour, UTC),
                "place": place,
                "summary": summary,
                "narrative": narrative,
                "author": who,
            }
        )
    changes.bulk_create(s, ContactNote, rows)  # one bulk insert: a big demo has 100k+ notes


def _memories_and_documents(
    s: Session, rng: random.Random, yp_id: str, pool: _Pool, today, adviser: str, tags
):
    for _ in range(rng.randrange(2, 7)):
        by_yp = rng.random() < 0.5
        files.add_memory(
            s,
            yp_id,
            kind=MemoryKind.PHOTO,
            caption=content.memory_caption(rng),
            blob=rng.choice(pool.photos),
            filename="photo.jpg",
            media_type="image/jpeg",
            added_by_kind=AddedBy.YOUNG_PERSON if by_yp else AddedBy.PROFESSIONAL,
            added_by_name="" if by_yp else adviser,
            memory_date=today - timedelta(days=rng.randrange(0, 2000)),
        )
    for _ in range(rng.randrange(1, 3)):
        memory = content.written_memory_item(rng, tags=tags)
        files.add_memory(
            s,
            yp_id,
            kind=MemoryKind.MEMORY,
            body=memory.text,
            caption=memory.title,
            added_by_kind=AddedBy.PROFESSIONAL if memory.by_adviser else AddedBy.YOUNG_PERSON,
            added_by_name=adviser if memory.by_adviser else "",
            memory_date=today - timedelta(days=rng.randrange(0, 2000)),
        )
    for category, title, blob in rng.sample(pool.pdfs, rng.randrange(1, 4)):
        files.add_document(
            s,
            yp_id,
            blob=blob,
            filename=f"{title.lower().replace(' ', '-')}.pdf",
            title=title,
            category=category,
            media_type="application/pdf",
            added_by_name=adviser,
            document_date=today - timedelta(days=rng.randrange(30, 3000)),
        )


def _people_and_dates(s: Session, rng: random.Random, yp_id: str, dob: date, religion: str, tags):
    for person in circumstances.important_people(rng, tags=tags):
        yp_repo.add_person(s, yp_id, **person)
    yp_repo.add_key_date(
        s,
        yp_id,
        kind="birthday",
        label="Birthday",
        on_date=dob,
        plan_for_day=circumstances.birthday_plan(rng),
    )
    for kind, label, on_date, plan in circumstances.key_dates(rng, religion):
        yp_repo.add_key_date(s, yp_id, kind=kind, label=label, on_date=on_date, plan_for_day=plan)


def generate_demo(
    store: Store,
    *,
    young_people: int,
    seed: int,
    today: date | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> int:
    """Add ``young_people`` fictional young people to ``store``; returns how many were added."""
    today = today or date.today()
    rng = random.Random(seed)
    with store.session() as s:
        services.set_out_of_hours(s, name="Emergency Duty Team (fictional)", phone="0300 500 80 90")
    pool = _make_pool(store, rng)
    batch = 25
    for first in range(0, young_people, batch):
        cancel.raise_if_cancelled()
        with store.session() as s:
            for index in range(first, min(first + batch, young_people)):
                values = _profile(rng, today, index)
                yp_id = yp_repo.create_young_person(s, **values)
                if rng.random() < 0.3:
                    photo = rng.choice(pool.photos).sha256
                    yp_repo.update_young_person(s, yp_id, cover_photo_sha256=photo)
                dob = values["date_of_birth"]
                name = values["preferred_name"]
                tags = circumstances.story_tags(values)  # one coherent story per young person
                _fill_plan(s, rng, yp_id, name, today, age_on(dob, today), tags)
                _notes(s, rng, yp_id, name, today, values, tags)
                adviser = values["allocated_pa"]
                _memories_and_documents(s, rng, yp_id, pool, today, adviser, tags)
                _people_and_dates(s, rng, yp_id, dob, values["religion"], tags)
                # Its own random stream, so the rest of the demo stays as it was for a seed.
                facts_rng = random.Random(f"{seed}/facts/{index}")
                return_facts.record_birthday_facts(s, facts_rng, yp_id, values, today)
        progress(min(first + batch, young_people), young_people)
    return young_people
