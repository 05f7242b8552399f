"""Encrypted, content-addressed storage of files (documents, photos, memory box items).

Callers name a blob by the SHA-256 hex of its plaintext. On disk a blob lives at
``folder/<2 hex>/<62 hex>``, where the 64 hex digits are ``HMAC-SHA256(name_key, sha256_hex)`` and
``name_key`` is derived from the data key: file names reveal nothing about the contents, not even
whether a file someone already has is stored here. The bytes are the chunked AES-256-GCM format of
:mod:`models.crypto.blobstream`; no plaintext is ever written inside the store folder.

Writes go to ``folder/.tmp-<random>`` (ciphertext only), are fsynced, then renamed into place with
:func:`os.replace`, so a blob file is either absent or complete. Reads check every chunk's tag and,
at the end, that the plaintext hashes to the address asked for (which catches blob files swapped
on disk, something the cipher alone cannot see).

Threading: methods block on disk I/O and must run on a worker thread for anything but small blobs.
Concurrent calls on one store, or several ``BlobStore`` objects on one folder, are safe: temp names
are random and renames atomic.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import hmac
import io
import os
import re
import secrets
import stat
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from models.crypto.blobstream import (
    CHUNK_SIZE,
    KEY_SIZE,
    BlobFormatError,
    ByteSource,
    decrypt_stream,
    encrypt_stream,
    iter_decrypt,
    plaintext_size,
)
from models.crypto.secret import take, wipe
from models.errors import (
    BlobDamaged,
    BlobError,
    BlobMissing,
    DiskFull,
    ImportFailed,
)
from models.file_modes import OWNER_ONLY_FOLDER, make_owner_only_folder, open_owner_only
from models.partial_blobs import PARTIAL_PREFIX, PartialBlob
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600.0
"""A temp file untouched this long is left over from a crash. An import in progress rewrites its
temp file every chunk, so it is never this old; the grace period keeps a second ``BlobStore`` on
the same folder from deleting another thread's import under its feet."""

READ_BYTES_LIMIT = 32 * 1024 * 1024
"""Default cap of :meth:`BlobStore.read_bytes`, which holds the whole plaintext in memory."""

_NAME_KEY_INFO = b"pathway-desk blob names v1"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_MISMATCH = "its contents do not match its name"


@dataclass(frozen=True, slots=True)
class BlobInfo:
    """A stored blob: the SHA-256 hex of its plaintext and the plaintext size in bytes."""

    sha256: str
    size: int


class BlobStore:
    """The blob folder of an unlocked store. Holds the data key until dropped (see the app lock).

    ``chunk_size`` exists for tests only: the format does not record it, so every store must use
    :data:`~models.crypto.blobstream.CHUNK_SIZE`.
    """

    def __init__(
        self, folder: Path, data_key: bytes | bytearray, *, chunk_size: int = CHUNK_SIZE
    ) -> None:
        if len(data_key) != KEY_SIZE:
            raise ValueError(f"the data key must be {KEY_SIZE} bytes")
        self._folder = Path(folder)
        # Held in buffers that forget_keys() overwrites at lock (the store's own buffer when it
        # hands one in, so there is one copy of the data key to wipe).
        self._data_key = data_key if isinstance(data_key, bytearray) else bytearray(data_key)
        self._chunk_size = chunk_size
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_NAME_KEY_INFO)
        self._name_key = take(hkdf.derive(self._data_key))
        make_owner_only_folder(self._folder)
        self.cleanup_temp()

    def forget_keys(self) -> None:
        """Overwrite the data key and the name key (at lock); this blob store is unusable after."""
        wipe(self._data_key)
        wipe(self._name_key)

    @property
    def folder(self) -> Path:
        return self._folder

    def path_of(self, sha256: str) -> Path:
        """Where the blob with this plaintext SHA-256 (64 lowercase hex digits) lives, or would.

        Raises ValueError for anything that is not a lowercase SHA-256 hex digest.
        """
        if not _SHA256_HEX.fullmatch(sha256):
            raise ValueError("a blob address is 64 lowercase hex digits")
        name = hmac.new(self._name_key, sha256.encode("ascii"), hashlib.sha256).hexdigest()
        return self._folder / name[:2] / name[2:]

    # -- writing -----------------------------------------------------------------------------

    def put_file(
        self,
        path: Path | str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken = NEVER_CANCELLED,
        max_size: int | None = None,
    ) -> BlobInfo:
        """Encrypt the file at ``path`` into the store, streaming; return its address and size.

        Identical content is stored once. Raises ImportFailed (missing, unreadable, a folder, over
        ``max_size`` bytes, a read error part way), DiskFull, or Cancelled; on any error nothing
        is added and no temp file remains.
        """
        source = Path(path)
        try:
            file = _open_regular_file(source)
        except FileNotFoundError:
            raise ImportFailed(source, "the file does not exist") from None
        except (IsADirectoryError, PermissionError):
            # Windows reports opening a folder as PermissionError, so ask which it was.
            if _is_dir(source):
                raise ImportFailed(source, "it is a folder, not a file") from None
            raise ImportFailed(source, "permission to read it was denied") from None
        except OSError as exc:
            raise ImportFailed(source, f"it cannot be read ({exc.strerror or exc})") from None
        with file:
            total = os.fstat(file.fileno()).st_size
            if max_size is not None and total > max_size:
                raise ImportFailed(source, _too_large(max_size))
            guarded = _GuardedSource(file, source, max_size)
            return self._put_stream(guarded, total=total, progress=progress, cancel=cancel)

    def put_bytes(self, data: bytes) -> BlobInfo:
        """Store ``data`` (small things: thumbnails, generated PDFs). Raises DiskFull."""
        return self._put_stream(
            io.BytesIO(data), total=len(data), progress=no_progress, cancel=NEVER_CANCELLED
        )

    def _put_stream(
        self,
        src: ByteSource,
        *,
        total: int,
        progress: ProgressCallback,
        cancel: CancelToken,
    ) -> BlobInfo:
        temp = self._folder / f"{TEMP_PREFIX}{secrets.token_hex(16)}"
        try:
            with os.fdopen(open_owner_only(temp, exclusive=True), "wb") as out:
                sha256, size = encrypt_stream(
                    self._data_key,
                    src,
                    out,
                    progress=progress,
                    total=total,
                    cancel=cancel,
                    chunk_size=self._chunk_size,
                )
                out.flush()
                # Durable before it becomes visible: a crash must never leave a short blob file.
                os.fsync(out.fileno())
            final = self.path_of(sha256)
            if final.exists():
                temp.unlink()  # same content already stored
            else:
                final.parent.mkdir(exist_ok=True, mode=OWNER_ONLY_FOLDER)
                os.replace(temp, final)
                _fsync_dir(final.parent)
        except BaseException as exc:
            _remove_quietly(temp)
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise DiskFull("the file") from exc
            raise
        return BlobInfo(sha256, size)

    def partial(self, sha256: str, total: int) -> PartialBlob:
        """The resumable download of blob ``sha256`` (``total`` plaintext bytes): what earlier
        attempts left is kept, and nothing is visible until ``finish()`` has verified it. See
        :mod:`models.partial_blobs`."""
        return PartialBlob(self._data_key, self._chunk_size, self._partial_path(sha256),
                           self.path_of(sha256), sha256, total)

    def _partial_path(self, sha256: str) -> Path:
        final = self.path_of(sha256)
        return self._folder / f"{PARTIAL_PREFIX}{final.parent.name}{final.name}"

    # -- reading -----------------------------------------------------------------------------

    def exists(self, sha256: str) -> bool:
        """Whether a blob file with this address is present (not whether it is intact)."""
        return self.path_of(sha256).is_file()

    def size_of(self, sha256: str) -> int:
        """The plaintext size of a stored blob, from its file's length (not verified).
        Raises BlobMissing."""
        try:
            size = self.path_of(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        return plaintext_size(size, self._chunk_size)

    def open_reader(self, sha256: str) -> Iterator[bytes]:
        """Iterate over the plaintext in verified chunks of up to 1 MiB.

        BlobMissing is raised at once; BlobDamaged while iterating, as soon as a chunk fails or,
        after the last chunk, if the plaintext does not hash to ``sha256``. Treat the chunks as
        provisional until the iteration ends without error. Close the iterator (or exhaust it)
        to release the file.
        """
        return self._verified_chunks(sha256, self._open_blob(sha256))

    def read_bytes(self, sha256: str, max_size: int = READ_BYTES_LIMIT) -> bytes:
        """The whole verified plaintext, for small blobs only (thumbnails, letters).

        Raises BlobMissing, BlobDamaged, or BlobError if the plaintext exceeds ``max_size`` bytes.
        """
        file = self._open_blob(sha256)
        if plaintext_size(os.fstat(file.fileno()).st_size, self._chunk_size) > max_size:
            file.close()
            raise _too_big_to_read(sha256, max_size)
        chunks = self._verified_chunks(sha256, file)
        parts: list[bytes] = []
        size = 0
        try:
            for plain in chunks:
                size += len(plain)
                if size > max_size:  # the file grew since the check above
                    raise _too_big_to_read(sha256, max_size)
                parts.append(plain)
        finally:
            chunks.close()
        return b"".join(parts)

    def export_to(
        self,
        sha256: str,
        dest_path: Path | str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken = NEVER_CANCELLED,
    ) -> BlobInfo:
        """Decrypt the blob to ``dest_path`` (a place the user chose), replacing any file there.

        Writes ``<dest>.part`` and renames it only once every chunk and the SHA-256 have
        verified, so the destination never holds damaged or partial contents. Raises
        BlobMissing, BlobDamaged, DiskFull, Cancelled, or OSError for an unwritable
        destination; on any error the ``.part`` file is removed.
        """
        dest = Path(dest_path)
        part = dest.with_name(dest.name + ".part")
        with self._open_blob(sha256) as src:
            total = plaintext_size(os.fstat(src.fileno()).st_size, self._chunk_size)
            try:
                with open(part, "wb") as out:
                    digest, size = decrypt_stream(
                        self._data_key,
                        src,
                        out,
                        progress=progress,
                        total=total,
                        cancel=cancel,
                        chunk_size=self._chunk_size,
                    )
                    if digest != sha256:
                        raise BlobDamaged(sha256, _MISMATCH)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(part, dest)
            except BaseException as exc:
                _remove_quietly(part)
                if isinstance(exc, (BlobFormatError, InvalidTag)):
                    raise BlobDamaged(sha256, _detail(exc)) from exc
                if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                    raise DiskFull("the exported copy") from exc
                raise
        return BlobInfo(sha256, size)

    def verify(self, sha256: str) -> None:
        """Decrypt and hash the whole blob, keeping nothing. Raises BlobMissing or BlobDamaged."""
        for _ in self.open_reader(sha256):
            pass

    # -- housekeeping ------------------------------------------------------------------------

    def delete(self, sha256: str) -> None:
        """Remove the blob's file (and any partial download of it) if present. The caller
        removes the records that refer to it."""
        self.path_of(sha256).unlink(missing_ok=True)
        self._partial_path(sha256).unlink(missing_ok=True)

    def cleanup_temp(self, *, older_than: float = STALE_TEMP_SECONDS) -> int:
        """Remove ``.tmp-*`` files not written for ``older_than`` seconds; return how many.

        They hold ciphertext only, left by a crash or power cut during an import.
        """
        removed = 0
        cutoff = time.time() - older_than
        for entry in self._folder.iterdir():
            if not entry.name.startswith(TEMP_PREFIX):
                continue
            try:
                if entry.is_file() and entry.stat().st_mtime <= cutoff:
                    entry.unlink()
                    removed += 1
            except OSError:
                pass  # in use (Windows) or already gone: try again next time
        return removed

    # -- helpers -----------------------------------------------------------------------------

    def _open_blob(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path_of(sha256), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise BlobMissing(sha256) from None
        except OSError as exc:
            raise BlobDamaged(sha256, f"it cannot be read: {exc.strerror or exc}") from exc

    def _verified_chunks(self, sha256: str, file: BinaryIO) -> Generator[bytes, None, None]:
        digest = hashlib.sha256()
        with file:
            try:
                for plain in iter_decrypt(self._data_key, file, chunk_size=self._chunk_size):
                    digest.update(plain)
                    yield plain
            except (BlobFormatError, InvalidTag) as exc:
                raise BlobDamaged(sha256, _detail(exc)) from exc
            except OSError as exc:
                raise BlobDamaged(sha256, f"it cannot be read: {exc.strerror or exc}") from exc
        if digest.hexdigest() != sha256:
            raise BlobDamaged(sha256, _MISMATCH)


class _GuardedSource:
    """The file being imported: read errors and growth past ``max_size`` become ImportFailed."""

    def __init__(self, file: BinaryIO, path: Path, max_size: int | None) -> None:
        self._file = file
        self._path = path
        self._max_size = max_size
        self._read = 0

    def read(self, size: int = -1, /) -> bytes:
        try:
            data = self._file.read(size)
        except OSError as exc:
            detail = f"it could not be read to the end ({exc.strerror or exc})"
            raise ImportFailed(self._path, detail) from exc
        self._read += len(data)
        if self._max_size is not None and self._read > self._max_size:
            raise ImportFailed(self._path, _too_large(self._max_size))
        return data


def _open_regular_file(source: Path) -> BinaryIO:
    """Open ``source`` for reading only if it is an ordinary file.

    A pipe (FIFO), device or socket is refused *before* it is opened: opening a FIFO blocks
    until someone writes to it, and reading a device such as /dev/zero never ends, and neither
    can be cancelled. ``O_NONBLOCK`` and the check after opening close the gap in which the
    path could be swapped for one.
    """
    if _is_dir(source):
        raise ImportFailed(source, "it is a folder, not a file")
    st = os.stat(source)  # FileNotFoundError / PermissionError: reported by the caller
    if not stat.S_ISREG(st.st_mode):
        raise ImportFailed(source, _NOT_A_FILE)
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ImportFailed(source, _NOT_A_FILE)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_NOT_A_FILE = "it is not an ordinary file (it is a device, pipe or socket); save it as a file first"


def _detail(exc: Exception) -> str:
    if isinstance(exc, BlobFormatError):
        return exc.detail
    return "a chunk failed its integrity check"


def _too_large(max_size: int) -> str:
    mb = 1024 * 1024
    if max_size >= mb:
        return f"it is larger than {max_size // mb} MB"
    return f"it is larger than {max_size} bytes"


def _too_big_to_read(sha256: str, max_size: int) -> BlobError:
    return BlobError(
        f"The stored file {sha256[:12]}… is larger than {max_size} bytes, too large to open "
        "here. Export it instead."
    )


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _remove_quietly(path: Path) -> None:
    # Best effort while another error is on its way up: that error is the one to report.
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX. Windows cannot open a folder, and NTFS journals renames."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is already synced
    finally:
        os.close(fd)
