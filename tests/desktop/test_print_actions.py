"""Printing from the main window: Ctrl+P in a young person's record, batch print from anywhere,
and a lock closes an open print dialog before the store is closed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.print_ui.batch_print_dialog import BatchPrintDialog
from desktop.print_ui.print_preview_dialog import PrintPreviewDialog


def _open_dialogs(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_print_is_offered_only_in_a_record_and_opens_the_preview(
    qtbot, make_window, caseload_folder
):
    window = make_window(caseload_folder)
    assert not window.actions.print.isEnabled()
    assert window.actions.batch_print.isEnabled()
    view = window.caseload_view
    view.focus_filter()
    qtbot.keyClicks(view.filter_edit, "tesf")
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert window.workspace is not None
    assert window.actions.print.isEnabled()

    window.actions.print.trigger()
    qtbot.waitUntil(lambda: len(_open_dialogs(PrintPreviewDialog)) == 1)
    window.lock()  # e.g. the idle lock while the preview is open
    qtbot.waitUntil(lambda: not _open_dialogs(PrintPreviewDialog))
    assert window.is_locked
    assert not window.actions.batch_print.isEnabled()


def test_batch_print_opens_from_the_caseload(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: len(_open_dialogs(BatchPrintDialog)) == 1)
    _open_dialogs(BatchPrintDialog)[0].reject()
