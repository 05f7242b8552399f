"""Files between this laptop and the hub: uploads the hub lacks, downloads, and pinning.

Files travel apart from records, named by SHA-256 (``sync.files_protocol``), and only when the
other side lacks them. Uploads go in chunks at the hub's recorded length, so a dropped
connection costs at most the chunk in flight: the next attempt asks the hub how far it got and
carries on from there. Downloads resume with HTTP ``Range`` into an encrypted partial blob
(``BlobStore.partial``) that becomes visible only once it has verified, so a killed app leaves
no half file. Memory stays bounded by a chunk or two whatever the file's size.

A sync downloads small files at once, and every file of a pinned young person (pinned before
an offline visit); larger ones wait until someone opens them (``download``). ``eager`` decides.

Every function takes an ``httpx.Client`` already pointed at the hub (base URL, pinned TLS). It
signs with the client's own auth unless ``auth`` is given (the sync engine's ``DeviceAuth``) and
adds the protocol header itself. Errors are the sync client's (``sync.client.errors``):
``HubUnreachable`` once retries are spent, ``HubRefused``, ``DeviceRevoked``, ``UpdateRequired``,
``SyncCancelled``. What concerns one file only (damaged here or on the hub, out of scope, too
large for the hub) is reported in the result, and the other files carry on.

Runs on a worker thread (blocking network and disk I/O).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from models.blobs import BlobStore
from models.errors import BlobDamaged, BlobError
from models.partial_blobs import PartialBlob, cleanup_partials
from models.records import NamedFile
from models.schema import Meta
from models.store import Store
from sync.client.connection import answer
from sync.client.errors import HubRefused, HubUnreachable, SyncCancelled
from sync.files_protocol import (
    MAX_QUERY_FILES,
    ChunkResult,
    FileQueryResult,
    FileStatus,
    is_sha256,
)
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION

PINNED_KEY = "sync.pinned"
EAGER_MAX_BYTES = 2 * 1024 * 1024
"""Files up to this size download with every sync; larger ones when opened (or pinned)."""

RETRIES = 5
"""Attempts in a row that may fail without progress before a transfer gives up."""
_BACKOFF = (0.1, 0.5, 1.0, 2.0, 4.0)
_SYNC_EVERY = 8 << 20  # a download makes what it has durable every 8 MiB
_STREAM_BLOCK = 256 * 1024
_ABOUT_THE_DEVICE = (401, 403)  # refusals that concern every file: the sync stops

Progress = Callable[[int, int], None]


class Cancel(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class FileReport:
    """What one upload or download run did. ``bytes_sent`` counts file bytes put on the wire,
    resends included (so ``bytes_sent / sum of sizes`` is the cost of interruptions)."""

    uploaded: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    already_there: int = 0
    not_here: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    bytes_sent: int = 0
    bytes_received: int = 0
    retries: int = 0


WantedFile = NamedFile
"""A file a record on this laptop names, with whose it is and how big
(``models.repo.files.named_files`` lists them)."""


# -- policy and pinning ----------------------------------------------------------------------


def eager(files: Iterable[WantedFile], pinned_ids: Collection[str],
          max_bytes: int = EAGER_MAX_BYTES) -> list[str]:
    """The files a sync downloads now, smallest first: those of at most ``max_bytes`` and every
    file of a pinned young person. The rest download on demand, when someone opens them."""
    chosen: dict[str, int] = {}
    for f in files:
        if f.size <= max_bytes or f.young_person_id in pinned_ids:
            chosen[f.sha256] = f.size
    return sorted(chosen, key=lambda sha: (chosen[sha], sha))


def pinned(store: Store) -> frozenset[str]:
    """The young people whose files this laptop keeps, all of them, for offline visits."""
    return frozenset(_decode(store.meta().get(PINNED_KEY)))


def pin(store: Store, young_person_id: str) -> None:
    """Keep all of this young person's files on the laptop (from the next sync on)."""
    _change_pins(store, lambda ids: ids | {young_person_id})


def unpin(store: Store, young_person_id: str) -> None:
    """Back to the usual: their large files download when opened. Nothing is deleted."""
    _change_pins(store, lambda ids: ids - {young_person_id})


def _change_pins(store: Store, change: Callable[[set[str]], set[str]]) -> None:
    with store.session() as s:  # read and write in one transaction: no pin is lost
        row = s.get(Meta, PINNED_KEY)
        ids = change(set(_decode(row.value if row else None)))
        s.merge(Meta(key=PINNED_KEY, value=json.dumps(sorted(ids))))


def _decode(raw: str | None) -> list[str]:
    try:
        ids = json.loads(raw or "[]")
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


# -- uploads ---------------------------------------------------------------------------------


def upload_missing(
    http: httpx.Client,
    blobs: BlobStore,
    shas: Iterable[str],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    auth: httpx.Auth | None = None,
) -> FileReport:
    """Send the hub every file among ``shas`` that this laptop holds and the hub lacks,
    resuming any upload the hub has part of. Files this laptop does not hold are listed in
    ``not_here``; files the hub will not take from this laptop (no record in its scope names
    them) in ``unknown``; a local file found damaged in ``failed``."""
    link = _Link(http, auth, cancel)
    report = FileReport()
    wanted = sorted({s for s in shas if is_sha256(s)})
    local = [s for s in wanted if blobs.exists(s)]
    report.not_here = [s for s in wanted if s not in set(local)]
    todo: list[tuple[FileStatus, int]] = []
    for start in range(0, len(local), MAX_QUERY_FILES):
        result = FileQueryResult.model_validate(
            link.call("POST", "/v1/files/query",
                      json={"sha256": local[start:start + MAX_QUERY_FILES]}))
        report.unknown += result.unknown
        for st in result.files:
            if st.present:
                report.already_there += 1
            else:
                todo.append((st, blobs.size_of(st.sha256)))
    total = sum(size - st.received for st, size in todo)

    def sent() -> None:
        if progress is not None:
            progress(min(report.bytes_sent, total), total)

    for st, size in todo:
        link.check_cancel()
        try:
            _upload(link, blobs, st, size, report, sent)
            report.uploaded.append(st.sha256)
        except BlobError as exc:
            report.failed[st.sha256] = str(exc)
        except HubRefused as exc:
            if exc.status in _ABOUT_THE_DEVICE:
                raise
            if exc.status == 404:
                report.unknown.append(st.sha256)  # its record left this laptop's scope
            else:
                report.failed[st.sha256] = str(exc)  # too large for the hub, say
    return report


def _upload(link: _Link, blobs: BlobStore, st: FileStatus, size: int, report: FileReport,
            sent: Callable[[], None]) -> None:
    sha, received, chunk = st.sha256, st.received, max(1, st.chunk_bytes)
    restarted = False
    while True:
        try:
            for offset, data in _chunks(blobs, sha, received, chunk, size):
                link.check_cancel()
                report.bytes_sent += len(data)
                sent()
                result = ChunkResult.model_validate(link.call(
                    "PUT", f"/v1/files/{sha}?offset={offset}&total={size}", content=data,
                    retry=False))
                received = result.received
                link.progressed()
                if result.present:
                    return
            raise BlobDamaged(sha, "it ended before its size")
        except _Dropped:
            report.retries += 1
            received = _resume_at(link, sha)
        except HubRefused as exc:
            if exc.code == "wrong_offset":
                received = _resume_at(link, sha)
            elif exc.code == "file_corrupt" and not restarted:
                restarted, received = True, 0  # the hub's partial was spoilt: once from zero
            else:
                raise
        if received < 0:
            return  # the hub has it whole (its answer to the last chunk was lost)
        received = min(received, size)  # == size: whole but unchecked (a kill); "" finishes it


def _resume_at(link: _Link, sha: str) -> int:
    """Where to carry on: the hub's count of an unfinished upload, or -1 if it has the file."""
    st = _status(link, sha)
    return -1 if st.present else st.received


def _chunks(blobs: BlobStore, sha: str, start: int, chunk: int,
            size: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) from ``start`` on, in pieces of ``chunk``, read from the encrypted blob
    (each piece verified; the whole file's hash is checked by the hub and by the reader)."""
    if start >= size:
        yield size, b""
        return
    reader = blobs.open_reader(sha)
    try:
        pos, pending = 0, bytearray()
        for plain in reader:
            if pos + len(plain) <= start:
                pos += len(plain)
                continue
            pending += plain[max(0, start - pos):]
            pos += len(plain)
            while len(pending) >= chunk:
                yield start, bytes(pending[:chunk])
                del pending[:chunk]
                start += chunk
        if pending or start < size:
            yield start, bytes(pending)
    finally:
        close = getattr(reader, "close", None)  # a generator: releases the blob file
        if close is not None:
            close()


def _status(link: _Link, sha: str) -> FileStatus:
    return FileStatus.model_validate(link.call("GET", f"/v1/files/{sha}"))


# -- downloads -------------------------------------------------------------------------------


def download(
    http: httpx.Client,
    blobs: BlobStore,
    sha: str,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    auth: httpx.Auth | None = None,
) -> int:
    """Fetch one file from the hub into the blob store, resuming what an earlier attempt left;
    return the bytes received (0 if the laptop already had it). Nothing is visible in the blob
    store until the whole file has verified. Raises ``HubRefused`` (404: out of scope, or not
    yet sent to the hub by the laptop that added it), ``BlobDamaged`` if the hub's copy is
    damaged, ``HubUnreachable`` once retries are spent, ``SyncCancelled``."""
    if blobs.exists(sha):
        return 0
    link = _Link(http, auth, cancel)
    cleanup_partials(blobs.folder)
    st = _status(link, sha)
    if not st.present or st.size is None:
        raise HubRefused("The hub does not hold this file yet; the laptop that added it has "
                         "not sent it. Try again after it has synced.", status=404,
                         code="file_not_held")
    size, restarted = st.size, False
    while True:
        partial = blobs.partial(sha, size)
        try:
            _fetch(link, partial, size, progress)
            partial.finish()
            return link.received
        except _Dropped:
            pass  # the partial keeps what was sealed; carry on from there
        except BlobDamaged:
            if restarted:
                raise
            restarted = True  # finish() discarded it: one more try from the start
        finally:
            partial.close()


def _fetch(link: _Link, partial: PartialBlob, size: int, progress: Progress | None) -> None:
    """Stream the rest of the file into ``partial``, counting what arrives in
    ``link.received``; ``_Dropped`` if the connection drops."""
    start = partial.received
    if start >= size:
        return
    headers = {"Range": f"bytes={start}-"}
    got = 0
    with link.stream("GET", f"/v1/files/{partial.sha256}/content", headers) as response:
        # A server that ignores the range sends it all: skip what the partial holds.
        skip = start if response.status_code == 200 else 0
        if response.status_code == 206 and not response.headers.get(
                "content-range", "").startswith(f"bytes {start}-"):
            partial.discard()
            raise BlobDamaged(partial.sha256, "the hub sent another range than asked")
        unsynced = 0
        try:
            for raw in response.iter_raw(_STREAM_BLOCK):
                link.check_cancel()
                block = raw[skip:]
                skip = max(0, skip - len(raw))
                partial.write(block)
                got += len(block)
                link.received += len(raw)
                unsynced += len(block)
                if unsynced >= _SYNC_EVERY:
                    partial.sync()
                    unsynced = 0
                    link.progressed()
                if progress:
                    progress(start + got, size)
        except httpx.TransportError as exc:
            link.dropped(exc)
            raise _Dropped() from None


def download_eager(
    http: httpx.Client,
    blobs: BlobStore,
    files: Iterable[WantedFile],
    pinned_ids: Collection[str],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    auth: httpx.Auth | None = None,
    max_bytes: int = EAGER_MAX_BYTES,
) -> FileReport:
    """Download what ``eager`` chooses and this laptop lacks. Files the hub cannot give (out of
    scope, not sent yet, damaged there) are listed in ``failed`` for the next sync to retry."""
    report = FileReport()
    wanted = [sha for sha in eager(files, pinned_ids, max_bytes) if is_sha256(sha)]
    missing = [sha for sha in wanted if not blobs.exists(sha)]
    report.already_there = len(wanted) - len(missing)
    for i, sha in enumerate(missing):
        try:
            report.bytes_received += download(http, blobs, sha, cancel=cancel, auth=auth)
            report.downloaded.append(sha)
        except HubRefused as exc:
            if exc.status in _ABOUT_THE_DEVICE:
                raise
            report.failed[sha] = str(exc)
        except BlobError as exc:
            report.failed[sha] = str(exc)
        if progress is not None:
            progress(i + 1, len(missing))
    return report


# -- the link: signed requests, retries ------------------------------------------------------


class _Dropped(Exception):
    """A connection dropped mid-transfer; the caller asks where the hub got to and goes on."""


class _Link:
    def __init__(self, http: httpx.Client, auth: httpx.Auth | None, cancel: Cancel | None):
        self.http = http
        self.auth: Any = auth if auth is not None else httpx.USE_CLIENT_DEFAULT
        self.cancel = cancel
        self.failures = 0
        self.received = 0  # bytes of file content received, resends included

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled()

    def progressed(self) -> None:
        self.failures = 0

    def dropped(self, exc: httpx.TransportError) -> None:
        """Count a failure; past ``RETRIES`` in a row, give up as ``HubUnreachable``."""
        self.failures += 1
        if self.failures > RETRIES:
            raise HubUnreachable(
                f"The connection to the hub keeps dropping ({type(exc).__name__}). Nothing is "
                "lost: the next sync carries on from where this one stopped.") from None
        self.check_cancel()
        time.sleep(_BACKOFF[min(self.failures, len(_BACKOFF)) - 1])

    def call(self, method: str, path: str, *, retry: bool = True, **kwargs: Any) -> Any:
        """The answer's JSON. A dropped connection is retried here (``retry``), or raised as
        ``_Dropped`` for the caller to resume from the hub's state."""
        headers = {HEADER_PROTOCOL: str(PROTOCOL_VERSION)}
        if "content" in kwargs:
            headers["Content-Type"] = "application/octet-stream"
        while True:
            try:
                response = self.http.request(method, path, headers=headers, auth=self.auth,
                                             **kwargs)
            except httpx.TransportError as exc:
                self.dropped(exc)
                if not retry:
                    raise _Dropped() from None
                continue
            return answer(response)

    def stream(self, method: str, path: str, headers: dict[str, str]) -> Any:
        return _Stream(self, method, path, headers)


class _Stream:
    """``link.stream(...)`` as a context manager: the open response, or ``_Dropped``."""

    def __init__(self, link: _Link, method: str, path: str, headers: dict[str, str]) -> None:
        self.link, self.method, self.path = link, method, path
        self.headers = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), **headers}
        self.response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        request = self.link.http.build_request(self.method, self.path, headers=self.headers)
        try:
            self.response = self.link.http.send(request, auth=self.link.auth, stream=True)
        except httpx.TransportError as exc:
            self.link.dropped(exc)
            raise _Dropped() from None
        if self.response.status_code >= 400:
            self.response.read()
            self.response.close()
            answer(self.response)  # raises the error it stands for
        return self.response

    def __exit__(self, *exc: object) -> None:
        if self.response is not None:
            self.response.close()
