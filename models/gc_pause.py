"""Pausing Python's cycle collector around bulk work that makes many short-lived objects.

Applying a sync page makes hundreds of thousands of small lists, dicts and tuples that die with
the page and hold no reference cycles. Each burst of allocations triggers a collection that walks
every tracked object in the process (SQLAlchemy's, Qt's, the decoded page's), which cost a team's
first sync about a sixth of its time. Reference counting still frees everything as usual; only
the search for cycles waits until the bulk work ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_paused_here = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cycle collector off; it is back on when the last body running
    (in any thread) ends, unless it was off before the first began."""
    global _depth, _paused_here
    with _lock:
        if _depth == 0:
            _paused_here = gc.isenabled()
            if _paused_here:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _paused_here:
                gc.enable()
                _paused_here = False
