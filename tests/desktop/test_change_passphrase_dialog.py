"""Changing the passphrase from the app: the current one is checked, the new one must be strong,
and afterwards only the new one unlocks the store."""

from __future__ import annotations

import pytest

from desktop.operations import ChangeAnnouncer, Operations
from desktop.settings_ui.change_passphrase_dialog import ChangePassphraseDialog
from models.errors import WrongPassphrase
from models.repo.audit import recent_events
from models.store import Store
from tests.factories import PASSPHRASE, make_store

NEW = "harbour violin tangerine sledge"


def _dialog(qtbot, store, tasks) -> ChangePassphraseDialog:
    dialog = ChangePassphraseDialog(Operations(store, tasks, ChangeAnnouncer()))
    qtbot.addWidget(dialog)
    return dialog


def test_a_weak_or_mismatched_new_passphrase_cannot_be_chosen(qtbot, tmp_path, tasks):
    with make_store(tmp_path / "store") as store:
        dialog = _dialog(qtbot, store, tasks)
        dialog.new_edit.setText("password1")
        dialog.again_edit.setText("password1")
        assert not dialog.change_button.isEnabled()
        assert dialog.problem.text()
        dialog.new_edit.setText(NEW)
        dialog.again_edit.setText(NEW + "x")
        assert not dialog.change_button.isEnabled()
        assert "differ" in dialog.problem.text()
        dialog.again_edit.setText(NEW)
        assert dialog.change_button.isEnabled()


def test_a_wrong_current_passphrase_changes_nothing(qtbot, tmp_path, tasks):
    folder = tmp_path / "store"
    with make_store(folder) as store:
        dialog = _dialog(qtbot, store, tasks)
        dialog.current_edit.setText("not the passphrase")
        dialog.new_edit.setText(NEW)
        dialog.again_edit.setText(NEW)
        dialog.on_buttons_accepted()
        qtbot.waitUntil(
            lambda: "not the current passphrase" in dialog.problem.text(), timeout=15000
        )
        assert dialog.isEnabled() and not dialog.result()
    Store.open(folder, PASSPHRASE).close()  # the old passphrase still works


def test_changing_the_passphrase(qtbot, tmp_path, tasks):
    folder = tmp_path / "store"
    with make_store(folder) as store:
        dialog = _dialog(qtbot, store, tasks)
        dialog.current_edit.setText(PASSPHRASE)
        dialog.new_edit.setText(NEW)
        dialog.again_edit.setText(NEW)
        with qtbot.waitSignal(dialog.accepted, timeout=15000):
            dialog.on_buttons_accepted()
        with store.reader() as s:
            assert "passphrase changed" in [e.action for e in recent_events(s)]
    with pytest.raises(WrongPassphrase):
        Store.open(folder, PASSPHRASE)
    Store.open(folder, NEW).close()
