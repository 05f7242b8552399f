"""The one error-to-user mapping, the crash log (no record text in it), and typed settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from desktop import errors
from desktop.settings import IDLE_LOCK_MINUTES, LAST_STORE_FOLDER, Settings
from models.errors import WrongPassphrase


def test_a_known_error_shows_its_own_sentence(qtbot):
    box = errors.show_error(None, WrongPassphrase())
    qtbot.addWidget(box)
    assert box.text() == str(WrongPassphrase())
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_an_unexpected_error_is_logged_without_its_message_and_drafts_flushed(qtbot):
    flushed = []
    errors.add_crash_hook(lambda: flushed.append(True))
    try:
        told = " ".join(["Amira", "told", "me", "about", "her", "brother"])
        raise ValueError(told)  # record text in a message
    except ValueError as exc:
        box = errors.show_error(None, exc)
    finally:
        errors._crash_hooks.clear()
    qtbot.addWidget(box)
    assert flushed == [True]
    assert "kept as a draft" in box.informativeText()
    log = errors.log_file().read_text(encoding="utf-8")
    assert "ValueError" in log and "test_errors_and_settings.py" in log
    assert "NoneType" not in log
    assert "Amira" not in log
    box.close()


def test_settings_are_typed_with_defaults(tmp_path):
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(qs)
    assert settings.get(IDLE_LOCK_MINUTES) == 5
    assert settings.get(LAST_STORE_FOLDER) == ""
    settings.set(IDLE_LOCK_MINUTES, 12)
    again = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.get(IDLE_LOCK_MINUTES) == 12  # an int again, not the ini file's string
    with pytest.raises(TypeError):
        settings.set(IDLE_LOCK_MINUTES, "ten")  # type: ignore[arg-type]
    qs.setValue(IDLE_LOCK_MINUTES.key, "999")
    assert settings.get(IDLE_LOCK_MINUTES) == IDLE_LOCK_MINUTES.maximum
    assert IDLE_LOCK_MINUTES.label


def test_this_pyside_does_not_leak_references_to_none(qapp):
    """PySide6 6.12.0 dropped a reference to None on every void Qt call, which aborts Python 3.11
    after a few thousand calls ("deallocating None"); pyproject.toml pins it out. This catches a
    PySide6 that brings the bug back."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) > before - 1000
