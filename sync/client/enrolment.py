"""Enrolling this laptop with a hub: a one-time code from an administrator, and the hub's
certificate fingerprint confirmed by the person (or printed for them to check)."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

import httpx

from models.store import Store
from sync.auth import certificate_fingerprint, new_device_key, public_key_text
from sync.client import connection
from sync.client.connection import Credentials, answer, pinned_context
from sync.client.errors import FingerprintMismatch, HubRefused, HubUnreachable, SyncError


@dataclass(frozen=True)
class Enrolment:
    device_id: str
    username: str
    role: str
    team: str
    fingerprint: str


def fingerprint_of_hub(url: str) -> str:
    """The fingerprint of the certificate the hub at ``url`` presents now (to show a person)."""
    pem = connection.fetch_certificate(connection.normalise_url(url))
    return certificate_fingerprint(ssl.PEM_cert_to_DER_cert(pem))


def enrol(
    store: Store, hub_url: str, code: str, fingerprint: str | None = None, name: str | None = None,
) -> Enrolment:
    """Enrol ``store``'s laptop with the hub at ``hub_url`` using ``code``.

    When ``fingerprint`` is given, the hub's certificate must match it, or nothing is sent. The
    device's key is made here and never leaves the store. Records made before enrolment are
    pushed by the first sync."""
    try:
        url = connection.normalise_url(hub_url)
    except ValueError as exc:
        raise SyncError(str(exc)) from None
    pem = connection.fetch_certificate(url)
    actual = certificate_fingerprint(ssl.PEM_cert_to_DER_cert(pem))
    if fingerprint is not None and connection.normalise_fingerprint(fingerprint) != actual:
        raise FingerprintMismatch(
            "The hub's certificate does not match the fingerprint you were given, so nothing was "
            f"sent. The hub presents {actual}. Check the address and the fingerprint with your "
            "administrator: someone may be impersonating the hub."
        )
    key = new_device_key()
    label = (name or socket.gethostname())[:100]
    try:
        with httpx.Client(base_url=url, verify=pinned_context(pem),
                          timeout=connection.TIMEOUT) as http:
            response = http.post("/v1/enrol", json={
                "code": code.strip(), "public_key": public_key_text(key), "name": label})
    except httpx.TransportError as exc:
        raise HubUnreachable(f"Cannot reach the hub at {url} ({exc}).") from None
    if response.status_code == 422:
        raise HubRefused("That is not an enrolment code: check it was typed in full.",
                         status=422, code="invalid_request")
    body = answer(response)
    store.enrol(hub_url=url, hub_device_id=str(body["device_id"]))
    creds = Credentials(
        hub_url=url, device_id=str(body["device_id"]),
        private_key=connection.private_key_text(key), certificate=pem,
        username=str(body["username"]), role=str(body["role"]), team=str(body["team"]),
    )
    connection.save(store, creds)
    return Enrolment(creds.device_id, creds.username, creds.role, creds.team, actual)
