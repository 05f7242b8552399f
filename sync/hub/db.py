"""The hub's database: engines, sessions and migrations.

SQLite (the default) runs every transaction as ``BEGIN IMMEDIATE`` with a busy timeout, so
several hub processes on one file queue their writes instead of failing to upgrade a read lock.
PostgreSQL serialises migrations across processes with an advisory lock, so two hubs starting
at once do not both migrate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ColumnElement, Engine, LargeBinary, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement

from sync.hub.errors import BadValue, DatabaseTooNew, DatabaseUnreachable

_MIGRATION_LOCK = 0x70617468  # any constant shared by every hub process ("path")


def make_engine(url: str, statement_timeout_ms: int = 15_000) -> Engine:
    """An engine for ``url`` (``sqlite:///FILE`` or ``postgresql+psycopg://...``)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadValue(f"{url!r} is not a database URL (try sqlite:///FILE or "
                       "postgresql+psycopg://USER@HOST/DB).") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        _sqlite_immediate(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(
            parsed,
            pool_size=10,
            max_overflow=20,
            pool_pre_ping=True,
            connect_args={"options": f"-c statement_timeout={statement_timeout_ms}",
                          "connect_timeout": 10},
        )
    raise BadValue(f"The hub runs on SQLite or PostgreSQL, not {backend}.")


def _sqlite_immediate(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed if the block ends normally, rolled back otherwise."""
    with factory() as session, session.begin():
        yield session


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("sync.hub") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (refusing one made by a newer hub)."""
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            current = MigrationContext.configure(conn).get_current_revision()
            if current is not None and current not in known:
                raise DatabaseTooNew(current)
            if current == script.get_current_head():
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise DatabaseUnreachable(
            f"Cannot reach the hub database: {_first_line(exc.orig)}. Check --database."
        ) from None


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT that knows ``ON CONFLICT`` for the session's database (SQLite or PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    bind = session.get_bind()
    module = postgresql if bind.dialect.name == "postgresql" else sqlite
    return module.insert(table)


class utf8_bytes(FunctionElement[bytes]):  # noqa: N801 - reads as SQL, like func.x
    """A text column's UTF-8 bytes, as the database keeps them: read this way, a pull's bodies
    go out as they are stored, not decoded to ``str`` and encoded again (for a page of 5,000,
    with any name beyond Latin-1 widening the whole page's text, that was most of the hub's
    time on a first team sync)."""

    type = LargeBinary()
    inherit_cache = True

    def __init__(self, column: ColumnElement[str]) -> None:
        super().__init__(column)


@compiles(utf8_bytes)
def _utf8_bytes_sqlite(element: utf8_bytes, compiler: Any, **kw: Any) -> str:
    # SQLite keeps text as UTF-8; CAST to BLOB hands over those bytes unchanged.
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(utf8_bytes, "postgresql")
def _utf8_bytes_postgresql(element: utf8_bytes, compiler: Any, **kw: Any) -> str:
    # Not ``::bytea``, which reads backslashes in the text as escapes.
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"
