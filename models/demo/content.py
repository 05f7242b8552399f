"""Content for the fictional demo caseload: pure functions over a ``random.Random``.

This module holds names, plan text, notes and memories; :mod:`models.demo.circumstances`
holds a profile's circumstances, people and key dates; :mod:`models.demo.media` the photos and PDFs.

Every function that takes ``rng`` draws only from it, so the same seed gives the same caseload.
Word lists are read once from ``resources/demo/*.json`` (see that folder for their keys). All
people, records and documents produced here are invented; the photos are generated scenes and
the PDFs are marked "SPECIMEN – fictional demo document".

Templates use ``{name}`` (and, in notes, ``{place}``) and avoid gendered pronouns. Items tagged
``uasc``, ``custody``, ``parent`` or ``higher_education`` are only drawn when the caller passes
that tag, so a young person who never arrived unaccompanied never gets a Home Office sentence.
Accommodation items are tagged with the setting they assume (``staying_put``, ``tenancy``...;
see :func:`models.demo.circumstances.story_tags`), and an item with ``unless`` is never drawn for
those tags: nobody in custody is told they are Staying Put with their foster carers.

No Qt here: this module is used by the CLI, the GUI and the tests alike.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
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
    "accommodation_types",
    "background_keys",
    "contact_relationship",
    "document_lines",
    "document_spec",
    "document_title",
    "emergency_contacts",
    "festival_calendar",
    "legal_statuses",
    "life_summary",
    "memory_caption",
    "note_text",
    "pick_identity",
    "plan_section_text",
    "professional",
    "written_memory",
    "written_memory_item",
    "WrittenMemory",
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

#: Tags that unlock context-specific text (accommodation settings add more: see
#: :func:`models.demo.circumstances.story_tags`).
TAGS: frozenset[str] = frozenset({"uasc", "custody", "parent", "higher_education"})
#: The circumstances that shape a whole story, strongest first: a life summary written for one
#: of them is used rather than a general one.
STORY_TAGS: tuple[str, ...] = ("custody", "parent", "uasc")

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
    if not isinstance(item, dict):
        return True
    if set(item.get("unless", ())) & set(tags):
        return False
    return not item.get("tags") or bool(set(item["tags"]) & set(tags))


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
    place: str | dict[str, str] | None = None,
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

    A summary written for the strongest of the young person's circumstances (custody, then
    parent, then UASC) is used when there is one; otherwise a general one or one written for
    their accommodation (Staying Put, supported lodgings, their own tenancy).
    """
    items = [i for i in _data("misc")["life_summaries"] if _fits(i, tags)]
    for tag in STORY_TAGS:
        if tag in tags:
            specific = [i for i in items if isinstance(i, dict) and tag in i.get("tags", ())]
            if specific:
                return _fill(_text(rng.choice(specific)), name)
    pool = [i for i in items if not (isinstance(i, dict) and set(i.get("tags", ())) & set(TAGS))]
    return _fill(_text(rng.choice(pool)), name)


def memory_caption(rng: random.Random) -> str:
    """A caption for a photo in the memory box."""
    return rng.choice(_data("misc")["memory_captions"])


class WrittenMemory(NamedTuple):
    title: str
    text: str
    by_adviser: bool  # words from someone else (a foster carer, a teacher) that the PA added


def written_memory_item(rng: random.Random, *, tags: Collection[str] = ()) -> WrittenMemory:
    """A written memory with its own title (never a pet's name on a foster carer's words),
    fitting the young person's circumstances (``tags``)."""
    item = rng.choice([m for m in _data("misc")["written_memories"] if _fits(m, tags)])
    return WrittenMemory(item["title"], item["text"], item.get("added_by") == "adviser")


def written_memory(rng: random.Random) -> str:
    """A short written memory, by the young person or by someone who knows them."""
    return written_memory_item(rng).text


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
