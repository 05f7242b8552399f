"""The pathway plan: its working copy, sections and actions, and agreed (frozen) versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.domain import ActionStatus, Matter
from models.errors import InvalidRecord, RecordNotFound
from models.records import Action, PlanView, Section, VersionInfo
from models.registry import plan_id_for, section_id_for
from models.repo import changes
from models.repo.young_people import list_people
from models.schema import Plan, PlanAction, PlanSection, PlanVersion, YoungPerson

PLAN_FIELDS = frozenset({"life_summary", "review_date", "last_reviewed_on"})
SECTION_FIELDS = frozenset({"strengths", "goals"})
ACTION_FIELDS = frozenset({"who", "what", "by_when", "status", "position"})


def ensure_plan(s: Session, young_person_id: str) -> Plan:
    """The young person's working plan, created with all ten matters on first use.

    Their ids derive from the young person's id, so two devices that start the same young
    person's plan offline make the same rows, and sync merges them field by field."""
    plan = s.get(Plan, plan_id_for(young_person_id))
    if plan is not None:
        return plan
    changes.get(s, YoungPerson, young_person_id, "young person")
    plan = changes.create(s, Plan, id=plan_id_for(young_person_id), young_person_id=young_person_id)
    s.flush()
    for matter in Matter:
        _create_section(s, young_person_id, matter.value)
    s.flush()
    return plan


def _create_section(s: Session, young_person_id: str, matter: str) -> PlanSection:
    return changes.create(
        s,
        PlanSection,
        id=section_id_for(young_person_id, matter),
        young_person_id=young_person_id,
        plan_id=plan_id_for(young_person_id),
        matter=matter,
    )


def update_plan(s: Session, young_person_id: str, **fields: Any) -> list[str]:
    return changes.change(s, ensure_plan(s, young_person_id), PLAN_FIELDS, **fields)


def _section(s: Session, young_person_id: str, matter: str) -> PlanSection:
    try:
        Matter(matter)
    except ValueError:
        raise InvalidRecord(f"{matter!r} is not one of the ten pathway-plan matters.") from None
    # A section's row never changes identity, so one lookup per session is enough.
    cache = s.info.setdefault("plan_sections", {})
    section = cache.get((young_person_id, matter))
    if section is None:
        ensure_plan(s, young_person_id)
        section = s.get(PlanSection, section_id_for(young_person_id, matter))
        if section is None:  # a matter added to the plan after this plan was started
            section = _create_section(s, young_person_id, matter)
        cache[(young_person_id, matter)] = section
    return section


def update_section(s: Session, young_person_id: str, matter: str, **fields: Any) -> list[str]:
    return changes.change(s, _section(s, young_person_id, matter), SECTION_FIELDS, **fields)


def _check_status(fields: dict[str, Any]) -> None:
    if "status" in fields:
        try:
            ActionStatus(fields["status"])
        except ValueError:
            raise InvalidRecord(f"Unknown action status {fields['status']!r}.") from None


def add_action(
    s: Session, young_person_id: str, matter: str, *, who: str, what: str, **fields: Any
) -> str:
    if not what.strip():
        raise InvalidRecord("Say what the action is.")
    _check_status(fields)
    section = _section(s, young_person_id, matter)
    if "position" not in fields:
        tops = s.info.setdefault("plan_action_tops", {})
        if section.id not in tops:
            tops[section.id] = (
                s.scalar(
                    select(func.max(PlanAction.position)).where(PlanAction.section_id == section.id)
                )
                or 0
            )
        tops[section.id] += 1
        fields["position"] = tops[section.id]
    a = changes.create(
        s,
        PlanAction,
        young_person_id=young_person_id,
        section_id=section.id,
        who=who,
        what=what,
        **fields,
    )
    return a.id


def update_action(s: Session, action_id: str, **fields: Any) -> list[str]:
    _check_status(fields)
    return changes.change(
        s, changes.get(s, PlanAction, action_id, "action"), ACTION_FIELDS, **fields
    )


def remove_action(s: Session, action_id: str) -> None:
    changes.tombstone(s, changes.get(s, PlanAction, action_id, "action"))


def load_plan(s: Session, young_person_id: str) -> PlanView:
    plan = s.get(Plan, plan_id_for(young_person_id))
    if plan is None:  # reading never writes: an unstarted plan is shown empty
        changes.get(s, YoungPerson, young_person_id, "young person")
        empty = tuple(Section("", m.value, "", "", ()) for m in Matter)
        return PlanView("", "", None, None, empty, _versions(s, young_person_id))
    sections = {
        sec.id: sec
        for sec in s.scalars(
            select(PlanSection).where(PlanSection.young_person_id == young_person_id)
        )
    }
    actions: dict[str, list[Action]] = {sid: [] for sid in sections}
    q = (
        select(PlanAction)
        .where(PlanAction.young_person_id == young_person_id, PlanAction.deleted.is_(False))
        .order_by(PlanAction.position, PlanAction.created_at)
    )
    for a in s.scalars(q):
        if a.section_id in actions:
            actions[a.section_id].append(
                Action(a.id, a.who, a.what, a.by_when, a.status, a.position)
            )
    by_matter = {sec.matter: sec for sec in sections.values()}
    out = []
    for m in Matter:
        sec = by_matter.get(m.value)
        if sec is None:
            out.append(Section("", m.value, "", "", ()))
        else:
            out.append(Section(sec.id, m.value, sec.strengths, sec.goals, tuple(actions[sec.id])))
    return PlanView(
        plan.id,
        plan.life_summary,
        plan.review_date,
        plan.last_reviewed_on,
        tuple(out),
        _versions(s, young_person_id),
    )


def _ordered_versions(s: Session, young_person_id: str) -> list[PlanVersion]:
    """Agreed versions in the order every device numbers them: by the date agreed, then when
    and where each was made (two devices may agree versions offline; neither number is stored)."""
    q = (
        select(PlanVersion)
        .where(PlanVersion.young_person_id == young_person_id)
        .order_by(PlanVersion.agreed_on, PlanVersion.created_at, PlanVersion.id)
    )
    return list(s.scalars(q))


def _versions(s: Session, young_person_id: str) -> tuple[VersionInfo, ...]:
    return tuple(
        VersionInfo(v.id, number, v.agreed_on, v.agreed_with, v.created_by)
        for number, v in enumerate(_ordered_versions(s, young_person_id), start=1)
    )


def snapshot(s: Session, young_person_id: str) -> dict[str, Any]:
    """The working plan as plain JSON-able data (what an agreed version freezes)."""
    plan = load_plan(s, young_person_id)
    return {
        "life_summary": plan.life_summary,
        "review_date": plan.review_date.isoformat() if plan.review_date else None,
        "sections": [
            {
                "matter": sec.matter,
                "strengths": sec.strengths,
                "goals": sec.goals,
                "actions": [
                    {
                        "who": a.who,
                        "what": a.what,
                        "by_when": a.by_when.isoformat() if a.by_when else None,
                        "status": a.status,
                    }
                    for a in sec.actions
                ],
            }
            for sec in plan.sections
        ],
        "people": [
            {"name": p.name, "relationship": p.relationship, "how_to_contact": p.how_to_contact}
            for p in list_people(s, young_person_id)
        ],
    }


def agree_plan(
    s: Session, young_person_id: str, *, agreed_on: date, agreed_with: str = ""
) -> VersionInfo:
    """Freeze the working plan as the next numbered version, agreed on ``agreed_on``.

    The agreement also counts as a review: ``last_reviewed_on`` moves to ``agreed_on`` and the
    next review date is cleared so the six-month rule applies from the agreement.
    """
    ensure_plan(s, young_person_id)
    v = changes.create(
        s,
        PlanVersion,
        young_person_id=young_person_id,
        agreed_on=agreed_on,
        agreed_with=agreed_with,
        snapshot=snapshot(s, young_person_id),
    )
    update_plan(s, young_person_id, last_reviewed_on=agreed_on, review_date=None)
    s.flush()
    return next(info for info in _versions(s, young_person_id) if info.id == v.id)


def version_snapshot(s: Session, young_person_id: str, version: int) -> dict[str, Any]:
    """The plan as agreed in version number ``version`` (numbered as :func:`_versions` does)."""
    ordered = _ordered_versions(s, young_person_id)
    if not 1 <= version <= len(ordered):
        raise RecordNotFound("plan version", str(version))
    return dict(ordered[version - 1].snapshot)
