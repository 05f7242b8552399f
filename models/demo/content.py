"""Content for the fictional demo caseload: pure functions over a ``random.Random``.

Every function that takes ``rng`` draws only from it, so the same seed gives the same caseload.
Word lists are read once from ``resources/demo/*.json`` (see that folder for their keys). All
people, records and documents produced here are invented; the photos are generated scenes and
the PDFs are marked "SPECIMEN – fictional demo document".

Templates use ``{name}`` (and, in notes, ``{place}``) and avoid gendered pronouns. Items tagged
``uasc``, ``custody``, ``parent`` or ``higher_education`` are only drawn when the caller passes
that tag, so a young person who never arrived unaccompanied never gets a Home Office sentence.

No Qt here: this module is used by the CLI, the GUI and the tests alike.
"""

from __future__ import annotations

import copy
import io
import math
import random
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple, TypedDict

from resources import read_json

__all__ = [
    "MATTERS",
    "NOTE_KINDS",
    "TAGS",
    "DemoIdentity",
    "NoteText",
    "PlanAction",
    "Professional",
    "accommodation",
    "accommodation_types",
    "address",
    "background_keys",
    "birthday_plan",
    "contact_relationship",
    "document_lines",
    "document_spec",
    "document_title",
    "emergency_contacts",
    "festival_calendar",
    "important_people",
    "key_dates",
    "legal_status",
    "legal_statuses",
    "life_summary",
    "make_document_pdf",
    "make_photo_jpeg",
    "memory_caption",
    "note_text",
    "pick_identity",
    "plan_section_text",
    "prison",
    "professional",
    "release_plan",
    "written_memory",
]

#: The ten pathway-plan matters (Care Leavers (England) Regulations 2010, Sch 1), in order.
MATTERS: tuple[str, ...] = (
    "contact_support",
    "education_training",
    "employment",
    "contingency",
    "accommodation",
    "family_relationships",
    "independent_living",
    "finance",
    "health",
    "identity",
)

#: Kinds of contact note.
NOTE_KINDS: tuple[str, ...] = (
    "custody_visit",
    "home_visit",
    "out_of_area_visit",
    "phone",
    "video",
    "whatsapp",
    "email",
    "letter",
    "drop_in",
    "other",
)

#: Tags that unlock context-specific text.
TAGS: frozenset[str] = frozenset({"uasc", "custody", "parent", "higher_education"})

_NON_BINARY_SHARE = 0.04
_OWN_SCRIPT_PREFERRED_SHARE = 0.45
_SHORT_NAME_SHARE = 0.35


# ---------------------------------------------------------------------------------------------
# Data loading


@cache
def _data(name: str) -> dict[str, Any]:
    """One of the demo JSON files, parsed once. Never mutate the result."""
    return read_json("demo", f"{name}.json")


def _fits(item: Any, tags: Collection[str]) -> bool:
    return not (isinstance(item, dict) and item.get("tags")) or bool(set(item["tags"]) & set(tags))


def _text(item: Any) -> str:
    return item["text"] if isinstance(item, dict) else item


def _fill(template: str, name: str, place: str = "") -> str:
    text = template.replace("{name}", name).replace("{place}", place)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _weighted(rng: random.Random, items: Sequence[dict[str, Any]], key: str = "weight") -> Any:
    return rng.choices(items, weights=[item[key] for item in items])[0]


# ---------------------------------------------------------------------------------------------
# Identity


@dataclass(frozen=True)
class DemoIdentity:
    """A fictional young person's identity as the record would hold it.

    ``legal_name`` is what UK documents hold (a Latin transliteration for names in other scripts,
    without Vietnamese tone marks, and often the anglicised form of an Irish surname);
    ``own_script_name`` is the full name in the young person's own script or language, or None
    when it is the same as the legal name. ``preferred_name`` may be in the young person's own
    script, a usual short form or a nickname.
    """

    legal_name: str
    preferred_name: str
    pronouns: str
    languages: tuple[str, ...]
    religion: str
    background: str
    background_key: str
    given_name: str
    family_name: str
    own_script_name: str | None
    gender: str  # "female", "male" or "non-binary"
    ethnicity: str
    nationality: str
    uasc: bool  # arrived in the UK as an unaccompanied asylum-seeking child

    @property
    def tags(self) -> frozenset[str]:
        """The content tags this identity unlocks (``uasc`` for unaccompanied young people)."""
        return frozenset({"uasc"}) if self.uasc else frozenset()


def background_keys() -> tuple[str, ...]:
    """Keys of the name groups in ``names.json``, e.g. ``"eritrean"``, ``"vietnamese"``."""
    return tuple(_data("names")["groups"])


def pick_identity(rng: random.Random, *, background: str | None = None) -> DemoIdentity:
    """A fictional identity, drawn from a weighted mix of backgrounds (or the one given)."""
    groups: dict[str, Any] = _data("names")["groups"]
    if background is None:
        keys = list(groups)
        background = rng.choices(keys, weights=[groups[k]["weight"] for k in keys])[0]
    elif background not in groups:
        raise ValueError(f"Unknown demo background {background!r}; use one of {list(groups)}.")
    g = groups[background]

    name_gender = "female" if rng.random() < g["female_share"] else "male"
    non_binary = rng.random() < _NON_BINARY_SHARE
    gender = "non-binary" if non_binary else name_gender
    pronouns = "they/them" if non_binary else ("she/her" if name_gender == "female" else "he/him")

    given = rng.choice(g["given"][name_gender])
    family = rng.choice(g["family"])
    middle = rng.choice(g["middle"][name_gender]) if "middle" in g else None

    given_native = given["name"]
    given_legal = given.get("latin", given_native)
    if name_gender == "female" and "name_f" in family:
        family_native = family["name_f"]
        family_legal = family.get("latin_f", family.get("latin", family_native))
    else:
        family_native = family["name"]
        family_legal = family.get("latin", family_native)
    if middle is not None:  # passport order: given names "Thi Lan", surname "Nguyen"
        given_legal = f"{middle.get('latin', middle['name'])} {given_legal}"
    legal_name = f"{given_legal} {family_legal}"

    if g.get("family_name_first"):
        sep = "" if g["script"] == "Hani" else " "
        parts = [family_native, middle["name"] if middle else None, given_native]
        own = sep.join(p for p in parts if p)
    else:
        own = f"{given_native} {family_native}"
    own_script_name = None if own == legal_name else own

    preferred = _preferred_name(rng, g, name_gender, given, own)

    uasc = rng.random() < g["unaccompanied_share"]
    nationalities = g["nationalities"]
    if uasc:
        nationalities = [n for n in nationalities if "British" not in n] or nationalities
    nationality = rng.choice(nationalities)

    languages = list(g["languages"])
    extra = g.get("extra_languages", [])
    if extra and rng.random() < (0.08 if background == "english" else 0.35):
        lang = rng.choice(extra)
        languages.insert(len(languages) - 1 if languages[-1] == "English" else len(languages), lang)
    if "English" not in languages:
        languages.append("English")

    return DemoIdentity(
        legal_name=legal_name,
        preferred_name=preferred,
        pronouns=pronouns,
        languages=tuple(languages),
        religion=_weighted(rng, g["religions"])["name"],
        background=g["label"],
        background_key=background,
        given_name=given_legal,
        family_name=family_legal,
        own_script_name=own_script_name,
        gender=gender,
        ethnicity=rng.choice(g["ethnicities"]),
        nationality=nationality,
        uasc=uasc,
    )


def _preferred_name(
    rng: random.Random, g: dict[str, Any], gender: str, given: dict[str, Any], own: str
) -> str:
    roll = rng.random()
    latin_given = given.get("latin", given["name"])
    if g["script"] != "Latn":
        if roll < _OWN_SCRIPT_PREFERRED_SHARE:
            return own if g["script"] == "Hani" else given["name"]
        nicknames = g.get("nicknames", {}).get(gender)
        if nicknames and roll > 1 - _SHORT_NAME_SHARE / 2:
            return rng.choice(nicknames)
        return latin_given
    if "short" in given and roll < _SHORT_NAME_SHARE:
        return given["short"]
    return given["name"]  # keeps diacritics and fadas: Thảo, Siobhán, Łukasz


# ---------------------------------------------------------------------------------------------
# Pathway plan


class PlanAction(TypedDict):
    who: str  # "PA", "Young person", "Housing officer", ...
    what: str


def plan_section_text(
    rng: random.Random, matter: str, *, tags: Collection[str] = ()
) -> tuple[str, str, list[PlanAction]]:
    """``(strengths, goals, actions)`` for one pathway-plan matter.

    ``strengths`` ("what's going well", written to the young person) and ``goals`` (in the young
    person's own voice) are a few sentences, one per line. ``tags`` unlocks context-specific
    items, e.g. ``{"uasc"}``.
    """
    try:
        m = _data("plan_text")["matters"][matter]
    except KeyError:
        raise ValueError(f"Unknown pathway-plan matter {matter!r}; use one of {MATTERS}.") from None
    strengths = [_text(s) for s in m["strengths"] if _fits(s, tags)]
    goals = [_text(s) for s in m["goals"] if _fits(s, tags)]
    actions = [a for a in m["actions"] if _fits(a, tags)]
    chosen_strengths = rng.sample(strengths, rng.randint(2, 4))
    chosen_goals = rng.sample(goals, rng.randint(1, 3))
    chosen_actions = rng.sample(actions, rng.randint(2, 4))
    return (
        "\n".join(chosen_strengths),
        "\n".join(chosen_goals),
        [PlanAction(who=a["who"], what=a["what"]) for a in chosen_actions],
    )


# ---------------------------------------------------------------------------------------------
# Contact notes


class NoteText(NamedTuple):
    summary: str
    narrative: str
    place: str


def note_text(
    rng: random.Random,
    kind: str,
    *,
    name: str = "the young person",
    tags: Collection[str] = (),
    place: str | None = None,
) -> NoteText:
    """``(summary, narrative, place)`` for a contact note of ``kind`` (see ``NOTE_KINDS``).

    The narrative is several sentences written as a PA would: what happened, the young person's
    words quoted, an opinion labelled as such, and what happens next. ``name`` is the young
    person's preferred name; ``place`` (e.g. their prison) replaces the kind's usual places,
    though a topic tied to one place (a court, a hospital) keeps its own.
    """
    notes = _data("notes")
    try:
        k = notes["kinds"][kind]
    except KeyError:
        raise ValueError(f"Unknown note kind {kind!r}; use one of {NOTE_KINDS}.") from None
    shared = notes["shared"]
    spoken = k["mode"] != "written"

    topic = rng.choice([t for t in k["topics"] if _fits(t, tags)])
    where = topic.get("place") or place or rng.choice(k["places"])
    label, in_text = (where["label"], where["text"]) if isinstance(where, dict) else (where, where)
    sentences = [topic.get("opening") or rng.choice(k["openings"]), *topic["details"]]
    if k["mode"] == "in_person" and rng.random() < 0.5:
        sentences.insert(1, rng.choice(shared["in_person_details"]))
    extra = list(k["details"]) + (list(shared["details"]) if spoken else [])
    if extra and rng.random() < 0.6:
        sentences.append(rng.choice(extra))
    voice = list(k["voice"]) + (list(shared["voice"]) if spoken else [])
    if voice and rng.random() < 0.85:
        sentences.append(rng.choice(voice))
    opinions = list(k["opinions"]) + (list(shared["opinions"]) if spoken else [])
    if opinions:
        sentences.append(rng.choice(opinions))
    next_steps = list(k["next_steps"]) + (list(shared["next_steps"]) if spoken else [])
    if topic.get("next_step"):
        sentences.append(topic["next_step"])
    elif next_steps:
        sentences.append(rng.choice(next_steps))

    return NoteText(
        summary=_fill(topic["summary"], name, in_text),
        narrative=" ".join(_fill(s, name, in_text) for s in sentences),
        place=label,
    )


# ---------------------------------------------------------------------------------------------
# Life summary and memory box


def life_summary(rng: random.Random, name: str, *, tags: Collection[str] = ()) -> str:
    """A short, respectful, strength-based life summary for the start of the pathway plan.

    Summaries tagged ``uasc``/``parent``/``custody`` are preferred when those tags are given.
    """
    items = _data("misc")["life_summaries"]
    specific = [i for i in items if isinstance(i, dict) and set(i["tags"]) & set(tags)]
    pool = specific or [i for i in items if not isinstance(i, dict)]
    return _fill(_text(rng.choice(pool)), name)


def memory_caption(rng: random.Random) -> str:
    """A caption for a photo in the memory box."""
    return rng.choice(_data("misc")["memory_captions"])


def written_memory(rng: random.Random) -> str:
    """A short written memory, by the young person or by someone who knows them."""
    return rng.choice(_data("misc")["written_memories"])


# ---------------------------------------------------------------------------------------------
# Reference lists (copies, safe to change)


class Professional(NamedTuple):
    name: str
    role: str
    organisation: str


def professional(rng: random.Random, *, role_contains: str | None = None) -> Professional:
    """A fictional professional, e.g. for "added by"; ``role_contains="Personal Adviser"``."""
    people = _data("misc")["professionals"]
    if role_contains:
        people = [p for p in people if role_contains.lower() in p["role"].lower()] or people
    p = rng.choice(people)
    return Professional(p["name"], p["role"], p["organisation"])


def contact_relationship(rng: random.Random) -> str:
    """A relationship for someone the young person wants to stay in touch with."""
    return rng.choice(_data("misc")["contact_relationships"])


def accommodation_types() -> list[dict[str, Any]]:
    """``[{"key", "label", "suitable" (True/False/None), "ages", "note"?}, ...]``."""
    return copy.deepcopy(_data("misc")["accommodation_types"])


def legal_statuses() -> list[dict[str, str]]:
    """Care-leaver categories: eligible, relevant, former relevant, qualifying."""
    return copy.deepcopy(_data("misc")["legal_statuses"])


def festival_calendar() -> list[dict[str, Any]]:
    """Festivals and personal dates.

    Each is ``{"name", "date_2026" (ISO date or None), "rule", "kind", "observed_by", "note"?}``.
    """
    return copy.deepcopy(_data("misc")["key_dates"])


def emergency_contacts() -> list[dict[str, Any]]:
    """Out-of-hours and crisis contacts; ``demo_number`` ones are Ofcom drama numbers."""
    return copy.deepcopy(_data("misc")["emergency_contacts"])


def document_title(rng: random.Random, category: str | None = None) -> tuple[str, str]:
    """``(category, title)``, e.g. ``("id", "Birth certificate")``.

    Categories: id, certificate, letter, report, health, education.
    """
    categories = _data("misc")["document_categories"]
    if category is None:
        category = rng.choice(list(categories))
    return category, rng.choice(categories[category]["titles"])


def document_lines(rng: random.Random, category: str, name: str) -> list[str]:
    """Body lines for a specimen document of ``category`` about ``name`` (for the PDF)."""
    template = _data("misc")["document_categories"][category]["lines"]
    ref = f"DEMO-{rng.randrange(10**4):04d}-{rng.randrange(10**4):04d}"
    return [line.replace("{name}", name).replace("{ref}", ref) for line in template]


def document_spec(
    rng: random.Random, category: str | None = None, *, name: str = "Demo Young Person"
) -> tuple[str, str, list[str]]:
    """``(category, title, lines)`` for a specimen document: feed to ``make_document_pdf``."""
    category, title = document_title(rng, category)
    return category, title, document_lines(rng, category, name)


# ---------------------------------------------------------------------------------------------
# Circumstances (for the profile)


def legal_status(rng: random.Random, age: int) -> str:
    """A care-leaver category key for someone of ``age``: "" (under 16), "eligible", "relevant",
    "former_relevant" or "qualifying"."""
    if age < 16:
        return ""
    if age < 18:
        return "eligible" if rng.random() < 0.8 else "relevant"
    return "former_relevant" if rng.random() < 0.92 else "qualifying"


def accommodation(rng: random.Random, *, age: int | None = None) -> tuple[str, bool | None]:
    """``(accommodation type label, suitable)``; ``suitable`` is None when not assessed.

    With ``age``, only types open at that age are drawn (no foster placement at 23, no B&B at 16).
    Custody is never drawn here; it comes from the custody circumstances.
    """
    types = [
        t
        for t in _data("misc")["accommodation_types"]
        if t["weight"] > 0 and (age is None or t["min_age"] <= age <= t["max_age"])
    ]
    chosen = _weighted(rng, types)
    roll = rng.random()
    if chosen["suitable"] is True:
        suitable: bool | None = True if roll < 0.88 else (None if roll < 0.95 else False)
    else:
        suitable = chosen["suitable"]
    return chosen["label"], suitable


def address(rng: random.Random) -> str:
    """A fictional three-line address (invented street, real town, postcode unit ``9ZZ``)."""
    misc = _data("misc")
    street = rng.choice(misc["address_streets"])
    town = rng.choice(misc["address_towns"])
    number = rng.randint(1, 120)
    line1 = f"{number} {street}"
    if rng.random() < 0.4:
        line1 = f"Flat {rng.randint(1, 24)}, {line1}"
    return f"{line1}\n{town['town']}\n{town['postcode']} 9ZZ"


def prison(rng: random.Random, *, age: int | None = None, gender: str | None = None) -> str:
    """A prison, young offender institution or secure children's home that fits age and sex."""
    places = _data("misc")["prisons"]
    fitting = [
        p
        for p in places
        if (age is None or p["min_age"] <= age <= p["max_age"])
        and (gender not in ("female", "male") or p["sex"] in (None, gender))
    ]
    return rng.choice(fitting or places)["name"]


def release_plan(rng: random.Random) -> str:
    """A release-accommodation plan for a young person in custody."""
    return rng.choice(_data("misc")["release_plans"])


def birthday_plan(rng: random.Random) -> str:
    """What the young person wants to do on their birthday, and what the PA will do."""
    return rng.choice(_data("misc")["birthday_plans"])


def important_people(
    rng: random.Random, *, identity: DemoIdentity | None = None
) -> list[dict[str, Any]]:
    """1-4 people the young person wants to stay in touch with.

    Each is ``{"name", "relationship", "how_to_contact", "notes", "is_emergency_contact"}``
    (the keyword arguments of ``add_person``). With ``identity``, relatives share the young
    person's background and family name, and relatives of a UASC young person may live abroad.
    """
    misc = _data("misc")
    family_relationships = set(misc["family_relationships"])
    people: list[dict[str, Any]] = []
    emergency_given = False
    for relationship in rng.sample(misc["contact_relationships"], rng.randint(1, 4)):
        is_family = relationship in family_relationships
        abroad = bool(identity and identity.uasc and is_family and rng.random() < 0.6)
        name = _person_name(rng, relationship, identity if is_family else None)
        phone = f"07700 900{rng.randrange(1000):03d}"  # Ofcom's drama range: reaches no one
        notes = rng.choice(misc["important_people_notes"]) if rng.random() < 0.6 else ""
        how = "WhatsApp video (lives abroad)" if abroad else phone
        if abroad:
            notes = "Lives abroad; video calls when possible."
        emergency = not abroad and not emergency_given and rng.random() < 0.7
        emergency_given = emergency_given or emergency
        people.append(
            {
                "name": name,
                "relationship": relationship,
                "how_to_contact": how,
                "notes": notes,
                "is_emergency_contact": emergency,
            }
        )
    return people


_FEMALE_RELATIONS = {"Nan", "Mum", "Older sister", "Younger sister", "Half-sister", "Aunt"}
_MALE_RELATIONS = {"Grandad", "Dad", "Older brother", "Younger brother", "Half-brother", "Uncle"}
_OLDER_RELATIONS = {"Nan", "Grandad", "Mum", "Dad", "Aunt", "Uncle"}


def _person_name(rng: random.Random, relationship: str, identity: DemoIdentity | None) -> str:
    """A relative's name in the legal (Latin) form, or a friend's or professional's name."""
    if relationship in _FEMALE_RELATIONS:
        gender = "female"
    elif relationship in _MALE_RELATIONS:
        gender = "male"
    else:
        gender = rng.choice(("female", "male"))
    key = identity.background_key if identity else rng.choice(("english", "english", "caribbean"))
    g = _data("names")["groups"][key]
    if key == "english" and relationship in _OLDER_RELATIONS:
        given = rng.choice(_data("misc")["older_english_given"][gender])
    else:
        entry = rng.choice(g["given"][gender])
        given = entry.get("latin", entry["name"])
    family_entry = rng.choice(g["family"])
    if identity and relationship in _SHARES_SURNAME:
        # Same family name as the young person, in the right gendered form (Kowalski/Kowalska).
        family_entry = next(
            (e for e in g["family"] if identity.family_name in _family_forms(e)),
            {"name": identity.family_name},
        )
        if relationship == "Dad" and g.get("naming") == "patronymic":
            # The young person's second name is Dad's own given name.
            given, family_entry = identity.family_name, rng.choice(g["family"])
    return f"{given} {_family_form(family_entry, gender)}"


_SHARES_SURNAME = {
    "Dad",
    "Older brother",
    "Older sister",
    "Younger brother",
    "Younger sister",
    "Half-brother",
    "Half-sister",
}


def _family_form(entry: dict[str, Any], gender: str) -> str:
    if gender == "female" and "name_f" in entry:
        return entry.get("latin_f", entry.get("latin", entry["name_f"]))
    return entry.get("latin", entry["name"])


def _family_forms(entry: dict[str, Any]) -> set[str]:
    return {_family_form(entry, "female"), _family_form(entry, "male")}


def key_dates(
    rng: random.Random, religion: str, *, background: str | None = None
) -> list[tuple[str, str, date, str]]:
    """Festivals (and a few hard days) to plan for: ``[(kind, label, on_date, plan_for_day)]``.

    ``kind`` is "festival" or "other"; dates are the 2026 ones (lunar festivals move each year).
    Festivals follow ``religion`` (e.g. "Islam (Sunni)" gets both Eids) and, when given, the
    name group ``background`` (e.g. "vietnamese" gets Lunar New Year).
    """
    misc = _data("misc")
    faith = religion.lower()
    out: list[tuple[str, str, date, str]] = []
    for entry in misc["key_dates"]:
        if not entry.get("date_2026"):
            continue
        if any(word.lower() in faith for word in entry.get("not_religions", ())):
            continue  # e.g. Orthodox Tewahedo Christians keep Christmas on 7 January
        by_faith = any(word.lower() in faith for word in entry.get("religions", ()))
        by_background = background is not None and background in entry.get("backgrounds", ())
        if entry["kind"] == "personal":
            chosen = rng.random() < 0.25
        elif entry["name"] == "Christmas Day" and not by_faith:
            chosen = rng.random() < 0.5 and "islam" not in faith  # many celebrate it anyway
        else:
            chosen = by_faith or by_background
        if not chosen:
            continue
        short = entry.get("short", entry["name"])
        plan = entry.get("plan") or rng.choice(misc["festival_plans"]).replace("{festival}", short)
        kind = "other" if entry["kind"] == "personal" else "festival"
        out.append(
            (
                kind,
                entry["name"],
                date.fromisoformat(entry["date_2026"]),
                plan[:1].upper() + plan[1:],
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Generated photo (Pillow)

_PALETTES: tuple[dict[str, tuple[int, int, int]], ...] = (
    {
        "sky_top": (70, 130, 200),
        "sky_bottom": (190, 225, 245),
        "sun": (255, 236, 150),
        "far": (120, 160, 150),
        "near": (60, 120, 70),
    },
    {
        "sky_top": (250, 120, 80),
        "sky_bottom": (255, 210, 140),
        "sun": (255, 245, 200),
        "far": (150, 90, 110),
        "near": (70, 50, 80),
    },
    {
        "sky_top": (40, 60, 120),
        "sky_bottom": (230, 150, 170),
        "sun": (255, 220, 200),
        "far": (90, 90, 140),
        "near": (40, 45, 80),
    },
    {
        "sky_top": (110, 190, 230),
        "sky_bottom": (230, 245, 250),
        "sun": (255, 255, 210),
        "far": (150, 190, 110),
        "near": (90, 150, 60),
    },
)


def make_photo_jpeg(rng: random.Random, width: int = 640, height: int = 480) -> bytes:
    """A generated JPEG "photo" (a landscape, seaside, city at night or abstract shapes)."""
    from PIL import ImageDraw, ImageFilter

    if width < 16 or height < 16:
        raise ValueError("A demo photo must be at least 16 × 16 pixels.")
    scene = rng.choice(("landscape", "seaside", "city_night", "abstract"))
    palette = dict(rng.choice(_PALETTES))
    palette = {k: _jitter(rng, v, 18) for k, v in palette.items()}
    w, h = width, height

    if scene == "city_night":
        top, bottom = _jitter(rng, (15, 20, 55), 10), _jitter(rng, (70, 60, 110), 15)
        img = _vertical_gradient(w, h, top, bottom)
    else:
        img = _vertical_gradient(w, h, palette["sky_top"], palette["sky_bottom"])
    draw = ImageDraw.Draw(img, "RGBA")

    if scene == "abstract":
        for _ in range(rng.randint(8, 16)):
            colour = (*_jitter(rng, rng.choice(list(palette.values())), 60), rng.randint(70, 170))
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            r = rng.uniform(0.05, 0.3) * min(w, h)
            if rng.random() < 0.6:
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
            else:
                draw.rectangle((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=colour)
        img = img.filter(ImageFilter.GaussianBlur(radius=1.2))
    else:
        horizon = h * rng.uniform(0.55, 0.7)
        sun_r = min(w, h) * rng.uniform(0.06, 0.1)
        sun_x, sun_y = rng.uniform(0.2, 0.8) * w, horizon - rng.uniform(0.15, 0.4) * h
        if scene == "city_night":
            _stars(rng, draw, w, int(horizon))
            draw.ellipse(
                (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r),
                fill=(240, 240, 225, 255),
            )
            _skyline(rng, draw, w, h, horizon)
        else:
            for i in range(6, 0, -1):  # soft glow
                g = sun_r * (1 + i * 0.35)
                draw.ellipse(
                    (sun_x - g, sun_y - g, sun_x + g, sun_y + g), fill=(*palette["sun"], 18)
                )
            draw.ellipse(
                (sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r),
                fill=(*palette["sun"], 255),
            )
            _clouds(rng, draw, w, int(horizon))
            if scene == "seaside":
                _sea(rng, draw, w, h, horizon, palette, sun_x)
            else:
                _hills(rng, draw, w, h, horizon, palette)

    img = _grain(rng, img, strength=0.05)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _jitter(rng: random.Random, colour: Sequence[int], amount: int) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, c + rng.randint(-amount, amount))) for c in colour[:3])
    return r, g, b


def _lerp(a: Sequence[int], b: Sequence[int], t: float) -> tuple[int, int, int]:
    r, g, b_ = (round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))
    return r, g, b_


def _vertical_gradient(w: int, h: int, top: Sequence[int], bottom: Sequence[int]) -> Any:
    from PIL import Image

    column = Image.new("RGB", (1, h))
    column.putdata([_lerp(top, bottom, y / max(1, h - 1)) for y in range(h)])
    return column.resize((w, h))


def _ridge(rng: random.Random, w: int, base: float, amplitude: float) -> list[tuple[float, float]]:
    waves = [
        (rng.uniform(0.5, 3.5), rng.uniform(0, 2 * math.pi), rng.uniform(0.3, 1.0))
        for _ in range(3)
    ]
    total = sum(a for _, _, a in waves)
    points = []
    for x in range(0, w + 8, 8):
        y = sum(a * math.sin(f * 2 * math.pi * x / w + p) for f, p, a in waves) / total
        points.append((float(x), base - amplitude * y))
    return points


def _hills(
    rng: random.Random,
    draw: Any,
    w: int,
    h: int,
    horizon: float,
    palette: dict[str, tuple[int, int, int]],
) -> None:
    layers = rng.randint(2, 4)
    for i in range(layers):
        t = i / max(1, layers - 1)
        colour = _lerp(palette["far"], palette["near"], t)
        base = horizon + t * (h - horizon) * 0.55
        ridge = _ridge(rng, w, base, h * rng.uniform(0.04, 0.1))
        draw.polygon([*ridge, (w, h), (0, h)], fill=(*colour, 255))
    for _ in range(rng.randint(0, 6)):  # a few trees in the foreground
        x, y = rng.uniform(0, w), rng.uniform(h * 0.85, h * 0.97)
        s = rng.uniform(10, 26)
        draw.rectangle((x - s * 0.08, y, x + s * 0.08, y + s * 0.4), fill=(80, 55, 40, 255))
        draw.polygon(
            [(x, y - s * 1.4), (x - s * 0.5, y + s * 0.05), (x + s * 0.5, y + s * 0.05)],
            fill=(*_jitter(rng, (40, 95, 50), 15), 255),
        )


def _sea(
    rng: random.Random,
    draw: Any,
    w: int,
    h: int,
    horizon: float,
    palette: dict[str, tuple[int, int, int]],
    sun_x: float,
) -> None:
    top = _jitter(rng, (40, 110, 160), 20)
    bottom = _jitter(rng, (20, 60, 100), 15)
    hz = int(horizon)
    for y in range(hz, h):
        draw.line([(0, y), (w, y)], fill=(*_lerp(top, bottom, (y - hz) / max(1, h - hz)), 255))
    for _ in range(rng.randint(25, 45)):  # glitter on the water below the sun
        gy = rng.uniform(hz + 4, h * 0.9)
        half = rng.uniform(5, 30) * (gy - hz) / max(1, h - hz) + 3
        x = sun_x + rng.gauss(0, 25)
        draw.line([(x - half, gy), (x + half, gy)], fill=(*palette["sun"], 150), width=2)
    sand = _jitter(rng, (225, 200, 150), 12)
    ridge = _ridge(rng, w, h * rng.uniform(0.88, 0.95), h * 0.03)
    draw.polygon([*ridge, (w, h), (0, h)], fill=(*sand, 255))
    if rng.random() < 0.7:  # a small sailing boat
        bx, by = rng.uniform(0.15, 0.85) * w, hz + rng.uniform(8, 30)
        draw.polygon(
            [(bx - 14, by), (bx + 14, by), (bx + 9, by + 6), (bx - 9, by + 6)],
            fill=(60, 40, 30, 255),
        )
        draw.polygon([(bx, by - 26), (bx, by - 2), (bx + 13, by - 2)], fill=(250, 250, 245, 255))


def _skyline(rng: random.Random, draw: Any, w: int, h: int, horizon: float) -> None:
    x = 0.0
    while x < w:
        bw = rng.uniform(30, 80)
        top = horizon - rng.uniform(20, 150)
        shade = rng.randint(18, 40)
        draw.rectangle((x, top, x + bw, h), fill=(shade, shade, shade + 15, 255))
        for wy in range(int(top) + 8, h - 10, 14):
            for wx in range(int(x) + 6, int(x + bw) - 8, 12):
                if rng.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 5, wy + 7), fill=(255, 215, 120, 230))
        x += bw + rng.uniform(0, 6)


def _stars(rng: random.Random, draw: Any, w: int, horizon: int) -> None:
    for _ in range(rng.randint(60, 140)):
        x, y = rng.uniform(0, w), rng.uniform(0, horizon)
        r = rng.choice((0.6, 0.9, 1.3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 240, rng.randint(120, 255)))


def _clouds(rng: random.Random, draw: Any, w: int, horizon: int) -> None:
    for _ in range(rng.randint(1, 5)):
        cx, cy = rng.uniform(0, w), rng.uniform(horizon * 0.1, horizon * 0.6)
        for _ in range(rng.randint(4, 8)):
            r = rng.uniform(12, 34)
            x, y = cx + rng.uniform(-50, 50), cy + rng.uniform(-10, 10)
            draw.ellipse((x - r * 1.4, y - r, x + r * 1.4, y + r), fill=(255, 255, 255, 90))


def _grain(rng: random.Random, img: Any, strength: float) -> Any:
    """Film grain from ``rng`` (Pillow's own noise is not seedable)."""
    from PIL import Image

    noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), strength)


# ---------------------------------------------------------------------------------------------
# Specimen PDF (reportlab)

_SPECIMEN = "SPECIMEN \u2013 fictional demo document"


def make_document_pdf(title: str, lines: list[str]) -> bytes:
    """A small A4 PDF (one page, or more for long text) clearly marked as a fictional specimen.

    Uses the built-in Helvetica, so characters outside Windows-1252 are folded to their nearest
    Latin form (ś → s, ł → l); the record itself keeps the exact spelling. Deterministic:
    the same title and lines give the same bytes.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    page_w, page_h = A4
    margin = 20 * mm
    text_w = page_w - 2 * margin
    safe_title = _pdf_safe(title) or "Document"
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(f"{safe_title} ({_SPECIMEN})")
    pdf.setAuthor("Pathway Desk demo")
    pdf.setSubject(_SPECIMEN)

    def start_page() -> float:
        pdf.saveState()
        pdf.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.12))
        pdf.setFont("Helvetica-Bold", 72)
        pdf.translate(page_w / 2, page_h / 2)
        pdf.rotate(40)
        pdf.drawCentredString(0, 0, "SPECIMEN")
        pdf.restoreState()
        pdf.setFillColor(colors.Color(0.16, 0.29, 0.45))
        pdf.rect(0, page_h - 18 * mm, page_w, 18 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.white)
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(margin, page_h - 11 * mm, "Pathway Desk demo \u2013 Leaving Care Service")
        pdf.setFillColor(colors.Color(0.7, 0.1, 0.1))
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawCentredString(page_w / 2, 10 * mm, f"{_SPECIMEN}. Not a real record.")
        pdf.setFillColor(colors.black)
        return page_h - 32 * mm

    y = start_page()
    pdf.setFont("Helvetica-Bold", 18)
    for part in simpleSplit(safe_title, "Helvetica-Bold", 18, text_w):
        pdf.drawString(margin, y, part)
        y -= 24
    pdf.setFont("Helvetica-Oblique", 10)
    pdf.drawString(margin, y, _SPECIMEN)
    y -= 28
    for line in lines:
        wrapped = simpleSplit(_pdf_safe(line), "Helvetica", 11, text_w) or [""]
        for part in wrapped:
            if y < 25 * mm:
                pdf.showPage()
                y = start_page()
            pdf.setFont("Helvetica", 11)
            pdf.drawString(margin, y, part)
            y -= 15
        y -= 6
    pdf.showPage()
    pdf.save()
    return out.getvalue()


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "ŋ": "ng"})


def _pdf_safe(text: str) -> str:
    """``text`` limited to what Helvetica (WinAnsi) can draw."""
    out = []
    for ch in text.translate(_FOLD):
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode("cp1252")
            out.append(base)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)
