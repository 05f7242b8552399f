"""A streaming, chunked AES-256-GCM file format for stored blobs ("PDBLOB1").

Layout::

    header  = b"PDBLOB1\\n" + chunk_size + salt    # 8 + 4 (big-endian) + 32 random bytes
    chunk i = AES-256-GCM(file_key, nonce_i, plaintext_i, aad=header)   # len(plaintext_i) + 16

* ``file_key = HKDF-SHA256(data_key, salt, info=b"pathway-desk blob v1")``: every file gets its own
  key, so the counter nonces below never repeat under one key however many files share a data key.
* ``nonce_i`` = ``i`` as an 11-byte big-endian counter + one flag byte, 1 for the last chunk and 0
  otherwise (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, 2015). The counter
  binds each chunk to its position, so dropped, repeated or reordered chunks fail; the flag
  authenticates the end, so truncation at a chunk boundary and appended data fail too. The header is
  the AAD of every chunk, so the magic and salt cannot be altered either.
* Every chunk but the last holds exactly ``chunk_size`` plaintext bytes; the last holds 0 to
  ``chunk_size`` bytes. An empty plaintext is a single empty final chunk (its 16-byte tag).
* The chunk size is recorded in the header (and authenticated as part of the AAD), so a later
  version may change :data:`CHUNK_SIZE` (1 MiB) without making old blobs unreadable; tests
  write with a smaller one to get many chunks cheaply.

Not covered here: the ciphertext is not bound to the name it is stored under. The blob store checks
the plaintext SHA-256 against the address it asked for, which catches blob files swapped on disk.

Memory stays bounded: reading one chunk ahead (the only way to know which chunk is the last) means
at most two plaintext chunks and one sealed chunk are alive at once. Pure functions over file
objects; no paths, no temporary files. Safe to call from any thread (one call per file object).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from models.crypto.secret import take, wipe
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress

MAGIC = b"PDBLOB1\n"
SALT_SIZE = 32
_SIZE_BYTES = 4
HEADER_SIZE = len(MAGIC) + _SIZE_BYTES + SALT_SIZE
MAX_CHUNK_SIZE = 64 << 20  # a reader refuses a header claiming more (bounded memory)
TAG_SIZE = 16
KEY_SIZE = 32
CHUNK_SIZE = 1 << 20
"""Plaintext bytes per chunk in the store. Changing it makes existing blobs unreadable."""

_FILE_KEY_INFO = b"pathway-desk blob v1"
_COUNTER_BYTES = 11


class ByteSource(Protocol):
    """What the stream functions read from: any binary file object, or a wrapper with ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


class ByteSink(Protocol):
    """What the stream functions write to: any binary file object."""

    def write(self, data: bytes, /) -> object: ...


class BlobFormatError(ValueError):
    """The bytes are not an intact blob of this format; ``detail`` says why in a few words.

    Raised for a wrong magic, a short header, a chunk that fails authentication (tampering,
    reordering, a wrong key), a missing final chunk (truncation) and data after the final chunk.
    The detail never contains key material or plaintext.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def derive_file_key(data_key: bytes | bytearray, salt: bytes) -> bytearray:
    """The per-file AES-256 key: HKDF-SHA256 of the store's data key with the file's salt, in a
    buffer wiped when the file is done."""
    _check_data_key(data_key)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=_FILE_KEY_INFO)
    return take(hkdf.derive(data_key))


def plaintext_size(ciphertext_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    """The plaintext size a ciphertext of ``ciphertext_size`` bytes holds if it is intact.

    Used for progress totals before decrypting; never trusted for anything else.
    """
    body = ciphertext_size - HEADER_SIZE
    if body < TAG_SIZE:
        return 0
    sealed_chunk = chunk_size + TAG_SIZE
    chunks = -(-body // sealed_chunk)  # ceiling division
    return max(0, body - chunks * TAG_SIZE)


def encrypt_stream(
    data_key: bytes | bytearray,
    src: ByteSource,
    dst: ByteSink,
    *,
    progress: ProgressCallback = no_progress,
    total: int = 0,
    cancel: CancelToken = NEVER_CANCELLED,
    chunk_size: int = CHUNK_SIZE,
) -> tuple[str, int]:
    """Encrypt everything readable from ``src`` into ``dst``; return (plaintext SHA-256 hex, size).

    The hash is computed while streaming, so the plaintext is read exactly once. ``progress(done,
    total)`` is called after each chunk with plaintext bytes done. ``cancel`` is checked between
    chunks and raises :class:`~models.errors.Cancelled`; on any exception ``dst`` holds a partial
    ciphertext that the caller must discard. Errors of ``src`` and ``dst`` propagate unchanged.
    """
    _check_chunk_size(chunk_size)
    salt = os.urandom(SALT_SIZE)
    header = MAGIC + chunk_size.to_bytes(_SIZE_BYTES, "big") + salt
    file_key = derive_file_key(data_key, salt)
    try:
        return _encrypt_chunks(
            AESGCM(file_key), header, src, dst, progress, total, cancel, chunk_size
        )
    finally:
        wipe(file_key)


def _encrypt_chunks(
    aead: AESGCM,
    header: bytes,
    src: ByteSource,
    dst: ByteSink,
    progress: ProgressCallback,
    total: int,
    cancel: CancelToken,
    chunk_size: int,
) -> tuple[str, int]:
    digest = hashlib.sha256()
    done = 0
    index = 0
    cancel.raise_if_cancelled()
    dst.write(header)
    chunk = _read_exact(src, chunk_size)
    while True:
        # A short read means end of input, so only a full chunk needs the look-ahead read.
        following = _read_exact(src, chunk_size) if len(chunk) == chunk_size else b""
        final = not following
        digest.update(chunk)
        dst.write(aead.encrypt(_nonce(index, final), chunk, header))
        done += len(chunk)
        progress(done, total)
        if final:
            return digest.hexdigest(), done
        cancel.raise_if_cancelled()
        index += 1
        chunk = following


def iter_decrypt(
    data_key: bytes | bytearray, src: ByteSource, *, chunk_size: int = 0
) -> Iterator[bytes]:
    """Yield the plaintext of ``src`` chunk by chunk, each only after its tag has verified.

    Raises :class:`BlobFormatError` (lazily, while iterating) as soon as a fault is seen. A caller
    that has consumed some chunks when the error comes must discard them: only a complete
    iteration proves the whole blob is intact (nothing was cut off or appended).
    """
    _check_data_key(data_key)
    del chunk_size  # kept for call compatibility: the header says how big the chunks are
    header = _read_exact(src, HEADER_SIZE)
    if header[: len(MAGIC)] != MAGIC:
        raise BlobFormatError("not a Pathway Desk blob")
    if len(header) < HEADER_SIZE:
        raise BlobFormatError("truncated header")
    chunk_size = int.from_bytes(header[len(MAGIC) : len(MAGIC) + _SIZE_BYTES], "big")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BlobFormatError("impossible chunk size in the header")
    file_key = derive_file_key(data_key, header[len(MAGIC) + _SIZE_BYTES :])
    try:
        yield from _decrypt_chunks(AESGCM(file_key), header, src, chunk_size)
    finally:
        wipe(file_key)  # also when the reader stops early (the generator is closed)


def _decrypt_chunks(
    aead: AESGCM, header: bytes, src: ByteSource, chunk_size: int
) -> Iterator[bytes]:
    sealed_size = chunk_size + TAG_SIZE
    index = 0
    sealed = _read_exact(src, sealed_size)
    while True:
        # Read one chunk ahead: a chunk is the last one exactly when nothing follows it.
        following = _read_exact(src, sealed_size) if len(sealed) == sealed_size else b""
        final = not following
        yield _open_chunk(aead, header, index, sealed, final)
        if final:
            return
        index += 1
        sealed = following


def decrypt_stream(
    data_key: bytes | bytearray,
    src: ByteSource,
    dst: ByteSink,
    *,
    progress: ProgressCallback = no_progress,
    total: int = 0,
    cancel: CancelToken = NEVER_CANCELLED,
    chunk_size: int = CHUNK_SIZE,
) -> tuple[str, int]:
    """Decrypt ``src`` into ``dst``; return (plaintext SHA-256 hex, size).

    Only verified chunks are written, but on :class:`BlobFormatError`, ``Cancelled`` or any other
    exception ``dst`` holds a partial plaintext that the caller must discard.
    """
    digest = hashlib.sha256()
    done = 0
    cancel.raise_if_cancelled()
    for plain in iter_decrypt(data_key, src, chunk_size=chunk_size):
        cancel.raise_if_cancelled()
        digest.update(plain)
        dst.write(plain)
        done += len(plain)
        progress(done, total)
    return digest.hexdigest(), done


def _open_chunk(aead: AESGCM, header: bytes, index: int, sealed: bytes, final: bool) -> bytes:
    if len(sealed) < TAG_SIZE:
        raise BlobFormatError("truncated: a chunk is missing")
    try:
        return aead.decrypt(_nonce(index, final), sealed, header)
    except InvalidTag:
        pass
    # Failure path only: trying the other flag tells truncation and extension apart from
    # tampering, which makes the detail in the user's message (and a support ticket) precise.
    try:
        aead.decrypt(_nonce(index, not final), sealed, header)
    except InvalidTag:
        raise BlobFormatError(f"chunk {index} failed its integrity check") from None
    if final:
        raise BlobFormatError("truncated: the final chunk is missing")
    raise BlobFormatError("unexpected data after the final chunk")


def _nonce(index: int, final: bool) -> bytes:
    # to_bytes raises OverflowError past 2**88 chunks, so a counter can never wrap around.
    return index.to_bytes(_COUNTER_BYTES, "big") + (b"\x01" if final else b"\x00")


def _read_exact(src: ByteSource, size: int) -> bytes:
    """Read ``size`` bytes, or fewer only at end of input (pipes and sockets may return less)."""
    data = src.read(size) or b""
    if len(data) == size or not data:
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = src.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _check_data_key(data_key: bytes | bytearray) -> None:
    if len(data_key) != KEY_SIZE:
        raise ValueError(f"the data key must be {KEY_SIZE} bytes")


def _check_chunk_size(chunk_size: int) -> None:
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")
