"""Demo circumstances: legal status, accommodation, address, custody, the people who matter
and key dates. Pure functions over a ``random.Random`` (see :mod:`models.demo.content`)."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from models.demo.content import DemoIdentity, _data, _weighted

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


def accommodation(
    rng: random.Random, *, age: int | None = None, uasc: bool | None = None
) -> tuple[str, bool | None]:
    """``(accommodation type label, suitable)``; ``suitable`` is None when not assessed.

    With ``age``, only types open at that age are drawn (no foster placement at 23, no B&B at 16);
    with ``uasc=False``, no Home Office asylum accommodation. Custody is never drawn here; it
    comes from the custody circumstances.
    """
    types = [
        t
        for t in _data("misc")["accommodation_types"]
        if t["weight"] > 0
        and (age is None or t["min_age"] <= age <= t["max_age"])
        and not (uasc is False and t["key"] == "asylum_accommodation")
    ]
    chosen = _weighted(rng, types)
    roll = rng.random()
    if chosen["suitable"] is True:
        suitable: bool | None = True if roll < 0.88 else (None if roll < 0.95 else False)
    else:
        suitable = chosen["suitable"]
    return chosen["label"], suitable


# The settings an accommodation type puts a young person in, as content tags.
_SETTING_TAGS: dict[str, tuple[str, ...]] = {
    "foster_placement": ("foster", "placement"),
    "residential": ("residential", "placement"),
    "staying_put": ("staying_put",),
    "supported_lodgings": ("supported_lodgings",),
    "semi_independent": ("supported", "shared"),
    "foyer": ("supported", "shared"),
    "parent_and_baby": ("supported",),
    "own_tenancy_social": ("tenancy",),
    "own_tenancy_private": ("tenancy",),
    "hmo": ("tenancy", "shared"),
    "with_family": ("with_family",),
    "university_halls": ("student", "shared", "higher_education"),
    "armed_forces": ("armed_forces",),
    "asylum_accommodation": ("asylum_accommodation", "shared"),
    "hospital": ("hospital",),
    "custody": ("custody",),
    "emergency_bnb": ("unsettled",),
    "sofa_surfing": ("unsettled",),
    "no_fixed_abode": ("unsettled",),
}


def story_tags(profile: Mapping[str, Any]) -> frozenset[str]:
    """The content tags that fit a young person's profile (the keyword arguments of
    ``create_young_person``): their circumstances and the setting of their accommodation.
    Every text drawn for them (plan, summary, notes, memories, people) is drawn with these."""
    tags: set[str] = set()
    if profile.get("in_custody"):
        tags.add("custody")
    if profile.get("uasc"):
        tags.add("uasc")
    if profile.get("is_parent") or profile.get("expecting_child"):
        tags.add("parent")
    if str(profile.get("eet_status", "")).startswith("higher_education"):
        tags.add("higher_education")
    label = "Custody" if profile.get("in_custody") else profile.get("accommodation_type")
    for t in _data("misc")["accommodation_types"]:
        if t["label"] == label:
            tags.update(_SETTING_TAGS.get(t["key"], ()))
    return frozenset(tags)


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


# Relationships that exist only in some settings (a current foster carer needs a foster home).
_RELATIONSHIP_SETTINGS = {
    "Current foster carer": {"foster"},
    "Supported lodgings host": {"supported_lodgings"},
    "Key worker": {"supported", "residential"},
}


def important_people(
    rng: random.Random, *, identity: DemoIdentity | None = None, tags: Collection[str] = ()
) -> list[dict[str, Any]]:
    """1-4 people the young person wants to stay in touch with.

    Each is ``{"name", "relationship", "how_to_contact", "notes", "is_emergency_contact"}``
    (the keyword arguments of ``add_person``). With ``identity``, relatives share the young
    person's background and family name, and relatives of a UASC young person may live abroad.
    A current foster carer, a lodgings host or a key worker appears only where the young person's
    accommodation (``tags``, see :func:`story_tags`) has one.
    """
    misc = _data("misc")
    family_relationships = set(misc["family_relationships"])
    people: list[dict[str, Any]] = []
    emergency_given = False
    relationships = [
        r
        for r in misc["contact_relationships"]
        if r not in _RELATIONSHIP_SETTINGS or _RELATIONSHIP_SETTINGS[r] & set(tags)
    ]
    for relationship in rng.sample(relationships, rng.randint(1, 4)):
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
# Contact notes that fit the young person


def note_kind_weights(
    base: Mapping[Any, int], *, inside: bool, tags: Collection[str]
) -> dict[Any, int]:
    """How often each kind of contact happens for this young person at one moment (``base`` is
    keyed by :class:`~models.domain.NoteKind`). ``inside``: in custody then, so custody visits
    and letters only; outside, never a custody visit, and an out-of-area visit only to a
    student's halls."""
    weights = {kind: weight for kind, weight in base.items()}
    for kind in weights:
        value = str(getattr(kind, "value", kind))
        if inside:
            # Calls and messages from inside are few, and their usual topics (a broken boiler,
            # a college timetable) belong to life outside: visits and letters only.
            weights[kind] = {"custody_visit": 8, "letter": 2}.get(value, 0)
        elif value == "custody_visit" or (value == "out_of_area_visit" and "student" not in tags):
            weights[kind] = 0
    return weights


def note_tags(tags: Collection[str], *, inside: bool) -> frozenset[str]:
    """The tags for one note's text: custody topics only while in custody."""
    return frozenset(t for t in tags if inside or t != "custody")


def note_place(kind: str, profile: Mapping[str, Any]) -> str | dict[str, str] | None:
    """Where a contact of ``kind`` happened, from the young person's own record: their prison
    for a custody visit, their home (its kind and town) for a home visit; None lets the note
    pick a place that suits its kind (a café, the drop-in)."""
    if kind == "custody_visit":
        return profile.get("prison") or None
    if kind == "home_visit":
        lines = str(profile.get("address", "")).splitlines()
        town = lines[1] if len(lines) > 1 else "Nottinghamshire"
        label = str(profile.get("accommodation_type") or "Home")
        key = next(
            (t["key"] for t in _data("misc")["accommodation_types"] if t["label"] == label), ""
        )
        return {
            "label": f"{label}, {town}",
            "text": f"{_HOME_WORDS.get(key, 'the home')} in {town}",
        }
    if kind == "out_of_area_visit" and "student" in story_tags(profile):
        return {
            "label": "Student accommodation, Sheffield",
            "text": "the student halls in Sheffield",
        }
    return None


_HOME_WORDS = {
    "foster_placement": "the foster home",
    "residential": "the children's home",
    "staying_put": "the Staying Put home",
    "supported_lodgings": "the supported lodgings",
    "semi_independent": "the semi-independent house",
    "foyer": "the Foyer",
    "parent_and_baby": "the parent and baby placement",
    "own_tenancy_social": "the flat",
    "own_tenancy_private": "the flat",
    "hmo": "the shared house",
    "with_family": "the family home",
    "university_halls": "the student halls",
    "armed_forces": "the base",
    "asylum_accommodation": "the Home Office accommodation",
    "emergency_bnb": "the B&B",
    "sofa_surfing": "a friend's flat",
}
