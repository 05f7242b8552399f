"""Unlocking and creating stores through the unlock screen (the KDF runs on a worker thread)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.unlock.passphrase_strength import MIN_SCORE, strength_of
from desktop.unlock.unlock_view import UnlockView
from models.crypto.keyfile import KdfParams
from models.store import Store, store_exists
from tests.factories import PASSPHRASE, make_store

GOOD_NEW = "lantern harbour quietly violet 42"


@pytest.fixture
def locked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    make_store(folder).close()
    return folder


def make_view(qtbot, folder: Path, tasks) -> UnlockView:
    view = UnlockView(folder, tasks, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    return view


def test_an_existing_store_opens_on_the_unlock_page(qtbot, locked_folder, tasks):
    view = make_view(qtbot, locked_folder, tasks)
    assert view.pages.currentIndex() == 0
    assert str(locked_folder) in view.open_folder_label.text()
    assert view.passphrase_edit.accessibleName() == "Passphrase"


def test_wrong_passphrase_says_so_and_keeps_focus(qtbot, locked_folder, tasks):
    view = make_view(qtbot, locked_folder, tasks)
    view.passphrase_edit.setText("not the passphrase at all")
    with qtbot.assertNotEmitted(view.unlocked):
        view.unlock_button.click()
        assert view.open_busy.isVisible()  # busy while Argon2id runs
        qtbot.waitUntil(lambda: view.open_error.isVisible())
    assert "passphrase is not right" in view.open_error.text()
    assert "Caps Lock" in view.open_error.text()
    assert not view.open_busy.isVisible()
    assert view.passphrase_edit.isEnabled()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.passphrase_edit)
    assert view.passphrase_edit.selectedText() == "not the passphrase at all"  # easy to retype
    view.passphrase_edit.textEdited.emit("x")
    assert not view.open_error.isVisible()


def test_empty_passphrase_is_refused_without_trying(qtbot, locked_folder, tasks):
    view = make_view(qtbot, locked_folder, tasks)
    view.unlock_button.click()
    assert view.open_error.isVisible()
    assert not view.open_busy.isVisible()


def test_unlock_success_hands_over_the_open_store(qtbot, locked_folder, tasks):
    view = make_view(qtbot, locked_folder, tasks)
    view.passphrase_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(view.unlocked, timeout=10_000) as blocker:
        view.unlock_button.click()
    store = blocker.args[0]
    assert isinstance(store, Store)
    assert store.is_open
    assert view.passphrase_edit.text() == ""  # nothing left in the field
    store.close()


def test_a_missing_store_opens_on_the_create_page(qtbot, tmp_path, tasks):
    view = make_view(qtbot, tmp_path / "new", tasks)
    assert view.pages.currentIndex() == 1
    assert view.folder_edit.text() == str(tmp_path / "new")


def fill_create(view: UnlockView, name: str, passphrase: str, again: str | None = None) -> None:
    view.name_edit.setText(name)
    view.new_passphrase_edit.setText(passphrase)
    view.repeat_edit.setText(passphrase if again is None else again)


def test_create_with_a_weak_passphrase_is_refused(qtbot, tmp_path, tasks):
    folder = tmp_path / "new"
    view = make_view(qtbot, folder, tasks)
    fill_create(view, "Alex Adviser", "password123")
    assert view.strength_bar.format() == "Very weak"
    assert view.strength_advice.text()  # zxcvbn's advice is shown as it is typed
    with qtbot.assertNotEmitted(view.unlocked):
        view.create_button.click()
    assert "too easy to guess" in view.create_error.text()
    assert not store_exists(folder)


def test_create_with_a_short_passphrase_uses_the_store_rule(qtbot, tmp_path, tasks):
    view = make_view(qtbot, tmp_path / "new", tasks)
    fill_create(view, "Alex Adviser", "Xq9!")
    view.create_button.click()
    assert "at least 10 characters" in view.create_error.text()


def test_create_needs_the_same_passphrase_twice_and_a_name(qtbot, tmp_path, tasks):
    view = make_view(qtbot, tmp_path / "new", tasks)
    fill_create(view, "", GOOD_NEW)
    view.create_button.click()
    assert "Type your name" in view.create_error.text()
    fill_create(view, "Alex Adviser", GOOD_NEW, again=GOOD_NEW + "x")
    view.create_button.click()
    assert "different" in view.create_error.text()


def test_create_refuses_a_folder_that_is_not_empty(qtbot, tmp_path, tasks):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "something.txt").write_text("x")
    view = make_view(qtbot, folder, tasks)
    fill_create(view, "Alex Adviser", GOOD_NEW)
    view.create_button.click()
    assert "not empty" in view.create_error.text()


def test_create_success(qtbot, tmp_path, tasks):
    folder = tmp_path / "new"
    view = make_view(qtbot, folder, tasks)
    fill_create(view, "Alex Adviser", GOOD_NEW)
    assert view.strength_bar.property("strength") == "good"
    with qtbot.waitSignal(view.unlocked, timeout=10_000) as blocker:
        view.create_button.click()
    store = blocker.args[0]
    assert store_exists(folder)
    assert store.owner_name == "Alex Adviser"
    store.close()
    Store.open(folder, GOOD_NEW).close()  # the passphrase typed is the one that opens it


def test_strength_scores():
    assert not strength_of("password123").good_enough
    assert strength_of(GOOD_NEW).score >= MIN_SCORE
    assert strength_of("").words == "Empty"
    assert strength_of("x" * 200).score >= 0  # longer than zxcvbn takes: no error


def test_locked_mode_hides_store_switching(qtbot, locked_folder, tasks):
    view = make_view(qtbot, locked_folder, tasks)
    view.set_locked(True)
    assert "locked" in view.open_heading.text()
    assert not view.other_store_button.isVisible()
    assert not view.to_create_button.isVisible()
