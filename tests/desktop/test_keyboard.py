"""Keys do what the place they are pressed in says: Ctrl+N in the Notes tab starts a note, Esc
while writing stays in the record, the wheel scrolls a form instead of changing its fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QVBoxLayout, QWidget

from desktop.notes.notes_panel import NotesPanel
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from desktop.workspace.workspace_view import PANELS


def _open_notes(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder, panels=PANELS)
    window.open_young_person(window.caseload_view.model.rows()[0].id)
    workspace = window.workspace
    qtbot.waitUntil(lambda: workspace.show_tab("notes"), timeout=10_000)
    qtbot.waitUntil(lambda: isinstance(workspace.panels.get("notes"), NotesPanel), timeout=10_000)
    panel: NotesPanel = workspace.panels["notes"]
    qtbot.waitUntil(lambda: panel.detail_browser.toPlainText() != "", timeout=10_000)
    return window, panel


def test_ctrl_n_in_the_notes_tab_starts_a_note_and_esc_while_typing_stays(
    qtbot, make_window, caseload_folder
) -> None:
    window, panel = _open_notes(qtbot, make_window, caseload_folder)
    panel.timeline.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.timeline)
    qtbot.keyClick(panel.timeline, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert panel.right.currentWidget() is panel.editor
    assert window.profile_dialog is None  # not "New young person"

    panel.editor.narrative_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.editor.narrative_edit)
    qtbot.keyClicks(panel.editor.narrative_edit, "Met at the library")
    qtbot.keyClick(panel.editor.narrative_edit, Qt.Key.Key_Escape)
    assert window.workspace is not None  # still in the record, the text still there
    assert panel.editor.narrative_edit.toPlainText() == "Met at the library"


def test_the_wheel_over_an_unfocused_drop_down_scrolls_the_form(qtbot) -> None:
    area = QScrollArea()
    qtbot.addWidget(area)
    form = QWidget()
    layout = QVBoxLayout(form)
    combo = QComboBox()
    combo.addItems(["One", "Two", "Three"])
    date_edit = OptionalDateEdit("Date")
    layout.addWidget(combo)
    layout.addWidget(date_edit)
    layout.addSpacing(2000)
    area.setWidget(form)
    area.resize(300, 200)
    guard_wheel(form)
    area.show()
    qtbot.waitExposed(area)
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus

    def turn(widget: QWidget) -> None:
        event = QWheelEvent(
            QPointF(5, 5), QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(), QPoint(0, -120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)

    turn(combo)
    assert combo.currentIndex() == 0
    assert area.verticalScrollBar().value() > 0  # the form scrolled instead
    date_edit.set_value(date(2026, 11, 20))
    turn(date_edit)
    assert date_edit.value() == date(2026, 11, 20)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    turn(combo)
    assert combo.currentIndex() == 1  # clicked into: the wheel is the adviser's to use
