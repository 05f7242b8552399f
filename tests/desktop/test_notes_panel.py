"""Contact notes: add, amend (the original stays), filter by kind, drafts across a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDateTime, Qt

from desktop.notes.note_editor import NoteEditor
from desktop.notes.notes_model import (
    HTML_ROLE,
    NOTE_ROLE,
    VISITS,
    NoteKindFilter,
    NotesTimelineModel,
)
from desktop.notes.notes_panel import NotesPanel
from models.repo import notes
from tests.factories import add_note, add_young_person


@pytest.fixture
def yp(store):
    return add_young_person(store)


@pytest.fixture
def make_panel(qtbot, store, yp, ops):
    def make() -> NotesPanel:
        panel = NotesPanel(ops, yp)
        qtbot.addWidget(panel)
        qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
        return panel

    return make


def _notes(store, yp):
    with store.reader() as s:
        return notes.list_notes(s, yp)


def test_add_a_custody_visit_note(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    assert "No notes yet" in panel.detail_browser.toPlainText()
    panel.new_button.click()
    editor: NoteEditor = panel.editor
    assert panel.right.currentWidget() is editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("custody_visit"))
    local = QDateTime.fromString("2026-11-23T10:15:00", Qt.DateFormat.ISODate)
    editor.when_edit.setDateTime(local)
    editor.place_edit.setText("HMP Leeds visits hall")
    editor.summary_edit.setText("Custody visit: release planning")
    editor.narrative_edit.setPlainText("Jordan is doing a painting course.\nRelease in March.")
    with qtbot.waitSignal(panel.record_changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    [note] = _notes(store, yp)
    assert (note.kind, note.place) == ("custody_visit", "HMP Leeds visits hall")
    # typed in local time, stored in UTC
    assert note.occurred_at == local.toPython().astimezone(UTC)
    assert note.occurred_at.tzinfo is not None
    assert panel.right.currentWidget() is panel.detail_browser
    assert panel.selected_note().id == note.id
    assert "Release in March." in panel.detail_browser.toPlainText()


def test_a_note_starts_with_no_kind_and_is_refused_without_one(qtbot, make_panel, store, yp):
    panel = make_panel()
    panel.new_button.click()
    editor = panel.editor
    assert editor.kind_combo.currentText() == "Choose\u2026"
    editor.summary_edit.setText("Phone call about the dentist")
    with qtbot.waitSignal(editor.save_failed, timeout=10_000):
        assert editor.save() is None
    assert editor.error_label.text() == "Choose the kind of contact."
    assert _notes(store, yp) == ()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("phone"))
    with qtbot.waitSignal(editor.note_saved, timeout=10_000):
        editor.save()
    assert [n.kind for n in _notes(store, yp)] == ["phone"]


def test_an_empty_note_is_refused_with_a_message(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.new_button.click()
    with qtbot.waitSignal(panel.editor.save_failed, timeout=10_000):
        panel.editor.save()
    assert "Write a summary" in panel.editor.error_label.text()
    assert _notes(store, yp) == ()


def test_amend_keeps_the_original_visible_and_marked(qtbot, make_panel, store, yp) -> None:
    original_id = add_note(store, yp, summary="Home visit", narrative="Saw Jordan at the flat.")
    panel = make_panel()
    panel.select_note(original_id)
    panel.amend_button.click()
    editor = panel.editor
    assert editor.title_label.text() == "Amend a note"
    assert editor.kind_combo.isEnabled()  # kind, date and place can be corrected too
    assert editor.kind_combo.currentData() == "home_visit"  # prefilled with the original's
    assert editor.narrative_edit.toPlainText() == "Saw Jordan at the flat."
    editor.narrative_edit.setPlainText("Saw Jordan at his aunt's flat.")
    with qtbot.waitSignal(panel.record_changed):
        editor.save_button.click()

    original, amendment = _notes(store, yp)
    assert original.id == original_id and original.narrative == "Saw Jordan at the flat."
    assert amendment.amends_id == original_id
    assert original.amended_by == (amendment.id,)
    # the timeline shows the original, marked, with the amendment right under it
    first = panel.proxy.index(0, 0)
    second = panel.proxy.index(1, 0)
    assert first.data(NOTE_ROLE).id == original_id and "AMENDED" in first.data(HTML_ROLE)
    assert second.data(NOTE_ROLE).id == amendment.id and "AMENDMENT" in second.data(HTML_ROLE)
    detail = panel.detail_browser.toPlainText()
    assert "Saw Jordan at the flat." in detail and "Saw Jordan at his aunt's flat." in detail
    assert "Original note (amended: see below)" in detail


def test_an_amendment_must_change_the_text(make_panel, store, yp) -> None:
    note_id = add_note(store, yp)
    panel = make_panel()
    panel.select_note(note_id)
    panel.amend_button.click()
    assert panel.editor.save() is None
    assert "Change the text, kind, date or place" in panel.editor.error_label.text()
    assert len(_notes(store, yp)) == 1


def test_an_amendment_can_correct_the_kind_date_and_place(qtbot, make_panel, store, yp) -> None:
    original_id = add_note(store, yp, kind="home_visit", place="The flat")
    panel = make_panel()
    panel.select_note(original_id)
    panel.amend_button.click()
    editor = panel.editor
    assert editor.place_edit.text() == "The flat"
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("phone"))
    corrected = datetime(2026, 11, 3, 10, 15, tzinfo=UTC)
    editor.when_edit.setDateTime(QDateTime(corrected.astimezone().replace(tzinfo=None)))
    editor.place_edit.setText("")
    with qtbot.waitSignal(panel.record_changed):
        editor.save_button.click()  # the text is the same: the contact's details are corrected

    original, amendment = _notes(store, yp)
    assert amendment.amends_id == original_id
    assert (amendment.kind, amendment.occurred_at, amendment.place) == ("phone", corrected, "")
    assert amendment.narrative == original.narrative
    assert (original.kind, original.place) == ("home_visit", "The flat")


def test_filter_by_kind(make_panel, store, yp) -> None:
    add_note(store, yp, kind="custody_visit", summary="Visit")
    add_note(store, yp, kind="phone", summary="Call", occurred_at=datetime(2026, 11, 5, tzinfo=UTC))
    add_note(store, yp, kind="whatsapp", summary="Message")
    panel = make_panel()
    assert panel.proxy.rowCount() == 3
    panel.set_kind_filter("phone")
    assert [panel.proxy.index(r, 0).data(NOTE_ROLE).summary for r in range(1)] == ["Call"]
    assert panel.proxy.rowCount() == 1
    panel.set_kind_filter(VISITS)
    assert panel.proxy.rowCount() == 1
    assert panel.selected_note().summary == "Visit"
    assert panel.current_state()["kind"] == VISITS


def test_unsaved_note_survives_the_panel_being_destroyed(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.new_button.click()
    panel.editor.kind_combo.setCurrentIndex(panel.editor.kind_combo.findData("video"))
    panel.editor.summary_edit.setText("Video call about college")
    panel.editor.narrative_edit.setPlainText("Half-written when the laptop locked")
    panel.flush_drafts()  # the main window does this before a lock
    panel.close()
    panel.deleteLater()

    rebuilt = make_panel()
    editor = rebuilt.editor
    assert rebuilt.right.currentWidget() is editor
    assert editor.summary_edit.text() == "Video call about college"
    assert editor.narrative_edit.toPlainText() == "Half-written when the laptop locked"
    assert editor.kind_combo.currentData() == "video"
    assert "unsaved note" in editor.context_label.text()
    assert _notes(store, yp) == ()
    with qtbot.waitSignal(rebuilt.record_changed):
        editor.save_button.click()
    assert [n.summary for n in _notes(store, yp)] == ["Video call about college"]

    again = make_panel()  # the draft went with the save
    assert again.right.currentWidget() is again.detail_browser


def test_unsaved_amendment_survives_a_rebuild(qtbot, make_panel, store, yp) -> None:
    note_id = add_note(store, yp, narrative="First text")
    panel = make_panel()
    panel.select_note(note_id)
    panel.amend_button.click()
    panel.editor.narrative_edit.setPlainText("Corrected text")
    panel.flush_drafts()
    panel.deleteLater()

    rebuilt = make_panel()
    assert rebuilt.right.currentWidget() is rebuilt.editor
    assert rebuilt.editor.title_label.text() == "Amend a note"
    with qtbot.waitSignal(rebuilt.record_changed, timeout=10_000):
        assert rebuilt.editor.save() is not None
    assert _notes(store, yp)[1].amends_id == note_id


def test_timeline_model_and_filter_without_a_window(store, yp) -> None:
    first = add_note(store, yp, kind="phone", summary="Call")
    add_note(store, yp, kind="home_visit", summary="Visit")
    with store.session() as s:
        notes.amend_note(s, first, summary="Call (corrected)", narrative="")
    model = NotesTimelineModel()
    model.set_notes(_notes(store, yp))
    proxy = NoteKindFilter()
    proxy.setSourceModel(model)
    assert model.rowCount() == 3
    proxy.set_kind("phone")
    assert proxy.rowCount() == 2  # the call and its amendment stay together
    chain = model.chain(proxy.index(1, 0).data(NOTE_ROLE))
    assert [n.summary for n in chain] == ["Call", "Call (corrected)"]
    accessible = proxy.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Phone" in accessible and "amended" in accessible


def test_a_pasted_hidden_character_is_refused_with_what_to_do(qtbot, make_panel, store, yp):
    """Text pasted from some PDFs carries NUL, which cannot be saved: the adviser is told to
    type that part again, and what they wrote stays in the editor."""
    panel = make_panel()
    panel.new_button.click()
    editor = panel.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("phone"))
    editor.summary_edit.setText("Phone call about college")
    editor.narrative_edit.setPlainText("Pasted from the college letter:\x00 starts in September.")
    with qtbot.waitSignal(editor.save_failed, timeout=10_000):
        editor.save()
    # The field is named as the editor labels it, not as it is stored ("narrative").
    assert "Note text contains a hidden character" in editor.error_label.text()
    assert "type that part again" in editor.error_label.text()
    assert "starts in September." in editor.narrative_edit.toPlainText()
    assert _notes(store, yp) == ()
    if shot := __import__("os").environ.get("PATHWAY_SHOT"):
        panel.resize(900, 600)
        panel.grab().save(shot)
