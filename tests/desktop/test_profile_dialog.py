"""The profile form: a referral, editing, validation messages, and its draft."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from desktop.caseload.profile_dialog import ProfileDialog, draft_key
from desktop.dates import parse_day
from models.repo.drafts import load_draft
from models.repo.young_people import load_profile
from tests.factories import add_young_person

TODAY = date(2026, 11, 20)


@pytest.fixture
def open_dialog(qtbot, ops):
    def _open(young_person_id: str | None = None) -> ProfileDialog:
        dialog = ProfileDialog(ops, young_person_id, today=TODAY)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(dialog.isEnabled, timeout=10_000)  # read on a worker
        return dialog

    return _open


def problems_text(dialog: ProfileDialog) -> str:
    return dialog.problems_label.text() if dialog.problems_label.isVisible() else ""


def test_an_empty_referral_says_what_is_missing(qtbot, open_dialog):
    dialog = open_dialog()
    with qtbot.assertNotEmitted(dialog.saved):
        dialog.save_button.click()
    text = problems_text(dialog)
    assert "Give the legal name." in text
    assert "Give the date of birth." in text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.edits["legal_name"])
    assert dialog.form.edits["legal_name"].accessibleDescription() == "Give the legal name."


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ("31/02/2008", "not a real date"),
        ("next tuesday", "not a date I can read"),
        ("01/01/2030", "in the future"),
        ("01/01/1970", "Check the year"),
    ],
)
def test_date_of_birth_problems(qtbot, open_dialog, dob, message):
    dialog = open_dialog()
    dialog.form.edits["legal_name"].setText("Dawit Haile")
    dialog.form.dates["date_of_birth"].setText(dob)
    dialog.save_button.click()
    assert message in problems_text(dialog)


def test_custody_needs_the_prison_and_a_readable_email(qtbot, open_dialog):
    dialog = open_dialog()
    assert not dialog.form.custody_shown()
    dialog.form.edits["legal_name"].setText("Dawit Haile")
    dialog.form.dates["date_of_birth"].setText("2/3/2008")
    dialog.form.edits["email"].setText("dawit at example")
    dialog.form.flags["in_custody"].setChecked(True)
    assert dialog.form.custody_shown()
    dialog.save_button.click()
    text = problems_text(dialog)
    assert "does not look like an email address" in text
    assert "Give the prison" in text


def test_a_referral_is_saved_with_every_field(qtbot, open_dialog, store):
    dialog = open_dialog()
    f = dialog.form
    f.edits["legal_name"].setText("Nguyễn Thị Lan")
    f.edits["preferred_name"].setText("Lan")
    f.dates["date_of_birth"].setText("9 Jan 2005")
    f.edits["pronouns"].setText("she/her")
    f.languages_edit.setText("Vietnamese, English")
    f.address_edit.setPlainText("Flat 2\nNottingham")
    f.legal_status_combo.setCurrentIndex(f.legal_status_combo.findData("former_relevant"))
    f.flags["in_custody"].setChecked(True)
    f.edits["prison"].setText("HMP Example")
    f.dates["release_date"].setText("01/03/2027")
    f.accommodation_combo.setCurrentText("Supported lodgings")
    f.suitable_combo.setCurrentIndex(f.suitable_combo.findData("no"))
    f.eet_combo.setCurrentIndex(f.eet_combo.findData("neet_other"))
    with qtbot.waitSignal(dialog.saved) as blocker:
        dialog.save_button.click()
    with store.reader() as s:
        p = load_profile(s, blocker.args[0], TODAY)
    assert (p.legal_name, p.preferred_name, p.date_of_birth) == (
        "Nguyễn Thị Lan",
        "Lan",
        date(2005, 1, 9),
    )
    assert p.languages == ("Vietnamese", "English")
    assert p.address == "Flat 2\nNottingham"
    assert p.legal_status == "former_relevant"
    assert (p.in_custody, p.prison, p.release_date) == (True, "HMP Example", date(2027, 3, 1))
    assert (p.accommodation_type, p.accommodation_suitable) == ("Supported lodgings", False)
    assert p.eet_status == "neet_other"
    assert p.allocated_pa == "Alex Adviser"
    assert not dialog.isVisible()


def test_editing_loads_the_profile_and_saves_changes(qtbot, open_dialog, store):
    yp_id = add_young_person(store, pronouns="he/him", accommodation_suitable=True)
    dialog = open_dialog(yp_id)
    assert dialog.form.edits["preferred_name"].text() == "Jordan"
    assert dialog.form.dates["date_of_birth"].text() == "14/05/2007"
    assert dialog.form.suitable_combo.currentData() == "yes"
    assert "Jordan" in dialog.title.text()
    dialog.form.edits["pronouns"].setText("they/them")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    with store.reader() as s:
        assert load_profile(s, yp_id).pronouns == "they/them"


def test_typing_keeps_a_draft_that_comes_back(qtbot, open_dialog, store):
    yp_id = add_young_person(store)
    dialog = open_dialog(yp_id)
    qtbot.keyClicks(dialog.form.edits["pronouns"], "she/her")
    dialog.close_keeping_draft()

    def kept() -> dict | None:
        with store.reader() as s:
            return load_draft(s, draft_key(yp_id))

    qtbot.waitUntil(lambda: kept() is not None)  # written on a worker
    assert kept()["text"]["pronouns"] == "she/her"

    again = open_dialog(yp_id)
    assert again.form.edits["pronouns"].text() == "she/her"
    assert again.restored_label.isVisible()
    again.discard_draft_button.click()
    assert again.form.edits["pronouns"].text() == ""
    qtbot.waitUntil(lambda: kept() is None)


def test_cancel_without_changes_closes_at_once(qtbot, open_dialog, store):
    dialog = open_dialog()
    dialog.cancel_button.click()
    assert not dialog.isVisible()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14/05/2007", date(2007, 5, 14)),
        ("14-5-07", date(2007, 5, 14)),
        ("14 May 2007", date(2007, 5, 14)),
        ("1st March 2026", date(2026, 3, 1)),
        ("2007-05-14", date(2007, 5, 14)),
        ("", None),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_day(typed) == expected
