"""The pathway-plan editor: edit, drafts, actions, agreement and the history difference."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.plan.actions_model import ActionColumn, ActionsTableModel
from desktop.plan.matter_list_model import MatterListModel
from desktop.plan.matter_page import MatterPage
from desktop.plan.plan_history_dialog import WORKING, PlanHistoryDialog
from desktop.plan.plan_panel import PlanPanel
from models.domain import ActionStatus, Matter
from models.records import Action
from models.repo import plans
from tests.factories import add_young_person, fill_plan

HEALTH = Matter.HEALTH.value


@pytest.fixture
def yp(store):
    young_person = add_young_person(store)
    fill_plan(store, young_person)
    return young_person


@pytest.fixture
def make_panel(qtbot, store, yp, ops):
    def make() -> PlanPanel:
        panel = PlanPanel(ops, yp)
        qtbot.addWidget(panel)
        qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
        return panel

    return make


def _plan(store, yp):
    with store.reader() as s:
        return plans.load_plan(s, yp)


def _health(panel: PlanPanel) -> MatterPage:
    panel.select_part(HEALTH)
    page = panel.page(HEALTH)
    assert isinstance(page, MatterPage)
    return page


def test_shows_every_matter_with_the_stored_text(make_panel) -> None:
    panel = make_panel()
    assert panel.list_model.rowCount() == 11
    page = _health(panel)
    assert page.strengths_edit.toPlainText() == "Strengths in Health and wellbeing "
    assert page.actions_model.rowCount() == 1
    assert panel.save_state_label.text() == "All changes saved"


def test_editing_strengths_saves_on_save_and_on_moving_on(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    page = _health(panel)
    page.strengths_edit.setPlainText("Registered with a GP; sleeping better")
    assert page.is_dirty()
    assert "unsaved" in panel.list_model.data(panel.list_model.index(9))
    assert panel.save_state_label.text() == "Unsaved changes, kept as a draft"
    with qtbot.waitSignal(panel.record_changed):
        panel.save_shortcut.activated.emit()  # Ctrl+S
    assert _plan(store, yp).section(HEALTH).strengths == "Registered with a GP; sleeping better"
    assert panel.save_state_label.text() == "All changes saved"

    page.goals_edit.setPlainText("I want to see a dentist")
    with qtbot.waitSignal(panel.record_changed):
        panel.select_part(Matter.FINANCE.value)  # moving to another matter saves
    assert _plan(store, yp).section(HEALTH).goals == "I want to see a dentist"


def test_leaving_a_field_saves_it(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    page = _health(panel)
    page.strengths_edit.setPlainText("Walks every day")
    with qtbot.waitSignal(panel.record_changed):
        page.strengths_edit.editing_finished.emit()  # what focusOutEvent emits when dirty
    assert _plan(store, yp).section(HEALTH).strengths == "Walks every day"


def test_unsaved_text_survives_the_panel_being_rebuilt(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    page = _health(panel)
    page.goals_edit.setPlainText("Half-typed goal")
    panel.flush_drafts()  # what the main window does before locking
    state = panel.current_state()
    panel.deleteLater()

    rebuilt = make_panel()
    rebuilt.restore_state(state)
    assert rebuilt.current_part() == HEALTH
    page = rebuilt.page(HEALTH)
    assert page.goals_edit.toPlainText() == "Half-typed goal"
    assert page.is_dirty()
    assert _plan(store, yp).section(HEALTH).goals == "My goal for Health and wellbeing "
    with qtbot.waitSignal(rebuilt.record_changed, timeout=10_000):
        assert rebuilt.save_all()
    assert _plan(store, yp).section(HEALTH).goals == "Half-typed goal"


def test_life_summary_and_review_date(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    overview = panel.page("overview")
    overview.life_summary_edit.setPlainText("Grew up in Leeds; loves football.")
    overview.review_date_edit.set_value(date(2027, 1, 15))
    with qtbot.waitSignal(panel.record_changed):
        panel.save_all()
    plan = _plan(store, yp)
    assert plan.life_summary == "Grew up in Leeds; loves football."
    assert plan.review_date == date(2027, 1, 15)


def test_add_an_action_then_update_its_status_and_date(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    page = _health(panel)
    page.new_who_edit.setText("Jordan")
    page.new_what_edit.setText("Book a dentist appointment")
    page.new_by_edit.set_value(date(2026, 12, 1))
    with qtbot.waitSignal(panel.record_changed):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    actions = _plan(store, yp).section(HEALTH).actions
    assert [(a.who, a.what, a.by_when) for a in actions][-1] == (
        "Jordan",
        "Book a dentist appointment",
        date(2026, 12, 1),
    )
    assert page.new_what_edit.text() == ""

    model = page.actions_model
    row = model.rowCount() - 1
    with qtbot.waitSignal(panel.record_changed):
        assert model.setData(model.index(row, ActionColumn.STATUS), ActionStatus.IN_PROGRESS.value)
    with qtbot.waitSignal(panel.record_changed):
        assert model.setData(model.index(row, ActionColumn.BY_WHEN), date(2026, 12, 8))
    action = _plan(store, yp).section(HEALTH).actions[-1]
    assert (action.status, action.by_when) == ("in_progress", date(2026, 12, 8))
    assert "open action" in panel.list_model.data(panel.list_model.index(9))


def test_an_action_without_what_is_refused(make_panel, store, yp) -> None:
    panel = make_panel()
    page = _health(panel)
    page.new_who_edit.setText("PA")
    page.add_button.click()
    assert len(_plan(store, yp).section(HEALTH).actions) == 1


def test_remove_an_action_asks_first(qtbot, make_panel, store, yp, monkeypatch) -> None:
    panel = make_panel()
    page = _health(panel)
    page.actions_view.setCurrentIndex(page.actions_model.index(0, 0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.remove_button.click()
    assert len(_plan(store, yp).section(HEALTH).actions) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.record_changed):
        page.remove_button.click()
    assert _plan(store, yp).section(HEALTH).actions == ()


def test_agree_freezes_version_one_and_history_shows_the_change(
    qtbot, make_panel, store, yp
) -> None:
    panel = make_panel()
    page = _health(panel)
    page.strengths_edit.setPlainText("Registered with a GP")
    with qtbot.waitSignal(panel.record_changed), qtbot.waitSignal(panel.agreed) as agreed:
        panel.agree(date(2026, 11, 20), "Jordan and aunt Sam")
    assert agreed.args == [1]
    plan = _plan(store, yp)
    assert [v.version for v in plan.versions] == [1]
    assert plan.versions[0].agreed_with == "Jordan and aunt Sam"
    assert "Version 1 agreed on 20 Nov 2026" in panel.agreement_label.text()
    assert "version 2" in panel.agree_button.text()

    page.strengths_edit.setPlainText("Registered with a GP and a dentist")
    panel.save_all()
    dialog = PlanHistoryDialog(panel._ops, yp)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
    assert dialog.versions_model.rowCount() == 1
    assert (dialog.from_combo.currentData(), dialog.to_combo.currentData()) == (1, WORKING)
    assert dialog.summary_label.text() == "1 part changed: Health and wellbeing."
    text = dialog.diff_browser.toPlainText()
    assert "Health and wellbeing — changed" in text
    assert "and a dentist" in text
    assert "Employment" not in text  # only what changed is shown by default
    assert "underline" in dialog.diff_browser.toHtml()  # added words, not colour alone

    dialog.only_changes_check.setChecked(False)
    assert "Employment" in dialog.diff_browser.toPlainText()
    dialog.compare(1, 1)
    assert dialog.summary_label.text() == "Choose two different versions to compare."


def test_agree_through_the_dialog(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.agree_button.click()
    dialog = panel.agree_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.agreed_with_edit.text() == "Jordan"
    dialog.agreed_on_edit.setDate(date(2026, 11, 2))
    with qtbot.waitSignal(panel.record_changed):
        dialog.buttons.accepted.emit()
    [version] = _plan(store, yp).versions
    assert (version.version, version.agreed_on, version.agreed_with) == (
        1,
        date(2026, 11, 2),
        "Jordan",
    )


def test_actions_model_without_a_window(qtbot) -> None:
    model = ActionsTableModel(today=date(2026, 3, 1))
    model.set_actions(
        [
            Action("a1", "PA", "Call GP", date(2026, 3, 2), "not_started", 1),
            Action("a2", "Jordan", "Open bank account", None, "done", 2),
        ]
    )
    assert model.rowCount() == 2 and model.columnCount() == 4
    assert model.headerData(2, Qt.Orientation.Horizontal) == "By when"
    assert model.index(0, ActionColumn.BY_WHEN).data() == "2 Mar 2026"
    assert model.index(1, ActionColumn.BY_WHEN).data() == "No date"
    assert model.index(1, ActionColumn.STATUS).data() == "\u2713 Done"  # a symbol, not colour
    assert model.open_count() == 1
    with qtbot.waitSignal(model.action_edited) as signal:
        assert model.setData(model.index(0, ActionColumn.WHAT), "Call the GP surgery")
    assert signal.args == ["a1", "what", "Call the GP surgery"]
    assert not model.setData(model.index(0, ActionColumn.WHAT), "   ")
    assert not model.setData(model.index(0, ActionColumn.STATUS), "maybe")


def test_overdue_actions_are_marked_in_words_and_colour() -> None:
    model = ActionsTableModel(today=date(2026, 11, 28))
    model.set_actions([
        Action("a1", "PA", "Call GP", date(2026, 11, 27), "in_progress", 1),
        Action("a2", "PA", "Book dentist", date(2026, 11, 28), "not_started", 2),  # due today
        Action("a3", "Jordan", "Open bank account", date(2026, 10, 1), "done", 3),
        Action("a4", "Jordan", "Join the gym", date(2026, 10, 1), "dropped", 4),
        Action("a5", "PA", "Find a course", None, "not_started", 5),
    ])
    shown = [model.index(row, ActionColumn.BY_WHEN).data() for row in range(5)]
    assert shown == ["\u26a0 27 Nov 2026, overdue", "28 Nov 2026", "1 Oct 2026", "1 Oct 2026",
                     "No date"]
    overdue = model.index(0, ActionColumn.BY_WHEN)
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "Overdue" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, ActionColumn.BY_WHEN).data(Qt.ItemDataRole.ForegroundRole) is None


def test_matter_list_model_says_unsaved_in_words() -> None:
    model = MatterListModel()
    assert model.data(model.index(0)) == "Life summary and review\nStart here"
    model.set_unsaved(HEALTH, True)
    assert model.data(model.index(model.row_of(HEALTH))).endswith("unsaved")
    assert model.data(model.index(1), Qt.ItemDataRole.DecorationRole) is not None
