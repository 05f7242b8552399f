"""Demo circumstances: legal status, accommodation, address, custody, the people who matter
and key dates. Pure functions over a ``random.Random`` (see :mod:`models.demo.content`)."""

from __future__ import annotations

import random
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
