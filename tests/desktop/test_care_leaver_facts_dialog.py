"""Recording the care-leaver facts at a contact: the form starts from the record, says which
birthday the return asks about, keeps the return's rules, and saves through the operation layer."""

from __future__ import annotations

from datetime import date

from desktop.care_leaver.facts_dialog import CareLeaverFactsDialog
from desktop.operations import Operations
from models.repo import care_leaver_facts
from models.store import Store
from tests.factories import add_young_person

TODAY = date(2026, 11, 29)


def _dialog(qtbot, ops: Operations, ident: str) -> CareLeaverFactsDialog:
    dialog = CareLeaverFactsDialog(ops, ident, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form_data is not None, timeout=10_000)
    return dialog


def test_the_form_starts_from_the_record_and_saves(qtbot, store: Store, ops: Operations) -> None:
    ident = add_young_person(
        store,
        preferred_name="Kai",
        date_of_birth=date(2005, 12, 20),
        eet_status="training_full_time",
        accommodation_type="Supported lodgings",
        accommodation_suitable=True,
    )
    dialog = _dialog(qtbot, ops, ident)
    assert "21st birthday on 20 Dec 2026" in dialog.when_label.text()
    assert "20 Sep 2026 to 20 Jan 2027" in dialog.when_label.text()
    assert dialog.in_touch_combo.currentData() == "YES"
    assert dialog.activity_combo.currentData() == "F5"
    assert dialog.accommodation_combo.currentData() == "E"
    assert dialog.suitable_combo.currentData() is True
    assert "check each with Kai" in dialog.suggested_label.text()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.buttons.accepted.emit()
    with store.reader() as s:
        (saved,) = care_leaver_facts.list_facts(s, ident)
    assert (saved.recorded_on, saved.in_touch, saved.activity, saved.accom_code) == (
        TODAY, "YES", "F5", "E1"
    )


def test_died_or_returned_home_sets_not_applicable_and_custody_is_never_suitable(
    qtbot, store: Store, ops: Operations
) -> None:
    ident = add_young_person(store, in_custody=True, prison="HMP Example")
    dialog = _dialog(qtbot, ops, ident)
    assert dialog.accommodation_combo.currentData() == "X"
    assert dialog.suitable_combo.currentData() is False
    assert not dialog.suitable_combo.isEnabled()
    dialog.in_touch_combo.setCurrentIndex(dialog.in_touch_combo.findData("RHOM"))
    assert dialog.activity_combo.currentData() == "0"
    assert dialog.accommodation_combo.currentData() == "0"
    assert not dialog.activity_combo.isEnabled()
    dialog.in_touch_combo.setCurrentIndex(dialog.in_touch_combo.findData("YES"))
    assert dialog.accommodation_combo.currentData() == "X"  # back to the suggestion


def test_a_rule_of_the_return_is_said_and_the_form_kept(
    qtbot, store: Store, ops: Operations
) -> None:
    ident = add_young_person(store, accommodation_type="Student accommodation")
    dialog = _dialog(qtbot, ops, ident)
    assert dialog.accommodation_combo.currentData() == ""  # no clear code: the adviser picks
    dialog.activity_combo.setCurrentIndex(dialog.activity_combo.findData("F1"))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.problem.text() != "", timeout=10_000)
    assert "all three" in dialog.problem.text()
    assert dialog.buttons.isEnabled()
    with store.reader() as s:
        assert care_leaver_facts.list_facts(s, ident) == ()


def test_recorded_before_is_listed_newest_first(qtbot, store: Store, ops: Operations) -> None:
    ident = add_young_person(store, preferred_name="Kai")
    with store.session() as s:
        for day, code in ((date(2025, 6, 1), "NO"), (date(2026, 6, 1), "REFU")):
            care_leaver_facts.record_facts(
                s, ident, recorded_on=day, in_touch=code, activity="0", accommodation="0",
                accommodation_suitable=None,
            )
    dialog = _dialog(qtbot, ops, ident)
    lines = dialog.history_label.text().splitlines()
    assert lines[1].startswith("1 Jun 2026: Refuses contact")
    assert lines[2].startswith("1 Jun 2025: No, not in touch")


def test_the_record_offers_it_in_the_file_menu(qtbot, make_window, caseload_folder) -> None:
    window = make_window(caseload_folder)
    assert not window.actions.care_leaver_facts.isEnabled()  # on the caseload: whose?
    window.open_young_person(window.caseload_view.model.row_at(0).id)
    assert window.actions.care_leaver_facts.isEnabled()
    window.actions.care_leaver_facts.trigger()
    dialog = window.findChild(CareLeaverFactsDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form_data is not None, timeout=10_000)
    dialog.reject()
