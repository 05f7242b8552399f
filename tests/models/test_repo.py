"""The repo functions: every record an adviser keeps survives a lock and unlock unchanged, the
legal records stay append-only, and per-field stamps record exactly what changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from models.errors import AppendOnlyViolation, InvalidRecord, RecordNotFound
from models.repo import audit, drafts, files, notes, plans, whole_record
from models.repo import young_people as yp
from models.schema import ContactNote, PlanAction, YoungPerson
from models.store import Store
from tests.factories import OWNER, add_note, add_young_person, fill_plan

Reopen = Callable[[Store], Store]

FULL_PROFILE = {
    "legal_name": "مريم Haddad",
    "preferred_name": "ሰላም",
    "date_of_birth": date(2006, 2, 28),
    "pronouns": "she/her",
    "languages": ["Tigrinya", "العربية", "English"],
    "religion": "Orthodox Tewahedo",
    "ethnicity": "Black African",
    "phone": "07700 900123",
    "email": "selam@example.org",
    "address": "Flat 3, 12 Example Road\nNottingham NG1 1AA",
    "legal_status": "former_relevant",
    "allocated_pa": OWNER,
    "allocated_pa_phone": "0115 496 0000",
    "allocated_pa_email": "alex.adviser@example.gov.uk",
    "in_custody": True,
    "prison": "HMP Example",
    "prison_number": "A1234BC",
    "release_date": date(2027, 3, 1),
    "release_accommodation_plan": "Supported lodgings with Mrs K; meet at the gate at 9.",
    "custody_checklist": {"visit_8_weekly": True, "bank_account": False},
    "is_parent": True,
    "expecting_child": True,
    "uasc": True,
    "twenty_one_plus_requested": True,
    "accommodation_type": "Supported lodgings",
    "accommodation_suitable": False,
    "eet_status": "neet_other",
    "needs_assessment_done": date(2022, 5, 1),
    "cover_photo_sha256": "ab" * 32,
}


def when(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def stamps_of(store: Store, cls: type, ident: str) -> dict[str, str]:
    with store.reader() as s:
        return dict(s.get(cls, ident).stamps)


# -- young people --------------------------------------------------------------------------


def test_full_profile_round_trips_through_lock_and_unlock(store: Store, reopen: Reopen) -> None:
    assert set(FULL_PROFILE) == yp.PROFILE_FIELDS, "FULL_PROFILE must cover every field"
    with store.session() as s:
        ident = yp.create_young_person(s, **FULL_PROFILE)
    store = reopen(store)
    with store.reader() as s:
        profile = yp.load_profile(s, ident, on=date(2027, 1, 15))
    for name, value in FULL_PROFILE.items():
        expected = tuple(value) if name == "languages" else value
        assert getattr(profile, name) == expected, name
    assert profile.id == ident
    assert profile.age == 20
    assert profile.legal_name == "مريم Haddad"
    assert profile.preferred_name == "ሰላም"


def test_preferred_name_defaults_to_legal_name(store: Store) -> None:
    with store.session() as s:
        ident = yp.create_young_person(s, legal_name="ሰላም ገብረ", date_of_birth=date(2008, 1, 1))
        assert yp.load_profile(s, ident).preferred_name == "ሰላም ገብረ"


@pytest.mark.parametrize(
    "fields",
    [
        {"legal_name": "  "},
        {"date_of_birth": date.today() + timedelta(days=1)},
        {"eet_status": "astronaut"},
        {"shoe_size": 9},
    ],
)
def test_invalid_young_person_is_refused_and_nothing_is_saved(store: Store, fields: dict) -> None:
    values = {"legal_name": "Sam", "date_of_birth": date(2007, 1, 1), **fields}
    with pytest.raises(InvalidRecord), store.session() as s:
        yp.create_young_person(s, **values)
    with store.reader() as s:
        assert yp.caseload(s) == []


def test_create_stamps_every_given_field_with_one_stamp(store: Store) -> None:
    with store.session() as s:
        ident = yp.create_young_person(s, **FULL_PROFILE)
    stamps = stamps_of(store, YoungPerson, ident)
    # Set-valued fields are stamped per element, so two devices' different ticks both stick.
    elements = {f"languages[{x}]" for x in FULL_PROFILE["languages"]} | {
        f"custody_checklist[{k}]" for k in FULL_PROFILE["custody_checklist"]
    }
    plain = set(FULL_PROFILE) - {"languages", "custody_checklist"}
    assert set(stamps) == plain | elements | {"created_by", "created_at"}
    assert len({stamps[k] for k in plain}) == 1
    assert all(v.endswith("-" + store.clock.node) for v in stamps.values())
    # Each language gets its own increasing stamp: the list keeps the order it was typed in.
    langs = [stamps[f"languages[{x}]"] for x in FULL_PROFILE["languages"]]
    assert langs == sorted(langs) and len(set(langs)) == 3


def test_update_stamps_only_the_fields_that_changed(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store, phone="0700", email="a@example.org")
    before = stamps_of(store, YoungPerson, ident)
    with store.session() as s:
        changed = yp.update_young_person(s, ident, phone="0711", email="a@example.org")
    assert changed == ["phone"]
    after = stamps_of(store, YoungPerson, ident)
    assert after["phone"] > before["phone"]
    assert {k: v for k, v in after.items() if k != "phone"} == {
        k: v for k, v in before.items() if k != "phone"
    }
    # A field set for the first time gets a stamp; nothing else moves.
    with store.session() as s:
        assert yp.update_young_person(s, ident, pronouns="they/them") == ["pronouns"]
    third = stamps_of(store, YoungPerson, ident)
    assert set(third) == set(after) | {"pronouns"}
    assert {k: third[k] for k in after} == after
    # Saving the same values again changes nothing, not even a stamp.
    with store.session() as s:
        assert yp.update_young_person(s, ident, phone="0711", pronouns="they/them") == []
    assert stamps_of(store, YoungPerson, ident) == third
    store = reopen(store)
    assert stamps_of(store, YoungPerson, ident) == third
    with store.reader() as s:
        assert yp.load_profile(s, ident).phone == "0711"


def test_stamps_on_plan_sections_and_actions(store: Store) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        action = plans.add_action(s, ident, "health", who="PA", what="Register with a GP")
    before = stamps_of(store, PlanAction, action)
    assert set(before) >= {"who", "what", "position", "section_id", "young_person_id"}
    with store.session() as s:
        assert plans.update_action(s, action, status="done", who="PA") == ["status"]
    after = stamps_of(store, PlanAction, action)
    assert after["status"] > before.get("status", "")
    assert after["who"] == before["who"]
    assert after["what"] == before["what"]


def test_unknown_fields_cannot_be_changed(store: Store) -> None:
    ident = add_young_person(store)
    with pytest.raises(InvalidRecord), store.session() as s:
        yp.update_young_person(s, ident, stamps={})
    with pytest.raises(InvalidRecord), store.session() as s:
        yp.update_young_person(s, ident, deleted=True)


def test_stamps_after_reopen_sort_after_earlier_stamps_even_if_the_clock_went_back(
    store: Store, reopen: Reopen, monkeypatch: pytest.MonkeyPatch
) -> None:
    import models.store as store_module
    from models.hlc import HybridClock

    ident = add_young_person(store)
    first = stamps_of(store, YoungPerson, ident)["legal_name"]

    class BehindClock(HybridClock):
        def __init__(self, node: str) -> None:
            super().__init__(node, wall=lambda: datetime.now(UTC).timestamp() - 3600)

    monkeypatch.setattr(store_module, "HybridClock", BehindClock)
    store = reopen(store)
    with store.session() as s:
        yp.update_young_person(s, ident, legal_name="Jordan Renamed")
    assert stamps_of(store, YoungPerson, ident)["legal_name"] > first


def test_unknown_young_person(store: Store) -> None:
    with pytest.raises(RecordNotFound), store.reader() as s:
        yp.load_profile(s, "no-such-id")


# -- people who matter and key dates ---------------------------------------------------------


def test_people_who_matter_round_trip(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        nan = yp.add_person(
            s,
            ident,
            name="Nan (ጽጌ)",
            relationship="grandmother",
            how_to_contact="07700 900456, evenings",
            notes="Sunday dinners matter",
            is_emergency_contact=False,
        )
        sis = yp.add_person(
            s, ident, name="Amira", relationship="sister", is_emergency_contact=True
        )
        old = yp.add_person(s, ident, name="Ex-partner", relationship="ex")
    with store.session() as s:
        assert yp.update_person(s, nan, how_to_contact="07700 900789") == ["how_to_contact"]
        yp.remove_person(s, old)
    store = reopen(store)
    with store.reader() as s:
        people = yp.list_people(s, ident)
    assert [p.id for p in people] == [sis, nan]  # emergency contacts first
    assert people[1].name == "Nan (ጽጌ)"
    assert people[1].relationship == "grandmother"
    assert people[1].how_to_contact == "07700 900789"
    assert people[1].notes == "Sunday dinners matter"
    assert people[0].is_emergency_contact is True
    with pytest.raises(InvalidRecord), store.session() as s:
        yp.add_person(s, ident, name=" ")


def test_key_dates_round_trip_in_calendar_order(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        eid = yp.add_key_date(
            s,
            ident,
            kind="festival",
            label="Enkutatash",
            on_date=date(2026, 9, 11),
            plan_for_day="Card and a call; she likes to cook for friends",
        )
        bday = yp.add_key_date(
            s, ident, kind="birthday", label="Birthday", on_date=date(2007, 5, 14)
        )
        gone = yp.add_key_date(
            s, ident, kind="anniversary", label="Moved in", on_date=date(2024, 1, 3)
        )
    with store.session() as s:
        assert yp.update_key_date(s, bday, recurring=False) == ["recurring"]
        yp.remove_key_date(s, gone)
    store = reopen(store)
    with store.reader() as s:
        dates = yp.list_key_dates(s, ident)
    assert [d.id for d in dates] == [bday, eid]  # by month and day, not year
    assert dates[0].recurring is False
    assert dates[1].kind == "festival"
    assert dates[1].on_date == date(2026, 9, 11)
    assert dates[1].plan_for_day == "Card and a call; she likes to cook for friends"


# -- the pathway plan --------------------------------------------------------------------------


def test_plan_working_copy_round_trips(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    fill_plan(store, ident, "ሰላም")
    with store.session() as s:
        plans.update_plan(s, ident, review_date=date(2027, 2, 1))
        plans.update_section(s, ident, "health", goals="I want to sleep better — በደንብ")
        keep = plans.add_action(
            s,
            ident,
            "health",
            who="Selam",
            what="Book a GP appointment",
            by_when=date(2027, 1, 31),
            status="in_progress",
        )
        drop = plans.add_action(s, ident, "health", who="PA", what="Chase CAMHS letter")
    with store.session() as s:
        assert plans.update_action(s, keep, status="done") == ["status"]
        plans.remove_action(s, drop)
    store = reopen(store)
    with store.reader() as s:
        plan = plans.load_plan(s, ident)
    assert [sec.matter for sec in plan.sections] == [m.value for m in plans.Matter]
    assert plan.life_summary == "Life summary ሰላም"
    assert plan.review_date == date(2027, 2, 1)
    health = plan.section("health")
    assert health.goals == "I want to sleep better — በደንብ"
    assert health.strengths.startswith("Strengths in Health")
    assert [a.what for a in health.actions] == [
        "Action Health and wellbeing ሰላም",
        "Book a GP appointment",
    ]
    booked = health.actions[1]
    assert (booked.id, booked.who, booked.by_when, booked.status) == (
        keep,
        "Selam",
        date(2027, 1, 31),
        "done",
    )
    assert all(a.id != drop for sec in plan.sections for a in sec.actions)
    for sec in plan.sections:
        assert len(sec.actions) == (2 if sec.matter == "health" else 1)
    # The removed action is a tombstone, not a hard delete (sync must learn of the removal).
    with store.reader() as s:
        row = s.get(PlanAction, drop)
        assert row is not None and row.deleted is True
        assert "deleted" in row.stamps


def test_plan_reads_empty_before_it_is_started(store: Store) -> None:
    ident = add_young_person(store)
    with store.reader() as s:
        plan = plans.load_plan(s, ident)
    assert len(plan.sections) == 10
    assert plan.versions == ()
    assert plan.current_version == 0


def test_invalid_plan_edits(store: Store) -> None:
    ident = add_young_person(store)
    with pytest.raises(InvalidRecord), store.session() as s:
        plans.update_section(s, ident, "astrology", goals="x")
    with pytest.raises(InvalidRecord), store.session() as s:
        plans.add_action(s, ident, "health", who="PA", what="  ")
    with pytest.raises(InvalidRecord), store.session() as s:
        plans.add_action(s, ident, "health", who="PA", what="x", status="someday")


def test_agreeing_makes_numbered_frozen_versions(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    fill_plan(store, ident, "first")
    with store.session() as s:
        yp.add_person(s, ident, name="Nan", relationship="grandmother")
        v1 = plans.agree_plan(s, ident, agreed_on=date(2026, 6, 1), agreed_with="ሰላም and Nan")
    assert v1.version == 1
    with store.reader() as s:
        frozen = plans.version_snapshot(s, ident, 1)
    assert frozen["life_summary"] == "Life summary first"
    assert frozen["people"] == [
        {"name": "Nan", "relationship": "grandmother", "how_to_contact": ""}
    ]

    # Later edits change the working copy, never the agreed version.
    with store.session() as s:
        plans.update_plan(s, ident, life_summary="Rewritten summary")
        plans.update_section(s, ident, "health", goals="A new goal")
        first_action = plans.load_plan(s, ident).section("health").actions[0].id
        plans.update_action(s, first_action, what="Changed action")
        plans.remove_action(s, plans.load_plan(s, ident).section("identity").actions[0].id)
        yp.add_person(s, ident, name="Amira", relationship="sister")
    with store.session() as s:
        v2 = plans.agree_plan(s, ident, agreed_on=date(2026, 12, 1))
    assert v2.version == 2

    store = reopen(store)
    with store.reader() as s:
        assert plans.version_snapshot(s, ident, 1) == frozen
        second = plans.version_snapshot(s, ident, 2)
        plan = plans.load_plan(s, ident)
        with pytest.raises(RecordNotFound):
            plans.version_snapshot(s, ident, 3)
    assert second["life_summary"] == "Rewritten summary"
    health2 = next(sec for sec in second["sections"] if sec["matter"] == "health")
    assert health2["goals"] == "A new goal"
    assert health2["actions"][0]["what"] == "Changed action"
    identity2 = next(sec for sec in second["sections"] if sec["matter"] == "identity")
    assert identity2["actions"] == []
    assert {p["name"] for p in second["people"]} == {"Nan", "Amira"}

    assert [(v.version, v.agreed_on, v.agreed_with) for v in plan.versions] == [
        (1, date(2026, 6, 1), "ሰላም and Nan"),
        (2, date(2026, 12, 1), ""),
    ]
    assert plan.versions[0].created_by == OWNER
    assert plan.current_version == 2
    assert plan.last_reviewed_on == date(2026, 12, 1)
    assert plan.review_date is None


def test_agreed_versions_cannot_be_updated(store: Store) -> None:
    ident = add_young_person(store)
    fill_plan(store, ident, "agreed")
    with store.session() as s:
        plans.agree_plan(s, ident, agreed_on=date(2026, 6, 1))
    with pytest.raises(AppendOnlyViolation), store.session() as s:
        s.execute(text("UPDATE plan_versions SET agreed_with = 'forged', snapshot = '{}'"))
    with store.reader() as s:
        assert plans.version_snapshot(s, ident, 1)["life_summary"] == "Life summary agreed"
        assert plans.load_plan(s, ident).versions[0].agreed_with == ""


# -- contact notes -----------------------------------------------------------------------------


def test_notes_round_trip_and_amendment_keeps_the_original(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        original = notes.add_note(
            s,
            ident,
            kind="custody_visit",
            occurred_at=when(2026, 11, 2, 14, 30),
            place="HMP Example, legal visits room",
            summary="Custody visit",
            narrative="ሰላም said release plans worry her. مريم was present.",
        )
    with store.session(actor="Sam Senior") as s:
        amendment = notes.amend_note(
            s, original.id, summary="Custody visit (corrected)", narrative="Her sister was present."
        )
    assert amendment.amends_id == original.id
    assert (amendment.kind, amendment.occurred_at, amendment.place) == (
        original.kind,
        original.occurred_at,
        original.place,
    )
    store = reopen(store)
    with store.reader() as s:
        listed = notes.list_notes(s, ident)
    assert [n.id for n in listed] == [original.id, amendment.id]
    first, second = listed
    assert first.narrative == "ሰላም said release plans worry her. مريم was present."
    assert first.summary == "Custody visit"
    assert first.author == OWNER
    assert first.amended_by == (amendment.id,)
    assert first.occurred_at == when(2026, 11, 2, 14, 30)
    assert first.occurred_at.tzinfo is not None
    assert second.narrative == "Her sister was present."
    assert second.author == "Sam Senior"
    assert second.amends_id == original.id
    assert second.amended_by == ()


def test_an_amendment_can_correct_the_kind_date_and_place(store: Store) -> None:
    ident = add_young_person(store)
    original_id = add_note(store, ident, kind="home_visit", place="The flat")
    with store.session() as s:
        amendment = notes.amend_note(
            s,
            original_id,
            summary="Phone call, not a visit",
            narrative="We spoke on the phone.",
            kind="phone",
            occurred_at=when(2026, 11, 3, 10, 15),
            place="",
        )
        with pytest.raises(InvalidRecord, match="kind"):
            notes.amend_note(s, original_id, summary="x", narrative="", kind="séance")
        with pytest.raises(InvalidRecord, match="time zone"):
            notes.amend_note(
                s, original_id, summary="x", narrative="", occurred_at=datetime(2026, 11, 3, 10)
            )
    with store.reader() as s:
        original, listed = notes.list_notes(s, ident)
    assert listed.id == amendment.id and listed.amends_id == original_id
    assert (listed.kind, listed.occurred_at, listed.place) == (
        "phone",
        when(2026, 11, 3, 10, 15),
        "",
    )
    assert (original.kind, original.place) == ("home_visit", "The flat")  # unchanged


def test_notes_newest_first_and_filter_by_kind(store: Store) -> None:
    ident = add_young_person(store)
    a = add_note(store, ident, kind="phone", occurred_at=when(2026, 10, 1, 9))
    b = add_note(store, ident, kind="home_visit", occurred_at=when(2026, 11, 1, 9))
    c = add_note(store, ident, kind="whatsapp", occurred_at=when(2026, 9, 1, 9))
    with store.reader() as s:
        assert [n.id for n in notes.list_notes(s, ident)] == [b, a, c]
        assert [n.id for n in notes.list_notes(s, ident, kinds=["phone", "whatsapp"])] == [a, c]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "telepathy"},
        {"occurred_at": datetime(2026, 11, 2, 14, 30)},  # naive: no time zone
        {"summary": " ", "narrative": ""},
    ],
)
def test_invalid_notes_are_refused(store: Store, fields: dict) -> None:
    ident = add_young_person(store)
    with pytest.raises(InvalidRecord):
        add_note(store, ident, **fields)
    with store.reader() as s:
        assert notes.list_notes(s, ident) == ()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE contact_notes SET narrative = 'rewritten'",
        "UPDATE contact_notes SET deleted = 1",
        "UPDATE contact_notes SET amends_id = NULL",
    ],
)
def test_notes_cannot_be_updated_even_by_raw_sql(store: Store, sql: str) -> None:
    ident = add_young_person(store)
    nid = add_note(store, ident, narrative="What was said")
    with store.session() as s:
        notes.amend_note(s, nid, summary="fix", narrative="Correction")
    with pytest.raises(AppendOnlyViolation), store.session() as s:
        s.execute(text(sql))
    with store.reader() as s:
        listed = notes.list_notes(s, ident)
    assert [n.narrative for n in listed] == ["What was said", "Correction"]


def test_notes_cannot_be_updated_through_the_orm(store: Store) -> None:
    ident = add_young_person(store)
    nid = add_note(store, ident, narrative="What was said")
    with pytest.raises(AppendOnlyViolation), store.session() as s:
        s.get(ContactNote, nid).narrative = "rewritten"
    with store.reader() as s:
        assert notes.list_notes(s, ident)[0].narrative == "What was said"


# -- documents and the memory box --------------------------------------------------------------


def test_documents_and_memories_round_trip_with_their_files(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    blobs = store.blob_store()
    passport = blobs.put_bytes(b"%PDF-1.4 passport scan")
    photo = blobs.put_bytes(b"\xff\xd8\xff\xe0 JPEG of the seaside")
    letter = blobs.put_bytes(b"letter that was added by mistake")
    with store.session() as s:
        doc = files.add_document(
            s,
            ident,
            blob=passport,
            filename="passport.pdf",
            title="Passport (ሰላም)",
            category="id",
            caption="Renewed this year",
            document_date=date(2026, 3, 4),
        )
        wrong = files.add_document(s, ident, blob=letter, filename="letter.txt", title="")
        pic = files.add_memory(
            s,
            ident,
            kind="photo",
            blob=photo,
            filename="seaside.jpg",
            caption="Day trip to Skegness",
            memory_date=date(2025, 8, 9),
        )
        written = files.add_memory(
            s,
            ident,
            kind="memory",
            body="مريم taught me to make injera",
            added_by_kind="professional",
            added_by_name="Foster carer Mrs K",
        )
    with store.session() as s:
        assert files.update_document(s, doc, caption="Renewed in March") == ["caption"]
        files.remove_document(s, wrong)
    store = reopen(store)
    with store.reader() as s:
        docs = files.list_documents(s, ident)
        memories = files.list_memories(s, ident)
    assert [d.id for d in docs] == [doc]
    d = docs[0]
    assert (d.collection, d.category, d.title, d.caption) == (
        "document",
        "id",
        "Passport (ሰላም)",
        "Renewed in March",
    )
    assert (d.sha256, d.size, d.filename, d.media_type) == (
        passport.sha256,
        passport.size,
        "passport.pdf",
        "application/pdf",
    )
    assert (d.added_by_kind, d.added_by_name, d.dated) == ("professional", OWNER, date(2026, 3, 4))
    assert d.added_at.tzinfo is not None

    by_id = {m.id: m for m in memories}
    assert set(by_id) == {pic, written}
    p = by_id[pic]
    assert (p.kind, p.caption, p.sha256, p.media_type, p.added_by_kind) == (
        "photo",
        "Day trip to Skegness",
        photo.sha256,
        "image/jpeg",
        "young_person",
    )
    w = by_id[written]
    assert (w.kind, w.body, w.sha256, w.added_by_name) == (
        "memory",
        "مريم taught me to make injera",
        None,
        "Foster carer Mrs K",
    )
    # The files come back byte for byte after the unlock; a removed item's file stays too
    # (a tombstone, so an accidental removal can be undone).
    blobs = store.blob_store()
    assert blobs.read_bytes(d.sha256) == b"%PDF-1.4 passport scan"
    assert blobs.read_bytes(p.sha256) == b"\xff\xd8\xff\xe0 JPEG of the seaside"
    assert blobs.read_bytes(letter.sha256) == b"letter that was added by mistake"


def test_removed_memories_are_not_listed(store: Store) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        keep = files.add_memory(s, ident, kind="memory", body="first day at college")
        gone = files.add_memory(s, ident, kind="memory", body="added twice")
    with store.session() as s:
        files.remove_memory(s, gone)
    with store.reader() as s:
        assert [m.id for m in files.list_memories(s, ident)] == [keep]
    with pytest.raises(RecordNotFound), store.session() as s:
        files.update_memory(s, gone, body="edit of a removed item")


def test_invalid_files_are_refused(store: Store) -> None:
    ident = add_young_person(store)
    blob = store.blob_store().put_bytes(b"x")
    with pytest.raises(InvalidRecord), store.session() as s:
        files.add_document(s, ident, blob=blob, filename="a.pdf", title="a", category="misc")
    with pytest.raises(InvalidRecord), store.session() as s:
        files.add_memory(s, ident, kind="photo")  # a photo needs its file
    with pytest.raises(InvalidRecord), store.session() as s:
        files.add_memory(s, ident, kind="memory", body=" ")
    with pytest.raises(InvalidRecord), store.session() as s:
        files.add_memory(s, ident, kind="memory", body="x", added_by_kind="cat")
    with pytest.raises(InvalidRecord), store.session() as s:
        files.add_memory(
            s, ident, kind="memory", body="x", added_by_kind="professional", added_by_name=" "
        )
    with store.reader() as s:
        assert files.list_memories(s, ident) == ()
        assert files.list_documents(s, ident) == ()


# -- drafts and audit --------------------------------------------------------------------------


def test_drafts_save_load_discard(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    payload = {"summary": "Half-written", "narrative": "ሰላም said…", "kind": "phone"}
    with store.session() as s:
        drafts.save_draft(s, f"note:{ident}", payload)
        drafts.save_draft(s, f"plan:{ident}", {"goals": "x"})
    with store.session() as s:
        drafts.save_draft(s, f"note:{ident}", {**payload, "summary": "Three-quarters written"})
    store = reopen(store)  # a lock (or crash) loses nothing typed
    with store.reader() as s:
        assert drafts.load_draft(s, f"note:{ident}") == {
            **payload,
            "summary": "Three-quarters written",
        }
        assert set(drafts.list_drafts(s, "note:")) == {f"note:{ident}"}
        assert len(drafts.list_drafts(s)) == 2
    with store.session() as s:
        drafts.discard_draft(s, f"note:{ident}")
    with store.reader() as s:
        assert drafts.load_draft(s, f"note:{ident}") is None
        assert drafts.load_draft(s, f"plan:{ident}") == {"goals": "x"}


def test_audit_trail(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        audit.record_event(s, "unlock")
    with store.session(actor="Sam Senior") as s:
        audit.record_event(s, "view", ident, "opened the profile")
        audit.record_event(s, "print", ident, "pathway plan v1")
    store = reopen(store)
    with store.reader() as s:
        events = audit.recent_events(s)
        latest = audit.recent_events(s, limit=1)
    assert [(e.action, e.actor, e.young_person_id, e.detail) for e in events] == [
        ("print", "Sam Senior", ident, "pathway plan v1"),
        ("view", "Sam Senior", ident, "opened the profile"),
        ("unlock", OWNER, None, ""),
    ]
    assert [e.action for e in latest] == ["print"]
    assert all(e.at.tzinfo is not None for e in events)


# -- the caseload and the whole record -----------------------------------------------------------

ON = date(2027, 1, 15)


def test_caseload_rows(store: Store) -> None:
    overdue = add_young_person(store, legal_name="Ola Overdue", preferred_name="Ola")
    add_note(store, overdue, kind="home_visit", occurred_at=when(2026, 10, 1, 10))
    add_note(store, overdue, kind="phone", occurred_at=when(2027, 1, 10, 16))

    older = add_young_person(
        store,
        legal_name="Bea Twentytwo",
        preferred_name="bea",
        date_of_birth=date(2005, 1, 1),
    )
    add_note(store, older, kind="out_of_area_visit", occurred_at=when(2027, 1, 5, 11))

    custody = add_young_person(
        store,
        legal_name="Cal Custody",
        preferred_name="Cal",
        in_custody=True,
        prison="HMP Nottingham",
    )
    add_note(store, custody, kind="custody_visit", occurred_at=when(2026, 11, 15, 10))
    with store.session() as s:
        plans.agree_plan(s, custody, agreed_on=date(2026, 6, 1))

    never = add_young_person(store, legal_name="Dee Never", preferred_name="Dee", uasc=True)
    names = add_young_person(store, legal_name="مريم Haddad", preferred_name="ሰላም", is_parent=True)

    with store.reader() as s:
        rows = {r.id: r for r in yp.caseload(s, on=ON)}
        order = [r.preferred_name for r in yp.caseload(s, on=ON)]
    assert order == sorted(order, key=str.casefold)
    assert order[:4] == ["bea", "Cal", "Dee", "Ola"]

    r = rows[overdue]
    assert r.visit_overdue is True
    assert r.visit_due == date(2026, 12, 1)  # two months after the last visit
    assert r.last_visit == when(2026, 10, 1, 10)
    assert r.last_contact == when(2027, 1, 10, 16)  # a phone call is contact, not a visit
    assert r.age == 19
    assert r.circumstances == ()

    r = rows[older]
    assert r.age == 22
    assert "21plus" in r.circumstances
    assert r.visit_overdue is False
    assert r.visit_due == date(2027, 3, 5)

    r = rows[custody]
    assert r.circumstances == ("custody",)
    assert r.visit_due == date(2027, 1, 10)  # 8 weeks beats 2 months in custody
    assert r.visit_overdue is True
    assert r.next_review == date(2026, 12, 1)
    assert r.review_overdue is True

    r = rows[never]
    assert r.last_contact is None and r.last_visit is None
    assert r.visit_due == ON
    assert r.visit_overdue is False  # due today, overdue from tomorrow
    assert r.circumstances == ("uasc",)
    assert r.next_review is None and r.review_overdue is False

    r = rows[names]
    assert (r.legal_name, r.preferred_name, r.circumstances) == ("مريم Haddad", "ሰላም", ("parent",))
    assert r.allocated_pa == OWNER


def test_caseload_review_date_set_by_hand_wins(store: Store) -> None:
    ident = add_young_person(store)
    with store.session() as s:
        plans.agree_plan(s, ident, agreed_on=date(2026, 6, 1))
        plans.update_plan(s, ident, review_date=date(2027, 2, 1))
    with store.reader() as s:
        (row,) = yp.caseload(s, on=ON)
    assert row.next_review == date(2027, 2, 1)
    assert row.review_overdue is False


def test_load_record_holds_everything_of_one_young_person_only(
    store: Store, reopen: Reopen
) -> None:
    mine = add_young_person(store, preferred_name="ሰላም", uasc=True)
    other = add_young_person(store, preferred_name="Other")
    for ident in (mine, other):
        fill_plan(store, ident, ident[:8])
        add_note(store, ident, narrative=f"note for {ident}")
        blob = store.blob_store().put_bytes(f"file of {ident}".encode())
        with store.session() as s:
            files.add_document(s, ident, blob=blob, filename="f.pdf", title=f"doc {ident}")
            files.add_memory(s, ident, kind="memory", body=f"memory {ident}")
            yp.add_person(s, ident, name=f"friend of {ident}")
            yp.add_key_date(s, ident, kind="birthday", label=ident, on_date=date(2007, 5, 14))
    store = reopen(store)
    with store.reader() as s:
        record = whole_record.load_record(s, mine, on=ON)
    assert record.profile.id == mine
    assert record.profile.preferred_name == "ሰላም"
    assert [o.value for o in record.profile.offers] == ["Local Offer", "UASC Offer"]
    assert record.profile.due  # at least the next visit
    assert record.plan.life_summary == f"Life summary {mine[:8]}"
    assert [n.narrative for n in record.notes] == [f"note for {mine}"]
    assert [d.title for d in record.documents] == [f"doc {mine}"]
    assert [m.body for m in record.memories] == [f"memory {mine}"]
    assert [p.name for p in record.people] == [f"friend of {mine}"]
    assert [k.label for k in record.key_dates] == [mine]
    every_action = [a.what for sec in record.plan.sections for a in sec.actions]
    assert len(every_action) == 10
    assert all(mine[:8] in what for what in every_action)


def test_each_session_commits_or_rolls_back_as_a_whole(store: Store) -> None:
    ident = add_young_person(store)
    with pytest.raises(InvalidRecord), store.session() as s:
        notes.add_note(s, ident, kind="phone", occurred_at=when(2026, 1, 1), summary="saved?")
        notes.add_note(s, ident, kind="nonsense", occurred_at=when(2026, 1, 2), summary="bad")
    with store.reader() as s:
        assert notes.list_notes(s, ident) == ()
        assert s.scalars(select(ContactNote)).all() == []


def test_an_amendment_follows_its_original_even_if_its_clock_ran_behind(store: Store) -> None:
    """An amendment synced from a laptop whose clock was behind must not list before the note
    it corrects."""
    from datetime import timedelta

    from sqlalchemy import update

    from models.schema import ContactNote

    ident = add_young_person(store)
    original = add_note(store, ident, summary="First account")
    with store.session() as s:
        fix = notes.amend_note(s, original, summary="Corrected", narrative="Corrected text.")
        again = notes.amend_note(s, fix.id, summary="Corrected again", narrative="Again.")
    # Simulate the other laptop's clock: the amendments claim to be older than the original.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER contact_notes_no_update")
        first = conn.execute(
            update(ContactNote)
            .where(ContactNote.id.in_([fix.id, again.id]))
            .values(created_at=datetime.now(UTC) - timedelta(days=3))
        )
        assert first.rowcount == 2
    with store.reader() as s:
        listed = notes.list_notes(s, ident)
    assert [n.id for n in listed] == [original, fix.id, again.id]
    assert listed[0].amended_by == (fix.id,)
    assert listed[1].amended_by == (again.id,)


def test_the_caseload_follows_an_amendment_that_corrects_kind_or_date(store: Store) -> None:
    ident = add_young_person(store)
    add_note(store, ident, kind="home_visit", occurred_at=when(2026, 9, 1, 10))
    wrong = add_note(store, ident, kind="home_visit", occurred_at=when(2026, 11, 20, 10))
    with store.reader() as s:
        (row,) = yp.caseload(s, on=date(2026, 11, 28))
    assert row.last_visit == when(2026, 11, 20, 10)
    # It was a phone call, and on the 18th: the visit it seemed to be no longer counts.
    with store.session() as s:
        notes.amend_note(
            s,
            wrong,
            summary="Phone call",
            narrative="Rang, not a visit.",
            kind="phone",
            occurred_at=when(2026, 11, 18, 9),
        )
    with store.reader() as s:
        (row,) = yp.caseload(s, on=date(2026, 11, 28))
    assert row.last_visit == when(2026, 9, 1, 10)
    assert row.last_contact == when(2026, 11, 18, 9)


def test_stamps_all_one_are_stored_compact_and_read_back_whole(store: Store) -> None:
    """A record written once keeps one stamp and its fields' names; one edited since keeps
    each field's own stamp. Either way every reader sees ``{field: stamp}``."""
    ident = add_young_person(store)
    note = add_note(store, ident, summary="Rang")

    def stored(table: str, row_id: str) -> dict[str, object]:
        with store.reader() as s:
            raw = s.execute(text(f"SELECT stamps FROM {table} WHERE id = :i"), {"i": row_id})
            return json.loads(raw.scalar_one())

    kept = stored("contact_notes", note)
    assert set(kept) == {"~", "~k"}
    whole = stamps_of(store, ContactNote, note)
    assert set(whole) == set(kept["~k"]) and set(whole.values()) == {kept["~"]}
    assert {"summary", "kind", "occurred_at"} <= set(whole)

    with store.session() as s:
        yp.update_young_person(s, ident, pronouns="they/them")
    edited = stored("young_people", ident)
    assert "~" not in edited and len(set(edited.values())) > 1
    assert stamps_of(store, YoungPerson, ident) == edited


def test_a_pasted_nul_is_refused_with_what_to_do_and_nothing_saved(store: Store) -> None:
    """Text pasted from some PDFs carries NUL, which no database keeps: the adviser is told to
    type that part again, and the note is not half-saved."""
    ident = add_young_person(store)
    with pytest.raises(InvalidRecord) as err:
        add_note(store, ident, narrative="Met at the library.\x00 Talked about college.")
    assert "type that part again" in str(err.value)
    with store.reader() as s:
        assert notes.list_notes(s, ident) == ()
