"""The main window end to end: find and open a young person by keyboard, a new referral,
back to the caseload, audit events, drafts flushed on close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop.caseload.profile_dialog import ProfileDialog
from desktop.operations import Changes, Kind
from desktop.settings import LAST_STORE_FOLDER
from models.repo.audit import recent_events
from models.repo.drafts import load_draft
from models.repo.young_people import update_young_person
from models.store import Store
from tests.desktop.conftest import row_names
from tests.factories import PASSPHRASE


def test_unlock_shows_the_caseload_and_audits_it(qtbot, make_window, caseload_folder, settings):
    window = make_window(caseload_folder)
    assert window.stack.currentWidget() is window.caseload_view
    assert sorted(row_names(window)) == ["Amira", "Lan", "Tesfay"]
    assert settings.get(LAST_STORE_FOLDER) == str(caseload_folder)
    assert window.caseload_view.count_label.text() == "3 young people"
    with window.store.reader() as s:
        assert [e.action for e in recent_events(s)] == ["unlock"]
    assert "Alex Adviser" in window.status_label.text()


def test_find_and_open_a_young_person_with_the_keyboard(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    view = window.caseload_view
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.filter_edit)
    qtbot.keyClicks(view.filter_edit, "nguyen")  # the legal name, typed without accents
    assert view.proxy.rowCount() == 1
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    workspace = window.workspace
    assert workspace is not None
    qtbot.waitUntil(lambda: workspace.name_label.text() == "Lan")  # read on a worker
    assert window.stack.currentWidget() is workspace

    def viewed() -> list:
        with window.store.reader() as s:
            return [e.young_person_id for e in recent_events(s) if e.action == "view"]

    qtbot.waitUntil(lambda: viewed() == [workspace.young_person_id])  # written on a worker

    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()  # Esc goes up from whatever has the focus
    assert workspace.isAncestorOf(focused)
    qtbot.keyClick(focused, Qt.Key.Key_Escape)  # back to the caseload, same person selected
    assert window.workspace is None
    assert window.stack.currentWidget() is view
    assert view.selected_id() == workspace.young_person_id


def test_enter_in_the_find_box_opens_the_only_match(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    view = window.caseload_view
    view.focus_filter()
    qtbot.keyClicks(view.filter_edit, "tesf")
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert window.workspace is not None
    qtbot.waitUntil(lambda: window.workspace.name_label.text() == "Tesfay")
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.workspace is None


def test_workspace_tabs_custody_and_placeholders(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    rows = {r.preferred_name: r.id for r in window.caseload_view.model.rows()}
    window.open_young_person(rows["Amira"])
    qtbot.waitSignal(window.workspace.header_loaded).wait()
    titles = [window.workspace.tabs.tabText(i) for i in range(window.workspace.tabs.count())]
    assert titles == ["&Overview", "&Notes", "&Documents"]  # no Custody tab
    window.workspace.show_tab("documents")
    page = window.workspace.panels["documents"]
    assert "not available" in page.findChild(QLabel).text()

    window.open_young_person(rows["Tesfay"])
    workspace = window.workspace
    qtbot.waitSignal(workspace.header_loaded).wait()
    assert workspace.tabs.tabText(workspace.tabs.count() - 1) == "C&ustody"
    assert [b.text() for b in workspace.findChildren(QLabel) if b.property("badge")] == ["Custody"]
    overview = workspace.overview
    assert overview.profile.prison == "HMYOI Example"
    qtbot.keyClick(workspace, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert workspace.current_key() == "notes"


def test_new_referral_opens_and_appears_in_the_caseload(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.profile_dialog
    assert isinstance(dialog, ProfileDialog)
    assert dialog.young_person_id is None
    qtbot.waitUntil(lambda: dialog.form.edits["allocated_pa"].text() == "Alex Adviser")
    qtbot.keyClicks(dialog.form.edits["legal_name"], "Dawit Haile")
    qtbot.keyClicks(dialog.form.dates["date_of_birth"], "02/03/2008")
    dialog.form.flags["uasc"].setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert window.profile_dialog is None
    # Their record opens at once; the caseload is re-read on the way back to it.
    assert window.workspace is not None
    assert window.workspace.young_person_id == dialog.young_person_id
    with qtbot.waitSignal(window.caseload_loaded):  # the caseload is re-read off-thread
        window.back_to_caseload()
    assert "Dawit Haile" in row_names(window)  # preferred name defaults to the legal one
    view = window.caseload_view
    new_id = view.selected_id()
    assert new_id == dialog.young_person_id
    assert view.model.rows()[view.model.row_of(new_id)].circumstances == ("uasc",)


def test_editing_the_profile_updates_the_workspace(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    window.open_young_person(window.caseload_view.model.rows()[0].id)
    qtbot.waitSignal(window.workspace.header_loaded).wait()
    window.workspace.overview.edit_button.click()
    dialog = window.profile_dialog
    qtbot.waitSignal(dialog.loaded).wait()
    dialog.form.edits["preferred_name"].setText("Mira")
    dialog.form.flags["is_parent"].setChecked(True)
    with qtbot.waitSignal(window.workspace.header_loaded):  # re-read from the announcement
        dialog.save_button.click()
    assert window.workspace.name_label.text() == "Mira"
    with qtbot.waitSignal(window.caseload_loaded):
        window.back_to_caseload()
    assert "Mira" in row_names(window)


def test_closing_the_window_flushes_drafts(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    yp_id = window.caseload_view.model.rows()[0].id
    window.open_young_person(yp_id)
    qtbot.waitSignal(window.workspace.header_loaded).wait()
    window.workspace.show_tab("notes")
    window.workspace.panels["notes"].editor.setPlainText("typed just before closing")
    window.close()
    assert window.store is None
    store = Store.open(caseload_folder, PASSPHRASE)
    with store.reader() as s:
        assert load_draft(s, f"stub:{yp_id}") == {"text": "typed just before closing"}
    store.close()


def test_every_control_on_the_main_screens_has_an_accessible_name(
    qtbot, make_window, caseload_folder
):
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QTableView

    window = make_window(caseload_folder)
    window.open_young_person(window.caseload_view.model.rows()[0].id)
    for screen in (window.caseload_view, window.workspace.overview, window.unlock_view):
        controls = [
            w
            for kind in (QAbstractButton, QLineEdit, QTableView)
            for w in screen.findChildren(kind)
        ]
        for widget in controls:
            if widget.isVisibleTo(screen) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                assert widget.accessibleName() or widget.text(), widget


def test_views_refresh_from_the_announcement_of_any_write(qtbot, make_window, caseload_folder):
    """A write made anywhere (here straight through the operation layer, as a sync would)
    refreshes the workspace header, its tabs and, on the way back, the caseload: no view is
    wired to another."""
    window = make_window(caseload_folder)
    amira = next(r.id for r in window.caseload_view.model.rows() if r.preferred_name == "Amira")
    window.open_young_person(amira)
    workspace = window.workspace
    qtbot.waitSignal(workspace.header_loaded).wait()
    assert "C&ustody" not in [workspace.tabs.tabText(i) for i in range(workspace.tabs.count())]

    def write(s) -> None:
        update_young_person(s, amira, preferred_name="Mira", in_custody=True, prison="HMP Leeds")

    with qtbot.waitSignal(workspace.header_loaded, timeout=10_000):
        window.ops.write(write, Changes.of(amira, Kind.PROFILE), parent=None)
    assert workspace.name_label.text() == "Mira"
    assert workspace.tabs.tabText(workspace.tabs.count() - 1) == "C&ustody"
    with qtbot.waitSignal(window.caseload_loaded, timeout=10_000):
        window.back_to_caseload()
    assert "Mira" in row_names(window)
