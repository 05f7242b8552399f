"""The store folder on disk: made whole or not at all, and checked before it is opened.

A new store is built in a hidden sibling folder (``.NAME.creating-<hex>``) and renamed into place
once its key file is written, so a folder either is a complete store or is not one: a crash or
``kill -9`` while creating leaves only the hidden sibling, which the next creation beside it
removes (unless another process is still building it: the builder holds an advisory lock).

Opening checks the folder first, so that nothing is ever created or rewritten by opening: a
database with no key file is explained (:class:`StoreHalfMade`), a missing or empty ``store.db``
is :class:`DatabaseDamaged`, and the engine is opened in SQLite's ``mode=rw`` (never creating).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from models.crypto.keyfile import KEY_FILE_NAME
from models.db import DB_FILE_NAME
from models.errors import DatabaseDamaged, StoreAlreadyExists, StoreHalfMade, StoreNotFound
from models.folder_lock import FolderLock

_BUILDING = re.compile(r"^\.(?P<name>.+)\.creating-[0-9a-f]{12}$")


def check_openable(folder: Path) -> None:
    """Raise the error that says why ``folder`` cannot be opened as a store, if it cannot."""
    key = folder / KEY_FILE_NAME
    db = folder / DB_FILE_NAME
    if not key.is_file():
        if db.exists():
            raise StoreHalfMade(folder)
        raise StoreNotFound(folder)
    try:
        size = db.stat().st_size
    except FileNotFoundError:
        raise DatabaseDamaged("store.db is missing") from None
    except OSError as exc:
        raise DatabaseDamaged(f"store.db cannot be read: {exc.strerror or exc}") from None
    if not db.is_file():
        raise DatabaseDamaged("store.db is not a file")
    if size == 0:
        raise DatabaseDamaged("store.db is empty")


def check_creatable(folder: Path) -> None:
    """Raise unless ``folder`` is absent or an empty folder."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise StoreAlreadyExists(folder)
    names = {p.name for p in folder.iterdir()}
    if not names:
        return
    if KEY_FILE_NAME not in names and DB_FILE_NAME in names:
        raise StoreHalfMade(folder)
    raise StoreAlreadyExists(folder)


@contextlib.contextmanager
def building(folder: Path) -> Iterator[Path]:
    """Yield a hidden sibling folder to build a store in; renamed to ``folder`` on success,
    removed on failure. Leftovers of earlier builds beside it are removed first."""
    folder = folder.absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    remove_leftover_builds(folder.parent)
    temp = folder.with_name(f".{folder.name}.creating-{secrets.token_hex(6)}")
    temp.mkdir()
    lock = _lock_quietly(temp)
    try:
        yield temp
        check_creatable(folder)  # someone may have made it meanwhile
        if folder.exists():
            folder.rmdir()  # empty (checked): Windows cannot rename onto a folder
        os.replace(temp, folder)
        _fsync_dir(folder.parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            lock.release()


def remove_leftover_builds(parent: Path) -> list[Path]:
    """Remove half-built stores (``.NAME.creating-*``) that no process is still building."""
    removed: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not _BUILDING.match(entry.name) or not entry.is_dir():
            continue
        lock = _lock_quietly(entry)
        if lock is None and os.name != "nt":
            continue  # still being built by another process
        try:
            shutil.rmtree(entry)
            removed.append(entry)
        except OSError:
            pass  # in use (Windows): try again next time
        finally:
            if lock is not None:
                lock.release()
    return removed


def _lock_quietly(folder: Path) -> FolderLock | None:
    if os.name == "nt":
        return None
    try:
        return FolderLock.acquire(folder, folder / DB_FILE_NAME)
    except Exception:  # noqa: BLE001 - StoreInUse or an OS error: treat as "in use"
        return None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def wipe_store(folder: Path) -> None:
    """Destroy the store in ``folder`` for good (a revoked laptop): the key file is overwritten
    with random bytes and flushed to disk first — without it the database cannot be decrypted,
    whatever a disk might keep — then every file of the store is removed. The (closed) store's
    folder is left empty."""
    folder = Path(folder)
    key = folder / KEY_FILE_NAME
    if key.is_file():
        size = max(key.stat().st_size, 4096)
        with open(key, "r+b") as f:
            f.write(secrets.token_bytes(size))
            f.flush()
            os.fsync(f.fileno())
        key.unlink()
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
