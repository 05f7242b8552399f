"""The sync data path: push and pull (the protocol is described in ``sync.protocol``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sync.hub import exchange
from sync.hub.api_errors import ApiError
from sync.hub.auth import Caller
from sync.hub.db import unit_of_work
from sync.hub.deps import caller, factory_of
from sync.hub.schemas import ErrorBody
from sync.protocol import (
    HEADER_PROTOCOL,
    MIN_CLIENT_PROTOCOL,
    PROTOCOL_VERSION,
    UPDATE_REQUIRED,
    PullRequest,
    PushRequest,
    PushResult,
    ScopeApplied,
    TooLarge,
    choose_encoding,
    pack_raw,
    unpack,
)

router = APIRouter(prefix="/v1")

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "Not gzip or not JSON"},
    401: {"model": ErrorBody, "description": "Not signed by an enrolled device"},
    403: {"model": ErrorBody, "description": "Admins read and write no records"},
    410: {"model": ErrorBody, "description": "This device was revoked: wipe the store"},
    413: {"model": ErrorBody, "description": "Body too large, compressed or inflated"},
    422: {"model": ErrorBody, "description": "Not a well-formed message"},
    426: {"model": ErrorBody, "description": "The app is too old for this hub: update it"},
}


def protocol_checked(request: Request) -> int:
    """The client's protocol version; 426 with a plain sentence if it is too old or absent."""
    raw = request.headers.get(HEADER_PROTOCOL, "")
    version = int(raw) if raw.isdigit() and len(raw) < 6 else 0
    if version < MIN_CLIENT_PROTOCOL:
        raise ApiError(426, "update_required", UPDATE_REQUIRED,
                       headers={HEADER_PROTOCOL: str(PROTOCOL_VERSION)})
    return version


ProtocolDep = Annotated[int, Depends(protocol_checked)]
CallerDep = Annotated[Caller, Depends(caller)]


async def _message(request: Request) -> object:
    body = await request.body()
    try:
        return unpack(body, request.headers.get("content-encoding"))
    except TooLarge as exc:
        raise ApiError(413, "too_large", f"The request is too large: {exc}.") from None
    except ValueError as exc:
        raise ApiError(400, "bad_request", f"The request cannot be read: {exc}.") from None


def _invalid(exc: ValidationError) -> ApiError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return ApiError(422, "invalid_request", f"{where}: {first['msg']}")


def _openapi(model: type[PushRequest] | type[PullRequest] | type[ScopeApplied],
             ) -> dict[str, object]:
    """The body (read by hand, as it may be gzip) and the protocol header, for /openapi.json."""
    return {
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": model.model_json_schema()}}},
        "parameters": [{"name": HEADER_PROTOCOL, "in": "header", "required": True,
                        "schema": {"type": "integer", "minimum": MIN_CLIENT_PROTOCOL}}],
    }


@router.post("/push", response_model=PushResult, responses=_ERRORS,
             openapi_extra=_openapi(PushRequest))
async def push(request: Request, _v: ProtocolDep, c: CallerDep) -> PushResult:
    """A page of this device's changes, oldest first. Idempotent by change id."""
    data = await _message(request)
    try:
        message = PushRequest.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    factory = factory_of(request)

    def run() -> PushResult:
        with unit_of_work(factory) as s:
            return exchange.push(s, c, message.changes)

    return await run_in_threadpool(run)


@router.post("/pull", responses={**_ERRORS, 200: {
    "description": "A page of changes (zstd or gzip JSON: changes, next, more, head)"}},
             openapi_extra=_openapi(PullRequest))
async def pull(request: Request, _v: ProtocolDep, c: CallerDep) -> Response:
    """Changes after the cursor in this device's scope, oldest first, compressed (zstd when
    the caller accepts it, else gzip)."""
    data = await _message(request)
    try:
        message = PullRequest.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    factory = factory_of(request)
    encoding = choose_encoding(request.headers.get("accept-encoding"))

    def run() -> bytes:
        with unit_of_work(factory) as s:
            page = exchange.pull(s, c, message)
        return pack_raw(page.to_json_bytes(), encoding)

    body = await run_in_threadpool(run)
    return Response(body, media_type="application/json",
                    headers={"Content-Encoding": encoding, "Vary": "Accept-Encoding",
                             HEADER_PROTOCOL: str(PROTOCOL_VERSION)})


@router.post("/scope/applied", response_model=ScopeApplied, responses=_ERRORS,
             openapi_extra=_openapi(ScopeApplied))
async def scope_applied(request: Request, _v: ProtocolDep, c: CallerDep) -> ScopeApplied:
    """The device has pulled and purged by the scope it read at ``seen_at``: it holds no one
    else now (what it may still write about is decided from then on)."""
    data = await _message(request)
    try:
        message = ScopeApplied.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None
    try:
        seen_at = datetime.fromisoformat(message.seen_at)
    except ValueError:
        seen_at = None
    if seen_at is None or seen_at.tzinfo is None:
        raise ApiError(422, "invalid_request", "seen_at: not a time from GET /v1/scope")
    factory = factory_of(request)

    def run() -> None:
        with unit_of_work(factory) as s:
            exchange.scope_applied(s, c, seen_at)

    await run_in_threadpool(run)
    return message
