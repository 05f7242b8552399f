"""The sync protocol: the messages a device and the hub exchange, and how they travel.

Shared by the sync client and the hub (pure: pydantic and the standard library). Every sync
request carries the protocol version in the ``X-Pathway-Protocol`` header; a hub answers a
client older than ``MIN_CLIENT_PROTOCOL`` with 426 and a sentence telling the person to update
the app, before it reads anything else.

Changes travel as the JSON objects ``models.change_rules.Change.to_json`` makes: since protocol 2,
a change that wrote every field at one stamp and replaced nothing travels as that ``stamp`` and
its ``values`` instead of ``fields`` (a third fewer bytes, and quicker to read and check). A
version 1 app cannot read that form, so the hub sends it 426. Every hub answer carries the hub's
protocol in the same header; a hub older than ``MIN_HUB_PROTOCOL`` (or silent) is not synced
with, and the person is told to have it updated. Request and
response bodies of push and pull are compressed JSON, zstd or gzip (``Content-Encoding``; the hub
answers a pull in zstd when the caller's ``Accept-Encoding`` names it); a body that inflates
beyond ``MAX_INFLATED_BYTES`` is refused rather than inflated.

- ``POST /v1/push``: a page of this device's own changes, in the order it made them. Idempotent
  by change id: a change the hub already holds is counted as a duplicate, never stored twice.
  Each change is accepted or refused whole, with the reason; a *retryable* refusal (a clock
  too far ahead) means "send this again later", and the device stops its push there.
- ``GET /v1/scope`` and ``POST /v1/scope/applied``: the young people the device may hold, and
  (at the end of a whole sync, after its purge) that the device now holds no one else. Until it
  says so, what it writes about a young person it held at its last applied scope is accepted,
  even if they were reallocated since: a sync cut after the scope answer but before the purge
  never strands the notes the adviser goes on writing.
- ``POST /v1/pull``: the hub's changes after a cursor (the hub's sequence number), oldest
  first, in the caller's scope, leaving out the caller's own. The device applies a page and
  stores ``next`` as its cursor in the same transaction. The hub hands out sequence numbers in
  commit order, so a cursor never passes a change that commits later.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Annotated, Any

import zstandard
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from models import fast_json
from models.change_rules import is_uuid

PROTOCOL_VERSION = 2
MIN_CLIENT_PROTOCOL = 2  # 2: the compact form of a change
MIN_HUB_PROTOCOL = 2
HEADER_PROTOCOL = "X-Pathway-Protocol"

MAX_PUSH_CHANGES = 1000
MAX_PULL_CHANGES = 5000
# A first team sync in 8 pages, not 20: 0.1 s faster (six alternating pairs), 0.3 s less CPU.
DEFAULT_PULL_CHANGES = 5000
MAX_INFLATED_BYTES = 32 * 1024 * 1024
MAX_BACKFILL_YOUNG_PEOPLE = 200
MAX_SEQ = 2**63 - 1  # sequence numbers are 64-bit signed integers in every hub database

UPDATE_REQUIRED = (
    "This version of Pathway Desk is too old to sync with the hub. Install the latest version "
    "(ask your IT service desk), then sync again; nothing on this laptop is lost meanwhile."
)


HUB_TOO_OLD = (
    "The hub is older than this version of Pathway Desk and cannot sync with it yet. Ask your "
    "IT service desk to update the hub, then sync again; nothing on this laptop is lost "
    "meanwhile."
)


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PushRequest(_Message):
    changes: list[dict[str, Any]] = Field(max_length=MAX_PUSH_CHANGES)


class Refusal(_Message):
    change_id: str
    reason: str
    retryable: bool = False


class PushResult(_Message):
    accepted: int
    duplicates: int
    refused: list[Refusal] = Field(default_factory=list)
    registered: list[str] = Field(
        default_factory=list, description="Young people the hub met for the first time"
    )


def _a_uuid(value: str) -> str:
    """A young person's id is a UUID (``check_change`` refuses any other), and nothing else: a
    pull's list goes into the hub's query as it is."""
    if not is_uuid(value):
        raise ValueError("not a UUID")  # pydantic's 422
    return value


YoungPersonId = Annotated[str, Field(max_length=45), AfterValidator(_a_uuid)]


class PullRequest(_Message):
    after: int = Field(0, ge=0, le=MAX_SEQ,
                       description="The hub sequence number this device has reached")
    limit: int = Field(DEFAULT_PULL_CHANGES, ge=1, le=MAX_PULL_CHANGES)
    young_people: list[YoungPersonId] | None = Field(
        None,
        max_length=MAX_BACKFILL_YOUNG_PEOPLE,
        description="Only these young people (a backfill after they joined the scope)",
    )
    until: int | None = Field(None, ge=0, le=MAX_SEQ, description="Stop at this sequence number")


class PullPage(_Message):
    changes: list[dict[str, Any]]
    next: int = Field(description="The cursor to store with this page")
    more: bool
    head: int = Field(description="The hub's newest sequence number when the page was read")


class ScopeView(_Message):
    young_people: list[str]
    head: int
    role: str
    seen_at: str = Field("", description="When the hub read this scope: sent back in "
                         "/v1/scope/applied once the device has pulled and purged by it")


class ScopeApplied(_Message):
    seen_at: str = Field(max_length=64)


# Content-Encodings of push and pull bodies, preferred first. zstd (level 3) against gzip
# (level 5) on a first team sync's 36 MB of pages: 0.06 s to compress instead of 0.39 s, 3.2 MB
# instead of 5.2 MB, and half the time to inflate. gzip stays for callers that ask for it.
ENCODINGS = ("zstd", "gzip")
_ZSTD_LEVEL = 3
_ZSTD_SLICE = 256  # compressed bytes fed at a time: at most ~8 MB come out of so few


def pack(payload: Any, encoding: str = "zstd") -> bytes:
    """JSON, compressed with ``encoding`` (one of :data:`ENCODINGS`)."""
    return pack_raw(fast_json.dumpb(payload), encoding)


def pack_raw(json_bytes: bytes, encoding: str = "zstd") -> bytes:
    if encoding == "zstd":
        return zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(json_bytes)
    if encoding == "gzip":
        return gzip.compress(json_bytes, 5, mtime=0)
    raise ValueError(f"unsupported Content-Encoding {encoding!r}")


def choose_encoding(accept_encoding: str | None) -> str:
    """The encoding to answer with: zstd if the caller accepts it, else gzip."""
    accepted = {part.split(";")[0].strip().lower() for part in (accept_encoding or "").split(",")}
    return "zstd" if "zstd" in accepted else "gzip"


class TooLarge(ValueError):
    pass


def unpack(body: bytes, encoding: str | None, limit: int = MAX_INFLATED_BYTES) -> Any:
    """The JSON in ``body``; ``ValueError`` if it is not valid zstd, gzip or JSON,
    ``TooLarge`` if it would inflate past ``limit`` bytes (stopped before it does)."""
    if encoding in (None, "", "identity"):
        raw = body
    elif encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(body, limit + 1)
        except zlib.error:
            raise ValueError("the body is not valid gzip") from None
        if len(raw) > limit or inflater.unconsumed_tail:
            raise TooLarge(f"the body inflates beyond {limit} bytes")
    elif encoding == "zstd":
        raw = _inflate_zstd(body, limit)
    else:
        raise ValueError(f"unsupported Content-Encoding {encoding!r}")
    if len(raw) > limit:
        raise TooLarge(f"the body is larger than {limit} bytes")
    try:
        return fast_json.loads(raw)
    except ValueError:
        raise ValueError("the body is not valid JSON") from None


def _inflate_zstd(body: bytes, limit: int) -> bytes:
    """One whole zstd frame, inflated a slice at a time so a hostile body is stopped a few
    megabytes past ``limit`` at most; a cut or padded frame is refused."""
    inflater = zstandard.ZstdDecompressor().decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        for i in range(0, len(body), _ZSTD_SLICE):
            part = inflater.decompress(body[i : i + _ZSTD_SLICE])
            size += len(part)
            if size > limit:
                raise TooLarge(f"the body inflates beyond {limit} bytes")
            parts.append(part)
            if inflater.eof and i + _ZSTD_SLICE < len(body):
                raise ValueError("the body is not valid zstd (data after its end)")
    except zstandard.ZstdError:
        raise ValueError("the body is not valid zstd") from None
    if not inflater.eof or inflater.unused_data:
        raise ValueError("the body is not valid zstd (it is cut short)")
    return b"".join(parts)
