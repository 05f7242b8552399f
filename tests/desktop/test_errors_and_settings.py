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


def test_the_log_file_gets_no_exception_messages(tmp_path):
    """An exception message may quote record text; the plaintext log keeps types and code only."""
    import logging

    from desktop.errors import TracebackOnlyFormatter

    path = tmp_path / "app.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(TracebackOnlyFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("test.safe.log")
    logger.addHandler(handler)
    record_text = "Amira" + " Haddad disclosed something private"  # not in the source line
    try:
        try:
            raise ValueError(record_text)
        except ValueError:
            logger.exception("Could not save a draft")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "Could not save a draft" in text and "ValueError" in text
    assert "Amira" not in text


def test_database_errors_do_not_carry_record_text(tmp_path):
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from tests.factories import make_store

    with make_store(tmp_path / "store") as store:
        try:
            with store.engine.begin() as conn:
                conn.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": "Amira Haddad"})
        except SQLAlchemyError as exc:
            assert "Amira" not in str(exc)
        else:
            raise AssertionError("the insert should have failed")
