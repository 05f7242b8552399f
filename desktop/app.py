"""Starting the GUI: ``run_app(store_dir)`` is what ``pathway-desk`` with no command calls.

Sets the application's identity (for QSettings and the window manager), keeps the system font
(never a fixed pixel size), applies the style sheet from the bundled resources, sends uncaught
errors to the crash handler and a log file, then shows the main window on the unlock screen.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.app_fonts import install_app_fonts
from desktop.app_resources import icon, style_sheet
from desktop.crash_dumps import disable_crash_dumps
from desktop.errors import TracebackOnlyFormatter, install_excepthook, log_file
from desktop.main_window import MainWindow
from desktop.paths import APP_AUTHOR, APP_NAME, default_store_dir
from desktop.settings import LAST_STORE_FOLDER, Settings
from desktop.tasks import TaskRunner
from models.store import store_exists


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once (tests and tools may have made it already)."""
    app = QApplication.instance()
    if app is None:
        QApplication.setApplicationName(APP_NAME)
        QApplication.setOrganizationName(APP_AUTHOR)
        QApplication.setApplicationDisplayName(APP_NAME)
        QApplication.setDesktopFileName("pathway-desk")
        app = QApplication(argv if argv is not None else sys.argv)
    app.setWindowIcon(icon("pathway-desk.svg"))
    install_app_fonts(app)  # names in every script show, even with no system fonts for them
    try:
        app.setStyleSheet(style_sheet())
    except OSError:
        logging.getLogger(__name__).warning("The style sheet could not be read; using defaults")
    return app  # type: ignore[return-value]


def _start_logging() -> None:
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(
            TracebackOnlyFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        logging.basicConfig(level=logging.INFO, handlers=[handler])
    except OSError:
        logging.basicConfig(level=logging.WARNING)


def _folder_to_open(store_dir: Path, settings: Settings) -> Path:
    """``store_dir``, unless it is the default with no store and another was used last time."""
    last = settings.get(LAST_STORE_FOLDER)
    default_and_empty = store_dir == default_store_dir() and not store_exists(store_dir)
    if default_and_empty and last and store_exists(Path(last)):
        return Path(last)
    return store_dir


def run_app(store_dir: Path) -> int:
    """Open the app on ``store_dir``; returns the exit status. Blocks until the window closes."""
    disable_crash_dumps()  # also when started other than through the CLI
    _start_logging()
    app = make_application()
    install_excepthook()
    settings = Settings()
    tasks = TaskRunner()
    window = MainWindow(_folder_to_open(Path(store_dir), settings), settings, tasks)
    window.show()
    code = app.exec()
    tasks.wait_for_idle()
    return int(code)
