"""The local store's tables (SQLAlchemy 2 declarative, typed).

Every synced record carries: a UUID ``id``, the ``young_person_id`` it belongs to (the sync scope),
``created_by``/``created_at``, a ``deleted`` tombstone instead of a hard delete, and ``stamps``:
a JSON map of field name -> hybrid-logical-clock stamp of its last change, used to merge in sync.
Contact notes and agreed plan versions are append-only: triggers refuse UPDATE on them.

Views never see these classes: ``models.repo`` returns frozen dataclasses from ``models.records``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes stored as sortable ISO-8601 text (SQLite has no time zone type)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value)  # 3.11+ reads the trailing Z as UTC; fast


def compact_stamps(stamps: dict[str, Any]) -> dict[str, Any]:
    """``stamps`` as stored: when every field has one stamp (a record written once, as nearly
    all are), that stamp and the fields' names, ``{"~": stamp, "~k": [names]}``: less than half
    the bytes. ``~`` is in no field's name."""
    if len(stamps) < 2:
        return stamps
    values = iter(stamps.values())
    first = next(values)
    if type(first) is not str:
        return stamps
    for stamp in values:
        if stamp != first:  # also a removal's record of what it had seen (a dict)
            return stamps
    return {"~": first, "~k": list(stamps)}


def expand_stamps(stored: dict[str, Any]) -> dict[str, Any]:
    """What :func:`compact_stamps` stored, as ``{field: stamp}`` again."""
    if "~" in stored:
        return dict.fromkeys(stored["~k"], stored["~"])
    return stored


class Stamps(TypeDecorator[dict[str, Any]]):
    """A record's per-field stamps, JSON, kept compact when they are all one
    (:func:`compact_stamps`); always read back whole."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Any) -> Any:
        return None if value is None else compact_stamps(value)

    def process_result_value(self, value: Any, dialect: Any) -> dict[str, Any] | None:
        return None if value is None else expand_stamps(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Columns every synced record has."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # field -> stamp; set-valued fields per element (``languages[Tigrinya]``); a tombstone also
    # keeps what its writer had seen (``deleted~seen``), to tell a concurrent edit from an old one.
    # Stored compact when every field has one stamp (``Stamps``).
    stamps: Mapped[dict[str, Any]] = mapped_column(Stamps, default=dict)


class Meta(Base):
    """Store-wide facts: store id, device node id, owner's name and contact details."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class YoungPerson(Synced, Base):
    __tablename__ = "young_people"
    legal_name: Mapped[str] = mapped_column(String(300))
    preferred_name: Mapped[str] = mapped_column(String(300))
    date_of_birth: Mapped[date] = mapped_column(Date)
    pronouns: Mapped[str] = mapped_column(String(60), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    religion: Mapped[str] = mapped_column(String(120), default="")
    ethnicity: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    legal_status: Mapped[str] = mapped_column(String(40), default="")
    allocated_pa: Mapped[str] = mapped_column(String(200), default="")
    allocated_pa_phone: Mapped[str] = mapped_column(String(60), default="")
    allocated_pa_email: Mapped[str] = mapped_column(String(200), default="")
    # Circumstances
    in_custody: Mapped[bool] = mapped_column(Boolean, default=False)
    prison: Mapped[str] = mapped_column(String(200), default="")
    prison_number: Mapped[str] = mapped_column(String(40), default="")
    release_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    release_accommodation_plan: Mapped[str] = mapped_column(Text, default="")
    custody_checklist: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    is_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    expecting_child: Mapped[bool] = mapped_column(Boolean, default=False)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    twenty_one_plus_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Accommodation and activity
    accommodation_type: Mapped[str] = mapped_column(String(120), default="")
    accommodation_suitable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    eet_status: Mapped[str] = mapped_column(String(40), default="unknown")
    needs_assessment_done: Mapped[date | None] = mapped_column(Date, nullable=True)
    cover_photo_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @property
    def young_person_id(self) -> str:
        return self.id


class ImportantPerson(Synced, Base):
    """Someone the young person wants to stay in contact with (and emergency contacts)."""

    __tablename__ = "important_people"
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    relationship: Mapped[str] = mapped_column(String(120), default="")
    how_to_contact: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    is_emergency_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class Plan(Synced, Base):
    """The working copy of a young person's pathway plan (one per young person)."""

    __tablename__ = "plans"
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), unique=True)
    life_summary: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class PlanSection(Synced, Base):
    __tablename__ = "plan_sections"
    __table_args__ = (Index("ix_plan_sections_yp_matter", "young_person_id", "matter"),)
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"))
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"))
    matter: Mapped[str] = mapped_column(String(40))
    strengths: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")


class PlanAction(Synced, Base):
    __tablename__ = "plan_actions"
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    section_id: Mapped[str] = mapped_column(ForeignKey("plan_sections.id"), index=True)
    who: Mapped[str] = mapped_column(String(200), default="")
    what: Mapped[str] = mapped_column(Text, default="")
    by_when: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanVersion(Synced, Base):
    """A frozen, agreed copy of the whole plan. Append-only."""

    __tablename__ = "plan_versions"
    # Covers "latest agreement" per young person so the caseload never reads the snapshots.
    __table_args__ = (Index("ix_plan_versions_yp_agreed", "young_person_id", "agreed_on"),)
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    # No stored number: two devices may agree versions offline. The number shown is computed at
    # read time from (agreed_on, created_at, id), the same on every device.
    agreed_on: Mapped[date] = mapped_column(Date)
    agreed_with: Mapped[str] = mapped_column(String(300), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class ContactNote(Synced, Base):
    """A contact or visit note. Append-only: a correction is a new note with ``amends_id``."""

    __tablename__ = "contact_notes"
    __table_args__ = (
        # A young person's notes in time order; the dashboard's contacts per month.
        Index("ix_contact_notes_yp_when", "young_person_id", "occurred_at"),
        # What an amendment replaces (the caseload's summary counts only the current text).
        Index("ix_contact_notes_amends_id", "amends_id"),
    )
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"))
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(String(500), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    amends_id: Mapped[str | None] = mapped_column(ForeignKey("contact_notes.id"), nullable=True)


class ContactSummary(Base):
    """Latest contact and visit per young person, kept by triggers on ``contact_notes``.

    Derived, local and never synced: it lets the caseload load without scanning notes, however
    many there are. Rebuilt from the notes by migration 0002.
    """

    __tablename__ = "contact_summary"
    young_person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_contact: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_visit: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class FileRecord:
    """Columns shared by life-story documents and memory-box items that hold a file."""

    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    filename: Mapped[str] = mapped_column(String(300), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    added_by_kind: Mapped[str] = mapped_column(String(20), default="professional")
    added_by_name: Mapped[str] = mapped_column(String(200), default="")


def _files_index(table: str) -> Index:
    """The records that name a file, and only those (most memories are written, not files):
    a sync looks for the files to move without reading every record (migration 0007)."""
    return Index(f"ix_{table}_files", "sha256", "young_person_id", "size", "deleted",
                 sqlite_where=text("sha256 IS NOT NULL"))


class Document(Synced, FileRecord, Base):
    """A life-story document: ID, certificate, letter, report..."""

    __tablename__ = "documents"
    __table_args__ = (_files_index("documents"),)
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    category: Mapped[str] = mapped_column(String(40), default="other")
    title: Mapped[str] = mapped_column(String(300), default="")
    document_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class MemoryItem(Synced, FileRecord, Base):
    """A Virtual Memory Box item: a photo, a document, or a written memory (``body``)."""

    __tablename__ = "memory_items"
    __table_args__ = (_files_index("memory_items"),)
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    memory_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class KeyDate(Synced, Base):
    __tablename__ = "key_dates"
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[date] = mapped_column(Date)
    recurring: Mapped[bool] = mapped_column(Boolean, default=True)
    plan_for_day: Mapped[str] = mapped_column(Text, default="")


class CareLeaverFacts(Synced, Base):
    """One recording of the statutory care-leaver facts (SSDA903): in touch, main activity,
    accommodation and whether it is suitable, as found at a contact on ``recorded_on``.

    Append-only: a later recording supersedes an earlier one (the latest ``recorded_on``, then
    ``created_at``, is current) and the earlier stays, so what was returned can be traced. The
    codes are the return's own (:mod:`models.care_leaver_return`); ``""`` is not recorded.
    """

    __tablename__ = "care_leaver_facts"
    __table_args__ = (Index("ix_care_leaver_facts_yp_when", "young_person_id", "recorded_on"),)
    young_person_id: Mapped[str] = mapped_column(ForeignKey("young_people.id"))
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    in_touch: Mapped[str] = mapped_column(String(4), default="")
    activity: Mapped[str] = mapped_column(String(2), default="")
    accommodation: Mapped[str] = mapped_column(String(1), default="")
    accommodation_suitable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class BlobEntry(Base):
    """Which encrypted files this store holds (content address -> size)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEvent(Base):
    """Local audit trail: unlock, view, print, export, sync... Never synced as data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Draft(Base):
    """Unsaved GUI edits, kept as typed so a crash or a lock loses nothing."""

    __tablename__ = "drafts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TeamService(Synced, Base):
    """A team-wide service printed on plans (the out-of-hours service). Synced, no young person."""

    __tablename__ = "team_services"
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")


class ChangeLog(Base):
    """Every change to a synced record, written in the transaction that makes it.

    ``seq`` orders them, so "everything since X" is an index range. ``fields`` maps a field (or
    ``name[element]``) to ``[value, stamp, [stamps it replaced]]``; on append-only records the
    value is read from the row (``by_ref``), which can never change. A change that wrote every
    field at one stamp and replaced nothing (every new record) is kept compact: ``stamp`` holds
    that stamp, and ``fields`` maps each field to its value, or is the list of the fields'
    names when ``by_ref``. ``models.merge_log`` reads both forms back. ``source`` is ``local`` or
    where a remote change came from. Purging a young person removes their entries.
    """

    __tablename__ = "change_log"
    # AUTOINCREMENT: a purge must never let a new entry reuse a number a cursor has passed.
    __table_args__ = (Index("ix_change_log_yp", "young_person_id"), {"sqlite_autoincrement": True})
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(80), unique=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    fields: Mapped[Any] = mapped_column(JSON)
    stamp: Mapped[str | None] = mapped_column(String(64), nullable=True)
    seen: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    by_ref: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(80), default="local")


class SupersededStamp(Base):
    """Field versions someone edited on top of: never a clash, whatever order changes come in."""

    __tablename__ = "superseded_stamps"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(300), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64), primary_key=True)
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class Conflict(Base):
    """A value that lost to a concurrent change of the same field, kept until a person decides.

    The winner is the record's current value. Every device keeps the same set, whatever order
    changes arrive in; resolving one is itself a change that supersedes the loser everywhere.
    """

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_row", "table_name", "row_id", "field"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    field: Mapped[str] = mapped_column(String(300))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    stamp: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200), default="")
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuarantinedChange(Base):
    """A change from elsewhere that was not applied, with the reason: never silently dropped."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(80), index=True)
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(Text)
    retryable: Mapped[bool] = mapped_column(Boolean, default=False)
    change: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeviceIdentity(Base):
    """This device's identity, apart from synced records and local settings (one row).

    ``node_id`` goes into every stamp. It is bound to where the store lives: a store copied to
    another folder or machine is detected at open and takes a fresh node id, so two copies can
    never hand out the same stamp for different values.
    """

    __tablename__ = "device_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[str] = mapped_column(String(32))
    bound_to: Mapped[str] = mapped_column(String(64), default="")
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    hub_url: Mapped[str] = mapped_column(String(300), default="")
    hub_device_id: Mapped[str] = mapped_column(String(80), default="")
    retired_nodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    copied_from: Mapped[str] = mapped_column(String(300), default="")


APPEND_ONLY_TABLES = ("contact_notes", "plan_versions", "care_leaver_facts")
