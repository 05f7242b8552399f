"""The hub's API messages (pydantic). Every request model refuses unknown fields.

Hub tables are in ``tables.py``; nothing here touches the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from sync.protocol import PROTOCOL_VERSION

__all__ = ["PROTOCOL_VERSION"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ErrorBody(BaseModel):
    """Every error answer: a stable code a program can act on, and a sentence for a person."""

    error: str = Field(examples=["not_found"])
    detail: str
    action: Literal["wipe"] | None = None


class Health(BaseModel):
    status: Literal["ok"]
    protocol: int = PROTOCOL_VERSION


# A name a person gives (a laptop's, a user's): no control character (NUL, which PostgreSQL
# refuses, among them).
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


class EnrolRequest(Strict):
    code: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    public_key: str = Field(
        min_length=43, max_length=43, pattern=r"^[A-Za-z0-9_-]+$",
        description="The device's Ed25519 public key: 32 bytes, URL-safe base64 without padding",
    )
    name: str = Field(
        "", max_length=100, pattern=NO_CONTROL_CHARACTERS,
        description="What the laptop is called, for admins (no control characters)",
    )


class DeviceIdentity(BaseModel):
    device_id: UUID
    username: str
    role: Literal["advisor", "manager", "admin"]
    team: str
    protocol: int = PROTOCOL_VERSION


class Scope(BaseModel):
    """The young people this device's user may reach (ids only), sorted."""

    young_people: list[UUID]


class AllocationView(BaseModel):
    young_person_id: UUID
    allocated_to: str
    team: str
    allocated_at: datetime


class ConflictView(BaseModel):
    """One open conflict, as every device that holds the record lists it: the record, the
    field key (``name[element]`` for one element of a set), both values, their stamps and who
    wrote them. ``removal``: the other side removed the record, which stays because it met an
    edit it had not seen."""

    id: UUID = Field(description="The same id on every device (derived from the version)")
    table: str
    record: str = Field(description="The kind of record, for a person")
    row_id: UUID
    field: str
    current: Any
    current_stamp: str = Field(
        description="The current version's stamp; for a removal kept as a conflict, the "
                    "stamp of the newest edit it had not seen (what keeps the record)"
    )
    current_by: str
    other: Any
    other_stamp: str
    other_by: str
    other_device: str = Field(description="The node id of the device that wrote the other side")
    other_at: datetime
    removal: bool


class ConflictList(BaseModel):
    young_person_id: UUID
    conflicts: list[ConflictView] = Field(description="Oldest clash first")
