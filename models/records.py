"""Plain frozen dataclasses handed to views, printing and the CLI (never live ORM objects).

They are safe to pass between threads and to keep after the session that made them has closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models.rules import DueItem, DueKind, Offer


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload table."""

    id: str
    preferred_name: str
    legal_name: str
    date_of_birth: date
    age: int
    circumstances: tuple[str, ...]  # "custody", "parent", "expecting", "uasc", "21plus"
    allocated_pa: str
    next_review: date | None
    last_contact: datetime | None
    last_visit: datetime | None
    visit_due: date
    visit_overdue: bool
    review_overdue: bool
    due: tuple[DueItem, ...] = ()  # everything due, earliest first (models.rules.due_items)

    @property
    def next_due(self) -> DueItem | None:
        """The most urgent item other than a visit (which has its own column): the needs
        assessment, the first pathway plan or the plan review, whichever is due first."""
        return next((d for d in self.due if d.kind not in _VISIT_KINDS), None)

    @property
    def anything_overdue(self) -> bool:
        """Whether anything at all is past its due date (what the caseload shows in red)."""
        return self.visit_overdue or self.review_overdue or any(d.overdue for d in self.due)


_VISIT_KINDS = frozenset({DueKind.VISIT, DueKind.CUSTODY_VISIT})


@dataclass(frozen=True)
class Profile:
    id: str
    legal_name: str
    preferred_name: str
    date_of_birth: date
    age: int
    pronouns: str
    languages: tuple[str, ...]
    religion: str
    ethnicity: str
    phone: str
    email: str
    address: str
    legal_status: str
    allocated_pa: str
    allocated_pa_phone: str
    allocated_pa_email: str
    in_custody: bool
    prison: str
    prison_number: str
    release_date: date | None
    release_accommodation_plan: str
    custody_checklist: dict[str, bool]
    is_parent: bool
    expecting_child: bool
    uasc: bool
    twenty_one_plus_requested: bool
    accommodation_type: str
    accommodation_suitable: bool | None
    eet_status: str
    needs_assessment_done: date | None
    cover_photo_sha256: str | None
    offers: tuple[Offer, ...]
    due: tuple[DueItem, ...]


@dataclass(frozen=True)
class Person:
    """Someone who matters to the young person."""

    id: str
    name: str
    relationship: str
    how_to_contact: str
    notes: str
    is_emergency_contact: bool


@dataclass(frozen=True)
class Action:
    id: str
    who: str
    what: str
    by_when: date | None
    status: str
    position: int


@dataclass(frozen=True)
class Section:
    id: str
    matter: str
    strengths: str
    goals: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class VersionInfo:
    id: str
    version: int
    agreed_on: date
    agreed_with: str
    created_by: str


@dataclass(frozen=True)
class PlanView:
    """The working copy of the plan, with the list of agreed versions."""

    id: str
    life_summary: str
    review_date: date | None
    last_reviewed_on: date | None
    sections: tuple[Section, ...]  # always all ten matters, in statutory order
    versions: tuple[VersionInfo, ...]  # oldest first

    def section(self, matter: str) -> Section:
        return next(s for s in self.sections if s.matter == matter)

    @property
    def current_version(self) -> int:
        return self.versions[-1].version if self.versions else 0


@dataclass(frozen=True)
class Note:
    id: str
    kind: str
    occurred_at: datetime
    place: str
    summary: str
    narrative: str
    author: str
    created_at: datetime
    amends_id: str | None
    amended_by: tuple[str, ...] = field(default=())  # ids of later notes that amend this one


@dataclass(frozen=True)
class StoredFile:
    """A life-story document or memory-box item."""

    id: str
    collection: str  # "document" or "memory"
    kind: str  # memory kind, or "document" for life-story documents
    category: str  # document category ("" for memory items)
    title: str
    caption: str
    body: str
    sha256: str | None
    filename: str
    media_type: str
    size: int
    added_by_kind: str
    added_by_name: str
    added_at: datetime
    dated: date | None


@dataclass(frozen=True)
class KeyDateView:
    id: str
    kind: str
    label: str
    on_date: date
    recurring: bool
    plan_for_day: str


@dataclass(frozen=True)
class YoungPersonRecord:
    """Everything the store holds about one young person (printing, export, the workspace)."""

    profile: Profile
    plan: PlanView
    notes: tuple[Note, ...]
    documents: tuple[StoredFile, ...]
    memories: tuple[StoredFile, ...]
    key_dates: tuple[KeyDateView, ...]
    people: tuple[Person, ...]
    care_leaver_facts: tuple[CareLeaverFactsView, ...] = ()  # oldest first


@dataclass(frozen=True)
class CareLeaverFactsView:
    """One recording of the statutory care-leaver facts (codes as in the return; "" not
    recorded). See :mod:`models.care_leaver_return` for the codes' words."""

    id: str
    young_person_id: str
    recorded_on: date
    recorded_by: str
    in_touch: str
    activity: str
    accommodation: str
    accommodation_suitable: bool | None
    created_at: datetime

    @property
    def accom_code(self) -> str:
        """ACCOM as the return writes it: ``"U1"``, ``"S2"``, ``"0"``."""
        from models.care_leaver_return import accom_code

        return accom_code(self.accommodation, self.accommodation_suitable)


@dataclass(frozen=True)
class CareLeaverFactsSuggestion:
    """What the young person's record already says, as codes for the adviser to confirm
    (``None``: no clear code; the adviser chooses)."""

    activity: str | None
    accommodation: str | None
    accommodation_suitable: bool | None


@dataclass(frozen=True)
class CareLeaverFactsForm:
    """What the care-leaver facts form needs, read in one go."""

    young_person_id: str
    name: str
    date_of_birth: date
    suggestion: CareLeaverFactsSuggestion
    history: tuple[CareLeaverFactsView, ...]
