"""The key file: wrapping the data key, telling damage from a wrong passphrase, atomic writes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from pathlib import Path

import pytest

from models.crypto import keyfile
from models.crypto.keyfile import (
    KEY_FILE_NAME,
    KdfParams,
    derive_subkey,
    read_key_file,
    unwrap_data_key,
    wrap_data_key,
    write_key_file,
)
from models.errors import DiskFull, KeyFileDamaged, StoreTooNew, WrongPassphrase

FAST = KdfParams.fast_for_tests()
PASSPHRASE = "correct horse battery staple"
STORE_ID = "5b0c9a43-8c77-4a55-9a53-0c8f2a8d7e11"


def checksummed(doc: dict) -> dict:
    """``doc`` with a checksum recomputed as the key file defines it (sha256 of canonical JSON)."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return {**body, "checksum": hashlib.sha256(canonical).hexdigest()}


@pytest.fixture
def data_key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture
def folder(tmp_path: Path, data_key: bytes) -> Path:
    write_key_file(tmp_path, wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST))
    return tmp_path


def test_wrap_then_unwrap_gives_the_data_key_back(data_key: bytes) -> None:
    doc = wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST)
    assert unwrap_data_key(doc, PASSPHRASE) == data_key


def test_written_file_reads_back_and_unwraps(folder: Path, data_key: bytes) -> None:
    doc = read_key_file(folder)
    assert doc["store_id"] == STORE_ID
    assert doc["kdf"]["name"] == "argon2id"
    assert unwrap_data_key(doc, PASSPHRASE) == data_key


def test_the_key_file_holds_neither_key_nor_passphrase(folder: Path, data_key: bytes) -> None:
    raw = (folder / KEY_FILE_NAME).read_bytes()
    assert data_key not in raw
    assert data_key.hex().encode() not in raw
    assert PASSPHRASE.encode() not in raw


def test_each_wrap_uses_a_fresh_salt_and_nonce(data_key: bytes) -> None:
    a = wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST)
    b = wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST)
    assert a["kdf"]["salt"] != b["kdf"]["salt"]
    assert a["wrap"]["nonce"] != b["wrap"]["nonce"]
    assert a["wrap"]["ciphertext"] != b["wrap"]["ciphertext"]


@pytest.mark.parametrize(
    "wrong", ["", "correct horse battery stapl", "Correct horse battery staple"]
)
def test_wrong_passphrase(data_key: bytes, wrong: str) -> None:
    doc = wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST)
    with pytest.raises(WrongPassphrase):
        unwrap_data_key(doc, wrong)


def test_non_ascii_passphrase(data_key: bytes) -> None:
    phrase = "ሰላም مريم naïve passphrase"
    doc = wrap_data_key(data_key, phrase, STORE_ID, FAST)
    assert unwrap_data_key(doc, phrase) == data_key


@pytest.mark.parametrize(
    "field",
    [("store_id",), ("kdf", "iterations"), ("kdf", "memory_cost"), ("kdf", "salt")],
)
def test_parameters_are_bound_to_the_wrapped_key(data_key: bytes, field: tuple[str, ...]) -> None:
    """Someone who edits the store id or lowers the KDF cost (and fixes the checksum) unlocks
    nothing: the AEAD's associated data covers them."""
    doc = wrap_data_key(data_key, PASSPHRASE, STORE_ID, FAST)
    if field == ("store_id",):
        doc["store_id"] = "00000000-0000-0000-0000-000000000000"
    elif field == ("kdf", "salt"):
        doc["kdf"]["salt"] = keyfile._b64(secrets.token_bytes(16))
    else:
        doc["kdf"][field[1]] = int(doc["kdf"][field[1]]) + 1
    with pytest.raises(WrongPassphrase):
        unwrap_data_key(checksummed(doc), PASSPHRASE)


def test_checksum_catches_a_flipped_byte(folder: Path) -> None:
    path = folder / KEY_FILE_NAME
    raw = bytearray(path.read_bytes())
    i = raw.index(b'"ciphertext": "') + len(b'"ciphertext": "') + 3
    raw[i] = ord("A") if raw[i] != ord("A") else ord("B")  # still valid base64 and JSON
    path.write_bytes(bytes(raw))
    with pytest.raises(KeyFileDamaged, match="checksum"):
        read_key_file(folder)


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"format": "pathway-desk-key"', b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"null"],
)
def test_truncated_or_garbled_file(folder: Path, content: bytes) -> None:
    (folder / KEY_FILE_NAME).write_bytes(content)
    with pytest.raises(KeyFileDamaged):
        read_key_file(folder)


def test_truncated_half_way(folder: Path) -> None:
    path = folder / KEY_FILE_NAME
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(KeyFileDamaged):
        read_key_file(folder)


def test_not_a_pathway_desk_key_file(folder: Path) -> None:
    (folder / KEY_FILE_NAME).write_text(json.dumps({"format": "something-else", "version": 1}))
    with pytest.raises(KeyFileDamaged, match="not a Pathway Desk key file"):
        read_key_file(folder)


def test_missing_key_file_is_damage_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(KeyFileDamaged):
        read_key_file(tmp_path)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("kdf"),
        lambda d: d["wrap"].pop("nonce"),
        lambda d: d["kdf"].__setitem__("salt", "not base64!"),
        lambda d: d["kdf"].__setitem__("memory_cost", "lots"),
        lambda d: d["kdf"].__setitem__("name", "pbkdf2"),
        lambda d: d.__setitem__("wrap", None),
    ],
)
def test_missing_or_malformed_fields(folder: Path, mutate) -> None:  # type: ignore[no-untyped-def]
    path = folder / KEY_FILE_NAME
    doc = json.loads(path.read_text())
    mutate(doc)
    path.write_text(json.dumps(checksummed(doc)))
    with pytest.raises(KeyFileDamaged):
        read_key_file(folder)


@pytest.mark.parametrize("recompute", [True, False])
def test_key_file_from_a_newer_version(folder: Path, recompute: bool) -> None:
    # A newer version may checksum differently: the version is judged before the checksum.
    path = folder / KEY_FILE_NAME
    doc = json.loads(path.read_text())
    doc["version"] = keyfile.KEY_FILE_VERSION + 1
    path.write_text(json.dumps(checksummed(doc) if recompute else doc))
    with pytest.raises(StoreTooNew):
        read_key_file(folder)


def test_wrapped_key_of_the_wrong_length(tmp_path: Path) -> None:
    doc = wrap_data_key(secrets.token_bytes(16), PASSPHRASE, STORE_ID, FAST)
    with pytest.raises(KeyFileDamaged, match="wrong length"):
        unwrap_data_key(doc, PASSPHRASE)


def test_derive_subkey_separates_purposes(data_key: bytes) -> None:
    db = derive_subkey(data_key, b"pathway-desk db")
    assert len(db) == 32
    assert db == derive_subkey(data_key, b"pathway-desk db")
    assert db != derive_subkey(data_key, b"pathway-desk blob names v1")
    assert db != data_key
    assert db != derive_subkey(secrets.token_bytes(32), b"pathway-desk db")


def test_write_replaces_the_file_and_leaves_no_temp(folder: Path, data_key: bytes) -> None:
    new = wrap_data_key(data_key, "another passphrase", STORE_ID, FAST)
    write_key_file(folder, new)
    assert read_key_file(folder) == new
    assert sorted(p.name for p in folder.iterdir()) == [KEY_FILE_NAME]


def test_failed_rename_leaves_the_old_file(
    folder: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (folder / KEY_FILE_NAME).read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "file in use")

    monkeypatch.setattr(keyfile.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_key_file(folder, wrap_data_key(data_key, "another passphrase", STORE_ID, FAST))
    assert (folder / KEY_FILE_NAME).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [KEY_FILE_NAME]
    assert unwrap_data_key(read_key_file(folder), PASSPHRASE) == data_key


def test_full_disk_while_writing_leaves_the_old_file(
    folder: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (folder / KEY_FILE_NAME).read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(keyfile.os, "fsync", no_space)
    with pytest.raises(DiskFull):
        write_key_file(folder, wrap_data_key(data_key, "another passphrase", STORE_ID, FAST))
    assert (folder / KEY_FILE_NAME).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [KEY_FILE_NAME]


def test_fast_params_are_cheap_and_defaults_are_not() -> None:
    fast, default = KdfParams.fast_for_tests(), KdfParams()
    assert fast.memory_cost < default.memory_cost
    assert default.memory_cost >= 64 * 1024  # at least 64 MiB against GPU guessing
    assert default.iterations >= 2
