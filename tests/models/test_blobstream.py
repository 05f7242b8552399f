"""The chunked AES-256-GCM blob format: round trips and every kind of damage it must detect."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.crypto.blobstream import (
    CHUNK_SIZE,
    HEADER_SIZE,
    MAGIC,
    TAG_SIZE,
    BlobFormatError,
    decrypt_stream,
    encrypt_stream,
    iter_decrypt,
    plaintext_size,
)
from models.errors import Cancelled
from models.progress import CancelToken

KEY = bytes(range(32))
SMALL = 64  # chunk size for multi-chunk cases: many chunks from a few hundred bytes


def seal(data: bytes, chunk_size: int = SMALL, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    encrypt_stream(key, io.BytesIO(data), out, chunk_size=chunk_size)
    return out.getvalue()


def unseal(blob: bytes, chunk_size: int = SMALL, key: bytes = KEY) -> bytes:
    return b"".join(iter_decrypt(key, io.BytesIO(blob), chunk_size=chunk_size))


def sealed_chunks(blob: bytes, chunk_size: int = SMALL) -> tuple[bytes, list[bytes]]:
    """Split a ciphertext into its header and its sealed chunks."""
    step = chunk_size + TAG_SIZE
    body = blob[HEADER_SIZE:]
    return blob[:HEADER_SIZE], [body[i : i + step] for i in range(0, len(body), step)]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ShortReads(io.RawIOBase):
    """A source that returns at most a few bytes per read, as pipes and sockets may."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 7) if size >= 0 else 7)


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL, 5 * SMALL + 3])
def test_round_trip_sizes(size: int) -> None:
    data = os.urandom(size)
    out = io.BytesIO()
    digest, written = encrypt_stream(KEY, io.BytesIO(data), out, chunk_size=SMALL)
    blob = out.getvalue()

    assert (digest, written) == (sha(data), size)
    chunks = max(1, -(-size // SMALL))
    assert len(blob) == HEADER_SIZE + size + chunks * TAG_SIZE
    assert plaintext_size(len(blob), SMALL) == size
    assert unseal(blob) == data


def test_empty_plaintext_is_one_final_empty_chunk() -> None:
    blob = seal(b"")
    assert blob.startswith(MAGIC)
    assert len(blob) == HEADER_SIZE + TAG_SIZE
    assert list(iter_decrypt(KEY, io.BytesIO(blob), chunk_size=SMALL)) == [b""]


def test_exactly_one_default_chunk() -> None:
    data = os.urandom(CHUNK_SIZE)
    blob = seal(data, chunk_size=CHUNK_SIZE)
    assert len(blob) == HEADER_SIZE + CHUNK_SIZE + TAG_SIZE
    assert unseal(blob, chunk_size=CHUNK_SIZE) == data


def test_chunks_are_yielded_whole() -> None:
    data = os.urandom(3 * SMALL + 10)
    chunks = list(iter_decrypt(KEY, io.BytesIO(seal(data)), chunk_size=SMALL))
    assert [len(c) for c in chunks] == [SMALL, SMALL, SMALL, 10]


def test_decrypt_stream_returns_hash_and_size() -> None:
    data = os.urandom(4 * SMALL)
    out = io.BytesIO()
    assert decrypt_stream(KEY, io.BytesIO(seal(data)), out, chunk_size=SMALL) == (
        sha(data),
        len(data),
    )
    assert out.getvalue() == data


def test_short_reads_from_source_and_ciphertext() -> None:
    data = os.urandom(3 * SMALL + 5)
    out = io.BytesIO()
    encrypt_stream(KEY, ShortReads(data), out, chunk_size=SMALL)
    assert b"".join(iter_decrypt(KEY, ShortReads(out.getvalue()), chunk_size=SMALL)) == data


def test_same_plaintext_encrypts_differently() -> None:
    data = b"the same letter twice"
    assert seal(data) != seal(data)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600), chunk_size=st.integers(min_value=1, max_value=80))
def test_round_trip_property(data: bytes, chunk_size: int) -> None:
    blob = seal(data, chunk_size)
    assert unseal(blob, chunk_size) == data
    assert plaintext_size(len(blob), chunk_size) == len(data)


# -- progress and cancellation ---------------------------------------------------------------


def test_progress_reports_every_chunk_up_to_total() -> None:
    data = os.urandom(3 * SMALL + 1)
    calls: list[tuple[int, int]] = []
    encrypt_stream(
        KEY,
        io.BytesIO(data),
        io.BytesIO(),
        progress=lambda done, total: calls.append((done, total)),
        total=len(data),
        chunk_size=SMALL,
    )
    assert calls == [(done, len(data)) for done in (SMALL, 2 * SMALL, 3 * SMALL, len(data))]


def test_cancel_between_chunks() -> None:
    token = CancelToken()

    def progress(done: int, total: int) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        encrypt_stream(
            KEY,
            io.BytesIO(os.urandom(4 * SMALL)),
            io.BytesIO(),
            progress=progress,
            cancel=token,
            chunk_size=SMALL,
        )
    with pytest.raises(Cancelled):
        decrypt_stream(
            KEY,
            io.BytesIO(seal(os.urandom(4 * SMALL))),
            io.BytesIO(),
            progress=progress,
            cancel=token,
            chunk_size=SMALL,
        )


# -- damage ------------------------------------------------------------------------------


def four_chunks() -> tuple[bytes, bytes, list[bytes]]:
    data = os.urandom(3 * SMALL + 20)
    blob = seal(data)
    header, chunks = sealed_chunks(blob)
    assert len(chunks) == 4
    return data, header, chunks


def test_truncation_at_a_chunk_boundary() -> None:
    _, header, chunks = four_chunks()
    with pytest.raises(BlobFormatError, match="final chunk is missing"):
        unseal(header + b"".join(chunks[:3]))


def test_truncation_inside_a_chunk() -> None:
    _, header, chunks = four_chunks()
    with pytest.raises(BlobFormatError):
        unseal(header + b"".join(chunks)[:-5])


@pytest.mark.parametrize("keep", [0, 5, len(MAGIC), HEADER_SIZE - 1, HEADER_SIZE])
def test_truncation_in_or_right_after_the_header(keep: int) -> None:
    with pytest.raises(BlobFormatError):
        unseal(seal(b"hello")[:keep])


def test_reordered_chunks() -> None:
    _, header, chunks = four_chunks()
    chunks[0], chunks[1] = chunks[1], chunks[0]
    with pytest.raises(BlobFormatError, match="chunk 0"):
        unseal(header + b"".join(chunks))


def test_dropped_middle_chunk() -> None:
    _, header, chunks = four_chunks()
    with pytest.raises(BlobFormatError, match="chunk 1"):
        unseal(header + chunks[0] + b"".join(chunks[2:]))


def test_appended_chunk_after_a_full_final_chunk() -> None:
    blob = seal(os.urandom(2 * SMALL))  # the final chunk is full size
    _, chunks = sealed_chunks(blob)
    with pytest.raises(BlobFormatError, match="after the final chunk"):
        unseal(blob + chunks[0])


@pytest.mark.parametrize("extra", [b"\x00", b"x" * TAG_SIZE, b"y" * (SMALL + TAG_SIZE)])
def test_appended_bytes(extra: bytes) -> None:
    for data in (b"", os.urandom(SMALL), os.urandom(SMALL + 9)):
        with pytest.raises(BlobFormatError):
            unseal(seal(data) + extra)


def test_chunk_from_another_file_is_refused() -> None:
    data = os.urandom(2 * SMALL)
    header, chunks = sealed_chunks(seal(data))
    _, other = sealed_chunks(seal(data))  # same plaintext, another salt and so another key
    with pytest.raises(BlobFormatError):
        unseal(header + chunks[0] + other[1])


@pytest.mark.parametrize(
    "position",
    [
        0,
        len(MAGIC),
        HEADER_SIZE - 1,
        HEADER_SIZE,
        HEADER_SIZE + SMALL,
        HEADER_SIZE + SMALL + 15,
        -TAG_SIZE - 1,
        -1,
    ],
    ids=["magic", "salt-start", "salt-end", "chunk0", "tag0", "tag0-end", "last-body", "last-tag"],
)
def test_flipped_bit_anywhere(position: int) -> None:
    blob = bytearray(seal(os.urandom(3 * SMALL + 7)))
    blob[position] ^= 0x01
    with pytest.raises(BlobFormatError):
        unseal(bytes(blob))


def test_chunks_before_the_damage_are_yielded_but_not_the_damaged_one() -> None:
    data, header, chunks = four_chunks()
    damaged = bytearray(chunks[2])
    damaged[3] ^= 0x80
    chunks[2] = bytes(damaged)
    seen: list[bytes] = []
    with pytest.raises(BlobFormatError, match="chunk 2"):
        for plain in iter_decrypt(KEY, io.BytesIO(header + b"".join(chunks)), chunk_size=SMALL):
            seen.append(plain)
    assert b"".join(seen) == data[: 2 * SMALL]


def test_wrong_key() -> None:
    blob = seal(b"private")
    with pytest.raises(BlobFormatError, match="chunk 0"):
        unseal(blob, key=bytes(32))


def test_wrong_magic() -> None:
    blob = seal(b"private")
    with pytest.raises(BlobFormatError, match="not a Pathway Desk blob"):
        unseal(b"PDBLOB2\n" + blob[len(MAGIC) :])
    with pytest.raises(BlobFormatError, match="not a Pathway Desk blob"):
        unseal(b"")


def test_chunk_size_comes_from_the_header_so_old_blobs_stay_readable() -> None:
    data = os.urandom(3 * SMALL + 5)
    blob = seal(data)
    assert unseal(blob, chunk_size=SMALL * 2) == data


def test_tampered_chunk_size_in_header_is_detected_not_misread() -> None:
    blob = bytearray(seal(os.urandom(3 * SMALL)))
    size_at = len(MAGIC) + 3  # lowest byte of the big-endian chunk size
    blob[size_at] ^= 0x01
    with pytest.raises(BlobFormatError):
        unseal(bytes(blob))


def test_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError):
        seal(b"x", key=b"short")
