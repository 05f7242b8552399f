"""Shared fixtures: every test gets its own fresh store under ``tmp_path``, never a shared one,
and nothing a test runs (the app, the CLI in a subprocess, a crash log) writes into the real
user folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.paths import HOME_ENV
from models.store import Store
from tests.factories import PASSPHRASE, make_store

# platformdirs follows these on Linux (CI); on Windows and macOS the app's own override
# (PATHWAY_DESK_HOME) is what keeps its logs and stores out of the user's folders.
_USER_FOLDER_VARIABLES = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")


@pytest.fixture(scope="session", autouse=True)
def user_folders_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """For the whole session, point the app's user-data and log folders (and the XDG folders
    platformdirs uses) at a temporary folder; subprocesses inherit it. Tests that need their
    own (tests/desktop) override it per test."""
    home = tmp_path_factory.mktemp("user-folders")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(HOME_ENV, str(home / "pathway-desk"))
        for name in _USER_FOLDER_VARIABLES:
            mp.setenv(name, str(home / name.lower()))
        yield home


@pytest.fixture
def store_folder(tmp_path: Path) -> Path:
    """Where the test's store lives (not created yet)."""
    return tmp_path / "store"


@pytest.fixture
def store(store_folder: Path) -> Iterator[Store]:
    """A new, unlocked store with cheap KDF parameters; closed after the test."""
    s = make_store(store_folder)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def reopen() -> Iterator[Callable[[Store], Store]]:
    """``reopen(store)`` locks ``store`` and unlocks its folder again, as an adviser would the
    next morning. Every store it opens is closed after the test."""
    opened: list[Store] = []

    def _reopen(old: Store, passphrase: str = PASSPHRASE) -> Store:
        old.close()
        new = Store.open(old.folder, passphrase)
        opened.append(new)
        return new

    yield _reopen
    for s in opened:
        s.close()
