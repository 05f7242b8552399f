"""The custody panel: prison details, release countdown, accommodation plan, the checklist."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.custody.custody_panel import CustodyPanel, release_text
from models.repo.young_people import load_profile
from tests.factories import add_young_person

TODAY = date(2026, 11, 23)


@pytest.fixture
def yp(store):
    return add_young_person(
        store,
        in_custody=True,
        prison="HMP Leeds",
        prison_number="A1234BC",
        release_date=date(2026, 12, 5),
        custody_checklist={"visit_8_weekly": True},
    )


@pytest.fixture
def make_panel(qtbot, store, yp, ops):
    def make() -> CustodyPanel:
        panel = CustodyPanel(ops, yp, today=TODAY)
        qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
        qtbot.addWidget(panel)
        return panel

    return make


def _profile(store, yp):
    with store.reader() as s:
        return load_profile(s, yp)


def test_shows_the_stored_details_and_days_until_release(make_panel) -> None:
    panel = make_panel()
    assert panel.prison_edit.text() == "HMP Leeds"
    assert panel.prison_number_edit.text() == "A1234BC"
    assert panel.release_edit.value() == date(2026, 12, 5)
    assert panel.release_label.text() == "Release in 12 days (Sat 5 Dec 2026)."
    assert panel.checks["visit_8_weekly"].isChecked()
    assert panel.checklist_count_label.text() == "1 of 8 done"
    # release is close and accommodation on release is not agreed: said in words
    assert "not agreed yet" in panel.warning_label.text()


def test_release_text() -> None:
    assert release_text(None, TODAY) == "Release date not known yet."
    assert release_text(date(2026, 11, 24), TODAY).startswith("Release tomorrow")
    assert release_text(TODAY, TODAY).startswith("Release today")
    assert release_text(date(2026, 11, 20), TODAY).startswith("Release date passed 3 days ago")


def test_editing_fields_saves_them(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.prison_edit.setText("HMYOI Wetherby")
    panel.prison_edit.textEdited.emit("HMYOI Wetherby")
    assert panel.save_state_label.text() == "Unsaved changes, kept as a draft"
    with qtbot.waitSignal(panel.record_changed):
        panel.prison_edit.editingFinished.emit()
    panel.release_edit.set_value(date(2027, 1, 10))
    panel.plan_edit.setPlainText("Supported lodgings in Leeds, agreed with the housing team.")
    with qtbot.waitSignal(panel.record_changed):
        panel.save_shortcut.activated.emit()
    p = _profile(store, yp)
    assert (p.prison, p.release_date) == ("HMYOI Wetherby", date(2027, 1, 10))
    assert p.release_accommodation_plan.startswith("Supported lodgings")
    assert panel.save_state_label.text() == "All changes saved"
    assert panel.release_label.text().startswith("Release in 48 days")


def test_ticking_a_checklist_item_saves_at_once(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    with qtbot.waitSignal(panel.record_changed):
        panel.checks["release_accommodation"].setChecked(True)
    checklist = _profile(store, yp).custody_checklist
    assert checklist == {"visit_8_weekly": True, "release_accommodation": True}
    assert panel.checklist_count_label.text() == "2 of 8 done"
    assert panel.warning_label.text() == ""


def test_leaving_custody_is_saved(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    with qtbot.waitSignal(panel.record_changed):
        panel.in_custody_check.setChecked(False)
    assert _profile(store, yp).in_custody is False


def test_unsaved_edits_survive_a_rebuild(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.prison_number_edit.setText("Z9999ZZ")
    panel.prison_number_edit.textEdited.emit("Z9999ZZ")
    panel.plan_edit.setPlainText("Half-typed plan")
    panel.flush_drafts()
    panel.deleteLater()

    rebuilt = make_panel()
    assert rebuilt.prison_number_edit.text() == "Z9999ZZ"
    assert rebuilt.plan_edit.toPlainText() == "Half-typed plan"
    assert rebuilt.save_state_label.text() == "Unsaved changes, kept as a draft"
    assert _profile(store, yp).prison_number == "A1234BC"
    with qtbot.waitSignal(rebuilt.record_changed, timeout=10_000):
        assert rebuilt.save()
    assert _profile(store, yp).prison_number == "Z9999ZZ"


def test_in_custody_needs_a_prison_and_the_box_shows_what_was_stored(qtbot, store, ops) -> None:
    free = add_young_person(store, legal_name="Kai Free", preferred_name="Kai")
    panel = CustodyPanel(ops, free, today=TODAY)
    qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
    qtbot.addWidget(panel)
    panel.in_custody_check.setChecked(True)  # no prison given: the model's rule refuses it
    qtbot.waitUntil(lambda: not panel.in_custody_check.isChecked(), timeout=10_000)
    boxes = [w for w in panel.findChildren(QMessageBox) if w.isVisible()]
    assert any("prison" in b.text() for b in boxes)
    assert _profile(store, free).in_custody is False
    for b in boxes:
        b.close()
    panel.prison_edit.setText("HMP Nottingham")  # with the prison typed, both go together
    with qtbot.waitSignal(panel.record_changed, timeout=10_000):
        panel.in_custody_check.setChecked(True)
    p = _profile(store, free)
    assert (p.in_custody, p.prison) == (True, "HMP Nottingham")
