"""A guard against a PySide6 bug that would crash the app after some thousands of Qt calls.

PySide6 6.12.0 on Python 3.11 returns ``None`` (and ``True``/``False`` from signal emits)
without taking a reference: every call of a void Qt method (``setText``, ``processEvents``...)
drops one reference to ``None``. Python 3.12+ does not care (``None`` is immortal there), but on
3.11 the count reaches zero and the interpreter aborts with "deallocating None". 6.11.3 is fine.

The real fix is pinning PySide6 below 6.12 on Python 3.11. Until then, :func:`install` checks
whether this PySide6 has the bug and, if so, keeps a reserve of references to the three objects
topped up from a timer (8 bytes per leaked reference: a day of heavy use costs a few MB).
Remove this module once the pin is in place. GUI thread only.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)
LOW_WATER = 200_000  # top up when fewer references than this are left
TOP_UP = 1_000_000
CHECK_MS = 1000
_SINGLETONS = (None, True, False)
_reserve: list[list[object]] = []
_affected: bool | None = None
_timer: QTimer | None = None


def pyside_leaks_none() -> bool:
    """True when void Qt calls drop references to ``None`` (measured, not guessed)."""
    global _affected
    if _affected is None:
        if sys.version_info >= (3, 12):
            _affected = False  # None, True and False are immortal
        else:
            probe = QObject()
            before = sys.getrefcount(None)
            for _ in range(100):
                probe.setObjectName("probe")
            _affected = sys.getrefcount(None) < before - 50
            if _affected:
                log.warning("This PySide6 leaks references to None; the refcount guard is on")
    return _affected


def top_up() -> None:
    """Give ``None``, ``True`` and ``False`` enough references to outlast the leak for a while."""
    if not pyside_leaks_none():
        return
    for obj in _SINGLETONS:
        if sys.getrefcount(obj) < LOW_WATER:
            chunk = [obj] * TOP_UP
            # Never freed, not even at exit: freeing it would hand back references the leak
            # has already spent, and the interpreter would abort on its way out.
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(chunk))
            _reserve.append(chunk)


def install(parent: QObject) -> QTimer | None:
    """Top up now and every second from now on (``parent`` owns the timer). Idempotent."""
    global _timer
    if not pyside_leaks_none():
        return None
    top_up()
    if _timer is None:
        _timer = QTimer(parent)
        _timer.setInterval(CHECK_MS)
        _timer.timeout.connect(top_up)
        _timer.start()
    return _timer
