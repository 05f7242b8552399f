"""Request size limits, applied before any endpoint reads a byte (pure ASGI middleware)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hub.api_errors import ApiError


class _TooLarge(ApiError):
    """Raised from ``receive`` mid-body; an HTTP error, so FastAPI's handlers answer 413."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, "too_large", f"The request body is larger than {max_bytes} bytes.")


def _answer(status: int, error: str, detail: str) -> tuple[Message, Message]:
    body = json.dumps({"error": error, "detail": detail}).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413, whether announced by Content-Length or sent
    chunked; refuse over-long targets with 414 and too many headers with 431."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_target: int = 2048,
                 max_headers: int = 64) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_target = max_target
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > self.max_target:
            await self._send(send, 414, "uri_too_long", "The request target is too long.")
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        if len(headers) > self.max_headers:
            await self._send(send, 431, "headers_too_large", "The request has too many headers.")
            return
        for name, value in headers:
            if name == b"content-length":
                if not value.isdigit():
                    await self._send(send, 400, "bad_request", "Content-Length is not a number.")
                    return
                if int(value) > self.max_bytes:
                    await self._too_large(send)
                    return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        await self._send(send, 413, "too_large",
                         f"The request body is larger than {self.max_bytes} bytes.")

    @staticmethod
    async def _send(send: Send, status: int, error: str, detail: str) -> None:
        start, body = _answer(status, error, detail)
        await send(start)
        await send(body)
