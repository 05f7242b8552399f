"""A store's folder and files are readable by their owner only (POSIX): 0700 and 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.store import Store
from tests.factories import PASSPHRASE, add_note, add_young_person, make_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def everyday_umask() -> Iterator[None]:
    """The usual desktop umask (022), which on its own makes files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _everything_in(folder: Path) -> list[Path]:
    return [folder, *folder.rglob("*")]


def test_a_new_store_is_owner_only(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    try:
        yp_id = add_young_person(store)
        add_note(store, yp_id)
        store.blob_store().put_bytes(b"a photo, encrypted on disk")
        folder = store.folder
        names = {p.name for p in folder.iterdir()}
        assert {"key.json", "store.db", "store.db-wal", "store.db-shm", "blobs"} <= names
        blob_files = [p for p in (folder / "blobs").rglob("*") if p.is_file()]
        assert blob_files
        for path in _everything_in(folder):
            want = 0o700 if path.is_dir() else 0o600
            assert _mode(path) == want, f"{path.relative_to(tmp_path)}: {oct(_mode(path))}"
    finally:
        store.close()


def test_a_store_made_readable_by_everyone_is_tightened_when_opened(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    store.close()
    for path in _everything_in(store.folder):
        path.chmod(0o755 if path.is_dir() else 0o644)
    reopened = Store.open(store.folder, PASSPHRASE)
    try:
        for name in ("", "store.db", "blobs"):
            path = store.folder / name
            assert _mode(path) & 0o077 == 0, f"{name or 'the store folder'}: {oct(_mode(path))}"
    finally:
        reopened.close()
