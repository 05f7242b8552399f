"""Resumable downloads into the blob store: nothing visible until verified, resumed from what
was sealed, a spoilt partial thrown away."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import pytest

from models.blobs import BlobStore
from models.errors import BlobDamaged
from models.partial_blobs import PARTIAL_PREFIX, cleanup_partials

CHUNK = 4096


def blobs(folder: Path, key: bytes) -> BlobStore:
    return BlobStore(folder, key, chunk_size=CHUNK)


def partials(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(PARTIAL_PREFIX)]


@pytest.mark.parametrize("size", [0, 1, CHUNK, 3 * CHUNK, 3 * CHUNK + 17])
def test_a_download_cut_anywhere_resumes_and_shows_only_when_whole(
    tmp_path: Path, size: int
) -> None:
    key = secrets.token_bytes(32)
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    store = blobs(tmp_path, key)
    cut = size // 2 + 5 if size > 5 else 0
    first = store.partial(sha, size)
    first.write(data[:cut])
    first.close()  # the app was killed: what was not sealed yet is lost, nothing more
    assert not store.exists(sha)
    assert all(data[:16] not in p.read_bytes() for p in partials(tmp_path) if size >= 16)

    again = blobs(tmp_path, key).partial(sha, size)  # a later sync, a fresh BlobStore
    assert again.received <= cut and again.received % CHUNK in (0, size % CHUNK)
    again.write(data[again.received:])
    again.finish()
    assert store.read_bytes(sha) == data and partials(tmp_path) == []


def test_a_spoilt_partial_is_thrown_away_and_never_becomes_a_blob(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    data = os.urandom(3 * CHUNK)
    sha = hashlib.sha256(data).hexdigest()
    store = blobs(tmp_path, key)
    part = store.partial(sha, len(data))
    part.write(data[:CHUNK] + b"\0" * CHUNK + data[2 * CHUNK:])  # the hub's copy was damaged
    with pytest.raises(BlobDamaged):
        part.finish()
    assert not store.exists(sha) and partials(tmp_path) == []

    # The wrong size for this sha: also refused.
    short = store.partial(sha, 10)
    with pytest.raises(BlobDamaged):
        short.write(data[:11])
    short.write(data[:10])
    with pytest.raises(BlobDamaged):
        short.finish()
    assert not store.exists(sha)


def test_old_partials_are_removed_and_delete_removes_a_partial(tmp_path: Path) -> None:
    store = blobs(tmp_path, secrets.token_bytes(32))
    part = store.partial("a" * 64, 10 * CHUNK)
    part.write(os.urandom(2 * CHUNK))
    part.close()
    assert cleanup_partials(tmp_path) == 0 and len(partials(tmp_path)) == 1
    store.delete("a" * 64)
    assert partials(tmp_path) == []
    store.partial("b" * 64, 10).close()
    assert cleanup_partials(tmp_path, older_than=-1) == 1
