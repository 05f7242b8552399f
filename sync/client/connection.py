"""This laptop's link to its hub: the credentials kept in the encrypted store, and the HTTPS
client that pins the hub's certificate and signs every request.

The credentials (hub address, device id, the device's Ed25519 private key, the hub's
certificate) live in the store's ``meta`` table, so they are encrypted at rest with everything
else and are destroyed with the store when a revoked laptop wipes it.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from models.store import Store
from sync import protocol
from sync.auth import DeviceAuth, b64, certificate_fingerprint, unb64
from sync.client.errors import (
    DeviceRevoked,
    HubRefused,
    HubTooOld,
    HubUnreachable,
    NotEnrolled,
    UpdateRequired,
)
from sync.protocol import (
    HEADER_PROTOCOL,
    HUB_TOO_OLD,
    MIN_HUB_PROTOCOL,
    PROTOCOL_VERSION,
    UPDATE_REQUIRED,
    pack,
    unpack,
)

CREDENTIALS_KEY = "sync.credentials"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@dataclass(frozen=True)
class Credentials:
    hub_url: str
    device_id: str
    private_key: str  # raw Ed25519 private bytes, base64url
    certificate: str  # the hub's certificate (PEM), pinned at enrolment
    username: str = ""
    role: str = ""
    team: str = ""

    def key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(unb64(self.private_key))

    @property
    def fingerprint(self) -> str:
        der = ssl.PEM_cert_to_DER_cert(self.certificate)
        return certificate_fingerprint(der)


def private_key_text(key: Ed25519PrivateKey) -> str:
    return b64(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def load(store: Store) -> Credentials | None:
    raw = store.meta().get(CREDENTIALS_KEY)
    return Credentials(**json.loads(raw)) if raw else None


def save(store: Store, creds: Credentials) -> None:
    store.set_meta(CREDENTIALS_KEY, json.dumps(asdict(creds)))


def normalise_url(url: str) -> str:
    """``https://host[:port]`` without a trailing slash; ``ValueError`` with advice otherwise."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme != "https":
        raise ValueError("The hub's address must start with https:// "
                         "(sync never runs unencrypted).")
    if not parts.hostname:
        raise ValueError(f"{url!r} is not a hub address; it looks like https://hub.example:8443.")
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def normalise_fingerprint(text: str) -> str:
    hexdigits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def fetch_certificate(url: str, timeout: float = 10.0) -> str:
    """The certificate the hub at ``url`` presents (PEM), not yet trusted: the caller compares
    its fingerprint with the one the hub's administrator gave."""
    parts = urlsplit(url)
    assert parts.hostname
    try:
        return ssl.get_server_certificate((parts.hostname, parts.port or 443), timeout=timeout)
    except (OSError, ssl.SSLError) as exc:
        raise HubUnreachable(
            f"Cannot reach the hub at {url} ({_reason(exc)}). Check the address and that this "
            "laptop is online."
        ) from None


def pinned_context(certificate_pem: str) -> ssl.SSLContext:
    """Trusts exactly the pinned certificate: nothing else can stand in for the hub."""
    ctx = ssl.create_default_context(cadata=certificate_pem)
    ctx.check_hostname = False  # the pin is stronger than a name: this certificate and no other
    return ctx


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Hub:
    """Signed, pinned requests to the hub, each returning the decoded answer or raising a
    ``SyncError`` that says what to do. ``http`` may be given (tests pass an in-process client)."""

    def __init__(self, creds: Credentials, http: httpx.Client | None = None) -> None:
        self.creds = creds
        self._own = http is None
        self.http = http or httpx.Client(
            base_url=creds.hub_url, verify=pinned_context(creds.certificate), timeout=TIMEOUT
        )
        self.auth = DeviceAuth(creds.key(), creds.device_id)

    @classmethod
    def of(cls, store: Store, http: httpx.Client | None = None) -> Hub:
        creds = load(store)
        if creds is None:
            raise NotEnrolled()
        return cls(creds, http)

    def close(self) -> None:
        if self._own:
            self.http.close()

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str) -> Any:
        return self._send("GET", path, None)

    def post(self, path: str, payload: Any, *, compress: bool = True) -> Any:
        """POST ``payload`` as JSON: zstd-compressed for push and pull, plain for the small
        messages other endpoints read."""
        body = pack(payload) if compress else json.dumps(payload).encode()
        return self._send("POST", path, body, compressed=compress)

    def _send(self, method: str, path: str, body: bytes | None, *,
              compressed: bool = False) -> Any:
        headers = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), "Accept-Encoding": "zstd, gzip"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            if compressed:
                headers["Content-Encoding"] = "zstd"
        try:
            with self.http.stream(method, path, content=body, headers=headers,
                                  auth=self.auth) as response:
                raw = read_body(response)
        except httpx.TransportError as exc:
            raise HubUnreachable(
                f"The connection to the hub was lost ({_reason(exc)}). Nothing is lost: the "
                "next sync carries on from here."
            ) from None
        return answer(response, raw)


UNREADABLE = ("The hub's answer could not be read ({}). Nothing is lost: the next sync "
              "carries on from here. If this keeps happening, tell your IT service desk.")


def read_body(response: httpx.Response, limit: int | None = None) -> bytes:
    """The answer's body, inflated, refused once it passes ``limit`` (by default
    ``MAX_INFLATED_BYTES``: a hostile or broken hub cannot fill the laptop's memory). Read this
    way the ``Response`` keeps no copy: httpx's responses sit in reference cycles, so a copy
    kept there (a pull page is 4.5 MB) lived until the cycle collector came round, not until
    the page was parsed."""
    limit = protocol.MAX_INFLATED_BYTES if limit is None else limit
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise HubUnreachable(UNREADABLE.format(f"larger than {limit:,} bytes"))
        parts.append(chunk)
    return b"".join(parts)


def answer(response: httpx.Response, raw: bytes | None = None) -> Any:
    """The response's JSON, or the ``SyncError`` its error body stands for; ``raw``: its body,
    if read already (see :func:`read_body`)."""
    if raw is None:
        raw = response.content
    if response.status_code < 400:
        hub_version = response.headers.get(HEADER_PROTOCOL, "")
        if not (hub_version.isdigit() and int(hub_version) >= MIN_HUB_PROTOCOL):
            raise HubTooOld(HUB_TOO_OLD)
        # httpx inflated a zstd or gzip answer as it was read; the limit guards the JSON parse.
        try:
            return unpack(raw, None)
        except ValueError as exc:
            raise HubUnreachable(UNREADABLE.format(exc)) from None
    try:
        body = json.loads(raw)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = str(body.get("detail") or f"The hub answered {response.status_code}.")
    code = str(body.get("error") or "")
    if response.status_code == 410 and body.get("action") == "wipe":
        raise DeviceRevoked(detail)
    if response.status_code == 426:
        raise UpdateRequired(detail or UPDATE_REQUIRED)
    if response.status_code >= 500 or response.status_code == 429:
        raise HubUnreachable(f"The hub is busy or unwell ({detail}). Try again in a few minutes.")
    raise HubRefused(detail, status=response.status_code, code=code)
