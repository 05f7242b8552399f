"""One window per store: an OS advisory lock held while a window has the store open.

DESIGN says a store folder holds the database, the key file and the blobs and nothing else, so no
lock file is made. The lock is taken on something already there:

* POSIX (Linux, macOS): ``flock`` on the store *folder*. ``flock`` locks belong to the open file
  description and never touch SQLite's own ``fcntl`` locks on ``store.db`` (closing a second
  descriptor of ``store.db`` would silently drop those, which is why the database file itself is
  not used here).
* Windows: ``msvcrt.locking`` on one byte of ``store.db`` far past SQLite's own lock bytes (which
  sit at 1 GiB), so reading and writing the database are not affected.

The lock is advisory and only windows take it: the CLI and a background sync may read and write
alongside, and SQLite serialises their writes. The OS drops the lock if the process dies, so a
crashed window never leaves the store "open elsewhere".
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from models.errors import StoreInUse

_WINDOWS_LOCK_OFFSET = 0x7FFF_0000  # past SQLite's lock bytes at 0x4000_0000..0x4000_01FF


class FolderLock:
    """A held lock on a store folder; :meth:`release` (or the OS, at exit) frees it."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, folder: Path, db_file: Path) -> FolderLock:
        """Lock ``folder`` for this window, or raise :class:`StoreInUse` at once (no waiting)."""
        if os.name == "nt":
            fd = os.open(db_file, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                import msvcrt

                os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError:
                os.close(fd)
                raise StoreInUse(folder) from None
            return cls(fd)
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StoreInUse(folder) from None
        return cls(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            if os.name == "nt":
                import msvcrt

                os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            os.close(fd)
