"""The people who matter and the key dates are added, edited and removed from the overview."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktop.operations import ChangeAnnouncer, Operations
from desktop.workspace.overview_panel import OverviewPanel
from desktop.workspace.people_dates_dialogs import KeyDateDialog, PersonDialog
from models.repo import young_people as yp_repo
from tests.factories import add_young_person, make_store


def _panel(qtbot, store, tasks, yp):
    panel = OverviewPanel(Operations(store, tasks, ChangeAnnouncer()), yp,
                          today=date(2026, 11, 28))
    qtbot.addWidget(panel)
    qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
    return panel


def _button(panel, name: str) -> QPushButton:
    [button] = [b for b in panel.findChildren(QPushButton) if b.accessibleName() == name]
    return button


def _open_dialog(qtbot, button, kind):
    button.click()
    qtbot.waitUntil(lambda: any(isinstance(w, kind) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5_000)
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_add_edit_and_remove_a_person_who_matters(qtbot, tmp_path, tasks, monkeypatch):
    with make_store(tmp_path / "store") as store:
        yp = add_young_person(store, legal_name="Selam Tesfay")
        panel = _panel(qtbot, store, tasks, yp)
        dialog = _open_dialog(qtbot, _button(panel, "Add someone who matters"), PersonDialog)
        dialog.on_buttons_accepted()
        assert dialog.problem.text() == "Give the person's name."  # nothing saved without one
        dialog.name_edit.setText("Hiwet Tesfay")
        dialog.relationship_edit.setText("sister")
        dialog.emergency_box.setChecked(True)
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            dialog.on_buttons_accepted()
        with store.reader() as s:
            [person] = yp_repo.list_people(s, yp)
        assert (person.name, person.relationship, person.is_emergency_contact) == (
            "Hiwet Tesfay", "sister", True)

        dialog = _open_dialog(qtbot, _button(panel, "Edit Hiwet Tesfay"), PersonDialog)
        assert dialog.name_edit.text() == "Hiwet Tesfay"
        dialog.contact_edit.setText("07700 900123")
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            dialog.on_buttons_accepted()
        with store.reader() as s:
            assert yp_repo.list_people(s, yp)[0].how_to_contact == "07700 900123"

        monkeypatch.setattr(QMessageBox, "question",
                            lambda *a, **k: QMessageBox.StandardButton.Yes)
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            _button(panel, "Remove Hiwet Tesfay").click()
        with store.reader() as s:
            assert yp_repo.list_people(s, yp) == ()


def test_add_and_edit_a_key_date_and_a_refused_removal_keeps_it(qtbot, tmp_path, tasks,
                                                                 monkeypatch):
    with make_store(tmp_path / "store") as store:
        yp = add_young_person(store, legal_name="Yasir Ahmed")
        panel = _panel(qtbot, store, tasks, yp)
        dialog = _open_dialog(qtbot, _button(panel, "Add a key date"), KeyDateDialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("festival"))
        dialog.label_edit.setText("Eid al-Fitr")
        dialog.date_edit.setDate(QDate(2027, 3, 20))
        dialog.recurring_box.setChecked(False)
        dialog.plan_edit.setPlainText("Call in the morning")
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            dialog.on_buttons_accepted()
        with store.reader() as s:
            [k] = yp_repo.list_key_dates(s, yp)
        assert (k.kind, k.label, k.on_date, k.recurring, k.plan_for_day) == (
            "festival", "Eid al-Fitr", date(2027, 3, 20), False, "Call in the morning")

        dialog = _open_dialog(qtbot, _button(panel, "Edit Eid al-Fitr"), KeyDateDialog)
        assert dialog.kind_combo.currentData() == "festival"
        dialog.label_edit.setText("Eid")
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            dialog.on_buttons_accepted()
        monkeypatch.setattr(QMessageBox, "question",
                            lambda *a, **k: QMessageBox.StandardButton.No)
        _button(panel, "Remove Eid").click()
        with store.reader() as s:
            assert [k.label for k in yp_repo.list_key_dates(s, yp)] == ["Eid"]
