"""Life-story documents: import (with progress), categories, details, viewing in memory, errors,
and no plaintext left on disk."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

import desktop.documents.file_import as file_import_module
from desktop.documents.add_document_dialog import AddDocumentDialog, DocumentDetails
from desktop.documents.documents_model import (
    CategoryListModel,
    DocumentCategoryFilter,
    DocumentsTableModel,
)
from desktop.documents.documents_panel import DocumentsPanel
from desktop.documents.file_import import import_job
from models.errors import Cancelled, ImportFailed
from models.progress import CancelToken
from models.repo import files
from tests.desktop.sample_files import make_pdf, make_png
from tests.factories import add_young_person

DETAILS = DocumentDetails(
    category="certificate",
    title="",
    dated=date(2024, 7, 1),
    caption="GCSE results",
    added_by_kind="professional",
    added_by_name="Sam Patel",
)


@pytest.fixture
def yp(store):
    return add_young_person(store)


@pytest.fixture
def make_panel(qtbot, store, yp, ops):
    def make() -> DocumentsPanel:
        panel = DocumentsPanel(ops, yp)
        qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
        qtbot.addWidget(panel)
        panel.resize(1000, 700)
        return panel

    return make


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "source"
    pdf, png = folder / "results.pdf", folder / "photo_of_certificate.png"
    marker = make_pdf(pdf, pages=2)
    png_bytes = make_png(png, (80, 60))
    return {"pdf": pdf, "png": png, "marker": marker, "png_bytes": png_bytes, "folder": folder}


def _documents(store, yp):
    with store.reader() as s:
        return files.list_documents(s, yp)


def _import(qtbot, panel, paths, details=DETAILS):
    progress: list[tuple[int, int]] = []
    with qtbot.waitSignal(panel.documents_added, timeout=10000) as added:
        task = panel.import_files(paths, details)
        task.progressed.connect(lambda d, t: progress.append((d, t)))
    return added.args[0], progress


def test_import_a_pdf_and_a_png_with_progress(qtbot, make_panel, store, yp, sources) -> None:
    panel = make_panel()
    ids, progress = _import(qtbot, panel, [sources["pdf"], sources["png"]])
    assert len(ids) == 2
    total = sources["pdf"].stat().st_size + sources["png"].stat().st_size
    assert progress and progress[-1] == (total, total)
    assert all(t == total for _, t in progress)
    docs = {d.filename: d for d in _documents(store, yp)}
    pdf = docs["results.pdf"]
    assert (pdf.category, pdf.title, pdf.caption, pdf.dated) == (
        "certificate",
        "results",
        "GCSE results",
        date(2024, 7, 1),
    )
    assert (pdf.added_by_kind, pdf.added_by_name, pdf.media_type) == (
        "professional",
        "Sam Patel",
        "application/pdf",
    )
    assert docs["photo_of_certificate.png"].media_type == "image/png"
    assert panel.model.rowCount() == 2
    assert panel.selected_document().id == ids[0]
    assert panel.category_model.data(panel.category_model.index(0)) == "All documents (2)"
    assert panel.status_label.text() == "Added 2 documents."


def test_viewer_renders_a_pdf_page_and_an_image_in_memory(qtbot, make_panel, sources) -> None:
    panel = make_panel()
    ids, _ = _import(qtbot, panel, [sources["pdf"], sources["png"]])
    panel.select_document(ids[0])
    panel.view_button.click()
    viewer = panel.viewer
    qtbot.waitUntil(lambda: viewer.current_image() is not None, timeout=10000)
    assert viewer.page_count == 2
    assert not viewer.current_image().isNull()
    assert viewer.page_of_label.text() == "of 2"
    with qtbot.waitSignal(viewer.content_shown, timeout=10000):
        viewer.next_button.click()
    assert viewer.page_spin.value() == 2 and not viewer.next_button.isEnabled()
    before = viewer.current_image().width()
    with qtbot.waitSignal(viewer.content_shown, timeout=10000):
        viewer.zoom_in_button.click()
    assert viewer.current_image().width() > before
    viewer.close()

    panel.select_document(ids[1])
    panel.view_button.click()
    viewer = panel.viewer
    qtbot.waitUntil(lambda: viewer.current_image() is not None, timeout=10000)
    image = viewer.current_image()
    assert (image.width(), image.height()) == (80, 60)
    assert not viewer.page_row.isVisible()
    viewer.close()


def test_a_missing_file_gives_a_clear_error_and_adds_nothing(
    qtbot, make_panel, store, yp, sources, monkeypatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(file_import_module, "show_error", lambda _w, exc: shown.append(exc))
    panel = make_panel()
    missing = sources["folder"] / "gone.pdf"
    panel.import_files([sources["pdf"], missing], DETAILS)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    [error] = shown
    assert isinstance(error, ImportFailed)
    assert "gone.pdf" in str(error) and "does not exist" in str(error)
    assert "Nothing was added" in str(error)
    assert panel.status_label.text() == "Nothing was added."
    assert _documents(store, yp) == ()
    blobs = store.blob_store().folder
    assert [p for p in blobs.rglob("*") if p.is_file()] == []  # checked before any import


def test_a_cancelled_import_writes_nothing(store, sources) -> None:
    token = CancelToken()
    token.cancel()
    job = import_job(store.blob_store(), [sources["pdf"]], lambda imported: imported)
    with pytest.raises(Cancelled):
        job(lambda d, t: None, token)
    assert [p for p in store.blob_store().folder.rglob("*") if p.is_file()] == []


def test_other_file_types_offer_save_a_copy(qtbot, make_panel, store, sources, tmp_path) -> None:
    odd = sources["folder"] / "notes.xyz"
    odd.write_bytes(b"not a picture")
    panel = make_panel()
    ids, _ = _import(qtbot, panel, [odd])
    panel.select_document(ids[0])
    panel.view_button.click()
    viewer = panel.viewer
    assert "cannot be shown" in viewer.message_label.text()
    assert viewer.save_copy_button.isVisibleTo(viewer)
    dest = tmp_path / "chosen" / "copy.xyz"
    dest.parent.mkdir()
    with qtbot.waitSignal(viewer.copy_saved, timeout=10000):
        viewer.save_copy_to(dest)
    assert dest.read_bytes() == b"not a picture"


def test_details_are_saved_and_their_draft_survives_a_rebuild(
    qtbot, make_panel, store, yp, sources
) -> None:
    panel = make_panel()
    ids, _ = _import(qtbot, panel, [sources["pdf"]])
    form = panel.form
    form.title_edit.setText("GCSE certificate")
    form.title_edit.textEdited.emit("GCSE certificate")
    with qtbot.waitSignal(panel.record_changed):
        form.title_edit.editingFinished.emit()
    assert _documents(store, yp)[0].title == "GCSE certificate"

    form.caption_edit.setText("Maths and English")
    form.caption_edit.textEdited.emit("Maths and English")
    panel.flush_drafts()
    panel.deleteLater()
    rebuilt = make_panel()
    assert rebuilt.selected_document().id == ids[0]
    assert rebuilt.form.caption_edit.text() == "Maths and English"
    assert rebuilt.form.is_dirty()
    with qtbot.waitSignal(rebuilt.record_changed, timeout=10_000):
        assert rebuilt.form.save()
    assert _documents(store, yp)[0].caption == "Maths and English"


def test_filter_by_category_and_remove(qtbot, make_panel, store, yp, sources, monkeypatch) -> None:
    panel = make_panel()
    _import(qtbot, panel, [sources["pdf"]])
    other = DocumentDetails("id", "Passport", None, "", "young_person", "")
    _import(qtbot, panel, [sources["png"]], other)
    panel.set_category("id")
    assert panel.proxy.rowCount() == 1
    assert panel.selected_document().title == "Passport"
    assert panel.selected_document().added_by_kind == "young_person"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.record_changed):
        panel.remove_button.click()
    assert [d.title for d in _documents(store, yp)] == ["results"]
    assert panel.category_model.data(panel.category_model.index(0)) == "All documents (1)"


def test_dropping_files_asks_for_details_then_imports(qtbot, make_panel, store, yp, sources):
    panel = make_panel()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sources["png"]))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)
    qtbot.waitUntil(lambda: bool(panel.findChildren(AddDocumentDialog)), timeout=5000)
    dialog = panel.findChildren(AddDocumentDialog)[0]
    assert dialog.title_edit.text() == "Photo of certificate"
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("letter"))
    with qtbot.waitSignal(panel.documents_added, timeout=10000):
        dialog.buttons.accepted.emit()
    [doc] = _documents(store, yp)
    assert (doc.title, doc.category, doc.added_by_name) == (
        "Photo of certificate",
        "letter",
        store.owner_name,
    )


def test_models_without_a_window(store, yp, sources) -> None:
    blobs = store.blob_store()
    with store.session() as s:
        for category, title in (("id", "Passport"), ("letter", "Offer letter"), ("id", "Card")):
            files.add_document(
                s,
                yp,
                blob=blobs.put_bytes(title.encode()),
                filename=f"{title}.pdf",
                title=title,
                category=category,
            )
    items = _documents(store, yp)
    model = DocumentsTableModel("Jordan")
    model.set_items(items)
    proxy = DocumentCategoryFilter()
    proxy.setSourceModel(model)
    proxy.set_category("id")
    assert sorted(proxy.index(r, 0).data() for r in range(proxy.rowCount())) == [
        "Card",
        "Passport",
    ]
    counts = CategoryListModel()
    counts.set_items(list(items))
    assert counts.data(counts.index(counts.row_of("id"))) == "ID (2)"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Added by"


def _files_under(folder: Path, since: float, skip: Path):
    for root, _dirs, names in os.walk(folder):
        if Path(root).is_relative_to(skip):
            continue
        for name in names:
            path = Path(root) / name
            try:
                st = path.stat()
                if st.st_mtime < since or st.st_size > 64 * 1024 * 1024 or not path.is_file():
                    continue
                yield path, path.read_bytes()
            except OSError:
                continue


def test_no_plaintext_on_disk_after_importing_and_viewing(
    qtbot, make_panel, store, sources
) -> None:
    started = time.time() - 2
    panel = make_panel()
    ids, _ = _import(qtbot, panel, [sources["pdf"], sources["png"]])
    for item_id in ids:
        panel.select_document(item_id)
        panel.view_button.click()
        viewer = panel.viewer
        qtbot.waitUntil(lambda v=viewer: v.current_image() is not None, timeout=10000)
        viewer.close()
    # Unique to this test's files: the PDF's random marker (its text is uncompressed) and a
    # run of the PNG's random pixel data.
    needles = [
        sources["marker"].encode(),
        sources["png_bytes"][len(sources["png_bytes"]) // 2 :][:48],
    ]
    seen = 0
    for folder in (store.folder, Path(tempfile.gettempdir())):
        for path, data in _files_under(folder, started, sources["folder"]):
            seen += 1
            for needle in needles:
                assert needle not in data, f"plaintext of an imported file found in {path}"
    assert seen > 0  # the store's own files were looked at
