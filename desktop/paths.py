"""Where Pathway Desk keeps things on this computer (platformdirs; overridable for tests)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_documents_path, user_log_path

APP_NAME = "Pathway Desk"
APP_AUTHOR = "PathwayDesk"
HOME_ENV = "PATHWAY_DESK_HOME"  # tests and portable installs point everything at one folder


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def default_store_dir() -> Path:
    home = _home()
    return (home or user_data_path(APP_NAME, APP_AUTHOR)) / "store"


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else user_log_path(APP_NAME, APP_AUTHOR)


def documents_dir() -> Path:
    """Where Save as PDF starts: the user's Documents folder."""
    home = _home()
    return home / "Documents" if home else user_documents_path()
