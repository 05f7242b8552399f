"""A real hub over HTTPS for the sync GUI tests (the sync client's fixtures), and stores enrolled
with it, closed so that a main window can open them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sync.client import enrol
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.factories import add_young_person, make_store
from tests.sync.client.conftest import hub, hub_home, hub_settings  # noqa: F401 - fixtures
from tests.sync.hub.hubkit import run_admin
from tests.sync.hub.served import RunningHub


def enrol_code(settings: HubSettings, username: str) -> str:
    code, _ = run_admin(settings, admin.issue_enrol_code, username)
    return str(code)


@pytest.fixture
def enrolled_folder(tmp_path: Path, hub: RunningHub,  # noqa: F811 - the fixture above
                    hub_settings: HubSettings) -> Callable[..., Path]:  # noqa: F811
    """``enrolled_folder("asha", young_people=["Amira"])``: a locked store enrolled as asha."""

    def make(username: str, young_people: tuple[str, ...] = ()) -> Path:
        folder = tmp_path / f"{username}-store"
        store = make_store(folder, owner=username)
        for name in young_people:
            add_young_person(store, legal_name=f"{name} Testperson", preferred_name=name)
        enrol(store, hub.url, enrol_code(hub_settings, username), hub.fingerprint)
        store.close()
        return folder

    return make
