"""The blob store: what lands on disk, what callers get back, and that failures leave nothing."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

import models.blobs as blobs_module
from models.blobs import BlobInfo, BlobStore
from models.crypto.blobstream import HEADER_SIZE, TAG_SIZE
from models.errors import (
    BlobDamaged,
    BlobError,
    BlobMissing,
    Cancelled,
    DiskFull,
    ImportFailed,
)
from models.progress import CancelToken

KEY = bytes(range(32))
SMALL = 64
MARKER = b"CARE-LEAVER-MARKER-7f3a9c"


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs", KEY, chunk_size=SMALL)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def flip_byte(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x01
    path.write_bytes(bytes(raw))


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, SMALL, 7 * SMALL + 5])
def test_put_file_then_read_back(store: BlobStore, tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    info = store.put_file(write(tmp_path / "letter.pdf", data))

    assert info == BlobInfo(sha(data), size)
    assert store.exists(info.sha256)
    assert b"".join(store.open_reader(info.sha256)) == data
    assert store.read_bytes(info.sha256) == data
    store.verify(info.sha256)
    dest = tmp_path / "out" / "letter copy.pdf"
    dest.parent.mkdir()
    assert store.export_to(info.sha256, dest) == info
    assert dest.read_bytes() == data
    assert not dest.with_name(dest.name + ".part").exists()


def test_put_bytes_with_the_default_chunk_size(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", KEY)
    data = os.urandom(3 * 1024 * 1024 + 11)
    info = store.put_bytes(data)
    assert info == BlobInfo(sha(data), len(data))
    assert store.read_bytes(info.sha256) == data


def test_progress_reaches_the_total(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(5 * SMALL)
    calls: list[tuple[int, int]] = []
    info = store.put_file(
        write(tmp_path / "photo.jpg", data), progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (len(data), len(data))
    calls.clear()
    store.export_to(info.sha256, tmp_path / "back.jpg", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (len(data), len(data))


# -- what the disk reveals ---------------------------------------------------------------


def test_no_plaintext_under_the_blob_folder(store: BlobStore, tmp_path: Path) -> None:
    data = (b"Contact note: " + MARKER + b"\n") * 200
    info = store.put_file(write(tmp_path / "note.txt", data))
    store.put_bytes(MARKER)

    files = stored_files(store.folder)
    assert len(files) == 2
    for path in files:
        raw = path.read_bytes()
        assert MARKER not in raw
        assert info.sha256.encode() not in raw
        assert bytes.fromhex(info.sha256) not in raw


def test_file_names_do_not_reveal_the_hash(store: BlobStore, tmp_path: Path) -> None:
    data = b"a birth certificate scan"
    info = store.put_bytes(data)
    (path,) = stored_files(store.folder)

    assert path == store.path_of(info.sha256)
    assert path.parent.parent == store.folder
    assert len(path.parent.name) == 2 and len(path.name) == 62
    name = path.parent.name + path.name
    for needle in (info.sha256, info.sha256[:8], info.sha256[-8:]):
        assert needle not in name
    # Another data key names the same content differently: no cross-store correlation.
    other = BlobStore(tmp_path / "other", bytes(32), chunk_size=SMALL)
    assert other.path_of(info.sha256).relative_to(other.folder) != path.relative_to(store.folder)


def test_identical_content_is_stored_once(store: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(3 * SMALL)
    first = store.put_file(write(tmp_path / "a.jpg", data))
    second = store.put_file(write(tmp_path / "b.jpg", data))
    third = store.put_bytes(data)
    assert first == second == third
    assert stored_files(store.folder) == [store.path_of(first.sha256)]


# -- import failures ---------------------------------------------------------------------


def test_missing_path(store: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="does not exist"):
        store.put_file(tmp_path / "nope.pdf")
    assert stored_files(store.folder) == []


def test_directory_path(store: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="folder"):
        store.put_file(tmp_path)
    assert stored_files(store.folder) == []


def test_max_size(store: BlobStore, tmp_path: Path) -> None:
    path = write(tmp_path / "video.mp4", os.urandom(3 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="larger than 2 MB"):
        store.put_file(path, max_size=2 * 1024 * 1024)
    assert stored_files(store.folder) == []


def test_cancel_mid_import_leaves_nothing(store: BlobStore, tmp_path: Path) -> None:
    token = CancelToken()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done >= 3 * SMALL:
            token.cancel()

    path = write(tmp_path / "big.pdf", os.urandom(20 * SMALL))
    with pytest.raises(Cancelled):
        store.put_file(path, progress=progress, cancel=token)
    assert seen[-1] == 3 * SMALL  # it really stopped part way
    assert list(store.folder.iterdir()) == []


def test_disk_full_leaves_nothing(
    store: BlobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(blobs_module.os, "fsync", full)
    with pytest.raises(DiskFull):
        store.put_file(write(tmp_path / "a.pdf", b"some bytes"))
    assert list(store.folder.iterdir()) == []


def test_read_error_part_way_is_import_failed(store: BlobStore, tmp_path: Path) -> None:
    class Flaky:
        def __init__(self) -> None:
            self.calls = 0

        def read(self, size: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 2:
                raise OSError(errno.EIO, "Input/output error")
            return b"x" * size

    source = blobs_module._GuardedSource(Flaky(), tmp_path / "usb.pdf", None)  # type: ignore[arg-type]
    with pytest.raises(ImportFailed, match="could not be read to the end"):
        store._put_stream(source, total=0, progress=lambda d, t: None, cancel=CancelToken())
    assert list(store.folder.iterdir()) == []


# -- reading failures --------------------------------------------------------------------


def test_missing_blob(store: BlobStore, tmp_path: Path) -> None:
    absent = sha(b"never stored")
    assert not store.exists(absent)
    with pytest.raises(BlobMissing):
        store.open_reader(absent)
    with pytest.raises(BlobMissing):
        store.read_bytes(absent)
    with pytest.raises(BlobMissing):
        store.verify(absent)
    with pytest.raises(BlobMissing):
        store.export_to(absent, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf.part").exists()


@pytest.mark.parametrize("where", ["first", "last"])
def test_export_of_damaged_blob_leaves_no_file(
    store: BlobStore, tmp_path: Path, where: str
) -> None:
    data = os.urandom(6 * SMALL + 3)
    info = store.put_bytes(data)
    path = store.path_of(info.sha256)
    flip_byte(path, HEADER_SIZE + 5 if where == "first" else path.stat().st_size - 1)

    dest = tmp_path / "export.pdf"
    with pytest.raises(BlobDamaged, match="integrity"):
        store.export_to(info.sha256, dest)
    assert not dest.exists()
    assert not (tmp_path / "export.pdf.part").exists()
    with pytest.raises(BlobDamaged):
        store.verify(info.sha256)
    with pytest.raises(BlobDamaged):
        store.read_bytes(info.sha256)


def test_truncated_blob_is_damaged(store: BlobStore) -> None:
    info = store.put_bytes(os.urandom(4 * SMALL))
    path = store.path_of(info.sha256)
    path.write_bytes(path.read_bytes()[: -(SMALL + TAG_SIZE)])
    with pytest.raises(BlobDamaged, match="truncated"):
        store.verify(info.sha256)


def test_swapped_blob_files_are_caught_by_the_hash(store: BlobStore, tmp_path: Path) -> None:
    # Each file is intact ciphertext, so only the plaintext hash check can see the swap.
    a = store.put_bytes(b"care plan for A" * 10)
    b = store.put_bytes(b"care plan for B" * 10)
    shutil.copyfile(store.path_of(b.sha256), store.path_of(a.sha256))

    with pytest.raises(BlobDamaged, match="do not match"):
        store.verify(a.sha256)
    with pytest.raises(BlobDamaged, match="do not match"):
        store.read_bytes(a.sha256)
    dest = tmp_path / "a.txt"
    with pytest.raises(BlobDamaged, match="do not match"):
        store.export_to(a.sha256, dest)
    assert not dest.exists() and not (tmp_path / "a.txt.part").exists()


def test_wrong_data_key_reads_nothing(store: BlobStore, tmp_path: Path) -> None:
    info = store.put_bytes(b"secret")
    # A store opened with another key looks under other names, so it finds nothing...
    other = BlobStore(store.folder, bytes(32), chunk_size=SMALL)
    assert not other.exists(info.sha256)
    # ...and a blob file put where it looks fails authentication.
    target = other.path_of(info.sha256)
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(store.path_of(info.sha256), target)
    with pytest.raises(BlobDamaged):
        other.verify(info.sha256)


def test_read_bytes_limit(store: BlobStore) -> None:
    info = store.put_bytes(os.urandom(1000))
    with pytest.raises(BlobError, match="too large"):
        store.read_bytes(info.sha256, max_size=999)
    assert len(store.read_bytes(info.sha256, max_size=1000)) == 1000


def test_bad_address(store: BlobStore) -> None:
    with pytest.raises(ValueError):
        store.exists("../../etc/passwd")
    with pytest.raises(ValueError):
        store.exists(sha(b"x").upper())


# -- housekeeping ------------------------------------------------------------------------


def test_delete(store: BlobStore) -> None:
    info = store.put_bytes(b"to go")
    store.delete(info.sha256)
    assert not store.exists(info.sha256)
    store.delete(info.sha256)  # deleting twice is fine


def test_stale_temp_files_are_removed_on_open(tmp_path: Path) -> None:
    folder = tmp_path / "blobs"
    folder.mkdir()
    stale = write(folder / ".tmp-crashed", b"ciphertext")
    old = time.time() - 2 * blobs_module.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    fresh = write(folder / ".tmp-in-progress", b"ciphertext")

    store = BlobStore(folder, KEY)
    assert not stale.exists()
    assert fresh.exists()  # perhaps another thread's import: left alone
    assert store.cleanup_temp(older_than=0) == 1
    assert list(folder.iterdir()) == []


# -- bounded memory ----------------------------------------------------------------------


def test_import_and_export_memory_is_bounded(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", KEY)
    source = tmp_path / "video.mp4"
    block = os.urandom(1024 * 1024)
    with open(source, "wb") as out:
        for _ in range(64):
            out.write(block)
    del block

    tracemalloc.start()
    try:
        info = store.put_file(source)
        _, import_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        store.export_to(info.sha256, tmp_path / "back.mp4")
        _, export_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert info.size == 64 * 1024 * 1024
    assert import_peak < 16 * 1024 * 1024, import_peak
    assert export_peak < 16 * 1024 * 1024, export_peak
