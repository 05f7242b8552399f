"""The hub's file storage: a folder of whole files named by SHA-256, and unfinished uploads.

Layout under the root (``settings.files_root()``)::

    <aa>/<sha256>      a whole file, verified (aa: the first two hex digits)
    partial/<sha256>   an unfinished upload; its length is how much the hub has received

A chunk is appended to the partial file and fsynced before it is acknowledged, so the length
of the partial is always a prefix the device sent (a kill part way through a write leaves a
shorter prefix, never other bytes). The chunk that completes a file makes the hub hash the
whole partial: only a match is renamed into place (then the folder is fsynced); a mismatch
discards the upload. A whole file is therefore either absent or verified.

Several requests (threads, or hub processes sharing the folder) may write the same upload: each
takes an exclusive lock on the partial file and checks, once it holds the lock, that the path
still names the file it locked (the upload may have completed or been cleaned up meanwhile).
Partials nobody has written to for ``stale_seconds`` are removed when a new upload starts.

Blocking disk I/O: call from a worker thread.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sync.files_protocol import is_sha256

_READ_BLOCK = 1 << 20
_O_BINARY = getattr(os, "O_BINARY", 0)
_WINDOWS_LOCK_OFFSET = 0x7FFF_FFFF_0000


class ChunkRefused(Exception):
    """A chunk the hub will not take: ``status`` and ``error`` say how to answer."""

    def __init__(self, status: int, error: str, detail: str, received: int = 0) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.received = status, error, detail, received


@dataclass(frozen=True)
class Stored:
    present: bool
    size: int | None
    received: int


class FileStore:
    def __init__(self, root: Path, *, max_file_bytes: int, stale_seconds: float) -> None:
        self.root = Path(root)
        self.max_file_bytes = max_file_bytes
        self.stale_seconds = stale_seconds

    def path_of(self, sha: str) -> Path:
        if not is_sha256(sha):
            raise ValueError("a file address is 64 lowercase hex digits")
        return self.root / sha[:2] / sha

    def partial_of(self, sha: str) -> Path:
        if not is_sha256(sha):
            raise ValueError("a file address is 64 lowercase hex digits")
        return self.root / "partial" / sha

    def status(self, sha: str) -> Stored:
        with contextlib.suppress(FileNotFoundError):
            return Stored(True, self.path_of(sha).stat().st_size, 0)
        try:
            received = self.partial_of(sha).stat().st_size
        except FileNotFoundError:
            received = 0
        return Stored(False, None, received)

    def open(self, sha: str) -> tuple[int, int] | None:
        """An open descriptor of the whole file and its size, or None if the hub lacks it."""
        try:
            fd = os.open(self.path_of(sha), os.O_RDONLY | _O_BINARY)
        except FileNotFoundError:
            return None
        return fd, os.fstat(fd).st_size

    def write_chunk(self, sha: str, offset: int, total: int, data: bytes) -> Stored:
        """Append ``data`` at ``offset`` of the upload of ``sha`` (``total`` bytes in all).

        Raises ChunkRefused: 409 (not at the hub's length; ``received`` says where it is), 413
        (larger than allowed), 400 (past ``total``), 422 (the finished file does not hash to
        ``sha``: the upload is discarded), 507 (the hub's disk is full)."""
        if total > self.max_file_bytes:
            raise ChunkRefused(413, "too_large",
                               f"The hub takes files of at most {self.max_file_bytes} bytes.")
        if offset + len(data) > total:
            raise ChunkRefused(400, "bad_request", "The chunk runs past the file's total size.")
        if offset == 0:
            self.cleanup()
        try:
            with self._locked(sha) as fd:
                if fd is None:
                    return self.status(sha)
                return self._append(sha, fd, offset, total, data)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise ChunkRefused(507, "hub_disk_full",
                                   "The hub's disk is full; try again later.") from None
            raise

    def _append(self, sha: str, fd: int, offset: int, total: int, data: bytes) -> Stored:
        size = os.fstat(fd).st_size
        if size > total:  # begun with another total: it can never verify as this one
            os.ftruncate(fd, 0)
            size = 0
        if offset > size:
            raise ChunkRefused(409, "wrong_offset",
                               f"The hub holds {size} bytes of this file; send from there.",
                               received=size)
        if offset + len(data) > size:  # else a resend of what the hub has: harmless
            view = memoryview(data)[size - offset:]
            os.lseek(fd, size, os.SEEK_SET)
            size += len(view)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        if size < total:
            return Stored(False, None, size)
        return self._finish(sha, fd, size)  # also a whole partial left by a crash

    def _finish(self, sha: str, fd: int, size: int) -> Stored:
        digest = hashlib.sha256()
        os.lseek(fd, 0, os.SEEK_SET)
        while block := os.read(fd, _READ_BLOCK):
            digest.update(block)
        partial = self.partial_of(sha)
        if digest.hexdigest() != sha:
            partial.unlink(missing_ok=True)
            raise ChunkRefused(422, "file_corrupt",
                               "The file received does not match its SHA-256; send it again "
                               "from the start.")
        final = self.path_of(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, final)
        _fsync_dir(final.parent)
        return Stored(True, size, 0)

    def cleanup(self, older_than: float | None = None) -> int:
        """Remove partial uploads untouched for ``older_than`` seconds (default
        ``stale_seconds``); return how many."""
        cutoff = time.time() - (self.stale_seconds if older_than is None else older_than)
        folder = self.root / "partial"
        removed = 0
        if not folder.is_dir():
            return 0
        for entry in folder.iterdir():
            try:
                if not is_sha256(entry.name) or entry.stat().st_mtime > cutoff:
                    continue
                with self._locked(entry.name, create=False, wait=False) as fd:
                    if fd is not None and os.fstat(fd).st_mtime <= cutoff:
                        entry.unlink()
                        removed += 1
            except (OSError, BlockingIOError):
                continue  # in use or gone: another time
        return removed

    @contextlib.contextmanager
    def _locked(self, sha: str, *, create: bool = True, wait: bool = True) -> Iterator[int | None]:
        """The partial's descriptor, held under an exclusive lock; None if the file is whole
        (or, with ``create=False``, if there is no partial)."""
        path = self.partial_of(sha)
        while True:
            if self.path_of(sha).exists():
                yield None
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_RDWR | _O_BINARY | (os.O_CREAT if create else 0)
            try:
                fd = os.open(path, flags, 0o600)
            except FileNotFoundError:
                yield None
                return
            try:
                _lock(fd, wait)
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if same:
                    yield fd
                    return
            finally:
                os.close(fd)  # also releases the lock


def _lock(fd: int, wait: bool) -> None:
    if sys.platform == "win32":  # pragma: no cover - the hub is tested on Linux
        import msvcrt

        # Windows locks are mandatory: lock one byte far past any file's end, not its data.
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
