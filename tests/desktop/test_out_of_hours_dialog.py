"""The out-of-hours service printed on every plan is set in the app and kept in the store."""

from __future__ import annotations

from desktop.operations import ChangeAnnouncer, Operations
from desktop.settings_ui.out_of_hours_dialog import OutOfHoursDialog
from models.domain import OUT_OF_HOURS_NAME_KEY, OUT_OF_HOURS_PHONE_KEY
from models.repo import services
from tests.factories import make_store


def test_saving_the_out_of_hours_service(qtbot, tmp_path, tasks):
    with make_store(tmp_path / "store") as store:
        dialog = OutOfHoursDialog(Operations(store, tasks, ChangeAnnouncer()))
        qtbot.addWidget(dialog)
        qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
        assert dialog.phone_edit.text() == ""  # unset: nothing made up
        dialog.name_edit.setText("Nottinghamshire Emergency Duty Team")
        dialog.phone_edit.setText("0300 456 4546")
        with qtbot.waitSignal(dialog.accepted):
            dialog.on_buttons_accepted()
        with store.reader() as s:
            meta = services.out_of_hours(s)
        assert meta[OUT_OF_HOURS_NAME_KEY] == "Nottinghamshire Emergency Duty Team"
        assert meta[OUT_OF_HOURS_PHONE_KEY] == "0300 456 4546"


def test_a_wrong_number_is_refused_and_nothing_saved(qtbot, tmp_path, tasks):
    with make_store(tmp_path / "store") as store:
        dialog = OutOfHoursDialog(Operations(store, tasks, ChangeAnnouncer()))
        qtbot.addWidget(dialog)
        qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
        dialog.phone_edit.setText("call Sam")
        dialog.on_buttons_accepted()
        assert "digits" in dialog.problem.text()
        with store.reader() as s:
            assert OUT_OF_HOURS_PHONE_KEY not in services.out_of_hours(s)
