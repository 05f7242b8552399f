"""The hub's tables (SQLAlchemy 2, typed). API schemas live apart, in ``schemas.py``.

Times are stored as timezone-aware UTC. Ids of devices are random UUIDs (text), so an id reveals
nothing about how many devices there are; teams and users are small integer keys never sent to
devices.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("advisor", "manager", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the hub database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Allocation(Base):
    """Who a young person is allocated to, with history: the current row has ``ended_at`` null.

    Scope is a query on this table, so reallocating rewrites no record."""

    __tablename__ = "allocations"
    __table_args__ = (
        Index(
            "uq_allocations_current",
            "young_person_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_allocations_user_current", "user_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    young_person_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class EnrolCode(Base):
    """A one-time enrolment code, stored only as the SHA-256 of a high-entropy code."""

    __tablename__ = "enrol_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Device(Base):
    """An enrolled laptop. Only its Ed25519 public key is kept: a copy of this table lets nobody
    act as the device."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    scope_seen_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True,
        doc="When the device last asked for its scope: a young person in scope then is one it "
            "still holds, and may push what it wrote for them until its next sync",
    )


class SeenNonce(Base):
    """Nonces of signed requests inside the timestamp window: a second use is a replay.
    Rows older than the window are pruned, so the table stays bounded."""

    __tablename__ = "seen_nonces"
    __table_args__ = (Index("ix_seen_nonces_seen_at", "seen_at"),)

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RateCount(Base):
    """A fixed-window counter shared by every hub process (``bucket`` names what is limited)."""

    __tablename__ = "rate_counts"

    bucket: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Every request that reads or writes a young person's data, allowed or refused."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_young_person", "young_person_id", "at"),
        Index("ix_audit_events_user", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    young_person_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(20))


class HubYoungPerson(Base):
    """Every young person the hub knows, with the team they belong to (allocated to one of its
    members or not). A referral made on a device registers here when it first arrives."""

    __tablename__ = "young_people"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Counter(Base):
    """Named counters. ``changes`` hands out sequence numbers: a push takes its numbers as the
    last step before commit, holding the counter's row lock until then, so sequence numbers
    become visible in order and a pull cursor never passes a change that commits later."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class HubChange(Base):
    """The hub's change log: every accepted change, as the device sent it (``body``, canonical
    JSON), in the order it committed (``seq``)."""

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_young_person_seq", "young_person_id", "seq"),
        Index("ix_changes_team_seq", "team_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    change_id: Mapped[str] = mapped_column(String(120), unique=True)
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    team_id: Mapped[int | None] = mapped_column(
        Integer, nullable=True, doc="Set for team-wide records (no young person)"
    )
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[int] = mapped_column(Integer)
    max_stamp: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RefusedChange(Base):
    """A change the hub refused, kept with the reason so nothing a device sent vanishes
    unexplained (the device keeps its own copy and shows the refusal too)."""

    __tablename__ = "refused_changes"
    __table_args__ = (Index("ix_refused_changes_device", "device_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    device_id: Mapped[str] = mapped_column(String(36))
    change_id: Mapped[str] = mapped_column(String(200))
    young_person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reason: Mapped[str] = mapped_column(String(500))
    retryable: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)


class FileRef(Base):
    """Which young person's records refer to a file (by SHA-256): who may fetch it."""

    __tablename__ = "file_refs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    young_person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
