"""Locking: Ctrl+L or idle time closes the store and clears the views; unlocking returns to the
same young person and tab with the unsaved edits back."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from desktop.caseload.profile_dialog import ProfileDialog
from desktop.lock import IdleLock
from desktop.settings import IDLE_LOCK_MINUTES
from tests.desktop.conftest import unlock


def open_first(qtbot, window) -> str:
    yp_id = window.caseload_view.model.rows()[0].id
    window.open_young_person(yp_id)
    assert window.workspace is not None
    qtbot.waitSignal(window.workspace.header_loaded, timeout=10_000).wait()
    return yp_id


def test_ctrl_l_locks_closes_the_store_and_clears_the_views(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    open_first(qtbot, window)
    store = window.store
    workspace = window.workspace
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked
    assert not store.is_open  # keys dropped with the engine
    assert window.store is None
    assert window.workspace is None
    assert window.stack.indexOf(workspace) == -1
    assert window.caseload_view.model.rowCount() == 0
    assert window.stack.currentWidget() is window.unlock_view
    assert "locked" in window.unlock_view.open_heading.text()
    assert not window.toolbar.isVisible()
    assert not window.new_action.isEnabled()


def test_unlock_returns_to_the_same_young_person_tab_and_draft(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    yp_id = open_first(qtbot, window)
    window.workspace.show_tab("notes")
    stub = window.workspace.panels["notes"]
    stub.editor.setPlainText("Met at the visits hall; he asked about college")
    stub.editor.moveCursor(stub.editor.textCursor().MoveOperation.End)
    window.lock_action.trigger()  # no wait for the draft timer: the lock flushes it
    assert window.is_locked

    unlock(qtbot, window)
    assert window.workspace is not None
    assert window.workspace.young_person_id == yp_id
    qtbot.waitUntil(lambda: window.workspace.current_key() == "notes")  # after the first read
    stub = window.workspace.panels["notes"]
    qtbot.waitUntil(lambda: stub.restored is not None)
    assert stub.editor.toPlainText() == "Met at the visits hall; he asked about college"
    assert stub.restored == {"cursor": len("Met at the visits hall; he asked about college")}


def test_lock_on_the_caseload_returns_to_the_caseload(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    window.lock()
    assert "Locked" in window.statusBar().currentMessage()
    unlock(qtbot, window)
    assert window.stack.currentWidget() is window.caseload_view
    assert window.caseload_view.model.rowCount() == 3
    assert window.statusBar().currentMessage() == ""  # "Locked…" no longer shown


def test_an_open_profile_dialog_is_closed_and_comes_back_with_its_draft(
    qtbot, make_window, caseload_folder
):
    window = make_window(caseload_folder)
    yp_id = open_first(qtbot, window)
    window.edit_action.trigger()
    dialog = window.profile_dialog
    assert isinstance(dialog, ProfileDialog)
    dialog.form.edits["pronouns"].setText("they/them")
    dialog.form.edits["pronouns"].textEdited.emit("they/them")
    window.lock()
    assert not dialog.isVisible()

    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.profile_dialog is not None)  # after a read off-thread
    again = window.profile_dialog
    qtbot.waitUntil(lambda: again.form.edits["pronouns"].text() == "they/them")
    assert isinstance(again, ProfileDialog) and again is not dialog
    assert again.young_person_id == yp_id
    assert again.form.edits["pronouns"].text() == "they/them"
    assert again.restored_label.isVisible()
    again.close_keeping_draft()


def test_idle_time_locks_the_window(qtbot, make_window, caseload_folder, settings):
    assert settings.get(IDLE_LOCK_MINUTES) == 5  # the default
    window = make_window(caseload_folder)
    assert window.idle_lock.timeout_ms == 5 * 60_000
    window.idle_lock.set_timeout_ms(50)
    qtbot.waitUntil(lambda: window.is_locked, timeout=5000)
    assert window.caseload_view.model.rowCount() == 0


def test_idle_lock_fires_after_quiet_and_input_postpones_it(qtbot):
    lock = IdleLock(150)
    lock.start()
    lock._last_input -= 10  # as if nobody had touched anything for ten seconds
    assert lock.idle_ms() >= 10_000
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QApplication.sendEvent(QApplication.instance(), press)
    assert lock.idle_ms() < 50  # the key press counted as activity
    with qtbot.waitSignal(lock.went_idle, timeout=2000):
        pass
    assert not lock.active
    lock.stop()
