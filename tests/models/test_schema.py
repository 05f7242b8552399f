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


def test_the_registry_knows_every_synced_column_and_its_length() -> None:
    from sqlalchemy import String, Text

    from models.registry import RECORD_TYPES, Kind

    for table, rt in RECORD_TYPES.items():
        columns = Base.metadata.tables[table].c
        assert set(rt.fields) == {c.key for c in columns} - {"id", "stamps"}, table
        for name, spec in rt.fields.items():
            col_type = columns[name].type
            if (
                spec.kind is Kind.TEXT
                and isinstance(col_type, String)
                and not isinstance(col_type, Text)
            ):
                assert spec.max_length == col_type.length, (table, name)
