"""Issue 3's "Done when": a whole custody visit, offline, through the real main window and every
real panel, keyboard first: unlock, find the young person, open them, read the custody details
and the plan, update an action, write the visit note, add a memory written by the young person,
lock and unlock. What was saved is then read back from the store, not from the widgets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QWidget

from desktop.custody.custody_panel import CustodyPanel
from desktop.main_window import MainWindow
from desktop.memory_box.add_memory_dialog import AddMemoryDialog
from desktop.memory_box.memory_box_panel import MemoryBoxPanel
from desktop.notes.notes_panel import NotesPanel
from desktop.plan.actions_model import ActionColumn
from desktop.plan.matter_page import MatterPage
from desktop.plan.plan_panel import PlanPanel
from desktop.workspace.workspace_view import PANELS
from models.domain import ActionStatus, AddedBy, Matter, MemoryKind, NoteKind
from models.repo import files, notes, plans
from models.repo.audit import recent_events
from tests.factories import PASSPHRASE, add_note, add_young_person, fill_plan, make_store

ACCOMMODATION = Matter.ACCOMMODATION.value
RELEASE_IN_DAYS = 40
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def visit_folder(tmp_path: Path) -> tuple[Path, str]:
    """A locked store with several young people; Tesfay is in custody and has a full plan."""
    folder = tmp_path / "store"
    store = make_store(folder)
    add_young_person(store, legal_name="Amira Haddad", preferred_name="Amira")
    add_young_person(store, legal_name="Tesfaye Alemu", preferred_name="Teddy")  # a near miss
    add_young_person(store, legal_name="Lan Nguyễn", preferred_name="Lan")
    yp_id = add_young_person(
        store,
        legal_name="Tesfay Gebremariam",
        preferred_name="Tesfay",
        in_custody=True,
        prison="HMYOI Example",
        prison_number="A1234BC",
        release_date=date.today() + timedelta(days=RELEASE_IN_DAYS),
    )
    fill_plan(store, yp_id)
    add_note(store, yp_id, kind=NoteKind.PHONE.value, summary="Call before the visit")
    store.close()
    return folder, yp_id


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def unlock_by_keyboard(qtbot, window: MainWindow) -> None:
    edit = window.unlock_view.passphrase_edit
    qtbot.waitUntil(edit.isVisible)
    qtbot.keyClicks(edit, PASSPHRASE)
    with qtbot.waitSignal(window.caseload_loaded, timeout=10_000):  # KDF and caseload off-thread
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not window.is_locked


def switch_tab(qtbot, window: MainWindow, number: int, key: str) -> QWidget:
    """Ctrl+<number> from wherever the focus is in the workspace; returns the panel shown."""
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: not workspace._header_pending)  # the tabs follow the first read
    if not workspace.isAncestorOf(QApplication.focusWidget()):
        workspace.tabs.setFocus()
    qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0 + number), CTRL)
    assert workspace.current_key() == key
    panel = workspace.panels[key]
    qtbot.waitUntil(panel.isVisible)  # a panel built on first use is shown by a queued call
    qtbot.waitUntil(lambda: has_loaded(panel))  # and reads on a worker
    return panel


def has_loaded(panel: QWidget) -> bool:
    """A panel has shown its first read (each keeps what it read in one of these)."""
    return all(
        getattr(panel, name, True) not in (None, "") for name in ("_plan", "_profile", "_name")
    )


def test_a_whole_custody_visit_offline(qtbot, make_window, visit_folder) -> None:
    folder, yp_id = visit_folder
    window = make_window(folder, unlocked=False, panels=PANELS)

    # 1. The laptop opens locked; the adviser types the passphrase and presses Enter.
    assert window.is_locked
    assert window.stack.currentWidget() is window.unlock_view
    unlock_by_keyboard(qtbot, window)
    view = window.caseload_view
    assert view.model.rowCount() == 4

    # 2. Find the young person: Ctrl+F, type part of the name, Enter opens the only match.
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.filter_edit)
    qtbot.keyClicks(view.filter_edit, "gebre")
    assert view.proxy.rowCount() == 1
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    workspace = window.workspace
    assert workspace is not None and workspace.young_person_id == yp_id
    assert window.stack.currentWidget() is workspace
    qtbot.waitUntil(lambda: workspace.name_label.text() == "Tesfay")  # read on a worker

    # 3. The Custody tab is there (last, Ctrl+6) with the prison and the release date.
    titles = [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]
    assert titles[-1] == "C&ustody"
    custody = switch_tab(qtbot, window, 6, "custody")
    assert isinstance(custody, CustodyPanel)
    assert custody.prison_edit.text() == "HMYOI Example"
    assert custody.prison_number_edit.text() == "A1234BC"
    assert custody.release_edit.value() == date.today() + timedelta(days=RELEASE_IN_DAYS)
    assert custody.release_label.text().startswith(f"Release in {RELEASE_IN_DAYS} days")

    # 4. Read the plan: Ctrl+2, then down the list of parts to Accommodation.
    plan = switch_tab(qtbot, window, 2, "plan")
    assert isinstance(plan, PlanPanel)
    plan.matter_list.setFocus()
    for _ in range(plan.list_model.row_of(ACCOMMODATION)):
        qtbot.keyClick(plan.matter_list, Qt.Key.Key_Down)
    assert plan.current_part() == ACCOMMODATION
    page = plan.page(ACCOMMODATION)
    assert isinstance(page, MatterPage)
    assert plan.stack.currentWidget() is page
    assert page.strengths_edit.toPlainText() == "Strengths in Accommodation "
    assert page.goals_edit.toPlainText() == "My goal for Accommodation "

    # 5. Update an action: F2 on its status opens the list of statuses; Down, Down picks "Done"
    #    (each choice is saved at once), Enter closes the editor.
    model = page.actions_model
    assert model.rowCount() == 1
    action_id = model.action_at(0).id
    status_index = model.index(0, ActionColumn.STATUS)
    page.actions_view.setFocus()
    page.actions_view.setCurrentIndex(status_index)
    qtbot.keyClick(page.actions_view, Qt.Key.Key_F2)
    combo = page.actions_view.viewport().findChild(QComboBox)
    assert combo is not None and combo.accessibleName() == "Status"
    with qtbot.waitSignal(plan.record_changed):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == ActionStatus.DONE.value
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # the delegate closes its editor queued
    qtbot.waitUntil(lambda: page.actions_view.state() != QAbstractItemView.State.EditingState)
    assert status_index.data() == "\u2713 Done"
    part = plan.list_model.index(plan.list_model.row_of(ACCOMMODATION))
    assert plan.list_model.data(part).endswith("No open actions")

    # 6. Write the visit note: Ctrl+3, Ctrl+Shift+N, choose the kind, type, Ctrl+S.
    notes_panel = switch_tab(qtbot, window, 3, "notes")
    assert isinstance(notes_panel, NotesPanel)
    notes_panel.timeline.setFocus()
    qtbot.keyClick(notes_panel.timeline, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    editor = notes_panel.editor
    assert notes_panel.right.currentWidget() is editor
    assert editor.kind_combo.currentData() == ""  # "Choose…": no kind is assumed
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(NoteKind.CUSTODY_VISIT.value))
    qtbot.keyClicks(editor.place_edit, "HMYOI Example visits hall")
    qtbot.keyClicks(editor.summary_edit, "Custody visit: planning for release")
    qtbot.keyClicks(editor.narrative_edit, "Tesfay is on the painting course. Wants a flat near")
    qtbot.keyClicks(editor.narrative_edit, " his sister on release.")
    editor.narrative_edit.setFocus()
    with qtbot.waitSignal(notes_panel.record_changed):
        qtbot.keyClick(editor.narrative_edit, Qt.Key.Key_S, CTRL)
    assert notes_panel.right.currentWidget() is notes_panel.detail_browser
    assert "painting course" in notes_panel.detail_browser.toPlainText()

    # 7. Add a memory the young person wrote: Ctrl+5, "Write a memory…" (Space on the focused
    #    button), type it, Enter adds it (added by the young person is the default).
    memory_box = switch_tab(qtbot, window, 5, "memory_box")
    assert isinstance(memory_box, MemoryBoxPanel)
    memory_box.write_button.setFocus()
    qtbot.keyClick(memory_box.write_button, Qt.Key.Key_Space)
    dialog = memory_box.findChild(AddMemoryDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.added_by.kind() == AddedBy.YOUNG_PERSON.value
    qtbot.keyClicks(dialog.body_edit, "The art teacher said my painting of the sea was the best.")
    qtbot.keyClicks(dialog.caption_edit, "My painting")
    with qtbot.waitSignal(memory_box.memories_added) as added:
        qtbot.keyClick(dialog.caption_edit, Qt.Key.Key_Return)  # the default button: Add
    [memory_id] = added.args[0]
    assert memory_box.selected_item().id == memory_id

    # 8. Ctrl+L locks: the store is closed and nothing of the record is left on screen.
    store_before = window.store
    window.lock_action.trigger()  # Ctrl+L
    assert window.is_locked and not store_before.is_open
    assert window.workspace is None
    assert window.caseload_view.model.rowCount() == 0
    assert window.stack.currentWidget() is window.unlock_view

    # 9. Unlocking goes back to the same young person and the same tab.
    unlock_by_keyboard(qtbot, window)
    assert window.workspace is not None
    assert window.workspace.young_person_id == yp_id
    qtbot.waitUntil(lambda: window.workspace.current_key() == "memory_box")
    assert window.stack.currentWidget() is window.workspace

    # 10. Everything was saved to the (reopened) store.
    with window.store.reader() as s:
        [action] = plans.load_plan(s, yp_id).section(ACCOMMODATION).actions
        visit_notes = [n for n in notes.list_notes(s, yp_id) if n.kind == "custody_visit"]
        memories = files.list_memories(s, yp_id)
        viewed = [e.young_person_id for e in recent_events(s) if e.action == "view"]
    assert (action.id, action.status) == (action_id, ActionStatus.DONE.value)
    [note] = visit_notes
    assert note.place == "HMYOI Example visits hall"
    assert note.summary == "Custody visit: planning for release"
    assert note.narrative == (
        "Tesfay is on the painting course. Wants a flat near his sister on release."
    )
    assert note.author == "Alex Adviser"
    [memory] = memories
    assert (memory.id, memory.kind, memory.caption) == (
        memory_id,
        MemoryKind.MEMORY.value,
        "My painting",
    )
    assert memory.body == "The art teacher said my painting of the sea was the best."
    assert (memory.added_by_kind, memory.added_by_name) == (AddedBy.YOUNG_PERSON.value, "")
    assert viewed == [yp_id, yp_id]  # opened by the adviser, and again after unlocking


def test_a_visit_note_half_written_when_the_laptop_locks_comes_back(
    qtbot, make_window, visit_folder
) -> None:
    folder, yp_id = visit_folder
    window = make_window(folder, panels=PANELS)
    window.open_young_person(yp_id)
    notes_panel = switch_tab(qtbot, window, 3, "notes")
    notes_panel.new_button.click()
    kinds = notes_panel.editor.kind_combo
    kinds.setCurrentIndex(kinds.findData(NoteKind.CUSTODY_VISIT.value))
    qtbot.keyClicks(notes_panel.editor.summary_edit, "Custody visit cut short")
    qtbot.keyClicks(notes_panel.editor.narrative_edit, "Visits hall closed early")
    window.idle_lock.went_idle.emit()  # five quiet minutes; the draft timer has not fired yet
    assert window.is_locked

    unlock_by_keyboard(qtbot, window)
    assert window.workspace.young_person_id == yp_id
    qtbot.waitUntil(lambda: window.workspace.current_key() == "notes")
    editor = window.workspace.panels["notes"].editor
    qtbot.waitUntil(lambda: editor.summary_edit.text() == "Custody visit cut short")
    assert editor.narrative_edit.toPlainText() == "Visits hall closed early"
    assert editor.kind_combo.currentData() == NoteKind.CUSTODY_VISIT.value
    assert "unsaved note" in editor.context_label.text()
    with window.store.reader() as s:
        assert [n.summary for n in notes.list_notes(s, yp_id)] == ["Call before the visit"]
    editor.narrative_edit.setFocus()
    with qtbot.waitSignal(window.workspace.panels["notes"].record_changed):
        qtbot.keyClick(editor.narrative_edit, Qt.Key.Key_S, CTRL)
    with window.store.reader() as s:
        summaries = {n.summary for n in notes.list_notes(s, yp_id)}
    assert summaries == {"Call before the visit", "Custody visit cut short"}


def test_esc_in_an_action_status_editor_closes_the_editor_not_the_record(
    qtbot, make_window, visit_folder
) -> None:
    folder, yp_id = visit_folder
    window = make_window(folder, panels=PANELS)
    window.open_young_person(yp_id)
    plan = switch_tab(qtbot, window, 2, "plan")
    qtbot.waitUntil(lambda: plan._plan is not None)
    plan.select_part(ACCOMMODATION)
    page = plan.page(ACCOMMODATION)
    view = page.actions_view
    view.setFocus()
    view.setCurrentIndex(page.actions_model.index(0, ActionColumn.STATUS))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.viewport().findChild(QComboBox)
    assert combo is not None
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    assert window.workspace is not None  # Esc did not go back to the caseload
    assert window.stack.currentWidget() is window.workspace
    with window.store.reader() as s:
        [action] = plans.load_plan(s, yp_id).section(ACCOMMODATION).actions
    assert action.status == ActionStatus.NOT_STARTED.value
