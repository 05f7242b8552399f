"""How files travel between a device and the hub (shared by the sync client and the hub).

Files move apart from records, named by the SHA-256 hex of their plaintext. Records name them
(``sha256``, ``cover_photo_sha256``); the hub lets a caller reach a file only if a young person
in the caller's scope has a record naming it, and answers 404 otherwise, as for any record out
of scope. Every request is signed and carries the protocol header, like push and pull.

- ``POST /v1/files/query`` ``{"sha256": [...]}``: for each file the caller may reach, whether
  the hub holds it (``size``) or how many bytes of an unfinished upload it has (``received``);
  files the caller may not reach (or that nobody's record names yet) are listed as ``unknown``.
- ``GET /v1/files/{sha}``: the same for one file (404 if out of reach).
- ``PUT /v1/files/{sha}?offset=N&total=T``: the next chunk, raw bytes (at most ``chunk_bytes``,
  the hub's figure). Only at the hub's current length: a chunk the hub already has is answered
  as if it were new (a resend after a dropped answer is harmless); any other offset is 409 and
  the device asks for the status again. The chunk that completes the file is checked against
  the SHA-256 before the file becomes visible; a mismatch discards the upload (422).
- ``GET /v1/files/{sha}/content``: the file, with HTTP ``Range: bytes=N-`` (or ``N-M``) for
  resuming a download (206 with ``Content-Range``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

MAX_QUERY_FILES = 1000
FILE_CHUNK_BYTES = 1 << 20
"""The largest chunk a device sends; a hub with a smaller body limit asks for less."""

SHA256_PATTERN = "^[0-9a-f]{64}$"
_SHA256 = re.compile(SHA256_PATTERN)


def is_sha256(text: str) -> bool:
    return bool(_SHA256.fullmatch(text))


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileQuery(_Message):
    sha256: list[str] = Field(max_length=MAX_QUERY_FILES)


class FileStatus(_Message):
    sha256: str
    present: bool = Field(description="The hub holds the whole, verified file")
    size: int | None = Field(None, description="Its size in bytes, when present")
    received: int = Field(0, description="Bytes of an unfinished upload the hub holds")
    chunk_bytes: int = Field(FILE_CHUNK_BYTES, description="The largest chunk to send")


class FileQueryResult(_Message):
    files: list[FileStatus]
    unknown: list[str] = Field(
        default_factory=list, description="Files out of the caller's reach (or named by no record)"
    )


class ChunkResult(_Message):
    received: int = Field(description="Bytes the hub now holds of this upload")
    present: bool = Field(description="The upload is complete and verified")
