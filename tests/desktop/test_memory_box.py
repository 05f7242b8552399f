"""The Virtual Memory Box: add photos and memories with who added them, the grid model,
thumbnails made off the GUI thread, the timeline, full-size view, removal with a tombstone."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListView, QMessageBox

from desktop.memory_box.add_memory_dialog import AddMemoryDialog, MemoryDetails
from desktop.memory_box.memory_box_panel import MemoryBoxPanel
from desktop.memory_box.memory_card_delegate import MemoryCardDelegate
from desktop.memory_box.memory_model import ITEM_ROLE, THUMBNAIL_ROLE, MemoryListModel
from models.repo import files
from models.schema import MemoryItem
from tests.desktop.sample_files import make_pdf, make_png
from tests.factories import add_young_person

PHOTO = MemoryDetails("photo", "First day at college", "", date(2025, 9, 4), "young_person", "")


@pytest.fixture
def yp(store):
    return add_young_person(store)


@pytest.fixture
def make_panel(qtbot, store, yp, ops):
    def make() -> MemoryBoxPanel:
        panel = MemoryBoxPanel(ops, yp)
        qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
        qtbot.addWidget(panel)
        panel.resize(1000, 700)
        return panel

    return make


def _memories(store, yp):
    with store.reader() as s:
        return files.list_memories(s, yp)


def _add_photo(qtbot, panel, path, details=PHOTO):
    if not path.exists():
        make_png(path)
    with qtbot.waitSignal(panel.memories_added, timeout=10000) as added:
        panel.import_files([path], details)
    return added.args[0][0]


def test_add_a_photo_and_a_written_memory_with_who_added_them(
    qtbot, make_panel, store, yp, tmp_path
) -> None:
    panel = make_panel()
    assert panel.empty_label.isVisibleTo(panel)
    photo_id = _add_photo(qtbot, panel, tmp_path / "src" / "college.png")
    written = MemoryDetails(
        "memory",
        "Nan's kitchen",
        "Sunday dinners at Nan's.",
        date(2015, 5, 1),
        "professional",
        "Sam Patel",
    )
    with qtbot.waitSignal(panel.memories_added, timeout=10_000) as added_written:
        panel.add_written(written)
    [memory_id] = added_written.args[0]

    by_id = {m.id: m for m in _memories(store, yp)}
    photo, memory = by_id[photo_id], by_id[memory_id]
    assert (photo.kind, photo.caption, photo.added_by_kind, photo.dated) == (
        "photo",
        "First day at college",
        "young_person",
        date(2025, 9, 4),
    )
    assert (memory.kind, memory.body, memory.added_by_name) == (
        "memory",
        "Sunday dinners at Nan's.",
        "Sam Patel",
    )
    # grid model: newest memory first, bylines say who added each
    assert panel.model.rowCount() == 2
    assert panel.model.index(0).data(ITEM_ROLE).id == photo_id
    assert panel.model.index(0).data(Qt.ItemDataRole.DisplayRole) == "First day at college"
    assert "Added by Jordan" in panel.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Sam Patel" in panel.model.index(1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert not panel.empty_label.isVisibleTo(panel)


def test_thumbnails_are_made_off_the_gui_thread_and_kept_in_memory(
    qtbot, make_panel, store, yp, tmp_path
) -> None:
    make_png(tmp_path / "src" / "big.png", (640, 480))
    make_pdf(tmp_path / "src" / "certificate.pdf", pages=1)
    panel = make_panel()
    _add_photo(qtbot, panel, tmp_path / "src" / "big.png")
    doc = MemoryDetails("document", "Swimming certificate", "", None, "young_person", "")
    _add_photo(qtbot, panel, tmp_path / "src" / "certificate.pdf", doc)
    qtbot.waitUntil(
        lambda: all(panel.model.index(r).data(THUMBNAIL_ROLE) for r in range(2)), timeout=10000
    )
    side = round(panel.delegate.unit() * 9 * panel.devicePixelRatioF())
    for row in range(2):
        pixmap = panel.model.index(row).data(THUMBNAIL_ROLE)
        assert not pixmap.isNull()
        assert max(pixmap.width(), pixmap.height()) <= side
    assert panel.thumbnails.idle()


def test_grid_and_timeline_views(qtbot, make_panel, tmp_path) -> None:
    panel = make_panel()
    _add_photo(qtbot, panel, tmp_path / "src" / "a.png")
    assert panel.view.viewMode() == QListView.ViewMode.IconMode
    assert panel.view.focusPolicy() & Qt.FocusPolicy.TabFocus  # the grid is keyboard-reachable
    panel.timeline_button.click()
    assert panel.delegate.mode == MemoryCardDelegate.TIMELINE
    assert panel.view.viewMode() == QListView.ViewMode.ListMode
    assert panel.current_state()["mode"] == "timeline"
    panel.restore_state({"mode": "grid"})
    assert panel.view.viewMode() == QListView.ViewMode.IconMode


def test_full_size_view_of_a_photo_and_a_written_memory(qtbot, make_panel, tmp_path) -> None:
    make_png(tmp_path / "src" / "p.png", (120, 90))
    panel = make_panel()
    photo_id = _add_photo(qtbot, panel, tmp_path / "src" / "p.png")
    panel.select_item(photo_id)
    panel.view_button.click()
    viewer = panel.viewer
    qtbot.waitUntil(lambda: viewer.current_image() is not None, timeout=10000)
    assert (viewer.current_image().width(), viewer.current_image().height()) == (120, 90)
    viewer.close()

    with qtbot.waitSignal(panel.memories_added, timeout=10_000) as added:
        panel.add_written(
            MemoryDetails("memory", "", "The day we went to the sea.", None, "young_person", "")
        )
    [memory_id] = added.args[0]
    panel.select_item(memory_id)
    panel.view_button.click()
    assert "The day we went to the sea." in panel.viewer.text_browser.toPlainText()
    panel.viewer.close()


def test_removing_asks_and_leaves_a_tombstone(
    qtbot, make_panel, store, yp, tmp_path, monkeypatch
) -> None:
    panel = make_panel()
    item_id = _add_photo(qtbot, panel, tmp_path / "src" / "a.png")
    panel.select_item(item_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    panel.remove_button.click()
    assert len(_memories(store, yp)) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.record_changed):
        panel.remove_button.click()
    assert _memories(store, yp) == ()
    with store.reader() as s:
        assert s.get(MemoryItem, item_id).deleted is True  # kept, not destroyed
    assert panel.model.rowCount() == 0


def test_a_written_memory_in_progress_survives_a_rebuild(qtbot, make_panel, store, yp) -> None:
    panel = make_panel()
    panel.write_button.click()
    dialog = panel.findChild(AddMemoryDialog)
    dialog.caption_edit.setText("Nan")
    dialog.body_edit.setPlainText("She taught me to make")
    dialog.added_by.young_person_radio.setChecked(True)
    panel.flush_drafts()
    dialog.close()
    panel.deleteLater()

    rebuilt = make_panel()
    assert rebuilt.continue_button.isVisibleTo(rebuilt)
    rebuilt.continue_button.click()
    dialog = rebuilt.findChild(AddMemoryDialog)
    qtbot.waitUntil(lambda: dialog.body_edit.toPlainText() == "She taught me to make")
    dialog.body_edit.setPlainText("She taught me to make bread.")
    with qtbot.waitSignal(rebuilt.memories_added):
        dialog.buttons.accepted.emit()
    assert [m.body for m in _memories(store, yp)] == ["She taught me to make bread."]
    assert not rebuilt.continue_button.isVisibleTo(rebuilt)


def test_added_by_a_professional_needs_a_name(qtbot, make_panel) -> None:
    panel = make_panel()
    panel.write_button.click()
    dialog = panel.findChild(AddMemoryDialog)
    dialog.body_edit.setPlainText("A memory")
    dialog.added_by.professional_radio.setChecked(True)
    dialog.added_by.name_edit.clear()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Name the professional" in dialog.error_label.text()
    dialog.reject()


def test_memory_model_without_a_window(store, yp) -> None:
    with store.session() as s:
        files.add_memory(
            s, yp, kind="memory", body="Line one\nLine two", memory_date=date(2019, 1, 2)
        )
        files.add_memory(
            s, yp, kind="memory", caption="Later", body="x", memory_date=date(2021, 1, 2)
        )
    model = MemoryListModel("Jordan")
    model.set_items(_memories(store, yp))
    assert [model.index(r).data() for r in range(2)] == ["Later", "Line one"]
    assert model.wanting_thumbnails() == []  # written memories have no picture to make
    assert "Written memory" in model.index(1).data(Qt.ItemDataRole.AccessibleTextRole)


def test_a_pdf_page_fitted_to_a_box_never_comes_out_bigger_than_the_box(tmp_path) -> None:
    # pdfium rounds a page's pixel size up, so a fitted page used to come out a pixel over
    # for some sides (letter-size 612 x 792 points at 126 px gave 127).
    from desktop.viewer.image_loading import render_pdf_page

    make_pdf(tmp_path / "page.pdf", pages=1)
    data = (tmp_path / "page.pdf").read_bytes()
    for side in range(40, 400, 7):
        image = render_pdf_page(data, 0, fit_side=side).image
        assert max(image.width(), image.height()) == side
    for width in range(40, 400, 7):
        assert render_pdf_page(data, 0, fit_width=width).image.width() == width


def test_a_memory_whose_date_is_not_known_keeps_no_date(qtbot, make_panel, store, yp, ops):
    panel = make_panel()
    dialog = AddMemoryDialog(ops, yp, "memory", "Jordan")
    qtbot.addWidget(dialog)
    assert dialog.date_edit.text() == "Not sure"
    dialog.body_edit.setPlainText("The summer we went to the seaside.")
    details = dialog.details()
    assert details.dated is None
    with qtbot.waitSignal(panel.memories_added, timeout=10_000):
        panel.add_written(details)
    [memory] = _memories(store, yp)
    assert memory.dated is None
    assert "Date not known" in panel.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
