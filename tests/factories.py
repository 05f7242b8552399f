"""Test data: one place that makes stores and records for every test (each in its own tmp_path)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from models.crypto.keyfile import KdfParams
from models.records import CareLeaverFactsView
from models.repo import notes, plans
from models.repo import young_people as yp
from models.store import Store
from models.team_figures import PersonFacts

PASSPHRASE = "test passphrase, not a secret"
OWNER = "Alex Adviser"


def make_store(folder: Path, *, owner: str = OWNER, passphrase: str = PASSPHRASE) -> Store:
    """A new, unlocked store with cheap KDF parameters (never used for real stores)."""
    return Store.create(folder, passphrase, owner_name=owner, kdf=KdfParams.fast_for_tests())


def add_young_person(store: Store, **fields: Any) -> str:
    values: dict[str, Any] = {
        "legal_name": "Jordan Testperson",
        "preferred_name": "Jordan",
        "date_of_birth": date(2007, 5, 14),
        "allocated_pa": OWNER,
    }
    values.update(fields)
    with store.session() as s:
        return yp.create_young_person(s, **values)


def add_note(store: Store, young_person_id: str, **fields: Any) -> str:
    values: dict[str, Any] = {
        "kind": "home_visit",
        "occurred_at": datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
        "summary": "Home visit",
        "narrative": "Saw Jordan at the flat.",
    }
    values.update(fields)
    with store.session() as s:
        return notes.add_note(s, young_person_id, **values).id


def fill_plan(store: Store, young_person_id: str, text: str = "") -> None:
    """Every matter gets strengths, goals and one action (text is appended to each)."""
    with store.session() as s:
        plans.update_plan(s, young_person_id, life_summary=f"Life summary {text}")
        for matter in plans.Matter:
            plans.update_section(
                s,
                young_person_id,
                matter.value,
                strengths=f"Strengths in {matter.label} {text}",
                goals=f"My goal for {matter.label} {text}",
            )
            plans.add_action(
                s, young_person_id, matter.value, who="PA", what=f"Action {matter.label} {text}"
            )


def facts_view(
    ident: str, recorded_on: date, in_touch: str, activity: str, accom: str, suitable: bool | None
) -> CareLeaverFactsView:
    return CareLeaverFactsView(
        f"{ident}-{recorded_on}",
        ident,
        recorded_on,
        "Alex Adviser",
        in_touch,
        activity,
        accom,
        suitable,
        datetime.combine(recorded_on, datetime.min.time(), UTC),
    )


def person_facts(ident: str, adviser: str, dob: date, **over: Any) -> PersonFacts:
    """A young person as the dashboard sees them, seen five days before 29 November 2026."""
    values: dict[str, Any] = {
        "needs_assessment_done": date(2026, 1, 1),
        "plan_first_agreed": date(2026, 9, 1),
        "plan_last_agreed": date(2026, 9, 1),
        "last_contact": date(2026, 11, 24),
        "last_visit": date(2026, 11, 24),
    }
    values.update(over)
    return PersonFacts(id=ident, name=f"Name {ident}", adviser=adviser, dob=dob, **values)


def full_form(change: dict[str, Any]) -> dict[str, Any]:
    """A change's wire JSON with ``fields`` (``[value, stamp, bases]`` per field), the form tests
    edit to forge a hostile change; ``Change.to_json`` writes the compact form when it fits."""
    if "fields" in change:
        return dict(change)
    out = {k: v for k, v in change.items() if k not in ("stamp", "values", "seen")}
    out["fields"] = {k: [v, change["stamp"], []] for k, v in change["values"].items()}
    out["seen"] = change.get("seen")
    return out
