"""Reading a store's database files page by page with its key, as an attacker holding the key
would: every page of ``store.db`` and every frame of its WAL, free pages and old frames
included — what a purge must leave nothing of.

SQLCipher 4 with a raw key: pages of 16 KiB (4 KiB in a store made before that), each encrypted
with AES-256-CBC under the raw key, its IV in the 80-byte reserve at the page's end (16 bytes
IV, 64 bytes HMAC); page 1 begins with the 16-byte salt in clear, and decrypted it goes on with
the SQLite header from its 16th byte: the page size first. A WAL's header gives its page size.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from models.crypto.keyfile import derive_subkey, read_key_file, unwrap_data_key
from models.db import LEGACY_PAGE_SIZE, PAGE_SIZE

SIZES = (PAGE_SIZE, LEGACY_PAGE_SIZE)
RESERVE = 80
WAL_HEADER = 32
FRAME_HEADER = 24


def db_key(folder: Path, passphrase: str) -> bytes:
    return derive_subkey(unwrap_data_key(read_key_file(folder), passphrase), b"pathway-desk db")


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    size = len(page)
    start = 16 if first else 0
    body = page[start : size - RESERVE]
    iv = page[size - RESERVE : size - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def page_size(data: bytes, key: bytes) -> int:
    """The page size of a database file: the one at which page 1 decrypts to its own size."""
    for size in SIZES:
        if len(data) >= size:
            header = _decrypt_page(key, data[:size], True)
            if int.from_bytes(header[:2], "big") == size:
                return size
    raise ValueError("no page size decrypts page 1: not this key, or not a store")


def plaintext_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of a database file or WAL, decrypted (garbage for pages never written)."""
    if path.name.endswith("-shm"):
        return  # the WAL's index: page numbers and checksums, never a page's content
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        if len(data) < WAL_HEADER:
            return
        size = int.from_bytes(data[8:12], "big")
        offset = WAL_HEADER
        while offset + FRAME_HEADER + size <= len(data):
            page_no = int.from_bytes(data[offset : offset + 4], "big")
            page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + size]
            yield _decrypt_page(key, page, page_no == 1)
            offset += FRAME_HEADER + size
        return
    if not data:
        return
    size = page_size(data, key)
    for index in range(0, len(data) // size):
        yield _decrypt_page(key, data[index * size : (index + 1) * size], index == 0)


def readable(folder: Path, key: bytes, needles: list[bytes]) -> set[bytes]:
    """Which ``needles`` appear in any decrypted page of any database file in ``folder``."""
    found: set[bytes] = set()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.startswith("store.db"):
            continue
        for page in plaintext_pages(path, key):
            found.update(n for n in needles if n in page)
    return found
