"""Shared fixtures: every test gets its own fresh store under ``tmp_path``, never a shared one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.store import Store
from tests.factories import PASSPHRASE, make_store


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
