"""The key file: a random 256-bit data key wrapped under a key derived from the passphrase.

Layout of ``key.json`` (UTF-8 JSON, written atomically)::

    {"format": "pathway-desk-key", "version": 1, "store_id": "...",
     "kdf": {"name": "argon2id", "salt": b64, "memory_cost": KiB, "iterations": n, "lanes": n},
     "wrap": {"alg": "AES-256-GCM", "nonce": b64, "ciphertext": b64},
     "checksum": sha256 hex of the canonical JSON of everything above}

The KDF parameters are stored so they can be raised later; changing the passphrase re-wraps the
data key only (the database and blobs are untouched). The AEAD's associated data binds the
wrapped key to the store id and the KDF parameters. The checksum cannot stop a deliberate forger
(who gains nothing: a forged file unlocks nothing), but tells accidental damage apart from a wrong
passphrase, so the adviser is told the right thing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from models.errors import DiskFull, KeyFileDamaged, StoreTooNew, WrongPassphrase
from models.file_modes import make_owner_only_folder, open_owner_only

KEY_FILE_NAME = "key.json"
KEY_FILE_VERSION = 1
DATA_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default takes about 0.3 s on this 2-core VM (floor: 0.25 s; 96 MiB fell
    just under it when the machine was idle)."""

    memory_cost: int = 131072  # KiB (128 MiB)
    iterations: int = 3
    lanes: int = 4

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Cheap parameters so a test suite can make hundreds of stores. Never for real stores."""
        return cls(memory_cost=64, iterations=1, lanes=1)


def derive_subkey(data_key: bytes, purpose: bytes) -> bytes:
    """An independent 256-bit key for one purpose (SQLCipher, blob names...) from the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(data_key)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _canonical(doc: dict) -> bytes:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    ).derive(passphrase.encode("utf-8"))


def _aad(store_id: str, salt: bytes, params: KdfParams) -> bytes:
    return json.dumps(
        {"store_id": store_id, "salt": _b64(salt), **asdict(params)}, sort_keys=True
    ).encode("utf-8")


def wrap_data_key(data_key: bytes, passphrase: str, store_id: str, params: KdfParams) -> dict:
    """Return the key-file document holding ``data_key`` wrapped under ``passphrase``."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _kek(passphrase, salt, params)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(store_id, salt, params))
    doc = {
        "format": "pathway-desk-key",
        "version": KEY_FILE_VERSION,
        "store_id": store_id,
        "kdf": {"name": "argon2id", "salt": _b64(salt), **asdict(params)},
        "wrap": {"alg": "AES-256-GCM", "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)},
    }
    doc["checksum"] = hashlib.sha256(_canonical(doc)).hexdigest()
    return doc


def read_key_file(folder: Path) -> dict:
    """Read and structurally check ``key.json``; raises :class:`KeyFileDamaged`/`StoreTooNew`."""
    path = folder / KEY_FILE_NAME
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyFileDamaged(f"cannot read it: {exc.strerror or exc}") from exc
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyFileDamaged("it is not valid JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != "pathway-desk-key":
        raise KeyFileDamaged("it is not a Pathway Desk key file")
    version = doc.get("version")
    if isinstance(version, int) and version > KEY_FILE_VERSION:
        raise StoreTooNew(f"key file v{version}")
    if doc.get("checksum") != hashlib.sha256(_canonical(doc)).hexdigest():
        raise KeyFileDamaged("its checksum does not match")
    try:
        kdf = doc["kdf"]
        if kdf["name"] != "argon2id":
            raise KeyFileDamaged(f"unknown key derivation {kdf['name']!r}")
        _unb64(kdf["salt"])
        KdfParams(int(kdf["memory_cost"]), int(kdf["iterations"]), int(kdf["lanes"]))
        _unb64(doc["wrap"]["nonce"])
        _unb64(doc["wrap"]["ciphertext"])
        str(doc["store_id"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise KeyFileDamaged("a field is missing or malformed") from exc
    return doc


def unwrap_data_key(doc: dict, passphrase: str) -> bytes:
    """The data key, or :class:`WrongPassphrase`. Runs the KDF: call it off the GUI thread."""
    kdf = doc["kdf"]
    params = KdfParams(int(kdf["memory_cost"]), int(kdf["iterations"]), int(kdf["lanes"]))
    salt = _unb64(kdf["salt"])
    kek = _kek(passphrase, salt, params)
    try:
        data_key = AESGCM(kek).decrypt(
            _unb64(doc["wrap"]["nonce"]),
            _unb64(doc["wrap"]["ciphertext"]),
            _aad(str(doc["store_id"]), salt, params),
        )
    except InvalidTag:
        raise WrongPassphrase() from None
    if len(data_key) != DATA_KEY_BYTES:
        raise KeyFileDamaged("the wrapped key has the wrong length")
    return data_key


def write_key_file(folder: Path, doc: dict) -> None:
    """Atomically replace ``key.json``: the old file stays intact until the new one is on disk."""
    path = folder / KEY_FILE_NAME
    tmp = folder / (KEY_FILE_NAME + ".new")
    data = json.dumps(doc, indent=2, sort_keys=True).encode("utf-8")
    try:
        make_owner_only_folder(folder)  # the store's folder: owner-only, like its files
        with os.fdopen(open_owner_only(tmp), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == 28:  # ENOSPC
            raise DiskFull("the key file") from exc
        raise
