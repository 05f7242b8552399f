"""The hub's FastAPI application.

``create_app(settings)`` builds one; ``create_app_from_env()`` is what uvicorn workers call
(settings come from ``PATHWAY_HUB_*``). The app holds an engine and a session factory and nothing
else that matters: every fact lives in the database, so processes are interchangeable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hub import api_errors
from sync.hub.api_errors import ApiError
from sync.hub.db import make_engine, session_factory
from sync.hub.limits import BodyLimit
from sync.hub.routes import conflicts, data, files, identity, team
from sync.hub.schemas import ErrorBody, Health
from sync.hub.settings import HubSettings
from sync.protocol import HEADER_PROTOCOL, PROTOCOL_VERSION


class ProtocolHeader:
    """Every answer names the hub's protocol version, so an app newer than the hub can tell
    the person to have the hub updated instead of sending what it cannot read."""

    _header = (HEADER_PROTOCOL.lower().encode(), str(PROTOCOL_VERSION).encode())

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != self._header[0]]
                message = {**message, "headers": [*headers, self._header]}
            await send(message)

        await self.app(scope, receive, send_with_header)


def create_app(settings: HubSettings) -> FastAPI:
    engine = make_engine(settings.database, settings.statement_timeout_ms)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Pathway Hub",
        version="1",
        summary="The council's server that Pathway Desk laptops enrol with and sync to.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    api_errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ProtocolHeader)

    @app.get("/health", response_model=Health,
             responses={503: {"model": ErrorBody, "description": "Database unreachable"}})
    def health(request: Request) -> Health:
        """The hub is up and its database answers."""
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means "not healthy", said plainly
            raise ApiError(503, "database_unavailable",
                           "The hub cannot reach its database.") from None
        return Health(status="ok")

    app.include_router(identity.router)
    app.include_router(data.router)
    app.include_router(team.router)
    app.include_router(conflicts.router)
    app.include_router(files.router)
    return app


def create_app_from_env() -> FastAPI:
    return create_app(HubSettings())
