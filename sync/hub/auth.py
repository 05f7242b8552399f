"""Who is asking: enrolment with a one-time code, and the signature on every later request.

A device proves itself by signing each request with the Ed25519 key it made at enrolment
(``sync/auth.py`` builds the signature). The hub checks the key it stored, the timestamp window,
and that the nonce was not seen before (nonces are kept in the database, so a request replayed
to another hub process is refused too). A revoked device that signs correctly is told to wipe.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sync.auth import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    signing_message,
    unb64,
)
from sync.hub import ratelimit
from sync.hub.admin import hash_code
from sync.hub.api_errors import ApiError
from sync.hub.db import dialect_insert, unit_of_work
from sync.hub.settings import HubSettings
from sync.hub.tables import Device, EnrolCode, SeenNonce, Team, User, utcnow

_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class Caller:
    """The device and user a request was authenticated as."""

    device_id: str
    user_id: int
    username: str
    role: str
    team_id: int
    team: str


def _unauthenticated(detail: str) -> ApiError:
    return ApiError(401, "unauthenticated", detail, headers={"WWW-Authenticate": "PathwaySig"})


_BAD_SIGNATURE = "The request's signature is not valid for any enrolled device."


def authenticate(
    factory: sessionmaker[Session],
    settings: HubSettings,
    method: str,
    target: bytes,
    headers: dict[str, str],
    body: bytes,
    now: float | None = None,
) -> Caller:
    """Check a request's signature headers; returns the caller or raises ``ApiError``."""
    device_id = headers.get(HEADER_DEVICE.lower(), "")
    timestamp = headers.get(HEADER_TIMESTAMP.lower(), "")
    nonce = headers.get(HEADER_NONCE.lower(), "")
    signature_text = headers.get(HEADER_SIGNATURE.lower(), "")
    if not (device_id and timestamp and nonce and signature_text):
        raise _unauthenticated("This request is not signed by an enrolled device.")
    if not _TIMESTAMP.match(timestamp) or not _NONCE.match(nonce) or len(signature_text) > 100:
        raise _unauthenticated("The request's signature headers are malformed.")
    t = time.time() if now is None else now
    if abs(t - int(timestamp)) > settings.clock_skew_seconds:
        raise _unauthenticated(
            "The request's time is too far from the hub's; check the laptop's clock."
        )
    try:
        canonical_id = str(uuid.UUID(device_id))
        signature = unb64(signature_text)
    except ValueError:
        raise _unauthenticated(_BAD_SIGNATURE) from None

    with unit_of_work(factory) as session:
        row = session.execute(
            select(Device, User, Team.name)
            .join(User, User.id == Device.user_id)
            .join(Team, Team.id == User.team_id)
            .where(Device.id == canonical_id)
        ).first()
        if row is None:
            raise _unauthenticated(_BAD_SIGNATURE)
        device, user, team_name = row
        try:
            Ed25519PublicKey.from_public_bytes(device.public_key).verify(
                signature, signing_message(method, target, timestamp, nonce, body)
            )
        except (InvalidSignature, ValueError):
            raise _unauthenticated(_BAD_SIGNATURE) from None
        if device.revoked_at is not None:
            raise ApiError(
                410, "device_revoked",
                "This laptop's enrolment was revoked: wipe its store and ask for a new code.",
                action="wipe",
            )
        seen_at = utcnow()
        first_use = session.execute(
            dialect_insert(session, SeenNonce)
            .values(device_id=canonical_id, nonce=nonce, seen_at=seen_at)
            .on_conflict_do_nothing()
            .returning(SeenNonce.nonce)
        ).first()
        if first_use is None:
            raise _unauthenticated("This request was sent before (a replay); it was refused.")
        # Nonces older than the window can never be accepted again, so they need not be kept.
        cutoff = seen_at - timedelta(seconds=2 * settings.clock_skew_seconds)
        session.execute(delete(SeenNonce).where(SeenNonce.device_id == canonical_id,
                                                SeenNonce.seen_at < cutoff))
        session.execute(update(Device).where(Device.id == canonical_id)
                        .values(last_seen_at=seen_at))
        return Caller(device_id=canonical_id, user_id=user.id, username=user.username,
                      role=user.role, team_id=user.team_id, team=team_name)


def _invalid_code() -> ApiError:
    return ApiError(403, "enrol_code_invalid",
                    "This enrolment code is unknown, used or expired; ask an admin for a new one.")


def enrol(
    factory: sessionmaker[Session],
    settings: HubSettings,
    client: str,
    code: str,
    public_key_text: str,
    name: str,
) -> Caller:
    """Spend a one-time code on a new device holding ``public_key_text``.

    Attempts are counted per client address and in total, across all hub processes, before the
    code is looked at; over either limit the answer is 429."""
    with unit_of_work(factory) as session:
        window = settings.enrol_window_seconds
        per_client = ratelimit.hit(session, f"enrol:client:{client}", window)
        total = ratelimit.hit(session, "enrol:all", window)
    if per_client > settings.enrol_attempts_per_client or total > settings.enrol_attempts_total:
        raise ApiError(429, "rate_limited", "Too many enrolment attempts; try again later.",
                       headers={"Retry-After": str(ratelimit.seconds_left(window))})
    try:
        raw_key = unb64(public_key_text)
        if len(raw_key) != 32:
            raise ValueError
        Ed25519PublicKey.from_public_bytes(raw_key)
    except ValueError:
        raise ApiError(422, "invalid_request",
                       "public_key: not an Ed25519 public key (32 bytes, base64url).") from None
    clean_name = "".join(ch for ch in name if ch.isprintable())[:100]
    now = utcnow()
    try:
        with unit_of_work(factory) as session:
            if session.scalar(select(Device.id).where(Device.public_key == raw_key)):
                raise ApiError(409, "key_in_use", "This key is already enrolled; make a new one.")
            # One atomic statement spends the code: of two hubs racing, only one gets it.
            user_id = session.execute(
                update(EnrolCode)
                .where(EnrolCode.code_hash == hash_code(code), EnrolCode.used_at.is_(None),
                       EnrolCode.expires_at > now)
                .values(used_at=now)
                .returning(EnrolCode.user_id)
            ).scalar_one_or_none()
            if user_id is None:
                raise _invalid_code()
            device_id = str(uuid.uuid4())
            session.add(Device(id=device_id, user_id=user_id, public_key=raw_key,
                               name=clean_name, enrolled_at=now))
            session.flush()
            user, team_name = session.execute(
                select(User, Team.name).join(Team, Team.id == User.team_id)
                .where(User.id == user_id)
            ).one()
            return Caller(device_id=device_id, user_id=user.id, username=user.username,
                          role=user.role, team_id=user.team_id, team=team_name)
    except IntegrityError:
        raise ApiError(409, "key_in_use", "This key is already enrolled; make a new one.") from None
