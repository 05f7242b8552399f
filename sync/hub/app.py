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

from sync.hub import api_errors
from sync.hub.api_errors import ApiError
from sync.hub.db import make_engine, session_factory
from sync.hub.limits import BodyLimit
from sync.hub.routes import conflicts, data, identity, team
from sync.hub.schemas import ErrorBody, Health
from sync.hub.settings import HubSettings


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
    return app


def create_app_from_env() -> FastAPI:
    return create_app(HubSettings())
