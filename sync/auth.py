"""Device credentials: the laptop's Ed25519 key and the signature every request to the hub carries.

Shared by the sync client and the hub (and the tests), so both build the signed message the same
way. No Qt, no store. The hub keeps only the public key: a copy of its database signs nothing.

A signed request carries four headers: the device id, a timestamp (Unix seconds), a random nonce,
and an Ed25519 signature over ``pathway-hub-v1``, the method, the raw request target (path and
query exactly as sent), the timestamp, the nonce and the SHA-256 of the body, one per line.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Generator

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HEADER_DEVICE = "X-Pathway-Device"
HEADER_TIMESTAMP = "X-Pathway-Timestamp"
HEADER_NONCE = "X-Pathway-Nonce"
HEADER_SIGNATURE = "X-Pathway-Signature"
SIGNATURE_VERSION = b"pathway-hub-v1"


def b64(data: bytes) -> str:
    """URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """The inverse of ``b64``; raises ``ValueError`` for anything else."""
    if not text.isascii():
        raise ValueError("not base64")
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def new_device_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The public half, as sent at enrolment."""
    return b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def signing_message(method: str, target: bytes, timestamp: str, nonce: str, body: bytes) -> bytes:
    return b"\n".join([
        SIGNATURE_VERSION,
        method.upper().encode("ascii"),
        target,
        timestamp.encode("ascii"),
        nonce.encode("ascii"),
        hashlib.sha256(body).hexdigest().encode("ascii"),
    ])


def signed_headers(
    key: Ed25519PrivateKey,
    device_id: str,
    method: str,
    target: bytes,
    body: bytes = b"",
    *,
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four headers that authenticate one request as ``device_id``."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or b64(secrets.token_bytes(16))
    signature = key.sign(signing_message(method, target, timestamp, nonce, body))
    return {
        HEADER_DEVICE: device_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: b64(signature),
    }


class DeviceAuth(httpx.Auth):
    """Signs every request an ``httpx`` client sends, as the enrolled device."""

    requires_request_body = True

    def __init__(self, key: Ed25519PrivateKey, device_id: str) -> None:
        self._key = key
        self._device_id = device_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(signed_headers(
            self._key, self._device_id, request.method, request.url.raw_path, request.content
        ))
        yield request


def certificate_fingerprint(der: bytes) -> str:
    """A certificate's SHA-256 fingerprint as the hub prints it and a device pins it."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
