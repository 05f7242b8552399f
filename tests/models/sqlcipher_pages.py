"""Reading a store's database files page by page with its key, as an attacker holding the key
would: every page of ``store.db`` and every frame of its WAL, free pages and old frames
included — what a purge must leave nothing of.

SQLCipher 4 with a raw key, in one of ``models.db``'s page formats: pages of 16 KiB (4 KiB in a
store made before that), each encrypted with AES-256-CBC under the raw key, the page's IV and
HMAC at its end (16 bytes IV, then 64 bytes of HMAC-SHA512 or 32 of HMAC-SHA256). Page 1 begins
with the 16-byte salt in clear, and decrypted it goes on with the SQLite header from its 16th
byte: the page size first. A WAL's header gives its page size.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from models.crypto.keyfile import derive_subkey, read_key_file, unwrap_data_key
from models.db import OLDER_FORMATS, PAGE_FORMAT, PageFormat

FORMATS = (PAGE_FORMAT, *OLDER_FORMATS)
WAL_HEADER = 32
FRAME_HEADER = 24


def db_key(folder: Path, passphrase: str) -> bytes:
    return derive_subkey(unwrap_data_key(read_key_file(folder), passphrase), b"pathway-desk db")


def _iv_and_tag(fmt: PageFormat) -> int:
    return 16 + (32 if fmt.hmac == "HMAC_SHA256" else 64)


def _decrypt_page(key: bytes, page: bytes, first: bool, fmt: PageFormat) -> bytes:
    size, tail = len(page), _iv_and_tag(fmt)
    start = 16 if first else 0
    body = page[start : size - tail]
    iv = page[size - tail : size - tail + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def page_format(data: bytes, key: bytes) -> PageFormat:
    """A database file's page format: the one in which page 1 decrypts to a header naming its
    own page size (taken at the wrong place, the IV garbles that first block)."""
    for fmt in FORMATS:
        if len(data) >= fmt.size:
            header = _decrypt_page(key, data[: fmt.size], True, fmt)
            if int.from_bytes(header[:2], "big") == fmt.size:
                return fmt
    raise ValueError("no page format decrypts page 1: not this key, or not a store")


def plaintext_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of a database file or WAL, decrypted (garbage for pages never written)."""
    if path.name.endswith("-shm"):
        return  # the WAL's index: page numbers and checksums, never a page's content
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        if len(data) < WAL_HEADER:
            return
        size = int.from_bytes(data[8:12], "big")
        # the format of the database the WAL belongs to, from its page 1
        with open(path.with_name(path.name.removesuffix("-wal")), "rb") as main:
            fmt = page_format(main.read(max(f.size for f in FORMATS)), key)
        offset = WAL_HEADER
        while offset + FRAME_HEADER + size <= len(data):
            page_no = int.from_bytes(data[offset : offset + 4], "big")
            page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + size]
            yield _decrypt_page(key, page, page_no == 1, fmt)
            offset += FRAME_HEADER + size
        return
    if not data:
        return
    fmt = page_format(data, key)
    for index in range(0, len(data) // fmt.size):
        page = data[index * fmt.size : (index + 1) * fmt.size]
        yield _decrypt_page(key, page, index == 0, fmt)


def readable(folder: Path, key: bytes, needles: list[bytes]) -> set[bytes]:
    """Which ``needles`` appear in any decrypted page of any database file in ``folder``."""
    found: set[bytes] = set()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.startswith("store.db"):
            continue
        for page in plaintext_pages(path, key):
            found.update(n for n in needles if n in page)
    return found
