"""The demo caseload content: deterministic, complete, and real images and PDFs."""

from __future__ import annotations

import inspect
import io
import random
import unicodedata
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from models.demo import circumstances, content, media
from resources import read_json, resource_path


def _in_range(text: str, first: int, last: int) -> bool:
    return any(first <= ord(ch) <= last for ch in text)


def _all_names() -> list[str]:
    names: list[str] = []
    for group in read_json("demo", "names.json")["groups"].values():
        for entry in [*group["given"]["female"], *group["given"]["male"], *group["family"]]:
            names.append(entry["name"])
            names.extend(entry[k] for k in ("latin", "name_f", "short") if k in entry)
    return names


def _sample(seed: int) -> tuple[object, ...]:
    rng = random.Random(seed)
    identity = content.pick_identity(rng)
    plans = [content.plan_section_text(rng, m, tags=identity.tags) for m in content.MATTERS]
    notes = [content.note_text(rng, k, name=identity.preferred_name) for k in content.NOTE_KINDS]
    return (
        identity,
        plans,
        notes,
        content.life_summary(rng, identity.preferred_name, tags=identity.tags),
        content.memory_caption(rng),
        content.written_memory(rng),
        content.professional(rng),
        content.document_title(rng),
        media.make_photo_jpeg(rng, 160, 120),
    )


def test_same_seed_same_content() -> None:
    assert _sample(42) == _sample(42)
    assert _sample(42) != _sample(43)


def test_json_resources_are_found_through_the_package() -> None:
    for name in ("names", "plan_text", "notes", "misc"):
        assert resource_path("demo", f"{name}.json").is_file()


@pytest.mark.parametrize("matter", content.MATTERS)
def test_every_matter_has_content(matter: str) -> None:
    data = read_json("demo", "plan_text.json")["matters"][matter]

    def general(items) -> list:  # drawn for anyone (unless their circumstances rule it out)
        return [i for i in items if not (isinstance(i, dict) and i.get("tags"))]

    # Accommodation text mostly assumes a setting (a tenancy, Staying Put): it is tagged.
    enough = 5 if matter == "accommodation" else 10
    assert len(general(data["strengths"])) >= enough
    assert len(general(data["goals"])) >= enough
    assert len(general(data["actions"])) >= enough
    own_voice = ("I ", "I'", "When ", "If ")
    assert all(content._text(g).startswith(own_voice) for g in data["goals"])

    strengths, goals, actions = content.plan_section_text(random.Random(1), matter)
    assert strengths.strip() and goals.strip() and actions
    assert all(set(a) == {"who", "what"} and a["who"] and a["what"] for a in actions)


def test_tagged_plan_text_only_when_asked() -> None:
    tagged = {
        s["text"]
        for m in read_json("demo", "plan_text.json")["matters"].values()
        for s in m["strengths"]
        if isinstance(s, dict) and s.get("tags")
    }
    rng = random.Random(7)
    for _ in range(200):
        strengths, _, _ = content.plan_section_text(rng, rng.choice(content.MATTERS))
        assert not set(strengths.splitlines()) & tagged


@pytest.mark.parametrize("kind", content.NOTE_KINDS)
def test_every_note_kind_gives_a_narrative(kind: str) -> None:
    rng = random.Random(3)
    for _ in range(20):
        summary, narrative, place = content.note_text(rng, kind, name="Selam")
        assert summary and place
        assert narrative.count(". ") >= 2, narrative  # several sentences
        assert "{" not in summary + narrative + place


def test_notes_label_opinions_and_quote_the_young_person() -> None:
    rng = random.Random(11)
    narratives = [content.note_text(rng, "home_visit", name="Kai").narrative for _ in range(30)]
    assert all("In my view" in n or "In my opinion" in n for n in narratives)
    assert any('Kai said: "' in n for n in narratives)
    assert any(
        content.note_text(rng, "custody_visit").place.startswith(("HMP", "HMYOI")) for _ in range(5)
    )


def test_names_include_other_scripts_and_diacritics() -> None:
    names = _all_names()
    assert any(_in_range(n, 0x0600, 0x06FF) for n in names)  # Arabic script
    assert any(_in_range(n, 0x1200, 0x137F) for n in names)  # Ge'ez (Ethiopic)
    assert any(_in_range(n, 0x4E00, 0x9FFF) for n in names)  # Han
    assert {"محمد", "ሰላም", "ኣብርሃም", "Nguyễn", "Trần", "Lê", "Siobhán", "Ó Briain"} <= set(names)
    assert any("ë" in n for n in names) and any("ç" in n.lower() for n in names)
    for group in read_json("demo", "names.json")["groups"].values():
        assert group["languages"] and group["religions"]
        assert 20 <= len(group["given"]["female"]) + len(group["given"]["male"]) <= 60
        assert 10 <= len(group["family"]) <= 25


@pytest.mark.parametrize(
    ("background", "first", "last"),
    [("arabic", 0x0600, 0x06FF), ("eritrean", 0x1200, 0x137F), ("chinese", 0x4E00, 0x9FFF)],
)
def test_identity_keeps_own_script_and_a_latin_legal_name(
    background: str, first: int, last: int
) -> None:
    rng = random.Random(5)
    for _ in range(20):
        person = content.pick_identity(rng, background=background)
        assert person.own_script_name and _in_range(person.own_script_name, first, last)
        assert person.legal_name.isascii() and person.legal_name == (
            f"{person.given_name} {person.family_name}"
        )


def test_vietnamese_identity_keeps_diacritics_outside_the_legal_name() -> None:
    rng = random.Random(9)
    people = [content.pick_identity(rng, background="vietnamese") for _ in range(20)]
    assert all(p.legal_name.isascii() for p in people)
    decomposed = [unicodedata.normalize("NFD", p.own_script_name or "") for p in people]
    assert any(any(unicodedata.combining(ch) for ch in n) for n in decomposed)


def test_identities_are_varied() -> None:
    rng = random.Random(2)
    people = [content.pick_identity(rng) for _ in range(300)]
    assert len({p.background_key for p in people}) >= 12
    assert {p.pronouns for p in people} == {"she/her", "he/him", "they/them"}
    assert any(p.uasc for p in people) and any(not p.uasc for p in people)
    assert all(p.languages and p.religion and p.preferred_name for p in people)


def test_life_summary_and_memories() -> None:
    rng = random.Random(4)
    assert "Aoife" in content.life_summary(rng, "Aoife")
    assert content.memory_caption(rng)
    assert content.written_memory(rng)


def test_misc_reference_lists() -> None:
    misc = read_json("demo", "misc.json")
    assert {s["key"] for s in misc["legal_statuses"]} == {
        "eligible",
        "relevant",
        "former_relevant",
        "qualifying",
    }
    names = {d["name"] for d in content.festival_calendar()}
    festivals = ("Eid al-Fitr", "Eid al-Adha", "Christmas Day", "Diwali", "Vaisakhi", "Hanukkah")
    for festival in festivals:
        assert any(festival in n for n in names), festival
    assert any("Timkat" in n for n in names) and any("Meskel" in n for n in names)
    assert any(c["number"] == "116 123" for c in content.emergency_contacts())
    assert any(a["suitable"] is False for a in content.accommodation_types())
    assert set(misc["document_categories"]) == {
        "id",
        "certificate",
        "letter",
        "report",
        "health",
        "education",
    }


@pytest.mark.parametrize(("width", "height"), [(640, 480), (300, 400)])
def test_photo_is_a_jpeg_of_the_requested_size(width: int, height: int) -> None:
    data = media.make_photo_jpeg(random.Random(8), width, height)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (width, height)
        image.load()
    if (width, height) == (640, 480):
        assert 15_000 < len(data) < 120_000


def test_photos_vary_with_the_seed() -> None:
    photos = {media.make_photo_jpeg(random.Random(seed), 160, 120) for seed in range(6)}
    assert len(photos) == 6


def test_pdf_reads_back_with_title_and_specimen_mark() -> None:
    rng = random.Random(6)
    lines = content.document_lines(rng, "id", "Zuzanna Wiśniewska")
    data = media.make_document_pdf("Birth certificate", lines)
    assert data.startswith(b"%PDF")
    assert data == media.make_document_pdf("Birth certificate", lines)
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Birth certificate" in text
    assert "SPECIMEN" in text and "fictional demo document" in text
    assert "Zuzanna Wisniewska" in text  # folded to what the built-in font can draw


def test_unknown_keys_are_refused() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="matter"):
        content.plan_section_text(rng, "hobbies")
    with pytest.raises(ValueError, match="note kind"):
        content.note_text(rng, "carrier_pigeon")
    with pytest.raises(ValueError, match="background"):
        content.pick_identity(rng, background="martian")


def test_profile_helpers_fit_the_young_person() -> None:
    rng = random.Random(21)
    assert circumstances.legal_status(rng, 15) == ""
    assert circumstances.legal_status(rng, 16) in {"eligible", "relevant"}
    assert circumstances.legal_status(rng, 22) in {"former_relevant", "qualifying"}
    for _ in range(100):
        label, suitable = circumstances.accommodation(rng, age=16)
        assert label not in {"Independent tenancy", "Emergency or bed and breakfast"}
        assert suitable in (True, False, None)
    assert circumstances.accommodation(rng, age=23)[0] != "Foster placement"
    assert circumstances.prison(rng, age=16, gender="male") in {
        "HMYOI Werrington",
        "HMYOI Wetherby",
        "HMYOI Feltham",
        "Clayfields House (secure children's home)",
    }
    assert "HMP" in circumstances.prison(rng, age=20, gender="female")
    assert len(circumstances.address(rng).splitlines()) == 3
    assert circumstances.release_plan(rng) and circumstances.birthday_plan(rng)


def test_important_people_are_add_person_keywords() -> None:
    rng = random.Random(22)
    person = content.pick_identity(rng, background="polish")
    for _ in range(20):
        people = circumstances.important_people(rng, identity=person)
        assert 1 <= len(people) <= 4
        assert sum(p["is_emergency_contact"] for p in people) <= 1
        for p in people:
            assert set(p) == {
                "name",
                "relationship",
                "how_to_contact",
                "notes",
                "is_emergency_contact",
            }
            assert p["name"].strip()


def test_key_dates_follow_religion_and_background() -> None:
    rng = random.Random(23)
    muslim = {label for _, label, _, _ in circumstances.key_dates(rng, "Islam (Sunni)")}
    assert {"Eid al-Fitr", "Eid al-Adha"} <= muslim
    orthodox = circumstances.key_dates(rng, "Christian (Eritrean Orthodox Tewahedo)")
    labels = {label for _, label, _, _ in orthodox}
    assert any("Timkat" in label for label in labels) and "Christmas Day" not in labels
    timkat = next(d for _, label, d, _ in orthodox if "Timkat" in label)
    assert timkat.isoformat() == "2026-01-19"
    lunar = circumstances.key_dates(rng, "No religion", background="vietnamese")
    assert any("Lunar New Year" in label for _, label, _, _ in lunar)
    for kind, _, _, plan in orthodox + lunar:
        assert kind in {"festival", "other"} and plan


def test_document_spec_makes_a_pdf() -> None:
    category, title, lines = content.document_spec(random.Random(24))
    assert category in {"id", "certificate", "letter", "report", "health", "education"}
    text = PdfReader(io.BytesIO(media.make_document_pdf(title, lines))).pages[0].extract_text()
    assert title.split(" \u2013 ")[0] in text


def test_note_place_override() -> None:
    rng = random.Random(25)
    note = content.note_text(rng, "custody_visit", name="Kai", place="HMP Ranby")
    assert note.place == "HMP Ranby"


def test_no_qt_import() -> None:
    source = inspect.getsource(content)
    assert "PySide6" not in source and "Qt" not in source.replace("No Qt here", "")


# -- one coherent story per young person (issue 12) -------------------------------------------

STORY_TODAY = date(2026, 11, 23)
COMMUNITY_WORDS = ("Staying Put", "foster carers", "tenancy", "housemates", "landlord")


@pytest.fixture(scope="module")
def story_records(tmp_path_factory) -> list:
    from models.demo.generate import generate_demo
    from models.repo.whole_record import load_record
    from models.repo.young_people import caseload
    from tests.factories import make_store

    store = make_store(tmp_path_factory.mktemp("story") / "store")
    try:
        generate_demo(store, young_people=40, seed=12, today=STORY_TODAY)
        with store.reader() as s:
            return [load_record(s, row.id, STORY_TODAY) for row in caseload(s, STORY_TODAY)]
    finally:
        store.close()


def _plan_text(record) -> str:
    parts = [record.plan.life_summary]
    for section in record.plan.sections:
        parts += [section.strengths, section.goals, *(a.what for a in section.actions)]
    return "\n".join(parts)


def test_someone_in_custody_is_never_told_they_live_in_the_community(story_records) -> None:
    inside = [r for r in story_records if r.profile.in_custody]
    assert len(inside) >= 2
    for record in inside:
        accommodation = next(s for s in record.plan.sections if s.matter == "accommodation")
        text = "\n".join([accommodation.strengths, accommodation.goals, record.plan.life_summary])
        for words in COMMUNITY_WORDS:
            assert words not in text, (record.profile.preferred_name, words)


def test_custody_visits_are_in_the_young_persons_own_prison(story_records) -> None:
    for record in story_records:
        visits = [n for n in record.notes if n.kind == "custody_visit"]
        if not record.profile.in_custody:
            assert visits == [], record.profile.preferred_name
            continue
        assert visits
        assert {n.place for n in visits} == {record.profile.prison}
        latest = max(record.notes, key=lambda n: n.occurred_at)
        assert latest.kind == "custody_visit"
        # From inside: visits and letters only (no WhatsApp, no home visits, no drop-ins).
        first_inside = min(n.occurred_at for n in visits)
        for note in record.notes:
            if note.occurred_at >= first_inside:
                assert note.kind in ("custody_visit", "letter"), note.kind


def test_notes_are_written_by_the_allocated_adviser(story_records) -> None:
    advisers = {r.profile.allocated_pa for r in story_records}
    assert len(advisers) > 1  # the demo team, not the store's owner alone
    for record in story_records:
        assert {n.author for n in record.notes} == {record.profile.allocated_pa}


def test_home_visits_are_at_the_young_persons_own_home(story_records) -> None:
    for record in story_records:
        town = record.profile.address.splitlines()[1]
        for note in record.notes:
            if note.kind == "home_visit":
                assert note.place == f"{record.profile.accommodation_type}, {town}"


def test_staying_put_text_only_for_young_people_staying_put(story_records) -> None:
    seen = 0
    for record in story_records:
        staying_put = record.profile.accommodation_type.startswith("Staying Put")
        if "Staying Put" in _plan_text(record).replace("Staying Put arrangement", ""):
            assert staying_put, record.profile.accommodation_type
            seen += 1
    assert seen  # the demo still has some


def test_a_written_memory_keeps_its_own_title_and_who_added_it(story_records) -> None:
    pairs = {(m["title"], m["text"]): m for m in read_json("demo", "misc.json")["written_memories"]}
    memories = [m for r in story_records for m in r.memories if m.kind == "memory"]
    assert memories
    for record in story_records:
        for m in record.memories:
            if m.kind != "memory":
                continue
            item = pairs.get((m.caption, m.body))
            assert item is not None, (m.caption, m.body[:40])  # never "Our dog, Biscuit"
            if m.body.startswith("From "):
                assert m.added_by_kind == "professional"
                assert m.added_by_name == record.profile.allocated_pa
            if "uasc" in item.get("tags", ()):
                assert record.profile.uasc


def test_people_fit_where_the_young_person_lives(story_records) -> None:
    for record in story_records:
        kinds = {p.relationship for p in record.people}
        if "Current foster carer" in kinds:
            assert record.profile.accommodation_type == "Foster placement"
        if "Supported lodgings host" in kinds:
            assert record.profile.accommodation_type == "Supported lodgings"


@pytest.mark.parametrize(
    "setting", [t["label"] for t in read_json("demo", "misc.json")["accommodation_types"]]
)
@pytest.mark.parametrize("extra", [{}, {"uasc": True}, {"in_custody": True}, {"is_parent": True}])
def test_every_setting_has_enough_text_that_fits(setting, extra) -> None:
    profile = {"accommodation_type": setting, **extra}
    tags = circumstances.story_tags(profile)
    rng = random.Random(3)
    for _ in range(30):
        for matter in content.MATTERS:  # raises if too little text fits
            strengths, goals, actions = content.plan_section_text(rng, matter, tags=tags)
            assert strengths and goals and actions
        text = content.plan_section_text(rng, "accommodation", tags=tags)[0]
        if "custody" in tags or setting != "Staying Put with former foster carers":
            assert "Staying Put" not in text
        assert content.life_summary(rng, "Kai", tags=tags)
        assert content.written_memory_item(rng, tags=tags).title
