"""A blob arriving over the network, kept encrypted and resumable until it is whole.

A download is written straight into the blob format of :mod:`models.crypto.blobstream`, chunk by
chunk, into ``.part-<name>`` in the blob folder (``<name>`` is the blob's HMAC name, so it
reveals nothing). The size is known from the start, so each chunk can be sealed with its final
flag as it arrives and the partial file is always a header plus whole sealed chunks: its length
says how much plaintext has arrived, and a download cut off (a dropped link, a killed app)
resumes from there. Plaintext never touches the disk.

Only :meth:`PartialBlob.finish` makes the blob visible: it decrypts the whole partial, checks
the SHA-256 against the address, fsyncs and renames it into place. Until then
``BlobStore.exists`` is false; a partial that fails the check is discarded.

Threading: blocking disk I/O, one ``PartialBlob`` per blob at a time (the sync job).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from models.crypto.blobstream import (
    _SIZE_BYTES,
    HEADER_SIZE,
    MAGIC,
    SALT_SIZE,
    TAG_SIZE,
    BlobFormatError,
    _nonce,
    derive_file_key,
    iter_decrypt,
)
from models.crypto.secret import wipe
from models.errors import BlobDamaged, DiskFull
from models.file_modes import OWNER_ONLY_FILE, OWNER_ONLY_FOLDER

PARTIAL_PREFIX = ".part-"
STALE_PARTIAL_SECONDS = 14 * 24 * 3600.0
"""A download not resumed for this long is given up (removed by :func:`cleanup_partials`)."""


def sealed_size(total: int, chunk_size: int) -> int:
    """The length of a whole blob file holding ``total`` plaintext bytes."""
    chunks = max(1, -(-total // chunk_size))
    return HEADER_SIZE + total + chunks * TAG_SIZE


class PartialBlob:
    """The partial file of one download. ``received`` plaintext bytes are safely on disk."""

    def __init__(self, data_key: bytearray, chunk_size: int, path: Path, final: Path,
                 sha256: str, total: int) -> None:
        if total < 0:
            raise ValueError("a size is never negative")
        self.path, self.final, self.sha256, self.total = path, final, sha256, total
        self._data_key = data_key
        self._chunk_size = chunk_size
        self._chunks = max(1, -(-total // chunk_size))
        self._pending = bytearray()
        self._file = self._open()
        header = self._file_header()
        self._header = header
        key = derive_file_key(data_key, header[len(MAGIC) + _SIZE_BYTES:])
        try:
            self._aead = AESGCM(bytes(key))
        finally:
            wipe(key)

    # -- opening -----------------------------------------------------------------------------

    def _open(self) -> int:
        flags = os.O_RDWR | getattr(os, "O_BINARY", 0)
        try:
            return os.open(self.path, flags)
        except FileNotFoundError:
            return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)

    def _file_header(self) -> bytes:
        """The partial's header (a new one if it is new or not ours); cuts off any torn chunk
        and sets ``received`` to the plaintext of the whole sealed chunks kept."""
        size = os.fstat(self._file).st_size
        header = _read_at(self._file, HEADER_SIZE, 0)
        ours = MAGIC + self._chunk_size.to_bytes(_SIZE_BYTES, "big")
        sealed = self._chunk_size + TAG_SIZE
        if len(header) != HEADER_SIZE or not header.startswith(ours):
            header = ours + os.urandom(SALT_SIZE)  # new, or not ours: start again
            os.ftruncate(self._file, 0)
            _write_at(self._file, header, 0)
            whole = 0
        elif size == sealed_size(self.total, self._chunk_size):
            whole = self._chunks  # every chunk is there: only the check is left
        else:
            whole = min((size - HEADER_SIZE) // sealed, self._chunks - 1)
            os.ftruncate(self._file, HEADER_SIZE + whole * sealed)
        self._index = whole
        self.received = min(whole * self._chunk_size, self.total)
        return header

    # -- writing -----------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Add the next bytes of the download (after ``received`` and anything written since)."""
        if self.received + len(self._pending) + len(data) > self.total:
            raise BlobDamaged(self.sha256, "more bytes arrived than the file holds")
        self._pending += data
        while len(self._pending) >= self._chunk_size and self._index < self._chunks - 1:
            self._seal(bytes(self._pending[: self._chunk_size]))
            del self._pending[: self._chunk_size]

    def sync(self) -> None:
        """Make what has been sealed so far durable (what a resume may rely on)."""
        os.fsync(self._file)

    def _seal(self, plain: bytes) -> None:
        final = self._index == self._chunks - 1
        sealed = self._aead.encrypt(_nonce(self._index, final), plain, self._header)
        _write_at(self._file, sealed, HEADER_SIZE + self._index * (self._chunk_size + TAG_SIZE))
        self._index += 1
        self.received += len(plain)

    def finish(self) -> None:
        """Seal the last chunk, check the whole blob against its SHA-256 and put it in place.

        Raises BlobDamaged (and discards the partial) if it does not match."""
        if self.received + len(self._pending) != self.total:
            raise BlobDamaged(self.sha256, "the download ended early")
        if self._index < self._chunks:
            self._seal(bytes(self._pending))
            self._pending.clear()
        self.sync()
        digest = hashlib.sha256()
        try:
            with open(self.path, "rb") as src:
                for plain in iter_decrypt(self._data_key, src):
                    digest.update(plain)
        except BlobFormatError as exc:
            self.discard()
            raise BlobDamaged(self.sha256, exc.detail) from None
        if digest.hexdigest() != self.sha256:
            self.discard()
            raise BlobDamaged(self.sha256, "its contents do not match its name")
        self.close()
        self.final.parent.mkdir(exist_ok=True, mode=OWNER_ONLY_FOLDER)
        os.replace(self.path, self.final)
        _fsync_dir(self.final.parent)

    def close(self) -> None:
        """Stop writing; what was sealed stays for a later resume."""
        if self._file >= 0:
            os.close(self._file)
            self._file = -1

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def cleanup_partials(folder: Path, older_than: float = STALE_PARTIAL_SECONDS) -> int:
    """Remove partial downloads not written to for ``older_than`` seconds; return how many."""
    cutoff = time.time() - older_than
    removed = 0
    for entry in folder.iterdir():
        if entry.name.startswith(PARTIAL_PREFIX):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime <= cutoff:
                    entry.unlink()
                    removed += 1
    return removed


def _read_at(fd: int, size: int, offset: int) -> bytes:
    # lseek + read rather than pread, which Windows lacks.
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _write_at(fd: int, data: bytes, offset: int) -> None:
    os.lseek(fd, offset, os.SEEK_SET)
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # what was sealed before stays for a later resume
            raise DiskFull("the file being downloaded") from exc
        raise


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
