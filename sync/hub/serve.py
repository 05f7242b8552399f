"""``pathway-hub serve``: migrate, make or load the certificate, print its fingerprint, serve.

Options reach uvicorn's worker processes as ``PATHWAY_HUB_*`` environment variables, read by
``HubSettings`` in each worker (``create_app_from_env``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import uvicorn
from sqlalchemy import make_url

from sync.hub.db import make_engine, migrate
from sync.hub.settings import HubSettings, data_dir
from sync.hub.tls import ensure_self_signed, fingerprint_of


def run(settings: HubSettings, workers: int, say: Callable[[str], None]) -> None:
    engine = make_engine(settings.database, settings.statement_timeout_ms)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    if settings.cert and settings.key:
        cert, key = settings.cert, settings.key
        for path in (cert, key):
            if not path.is_file():
                raise FileNotFoundError(2, "No such file", str(path))
    else:
        cert, key = ensure_self_signed(data_dir() / "tls", settings.host)
    fingerprint = fingerprint_of(cert)
    shown_url = make_url(settings.database).render_as_string(hide_password=True)
    say(f"Pathway Hub on https://{settings.host}:{settings.port} (database {shown_url})")
    say(f"Certificate: {cert}")
    say(f"Certificate SHA-256 fingerprint: {fingerprint}")
    os.environ["PATHWAY_HUB_DATABASE"] = settings.database
    for name in ("max_body_bytes", "clock_skew_seconds", "enrol_code_hours",
                 "enrol_attempts_per_client", "enrol_attempts_total", "enrol_window_seconds",
                 "statement_timeout_ms"):
        os.environ[f"PATHWAY_HUB_{name.upper()}"] = str(getattr(settings, name))
    uvicorn.run(
        "sync.hub.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        limit_concurrency=1000,
        h11_max_incomplete_event_size=16 * 1024,
        server_header=False,
        access_log=False,
        log_level="warning",
    )
