"""Keys in memory: held in buffers that are overwritten when the store is locked.

Python gives no control over where immutable ``bytes`` and ``str`` objects live or when their
memory is reused, so a key that passes through one stays readable in the process (and in a swap
file or crash dump) until that memory happens to be overwritten. The store therefore holds its
keys in ``bytearray`` buffers that :func:`wipe` zeroes at lock, and zeroes the immutable
temporaries it cannot avoid (what a KDF or AEAD returns) as soon as they are copied.

Zeroing an immutable object is done in place through ``ctypes`` (CPython's layout); it is only
ever applied to objects this code created and holds the only reference to, never to a caller's
object (say, the passphrase the GUI's text field returned), and is skipped on other Pythons.
"""

from __future__ import annotations

import ctypes
import sys

_CPYTHON = sys.implementation.name == "cpython"
_BYTES_DATA = sys.getsizeof(b"") - 1  # offset of ob_sval in a bytes object
_ASCII_DATA = sys.getsizeof("") - 1  # offset of the characters of a compact ASCII str
_MIN_WIPE = 8  # never touch tiny objects: CPython shares some of them (b"", one-byte bytes)


def wipe(value: object) -> None:
    """Overwrite a key we own with zeros: a ``bytearray`` always; an exact ``bytes`` or ASCII
    ``str`` on CPython (see the module doc for when that is allowed)."""
    if isinstance(value, bytearray):
        value[:] = bytes(len(value))
        return
    if not _CPYTHON or len(value) < _MIN_WIPE:  # type: ignore[arg-type]
        return
    if type(value) is bytes:
        ctypes.memset(id(value) + _BYTES_DATA, 0, len(value))
    elif type(value) is str and value.isascii():
        ctypes.memset(id(value) + _ASCII_DATA, 0, len(value))


def take(value: bytes) -> bytearray:
    """A ``bytearray`` copy of a key we were handed as ``bytes`` (by a KDF or AEAD), whose
    immutable original is wiped at once."""
    kept = bytearray(value)
    wipe(value)
    return kept


def sqlcipher_key_text(db_key: bytes | bytearray) -> bytearray:
    """``x'<64 hex digits>'``, SQLCipher's raw-key form, built in a bytearray (no ``str``)."""
    digits = b"0123456789abcdef"
    out = bytearray(b"x'")
    for byte in db_key:
        out.append(digits[byte >> 4])
        out.append(digits[byte & 15])
    out.append(ord("'"))
    return out
