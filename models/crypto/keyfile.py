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
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from models.crypto.secret import take, wipe
from models.errors import (
    DiskFull,
    KeyFileDamaged,
    PassphraseNotText,
    StoreTooNew,
    WrongPassphrase,
)
from models.file_modes import make_owner_only_folder, open_owner_only

KEY_FILE_NAME = "key.json"
KEY_FILE_VERSION = 1
DATA_KEY_BYTES = 32
MAX_KEY_FILE_BYTES = 64 * 1024  # a real one is under 1 KiB
# Bounds on stored KDF costs (a damaged or forged key file must not exhaust memory or time).
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_ITERATIONS = 64
MAX_LANES = 64


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


def derive_subkey(data_key: bytes | bytearray, purpose: bytes) -> bytearray:
    """An independent 256-bit key for one purpose (SQLCipher, blob names...) from the data key,
    in a buffer the caller wipes (:func:`models.crypto.secret.wipe`) when done."""
    return take(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(data_key)
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _canonical(doc: dict) -> bytes:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def passphrase_forms(passphrase: str) -> list[bytearray]:
    """The byte forms to try for a typed passphrase, the one new key files use first.

    Passphrases are compared as Unicode text: "café" typed as one character é (NFC) or as e plus
    a combining accent (NFD, as some keyboards and macOS produce) is the same passphrase. Key
    files are wrapped under the NFC form. Key files made before this was so were wrapped under
    the bytes as typed, so those (and the NFD form) are tried next; a store that opens with one
    of them is re-wrapped under the NFC form (see ``Store.open``).
    Raises :class:`PassphraseNotText` for a passphrase that is not valid text (say, bytes from a
    terminal that is not set to UTF-8).
    """
    forms: list[bytearray] = []
    for form in ("NFC", None, "NFD"):
        text = unicodedata.normalize(form, passphrase) if form else passphrase
        try:
            encoded = take(text.encode("utf-8"))
        except UnicodeEncodeError:
            for done in forms:
                wipe(done)
            raise PassphraseNotText() from None
        finally:
            if text is not passphrase:  # our copy, never the caller's object
                wipe(text)
        if encoded in forms:
            wipe(encoded)
        else:
            forms.append(encoded)
    return forms


def _kek(secret: bytes | bytearray, salt: bytes, params: KdfParams) -> bytes:
    try:
        return Argon2id(
            salt=salt,
            length=32,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_cost,
        ).derive(secret)  # type: ignore[arg-type]  # any buffer works; a bytearray is wiped
    except (ValueError, OverflowError, MemoryError) as exc:
        raise KeyFileDamaged("its key-derivation settings cannot be used") from exc


def _check_params(params: KdfParams) -> None:
    """Refuse costs no real key file has: they would fail, or exhaust memory or time."""
    values = (params.memory_cost, params.iterations, params.lanes)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise KeyFileDamaged("its key-derivation settings are not whole numbers")
    if not (
        1 <= params.lanes <= MAX_LANES
        and 1 <= params.iterations <= MAX_ITERATIONS
        and 8 * params.lanes <= params.memory_cost <= MAX_MEMORY_KIB
    ):
        raise KeyFileDamaged("its key-derivation settings are out of range")


def _aad(store_id: str, salt: bytes, params: KdfParams) -> bytes:
    return json.dumps(
        {"store_id": store_id, "salt": _b64(salt), **asdict(params)}, sort_keys=True
    ).encode("utf-8")


def wrap_data_key(
    data_key: bytes | bytearray, passphrase: str, store_id: str, params: KdfParams
) -> dict:
    """Return the key-file document holding ``data_key`` wrapped under ``passphrase``."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    forms = passphrase_forms(passphrase)
    kek = _kek(forms[0], salt, params)
    try:
        ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(store_id, salt, params))
    finally:
        for secret in (kek, *forms):
            wipe(secret)
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
        with open(path, "rb") as fh:
            raw = fh.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise KeyFileDamaged(f"cannot read it: {exc.strerror or exc}") from exc
    if len(raw) > MAX_KEY_FILE_BYTES:
        raise KeyFileDamaged("it is far too large to be a key file")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
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
        _check_params(KdfParams(kdf["memory_cost"], kdf["iterations"], kdf["lanes"]))
        _unb64(doc["wrap"]["nonce"])
        _unb64(doc["wrap"]["ciphertext"])
        str(doc["store_id"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise KeyFileDamaged("a field is missing or malformed") from exc
    return doc


def unwrap_data_key(doc: dict, passphrase: str) -> bytearray:
    """The data key, or :class:`WrongPassphrase`. Runs the KDF: call it off the GUI thread."""
    return unwrap_data_key_any_form(doc, passphrase)[0]


def unwrap_data_key_any_form(doc: dict, passphrase: str) -> tuple[bytearray, bool]:
    """The data key and whether the key file should be re-wrapped (it was wrapped under a
    form of the passphrase other than NFC). Tries each of :func:`passphrase_forms` in turn (one
    KDF each; an ASCII passphrase has one form)."""
    kdf = doc["kdf"]
    params = KdfParams(int(kdf["memory_cost"]), int(kdf["iterations"]), int(kdf["lanes"]))
    _check_params(params)
    salt = _unb64(kdf["salt"])
    aad = _aad(str(doc["store_id"]), salt, params)
    nonce, ciphertext = _unb64(doc["wrap"]["nonce"]), _unb64(doc["wrap"]["ciphertext"])
    forms = passphrase_forms(passphrase)
    try:
        for index, secret in enumerate(forms):
            kek = _kek(secret, salt, params)
            try:
                data_key = take(AESGCM(kek).decrypt(nonce, ciphertext, aad))
            except InvalidTag:
                continue
            finally:
                wipe(kek)
            if len(data_key) != DATA_KEY_BYTES:
                raise KeyFileDamaged("the wrapped key has the wrong length")
            return data_key, index > 0
    finally:
        for secret in forms:
            wipe(secret)
    raise WrongPassphrase()


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
