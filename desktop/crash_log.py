"""What an unexpected error leaves in the (unencrypted) log file: types and code locations only.

The message of an unexpected error may quote record text, so it is never written; the type of
each exception in the chain and the code locations of its traceback are. Imports no Qt, so the
CLI writes the same entries as the GUI.
"""

from __future__ import annotations

import traceback


def where(exc: BaseException) -> str:
    """The traceback of ``exc`` and of the errors that led to it: types and code only."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = type(current)
        name = kind.__qualname__ if kind.__module__ == "builtins" else (
            f"{kind.__module__}.{kind.__qualname__}")
        parts.append(f"Traceback (most recent call last):\n{frames}{name}\n")
        current = current.__cause__ or current.__context__
    return "\nCaused by or while handling:\n".join(reversed(parts))
