"""People's names in the order a reader expects, whatever their script (no Qt, no store).

Code-point order puts "Áine" after "Zihan"; the Unicode Collation Algorithm (pyuca, pure Python,
the same on every platform) puts it beside "Aisha". Letters of other scripts (Arabic, Ge'ez)
follow the Latin ones, each script in its own order.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pyuca import Collator


@cache
def _collator() -> Collator:
    return Collator()  # reads the Unicode collation table once (about 0.1 s)


def name_sort_key(name: str) -> tuple[Any, ...]:
    """A key that sorts names in Unicode collation order (letters first; accents, then case,
    only break ties)."""
    return tuple(_collator().sort_key(name.strip()))


def surname_sort_key(full_name: str) -> tuple[Any, ...]:
    """A key that sorts full names by surname (the last word), then the names before it:
    "Chloe Harris" before "Chloe Hopkinson" before "Amy Jones"."""
    words = full_name.split()
    if not words:
        return ((), ())
    return (name_sort_key(words[-1]), name_sort_key(" ".join(words[:-1])))
