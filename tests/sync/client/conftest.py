"""Fixtures for the sync client: a real hub (``pathway-hub serve`` over HTTPS on loopback) with
teams and users, and real encrypted stores enrolled with it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.store import Store
from sync.client import enrol
from sync.hub import admin
from sync.hub.settings import HOME_ENV, HubSettings
from tests.factories import make_store
from tests.sync.hub.hubkit import prepare, run_admin
from tests.sync.hub.served import RunningHub, serving


@pytest.fixture
def hub_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "hub-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture
def hub_settings(hub_home: Path) -> HubSettings:
    settings = HubSettings(database=f"sqlite:///{hub_home / 'hub.db'}")
    prepare(settings)

    def setup(s: object) -> None:
        admin.add_team(s, "North")  # type: ignore[arg-type]
        admin.add_team(s, "South")  # type: ignore[arg-type]
        for username, team, role in [("asha", "North", "advisor"), ("ben", "North", "advisor"),
                                     ("mo", "North", "manager"), ("sol", "South", "advisor")]:
            admin.add_user(s, username, team, role)  # type: ignore[arg-type]

    run_admin(settings, setup)
    return settings


@pytest.fixture
def hub(hub_home: Path, hub_settings: HubSettings) -> Iterator[RunningHub]:
    with serving(hub_home) as running:
        yield running


@pytest.fixture
def laptop(tmp_path: Path, hub: RunningHub,
           hub_settings: HubSettings) -> Iterator[Callable[[str], Store]]:
    """``laptop("asha")``: a new store, enrolled as asha with a fresh one-time code."""
    opened: list[Store] = []

    def make(username: str) -> Store:
        store = make_store(tmp_path / f"{username}-{len(opened)}", owner=username)
        opened.append(store)
        code, _ = run_admin(hub_settings, admin.issue_enrol_code, username)
        enrol(store, hub.url, code, hub.fingerprint)
        return store

    yield make
    for store in opened:
        store.close()
