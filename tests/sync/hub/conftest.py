"""Fixtures for the hub: one real PostgreSQL per test session, a fresh database per test, and
every hub test that touches a database run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.hub.settings import HOME_ENV, HubSettings
from tests.sync.hub.pgserver import PostgresForTests, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    with running_postgres() as server:
        yield server


@pytest.fixture(autouse=True)
def hub_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hub's data folder (default database, generated certificate) for this test only."""
    home = tmp_path / "hub-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty hub database: an SQLite file, or a new database on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    server: PostgresForTests = request.getfixturevalue("postgres")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop_database(url)


@pytest.fixture
def settings(database_url: str) -> HubSettings:
    return HubSettings(database=database_url)
