"""Files: which ones the hub holds, resumable uploads in chunks, downloads with HTTP Range.

The protocol is described in ``sync.files_protocol``. A caller reaches a file only if a young
person in their scope has a record naming it (``file_refs``, written by push); anything else is
the same 404 as a young person out of scope. Each decision is audited against the young person
concerned, in its own transaction, so refusals are recorded too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from sync.files_protocol import (
    FILE_CHUNK_BYTES,
    SHA256_PATTERN,
    ChunkResult,
    FileQuery,
    FileQueryResult,
    FileStatus,
    is_sha256,
)
from sync.hub import access
from sync.hub.api_errors import ApiError
from sync.hub.auth import Caller
from sync.hub.db import unit_of_work
from sync.hub.deps import caller, factory_of, settings_of
from sync.hub.filestore import ChunkRefused, FileStore, Stored
from sync.hub.routes.data import _ERRORS, _invalid, _message, protocol_checked
from sync.hub.schemas import ErrorBody
from sync.hub.settings import HubSettings
from sync.hub.tables import FileRef, HubYoungPerson
from sync.protocol import HEADER_PROTOCOL, MIN_CLIENT_PROTOCOL

router = APIRouter(prefix="/v1/files")

ProtocolDep = Annotated[int, Depends(protocol_checked)]
CallerDep = Annotated[Caller, Depends(caller)]
ShaPath = Annotated[str, Path(pattern=SHA256_PATTERN, description="SHA-256 hex of the file")]
_MAX_OFFSET = 1 << 50
_READ_BLOCK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d{1,16})-(\d{0,16})")
_NOT_HELD = "The hub does not hold this file yet; the device that added it has not sent it."

_FILE_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    404: {"model": ErrorBody, "description": "No record in your scope names this file"},
}
_HEADER_PARAM = {"name": HEADER_PROTOCOL, "in": "header", "required": True,
                 "schema": {"type": "integer", "minimum": MIN_CLIENT_PROTOCOL}}


def store_of(settings: HubSettings) -> FileStore:
    return FileStore(settings.files_root(), max_file_bytes=settings.max_file_bytes,
                     stale_seconds=settings.partial_upload_hours * 3600)


def _chunk_bytes(settings: HubSettings) -> int:
    return max(1, min(FILE_CHUNK_BYTES, settings.max_body_bytes))


def _status(sha: str, stored: Stored, settings: HubSettings) -> FileStatus:
    return FileStatus(sha256=sha, present=stored.present, size=stored.size,
                      received=stored.received, chunk_bytes=_chunk_bytes(settings))


def _reachable(request: Request, c: Caller, shas: list[str], action: str) -> set[str]:
    """The files among ``shas`` that ``c`` may reach, auditing once per young person concerned."""
    access.refuse_admin(c)
    with unit_of_work(factory_of(request)) as s:
        rows = s.execute(
            select(FileRef.sha256, FileRef.young_person_id).where(FileRef.sha256.in_(shas))
        ).all()
        visible = set(s.scalars(access.visible_query(c).where(
            HubYoungPerson.id.in_({yp for _, yp in rows}))))
        allowed = {sha for sha, yp in rows if yp in visible}
        audited: dict[str, bool] = {}
        for sha, yp in sorted(rows):
            if yp in visible:
                audited[yp] = True
            elif sha not in allowed:
                audited.setdefault(yp, False)
        for yp, ok in sorted(audited.items()):
            access.audit(s, c, yp, action, ok)
    return allowed


async def _reach_one(request: Request, c: Caller, sha: str, action: str) -> None:
    if not await run_in_threadpool(_reachable, request, c, [sha], action):
        raise access.not_in_scope()


@router.post("/query", response_model=FileQueryResult, responses=_FILE_ERRORS,
             openapi_extra={
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": FileQuery.model_json_schema()}}},
                 "parameters": [_HEADER_PARAM]})
async def query(request: Request, _v: ProtocolDep, c: CallerDep) -> FileQueryResult:
    """Which of these files the hub holds, or how much of each it has received."""
    try:
        message = FileQuery.model_validate(await _message(request))
    except ValidationError as exc:
        raise _invalid(exc) from None
    shas = sorted({sha for sha in message.sha256 if is_sha256(sha)})
    settings = settings_of(request)
    allowed = await run_in_threadpool(_reachable, request, c, shas, "query files")
    store = store_of(settings)

    def statuses() -> list[FileStatus]:
        return [_status(sha, store.status(sha), settings) for sha in sorted(allowed)]

    return FileQueryResult(files=await run_in_threadpool(statuses),
                           unknown=sorted(set(message.sha256) - allowed))


@router.get("/{sha}", response_model=FileStatus, responses=_FILE_ERRORS)
async def status(sha: ShaPath, request: Request, _v: ProtocolDep, c: CallerDep) -> FileStatus:
    """Whether the hub holds this file, or how much of an upload it has received."""
    await _reach_one(request, c, sha, "file status")
    settings = settings_of(request)
    stored = await run_in_threadpool(store_of(settings).status, sha)
    return _status(sha, stored, settings)


@router.put("/{sha}", response_model=ChunkResult, responses={
    **_FILE_ERRORS,
    409: {"model": ErrorBody, "description": "Not at the hub's length: ask for the status"},
    422: {"model": ErrorBody, "description": "The whole file did not match its SHA-256"},
}, openapi_extra={"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def put_chunk(
    sha: ShaPath,
    request: Request,
    _v: ProtocolDep,
    c: CallerDep,
    offset: Annotated[int, Query(ge=0, le=_MAX_OFFSET)],
    total: Annotated[int, Query(ge=0, le=_MAX_OFFSET)],
) -> ChunkResult:
    """The next chunk of an upload, at the hub's current length (a resend is harmless)."""
    body = await request.body()
    settings = settings_of(request)
    if len(body) > _chunk_bytes(settings):
        raise ApiError(413, "too_large", f"Send chunks of at most {_chunk_bytes(settings)} bytes.")
    await _reach_one(request, c, sha, "upload file")
    try:
        stored = await run_in_threadpool(store_of(settings).write_chunk, sha, offset, total, body)
    except ChunkRefused as exc:
        raise ApiError(exc.status, exc.error, exc.detail) from None
    received = stored.size if stored.size is not None else stored.received
    return ChunkResult(received=received, present=stored.present)


@router.get("/{sha}/content", responses={
    **_FILE_ERRORS,
    200: {"description": "The file", "content": {"application/octet-stream": {}}},
    206: {"description": "The range asked for", "content": {"application/octet-stream": {}}},
    416: {"model": ErrorBody, "description": "The range is outside the file"},
})
async def content(sha: ShaPath, request: Request, _v: ProtocolDep, c: CallerDep) -> Response:
    """The file's bytes; ``Range: bytes=N-`` or ``bytes=N-M`` resumes a download."""
    await _reach_one(request, c, sha, "download file")
    opened = await run_in_threadpool(store_of(settings_of(request)).open, sha)
    if opened is None:
        raise ApiError(404, "file_not_held", _NOT_HELD)
    fd, size = opened
    start, end = 0, size - 1
    code = 200
    asked = request.headers.get("range")
    if asked is not None:
        match = _RANGE.fullmatch(asked.strip())
        if match is None or int(match[1]) >= max(size, 1) or (
                match[2] and int(match[2]) < int(match[1])):
            os.close(fd)
            raise ApiError(416, "range_not_satisfiable", "The range is outside the file.",
                           headers={"Content-Range": f"bytes */{size}"})
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
        code = 206
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1)}
    if code == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(_read(fd, start, end + 1), status_code=code, headers=headers,
                             media_type="application/octet-stream")


def _read(fd: int, start: int, stop: int) -> Iterator[bytes]:
    try:
        os.lseek(fd, start, os.SEEK_SET)
        while start < stop:
            block = os.read(fd, min(_READ_BLOCK, stop - start))
            if not block:
                return
            start += len(block)
            yield block
    finally:
        os.close(fd)
