"""Vocabulary of the domain: the ten pathway-plan matters, note kinds, statuses and categories.

Each enum's value is what the store holds; ``label`` is what a person reads.
"""

from __future__ import annotations

from enum import StrEnum


class Matter(StrEnum):
    """The ten matters a pathway plan must address (Care Leavers (England) Regs 2010, Sch 1)."""

    CONTACT_SUPPORT = "contact_support"
    EDUCATION_TRAINING = "education_training"
    EMPLOYMENT = "employment"
    CONTINGENCY = "contingency"
    ACCOMMODATION = "accommodation"
    FAMILY_RELATIONSHIPS = "family_relationships"
    INDEPENDENT_LIVING = "independent_living"
    FINANCE = "finance"
    HEALTH = "health"
    IDENTITY = "identity"

    @property
    def label(self) -> str:
        return _MATTER_LABELS[self][0]

    @property
    def statutory_heading(self) -> str:
        return _MATTER_LABELS[self][1]

    @property
    def my_heading(self) -> str:
        """The heading in the young person's own copy ("my plan")."""
        return _MATTER_LABELS[self][2]


_MATTER_LABELS = {
    Matter.CONTACT_SUPPORT: (
        "Contact and support",
        "Nature and level of contact and personal support, and who provides it",
        "Who supports me",
    ),
    Matter.EDUCATION_TRAINING: (
        "Education and training",
        "Detailed plan for education or training",
        "My learning",
    ),
    Matter.EMPLOYMENT: (
        "Employment",
        "Employment or other purposeful activity or occupation",
        "My work and what I do with my time",
    ),
    Matter.CONTINGENCY: (
        "Contingency plans",
        "Contingency plans for action if the pathway plan breaks down",
        "If things go wrong",
    ),
    Matter.ACCOMMODATION: (
        "Accommodation",
        "Accommodation, with an assessment of its suitability",
        "My home",
    ),
    Matter.FAMILY_RELATIONSHIPS: (
        "Family and relationships",
        "Support to develop and sustain family and social relationships",
        "My family and friends",
    ),
    Matter.INDEPENDENT_LIVING: (
        "Independent living skills",
        "Programme to develop practical and other skills for independent living",
        "Skills for living on my own",
    ),
    Matter.FINANCE: (
        "Financial support",
        "Financial support, including for accommodation and maintenance",
        "My money",
    ),
    Matter.HEALTH: (
        "Health and wellbeing",
        "Health needs, including mental health, and how they will be met",
        "My health and wellbeing",
    ),
    Matter.IDENTITY: (
        "Identity",
        "Identity: religious persuasion, racial origin, cultural and linguistic background",
        "Who I am",
    ),
}


class LegalStatus(StrEnum):
    """The young person's leaving-care status (Children Act 1989; Care Leavers Regs 2010)."""

    NOT_RECORDED = ""
    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former_relevant"
    QUALIFYING = "qualifying"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LEGAL_LABELS[self]


_LEGAL_LABELS = {
    LegalStatus.NOT_RECORDED: "Not recorded",
    LegalStatus.ELIGIBLE: "Eligible child (16–17, looked after)",
    LegalStatus.RELEVANT: "Relevant child (16–17, left care)",
    LegalStatus.FORMER_RELEVANT: "Former relevant child (18–25)",
    LegalStatus.QUALIFYING: "Qualifying care leaver",
    LegalStatus.OTHER: "Other",
}


def legal_status_label(value: str) -> str:
    """The label for a stored legal status; an unknown value is shown as it was stored."""
    try:
        return LegalStatus(value).label
    except ValueError:
        return value


class NoteKind(StrEnum):
    CUSTODY_VISIT = "custody_visit"
    HOME_VISIT = "home_visit"
    OUT_OF_AREA_VISIT = "out_of_area_visit"
    PHONE = "phone"
    VIDEO = "video"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    LETTER = "letter"
    DROP_IN = "drop_in"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize().replace("Whatsapp", "WhatsApp")

    @property
    def is_visit(self) -> bool:
        """Face-to-face visits count towards the two-monthly visit duty (reg 8)."""
        return self in (NoteKind.CUSTODY_VISIT, NoteKind.HOME_VISIT, NoteKind.OUT_OF_AREA_VISIT)


VISIT_KINDS = tuple(k.value for k in NoteKind if k.is_visit)


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AddedBy(StrEnum):
    YOUNG_PERSON = "young_person"
    PROFESSIONAL = "professional"


class MemoryKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    MEMORY = "memory"


class DocumentCategory(StrEnum):
    ID = "id"
    CERTIFICATE = "certificate"
    LETTER = "letter"
    REPORT = "report"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "ID" if self is DocumentCategory.ID else self.value.capitalize()


class KeyDateKind(StrEnum):
    BIRTHDAY = "birthday"
    FESTIVAL = "festival"
    ANNIVERSARY = "anniversary"
    OTHER = "other"


OUT_OF_HOURS_NAME_KEY = "out_of_hours_name"
OUT_OF_HOURS_PHONE_KEY = "out_of_hours_phone"
"""Store meta keys: the council's out-of-hours service, printed on every plan's first page."""

CUSTODY_CHECKLIST = (
    ("visit_8_weekly", "Visited at least every 8 weeks"),
    ("release_accommodation", "Accommodation on release agreed"),
    ("probation_contact", "Probation officer contact made"),
    ("id_documents", "ID documents ready for release"),
    ("bank_account", "Bank account in place for release"),
    ("benefits_claim", "Benefits or Universal Credit claim prepared"),
    ("gp_registration", "GP registration arranged for release"),
    ("release_day_plan", "Release-day plan (who meets them, travel)"),
)
"""The Custody Offer checklist: (key, label). The store keeps {key: done} per young person."""

CIRCUMSTANCE_WORDS = {
    "custody": "in custody",
    "21plus": "21Plus",
    "parent": "parent",
    "expecting": "expecting a child",
    "uasc": "UASC",
}
"""Words for the circumstance codes of a caseload row (``CaseloadRow.circumstances``)."""
