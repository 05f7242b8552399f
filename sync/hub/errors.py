"""Typed hub errors with one-line, operator-safe messages (the CLI prints ``str(err)``)."""

from __future__ import annotations


class HubError(Exception):
    """Base class: ``str(err)`` is a complete sentence saying what is wrong and what to do."""


class NotFound(HubError):
    """An admin command named a team, user or device the hub does not have."""


class AlreadyExists(HubError):
    """An admin command would duplicate a unique name."""


class BadValue(HubError):
    """An admin command was given a value of the wrong shape."""


class DatabaseUnreachable(HubError):
    """The database URL names a server that does not answer, or a file that cannot be opened."""


class DatabaseTooNew(HubError):
    def __init__(self, revision: str) -> None:
        super().__init__(
            f"The hub database is at schema {revision}, which this version of the hub does not "
            "know: it was upgraded by a newer hub. Run that newer version."
        )
