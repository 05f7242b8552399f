"""The tables the code declares are exactly what the migrations build (no forgotten migration)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models.schema import Base
from tests.factories import make_store


def test_migrations_build_the_declared_schema(tmp_path: Path) -> None:
    with make_store(tmp_path / "store") as store, store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == [], "schema.py changed without an Alembic migration"
