"""Structured error answers: every 4xx and 5xx body is an ``ErrorBody``, never a traceback, and
never echoes what the caller sent."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

log = logging.getLogger("pathway_hub")

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    411: "length_required",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class ApiError(StarletteHTTPException):
    """An answer with a stable error code (``error``) and a sentence (``detail``)."""

    def __init__(
        self,
        status: int,
        error: str,
        detail: str,
        *,
        action: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.error = error
        self.action = action


def _body(error: str, detail: str, action: str | None = None) -> dict[str, str]:
    body = {"error": error, "detail": detail}
    if action:
        body["action"] = action
    return body


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    error = getattr(exc, "error", None) or _CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else error.replace("_", " ")
    return JSONResponse(
        _body(error, detail, getattr(exc, "action", None)),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    reasons = []
    for err in exc.errors()[:5]:
        if err.get("type") == "json_invalid":
            reasons.append("body: not valid JSON")
            continue
        where = ".".join(str(part) for part in err.get("loc", ()) if part != "body") or "body"
        reasons.append(f"{where}: {err.get('msg', 'invalid')}")
    return JSONResponse(_body("invalid_request", "; ".join(reasons)[:500]), status_code=422)


async def _gone(_request: Request, _exc: Exception) -> Response:
    # The client hung up mid-request (a dropped mobile link): nothing to answer, nothing to log.
    return Response(status_code=400)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected %s", type(exc).__name__, exc_info=exc)
    return JSONResponse(
        _body("internal", "The hub met an unexpected problem; it has been logged."),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ClientDisconnect, _gone)
    app.add_exception_handler(Exception, _unexpected)
