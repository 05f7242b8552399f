"""The one place that turns an error into what the user sees and can do. GUI thread only.

* A :class:`~models.errors.PathwayDeskError` carries a complete, user-safe sentence: it is shown
  as it is, in a message box.
* Anything else is a bug: its traceback goes to the log file (code locations only, never the
  exception's message or local values, which could hold record text), the registered crash
  hooks flush every draft, and a crash dialog says that the work is kept.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.crash_log import where as _where
from desktop.paths import log_dir
from models.errors import PathwayDeskError

log = logging.getLogger(__name__)
LOG_FILE_NAME = "pathway-desk.log"
APP_TITLE = "Pathway Desk"

_crash_hooks: list[Callable[[], None]] = []
_crash_box: QMessageBox | None = None  # one crash dialog at a time, even if a paint loop raises


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def write_crash_log(exc: BaseException) -> Path:
    """Append the traceback of ``exc`` to the log file; returns the file's path.

    Only the exception's type and the code locations are written: the message of an unexpected
    error may quote record text, and the log file is not encrypted.
    """
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("Unexpected error\n" + _where(exc) + "\n")
    except OSError:
        log.error("Could not write the crash log to %s", path)
    return path


class TracebackOnlyFormatter(logging.Formatter):
    """Log lines as written, but exceptions as types and code locations only.

    ``log.exception(...)`` anywhere would otherwise write the exception's message to the
    (unencrypted) log file, and a message may quote record text.
    """

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return _where(ei[1]) if ei and ei[1] is not None else ""


def add_crash_hook(hook: Callable[[], None]) -> None:
    """``hook()`` runs after an unexpected error, before the dialog (the main window flushes
    every draft here)."""
    _crash_hooks.append(hook)


def remove_crash_hook(hook: Callable[[], None]) -> None:
    if hook in _crash_hooks:
        _crash_hooks.remove(hook)


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show ``exc`` to the user (non-blocking: the box is window-modal and deletes itself)."""
    if isinstance(exc, PathwayDeskError):
        box = _box(parent, QMessageBox.Icon.Warning, str(exc), "")
    else:
        global _crash_box
        path = write_crash_log(exc)
        _run_crash_hooks()
        if _crash_box_open():
            return _crash_box  # type: ignore[return-value]
        box = _crash_box = _box(
            parent,
            QMessageBox.Icon.Critical,
            "Something went wrong in Pathway Desk.",
            "Your work is safe: everything you typed is kept as a draft in the encrypted store "
            "and will be offered back when you open it again.\n\n"
            f"Details for IT support were written to {path} (they hold no record contents).",
        )
        box.finished.connect(_forget_crash_box)
    box.open()
    return box


def _crash_box_open() -> bool:
    try:
        return _crash_box is not None and _crash_box.isVisible()
    except RuntimeError:  # already deleted by Qt
        return False


def _forget_crash_box(_result: int = 0) -> None:
    global _crash_box
    _crash_box = None


def _box(parent: QWidget | None, icon: QMessageBox.Icon, text: str, detail: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(APP_TITLE)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setAccessibleName("Error message")
    box.setAccessibleDescription(text)
    return box


def _run_crash_hooks() -> None:
    for hook in list(_crash_hooks):
        try:
            hook()
        except Exception as exc:  # noqa: BLE001 - one failing hook must not stop the others
            log.error("A crash hook failed:\n%s", _where(exc))  # types and code only


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    app = QApplication.instance()
    if app is None:
        write_crash_log(exc)
        _run_crash_hooks()
        return
    show_error(QApplication.activeWindow(), exc)


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to :func:`show_error`."""
    sys.excepthook = _excepthook
