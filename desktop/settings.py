"""The app's own settings, declared once with a type, a default and a label (Electrum's ConfigVar).

Stored with QSettings (the registry on Windows, a plist on macOS, an ini file on Linux); with
``PATHWAY_DESK_HOME`` set (tests, portable installs) they go to an ini file in that folder.
Settings hold no record contents, only preferences. GUI thread only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

from desktop.paths import APP_AUTHOR, APP_NAME, HOME_ENV

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: where it is stored, its type, its default and what a person reads."""

    key: str
    type: type[T]
    default: T
    label: str
    minimum: Any = None
    maximum: Any = None


IDLE_LOCK_MINUTES: Setting[int] = Setting(
    "security/idle_lock_minutes",
    int,
    5,
    "Lock Pathway Desk after this many minutes without use",
    minimum=1,
    maximum=60,
)
LAST_STORE_FOLDER: Setting[str] = Setting(
    "store/last_folder", str, "", "The store folder opened last time"
)
ALL_SETTINGS: tuple[Setting[Any], ...] = (IDLE_LOCK_MINUTES, LAST_STORE_FOLDER)


def default_qsettings() -> QSettings:
    home = os.environ.get(HOME_ENV)
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(APP_AUTHOR, APP_NAME)


class Settings:
    """Typed access: ``settings.get(IDLE_LOCK_MINUTES)`` always returns an ``int``."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings if qsettings is not None else default_qsettings()

    def get(self, setting: Setting[T]) -> T:
        raw = self._q.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            value = setting.type(raw)  # ini files give strings back; coerce to the declared type
        except (TypeError, ValueError):
            return setting.default
        if setting.minimum is not None and value < setting.minimum:
            return setting.minimum
        if setting.maximum is not None and value > setting.maximum:
            return setting.maximum
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        if not isinstance(value, setting.type):
            raise TypeError(f"{setting.key} takes {setting.type.__name__}, not {value!r}")
        self._q.setValue(setting.key, value)
        self._q.sync()
