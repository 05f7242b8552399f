"""No crash dumps: a dump of this process would hold decrypted records and keys in plaintext.

:func:`disable_crash_dumps` is called first thing by the GUI and the CLI. Each platform's part is
best effort (a failure is logged, never fatal) and small:

* Linux: ``RLIMIT_CORE`` 0 (no core file) and ``prctl(PR_SET_DUMPABLE, 0)``, which also stops
  systemd-coredump/apport (they ignore RLIMIT_CORE when core_pattern is a pipe) and ptrace
  attaches by other processes of the same user.
* macOS and other POSIX: ``RLIMIT_CORE`` 0.
* Windows: no Windows Error Reporting dialog or dump for this app (``SetErrorMode``,
  ``WerAddExcludedApplication`` for the current user, and ``WerSetFlags(NOHEAP)`` so that a
  report made anyway leaves the heap, where records live, out).
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
_SEM_FAILCRITICALERRORS = 0x0001
_SEM_NOGPFAULTERRORBOX = 0x0002
_WER_FAULT_REPORTING_FLAG_NOHEAP = 0x0001


def disable_crash_dumps() -> None:
    """Make this process leave no core file or crash dump. Safe to call more than once."""
    try:
        if os.name == "nt":
            _windows()
        else:
            _posix()
    except Exception:  # noqa: BLE001 - hardening must never stop the app from starting
        log.warning("Could not turn off crash dumps on this system", exc_info=True)


def _posix() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def is_dumpable() -> bool:
    """Linux only: whether this process may still dump core (for tests and diagnostics)."""
    import ctypes

    return bool(ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))


def _windows() -> None:  # pragma: no cover - CI runs on Linux
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    kernel32.SetErrorMode(_SEM_FAILCRITICALERRORS | _SEM_NOGPFAULTERRORBOX)
    try:
        wer = ctypes.WinDLL("wer")  # type: ignore[attr-defined]
        wer.WerAddExcludedApplication(ctypes.c_wchar_p(sys.executable), False)
    except OSError:
        pass  # WER missing or locked down by policy: SetErrorMode and the flags still apply
    kernel32.WerSetFlags(_WER_FAULT_REPORTING_FLAG_NOHEAP)
