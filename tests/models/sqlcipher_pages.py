"""Reading a store's database files page by page with its key, as an attacker holding the key
would: every page of ``store.db`` and every frame of its WAL, free pages and old frames
included — what a purge must leave nothing of.

SQLCipher 4 with a raw key: pages of 4096 bytes, each encrypted with AES-256-CBC under the raw
key, its IV in the 80-byte reserve at the page's end (16 bytes IV, 64 bytes HMAC); page 1 begins
with the 16-byte salt in clear.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from models.crypto.keyfile import derive_subkey, read_key_file, unwrap_data_key

PAGE = 4096
RESERVE = 80
WAL_HEADER = 32
FRAME_HEADER = 24


def db_key(folder: Path, passphrase: str) -> bytes:
    return derive_subkey(unwrap_data_key(read_key_file(folder), passphrase), b"pathway-desk db")


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    if len(page) < PAGE:
        return b""
    start = 16 if first else 0
    body = page[start : PAGE - RESERVE]
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def plaintext_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of a database file or WAL, decrypted (garbage for pages never written)."""
    data = path.read_bytes()
    if path.name.endswith("-wal"):
        offset = WAL_HEADER
        while offset + FRAME_HEADER + PAGE <= len(data):
            page_no = int.from_bytes(data[offset : offset + 4], "big")
            page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE]
            yield _decrypt_page(key, page, page_no == 1)
            offset += FRAME_HEADER + PAGE
        return
    for index in range(0, len(data) // PAGE):
        yield _decrypt_page(key, data[index * PAGE : (index + 1) * PAGE], index == 0)


def readable(folder: Path, key: bytes, needles: list[bytes]) -> set[bytes]:
    """Which ``needles`` appear in any decrypted page of any database file in ``folder``."""
    found: set[bytes] = set()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.startswith("store.db"):
            continue
        for page in plaintext_pages(path, key):
            found.update(n for n in needles if n in page)
    return found
