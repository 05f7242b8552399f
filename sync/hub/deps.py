"""FastAPI dependencies: the app's database and settings, and the authenticated caller.

There is deliberately no session dependency with ``yield``: its commit would run in another
worker thread after the endpoint, so a transaction holding a lock (SQLite's write lock) could
wait for a free thread while every thread waits for that lock. Each endpoint opens and ends its
transaction inside its own body (``unit_of_work``), in one thread."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sync.hub.auth import Caller, authenticate
from sync.hub.settings import HubSettings


def factory_of(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def settings_of(request: Request) -> HubSettings:
    settings: HubSettings = request.app.state.settings
    return settings


def raw_target(request: Request) -> bytes:
    """The request target exactly as the client sent it (what the device signed)."""
    path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    return path + (b"?" + query if query else b"")


async def caller(request: Request) -> Caller:
    """The device and user the request is signed by (401, or 410 for a revoked device)."""
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    return await run_in_threadpool(
        authenticate, factory_of(request), settings_of(request), request.method,
        raw_target(request), headers, body,
    )
