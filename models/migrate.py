"""Applying Alembic migrations to a store when it is opened.

Before any migration the encrypted database file is copied beside itself
(``store.db.before-<rev>``), so a failed or unwanted upgrade can be undone by hand.
A database whose revision this version does not know was made by a newer version: refused.
"""

from __future__ import annotations

import functools
import shutil
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from models.errors import StoreTooNew


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("models") / "migrations"))
    return cfg


@functools.cache
def _revisions() -> tuple[frozenset[str], str]:
    """Every revision this version knows, and the newest: read once per process (Alembic reads
    and compiles each migration script to answer, which was most of opening a store)."""
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    assert head is not None
    return frozenset(rev.revision for rev in script.walk_revisions()), head


def head_revision() -> str:
    return _revisions()[1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, db_path: Path, target: str = "head") -> str | None:
    """Bring the database to ``target``; returns the backup path's name if one was made."""
    current = current_revision(engine)
    known, head = _revisions()
    if current is not None and current not in known:
        raise StoreTooNew(f"schema {current}")
    wanted = head if target == "head" else target
    if current == wanted:
        return None
    backup = None
    if current is not None:
        # Checkpoint the WAL into the main file so the copy is complete, then copy (still
        # ciphertext: the backup is as safe as the store).
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        backup = db_path.with_name(f"{db_path.name}.before-{wanted}")
        shutil.copy2(db_path, backup)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup.name if backup else None
