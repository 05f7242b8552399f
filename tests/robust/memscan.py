"""Scanning this process's own memory for known secrets (Linux: /proc/self/maps and mem).

The needles are held masked (XOR 0x5A) and each memory region is masked the same way before it
is searched, so the scan itself never puts a plain copy of a secret in memory.
"""

from __future__ import annotations

import ctypes
import sys

MASK = bytes(b ^ 0x5A for b in range(256))


def masked(secret: bytes | bytearray) -> bytes:
    return bytes(secret).translate(MASK)


def wipe_bytes(b: bytes) -> None:
    """Zero a bytes object this test owns (CPython layout), so it is not found by the scan."""
    offset = sys.getsizeof(b"") - 1
    ctypes.memset(id(b) + offset, 0, len(b))


def wipe_str(s: str) -> None:
    """Zero a compact ASCII str this test owns (CPython layout)."""
    assert s.isascii()
    offset = sys.getsizeof("") - 1
    ctypes.memset(id(s) + offset, 0, len(s))


def count_in_memory(needles: dict[str, bytes]) -> dict[str, int]:
    """How many times each (masked) needle occurs in this process's readable memory."""
    counts = dict.fromkeys(needles, 0)
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for fields in regions:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else ""
            if not fields[1].startswith("r") or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except (OSError, OverflowError, ValueError):
                continue
            if not data:
                continue
            data = data.translate(MASK)
            for key, needle in needles.items():
                counts[key] += data.count(needle)
            del data
    return counts
