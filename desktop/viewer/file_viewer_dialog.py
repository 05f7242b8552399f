"""Full-size view of a life-story document or memory-box item, inside the app.

Photos are decoded and PDF pages rendered from the decrypted bytes in memory (on a worker
thread, see :mod:`desktop.viewer.image_loading`); nothing is written to disk. Written memories
show their text. Any other kind of file says it cannot be shown here and offers "Save a copy…":
writing plaintext to disk is then the adviser's explicit choice (and is audited).
Keys: Page Up / Page Down turn pages; Ctrl++ and Ctrl+- zoom; Ctrl+0 fits the window.
GUI thread only.
"""

from __future__ import annotations

import html
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading, wrapped
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.viewer.image_loading import (
    IMAGE_TYPES,
    PDF_TYPE,
    RenderedPage,
    decode_image,
    read_for_view,
    render_pdf_page,
)
from desktop.viewer.item_text import item_meta_text
from models.records import StoredFile
from models.repo.audit import record_event
from sync.client import fetch_file

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0


class FileViewerDialog(QDialog):
    content_shown = Signal()  # a picture, page, text or "cannot be shown" is on screen
    copy_saved = Signal(str)  # the path of a copy the adviser chose to save

    def __init__(
        self,
        ops: Operations,
        item: StoredFile,
        young_person_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._store = ops.store
        self._tasks = ops.tasks
        self._item = item
        self._yp = young_person_id
        self._image: QImage | None = None  # the photo at full size, or the page as rendered
        self._pdf: bytes | None = None  # held in memory only, dropped on close
        self._page = 0
        self._page_w = 1.0  # width of the current PDF page in points
        self.page_count = 0
        self._zoom: float | None = None  # None: fit the window
        self._generation = 0
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        item = self._item
        self.setWindowTitle(item.title or item.filename or "Memory")
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setAccessibleName(item.title or item.filename or "Picture")
        self.image_label.setAccessibleDescription(item.caption)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setAccessibleName("Picture")
        self.text_browser = QTextBrowser()
        self.text_browser.setAccessibleName("Written memory")
        self.message_label = wrapped("Opening\u2026")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for page in (self.message_label, self.scroll, self.text_browser):
            self.stack.addWidget(page)

        self.prev_button = QPushButton("\u25c0 &Previous page")
        self.prev_button.setAccessibleName("Previous page")
        self.page_spin = QSpinBox()
        self.page_spin.setMinimum(1)
        self.page_of_label = QLabel()
        self.next_button = QPushButton("&Next page \u25b6")
        self.next_button.setAccessibleName("Next page")
        self.zoom_out_button = QPushButton("Zoom &out")
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_in_button = QPushButton("Zoom &in")
        self.fit_button = QPushButton("&Fit")
        self.fit_button.setAccessibleName("Fit to the window")
        self.save_copy_button = QPushButton("&Save a copy\u2026")
        self.save_copy_button.setAccessibleName("Save a copy of the file to disk")
        self.close_button = QPushButton("&Close")
        for b in (self.zoom_out_button, self.zoom_in_button, self.close_button):
            b.setAccessibleName(b.text().replace("&", ""))

        self.page_row = QWidget()
        pages = QHBoxLayout(self.page_row)
        pages.setContentsMargins(0, 0, 0, 0)
        pages.addWidget(self.prev_button)
        pages.addWidget(buddy_label("Pa&ge:", self.page_spin))
        pages.addWidget(self.page_spin)
        pages.addWidget(self.page_of_label)
        pages.addWidget(self.next_button)
        self.zoom_row = QWidget()
        zooms = QHBoxLayout(self.zoom_row)
        zooms.setContentsMargins(0, 0, 0, 0)
        zooms.addWidget(self.zoom_out_button)
        zooms.addWidget(self.zoom_label)
        zooms.addWidget(self.zoom_in_button)
        zooms.addWidget(self.fit_button)
        tools = QHBoxLayout()
        tools.addWidget(self.page_row)
        tools.addStretch(1)
        tools.addWidget(self.zoom_row)
        tools.addStretch(1)
        tools.addWidget(self.save_copy_button)
        tools.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(item.title or item.filename or "A written memory", 2))
        self.meta_label = wrapped(item_meta_text(item))
        self.meta_label.setAccessibleName("About this item")
        layout.addWidget(self.meta_label)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        self.shortcuts = {
            "next": QShortcut(QKeySequence(Qt.Key.Key_PageDown), self),
            "prev": QShortcut(QKeySequence(Qt.Key.Key_PageUp), self),
            "in": QShortcut(QKeySequence.StandardKey.ZoomIn, self),
            "out": QShortcut(QKeySequence.StandardKey.ZoomOut, self),
            "fit": QShortcut(QKeySequence("Ctrl+0"), self),
        }
        unit = self.fontMetrics()
        self.resize(unit.averageCharWidth() * 120, unit.height() * 42)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(self.on_prev_button_clicked)
        self.next_button.clicked.connect(self.on_next_button_clicked)
        self.page_spin.editingFinished.connect(self.on_page_spin_editing_finished)
        self.zoom_in_button.clicked.connect(self.on_zoom_in_button_clicked)
        self.zoom_out_button.clicked.connect(self.on_zoom_out_button_clicked)
        self.fit_button.clicked.connect(self.on_fit_button_clicked)
        self.save_copy_button.clicked.connect(self.on_save_copy_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self.shortcuts["next"].activated.connect(self.on_next_button_clicked)
        self.shortcuts["prev"].activated.connect(self.on_prev_button_clicked)
        self.shortcuts["in"].activated.connect(self.on_zoom_in_button_clicked)
        self.shortcuts["out"].activated.connect(self.on_zoom_out_button_clicked)
        self.shortcuts["fit"].activated.connect(self.on_fit_button_clicked)
        self._refit.timeout.connect(self.on_refit_timeout)

    def _load(self) -> None:
        item = self._item
        self.page_row.setVisible(item.media_type == PDF_TYPE)
        self.zoom_row.setVisible(item.media_type == PDF_TYPE or item.media_type in IMAGE_TYPES)
        self.save_copy_button.setVisible(item.sha256 is not None)
        if item.sha256 is None:  # a written memory
            self.text_browser.setHtml(
                "<div style='font-size:large'>"
                + html.escape(item.body).replace("\n", "<br>")
                + "</div>"
            )
            self.stack.setCurrentWidget(self.text_browser)
            self.content_shown.emit()
        elif item.media_type in IMAGE_TYPES:
            self._run(
                lambda blobs: decode_image(read_for_view(blobs, item.sha256)), self._show_photo
            )
        elif item.media_type == PDF_TYPE:
            self._run(lambda blobs: read_for_view(blobs, item.sha256), self._on_pdf_read)
        else:
            self._show_message(
                f"{item.filename or 'This file'} ({item.media_type}) cannot be shown inside "
                "Pathway Desk. Use \u201cSave a copy\u2026\u201d to open it in another program; "
                "the copy is not encrypted, so delete it when you are done."
            )

    # -- slots -------------------------------------------------------------------------------

    def on_prev_button_clicked(self) -> None:
        self.show_page(self._page - 1)

    def on_next_button_clicked(self) -> None:
        self.show_page(self._page + 1)

    def on_page_spin_editing_finished(self) -> None:
        self.show_page(self.page_spin.value() - 1)

    def on_zoom_in_button_clicked(self) -> None:
        self._set_zoom(self.effective_zoom() * ZOOM_STEP)

    def on_zoom_out_button_clicked(self) -> None:
        self._set_zoom(self.effective_zoom() / ZOOM_STEP)

    def on_fit_button_clicked(self) -> None:
        self._set_zoom(None)

    def on_refit_timeout(self) -> None:
        """After a resize, a picture shown "fit to window" is fitted again."""
        if self._zoom is None and self._image is not None:
            self._set_zoom(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._refit.start()

    def on_save_copy_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a copy (not encrypted)", self._item.filename or "file"
        )
        if path:
            self.save_copy_to(Path(path))

    # -- viewing -----------------------------------------------------------------------------

    def current_image(self) -> QImage | None:
        """What is on screen: the photo, or the PDF page as rendered (for tests and printing)."""
        return self._image

    def show_page(self, index: int) -> None:
        if self._pdf is None or not self.page_count:
            return
        index = min(max(index, 0), self.page_count - 1)
        if index != self._page or self._image is None:
            self._page = index
            self._render_page()

    def effective_zoom(self) -> float:
        """Displayed size relative to actual size (a PDF point or a photo pixel per pixel)."""
        if self._zoom is not None:
            return self._zoom
        if self._pdf is not None and self._image is not None:
            return self._image.width() / self._image.devicePixelRatio() / max(self._page_w, 1)
        if self._image is not None:
            return self._fit_factor(self._image.width(), self._image.height())
        return 1.0

    def save_copy_to(self, dest: Path) -> None:
        """Decrypt the file to ``dest`` (a place the adviser chose) on a worker thread."""
        sha = self._item.sha256
        if sha is None:
            return
        blobs = self._store.blob_store()

        def job(progress, cancel):  # type: ignore[no-untyped-def]
            return blobs.export_to(sha, dest, progress=progress, cancel=cancel)

        ops, yp = self._ops, self._yp

        def done(_info: object) -> None:
            if ops.is_open:
                ops.write(
                    lambda s: record_event(s, "export", yp, "saved a copy of one file"),
                    Changes.of(yp, Kind.AUDIT),
                    parent=None,
                )
            if shiboken6.isValid(self):
                self.copy_saved.emit(str(dest))

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                show_error(self, exc)

        self._tasks.run(
            job,
            on_done=done,
            on_failed=failed,
            label="Saving a copy\u2026",
            parent_widget=self,
            cancellable=True,
        )

    # -- helpers -----------------------------------------------------------------------------

    def _run(self, work, on_done) -> None:  # type: ignore[no-untyped-def]
        self._generation += 1
        generation = self._generation
        store, sha = self._store, self._item.sha256
        blobs = store.blob_store()
        if sha and not blobs.exists(sha):
            # A large file stays on the hub until someone opens it: fetch it first.
            self._show_message("Fetching this file from the hub…")
            inner = work

            def work(blobs):  # type: ignore[no-untyped-def]
                fetch_file(store, sha)
                return inner(blobs)

        def done(result: object) -> None:
            # Dropped if the viewer was closed meanwhile, or a later request replaced this one.
            if shiboken6.isValid(self) and generation == self._generation:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self) and generation == self._generation:
                self._on_failed(exc)

        self._tasks.run(lambda _progress, _cancel: work(blobs), on_done=done, on_failed=failed)

    def _on_failed(self, exc: BaseException) -> None:
        self._show_message(f"{exc}")
        show_error(self, exc)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setAccessibleName(text)
        self.stack.setCurrentWidget(self.message_label)
        self.content_shown.emit()

    def _show_photo(self, image: QImage) -> None:
        self._image = image
        self._display()

    def _on_pdf_read(self, data: bytes) -> None:
        self._pdf = data
        self._page_w = 1.0
        self._render_page()

    def _render_page(self) -> None:
        assert self._pdf is not None
        data, index = self._pdf, self._page
        ratio = self.devicePixelRatioF()
        zoom = self._zoom
        width = max(self.scroll.viewport().width() - 24, 200)
        if zoom is None:
            self._run(
                lambda _b: render_pdf_page(data, index, fit_width=round(width * ratio)),
                self._on_page_rendered,
            )
        else:
            self._run(lambda _b: render_pdf_page(data, index, zoom * ratio), self._on_page_rendered)

    def _on_page_rendered(self, page: RenderedPage) -> None:
        self.page_count = page.page_count
        self._page = page.page_index
        self._page_w = page.page_size[0]
        image = page.image
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._image = image
        self.page_spin.setMaximum(page.page_count)
        self.page_spin.setValue(page.page_index + 1)
        self.page_of_label.setText(f"of {page.page_count}")
        self.page_spin.setAccessibleName(f"Page, of {page.page_count}")
        self.prev_button.setEnabled(page.page_index > 0)
        self.next_button.setEnabled(page.page_index < page.page_count - 1)
        self.image_label.setPixmap(QPixmap.fromImage(image))
        self._after_display()

    def _fit_factor(self, w: int, h: int) -> float:
        view = self.scroll.viewport().size()
        return min(1.0, (view.width() - 8) / max(w, 1), (view.height() - 8) / max(h, 1))

    def _display(self) -> None:
        assert self._image is not None
        zoom = self.effective_zoom()
        ratio = self.devicePixelRatioF()
        w = max(1, round(self._image.width() * zoom * ratio))
        h = max(1, round(self._image.height() * zoom * ratio))
        scaled = self._image.scaled(
            w, h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.image_label.setPixmap(pixmap)
        self._after_display()

    def _after_display(self) -> None:
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%")
        self.stack.setCurrentWidget(self.scroll)
        self.content_shown.emit()

    def _set_zoom(self, zoom: float | None) -> None:
        if self._image is None:
            return
        self._zoom = None if zoom is None else min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        if self._pdf is not None:
            self._render_page()
        else:
            self._display()

    def done(self, result: int) -> None:
        # Drop the decrypted bytes and pictures as soon as the viewer closes.
        self._generation += 1
        self._pdf = None
        self._image = None
        self.image_label.clear()
        super().done(result)
