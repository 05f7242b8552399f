"""Print preview of a young person's plan or keepsake book, with Print and Save as PDF.

The PDF is rendered in memory on a worker thread (TaskRunner) and shown as page images made
by pypdfium2, never via a file. "Print..." paints the pages onto the printer; "Save as PDF..."
writes only where the user chooses. Both add an audit event naming the document, not its
contents. GUI thread only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import show_error
from desktop.paths import documents_dir
from desktop.pdf_pages import render_pages
from desktop.printing.file_names import keepsake_file_name, plan_file_name
from desktop.printing.jobs import keepsake_pdf_bytes, plan_pdf_bytes, record_printed, save_pdf
from desktop.printing.theme import Variant
from desktop.tasks import TaskRunner
from models.repo.young_people import load_profile

KEEPSAKE = "keepsake"
PREVIEW_DPI = 80
MAX_PRINT_DPI = 300
CHOICES = [(v.value, v.label) for v in Variant] + [(KEEPSAKE, "Memory box keepsake book")]


class PrintPreviewDialog(QDialog):
    """Preview, print or save one young person's printed documents."""

    preview_ready = Signal(int)  # page count
    printed = Signal(str)
    saved = Signal(str)

    def __init__(self, store, tasks: TaskRunner, young_person_id: str,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._tasks = tasks
        self._young_person_id = young_person_id
        self._today = today or date.today()
        self._names = ("", "")  # preferred, legal: known once the first preview is made
        self._pdf: bytes | None = None
        self._generation = 0
        self._build_ui()
        self._connect_signals()
        self._load()

    # -- building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle("Print")
        self.resize(760, 900)
        self.choice = QComboBox()
        for key, label in CHOICES:
            self.choice.addItem(label, key)
        self.choice.setAccessibleName("What to print")
        self.status = QLabel("Preparing the preview…")
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_layout.setSpacing(16)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_box)
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save as PDF…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        top = QHBoxLayout()
        top.addWidget(QLabel("Print:"))
        top.addWidget(self.choice, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        self._set_ready(False)

    def _connect_signals(self) -> None:
        self.choice.currentIndexChanged.connect(self.on_choice_changed)
        self.print_button.clicked.connect(self.on_print_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        self._generation += 1
        generation = self._generation
        key = self.choice.currentData()
        store, yp_id = self._store, self._young_person_id
        self._set_ready(False)
        self.status.setText("Preparing the preview…")

        def job(progress, cancel):
            if key == KEEPSAKE:
                pdf = keepsake_pdf_bytes(store, yp_id, progress)
            else:
                pdf = plan_pdf_bytes(store, yp_id, key)
            with store.reader() as s:
                profile = load_profile(s, yp_id)
            names = (profile.preferred_name or profile.legal_name, profile.legal_name)
            return pdf, render_pages(pdf, PREVIEW_DPI), names

        self._tasks.run(
            job,
            on_done=lambda result: self._show(generation, *result),
            on_failed=lambda exc: self._failed(generation, exc),
            owner=self,
        )

    # -- slots -----------------------------------------------------------------------------

    def on_choice_changed(self, _index: int) -> None:
        self._load()

    def on_print_clicked(self) -> None:
        if self._pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.choice.currentText())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def on_save_clicked(self) -> None:
        if self._pdf is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", str(self.suggested_path()), "PDF files (*.pdf)"
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_to(path)

    # -- actions (also used by tests) --------------------------------------------------------

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page onto ``printer`` (GUI thread), then note it in the audit trail."""
        assert self._pdf is not None
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            painter = QPainter()
            if not painter.begin(printer):
                raise OSError("The printer could not be started.")
            try:
                count = len(self._pages)
                for index in range(count):
                    image = render_pages(self._pdf, dpi, index, index)[0]
                    _paint_page(painter, printer, image)
                    if index < count - 1:
                        printer.newPage()
            finally:
                painter.end()
            self._record_printed(self._document_name())
            self.printed.emit(self.choice.currentData())
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _record_printed(self, what: str) -> None:
        """The audit event, written on a worker (the GUI thread never opens a session)."""
        store, yp_id = self._store, self._young_person_id
        self._tasks.run(lambda _progress, _cancel: record_printed(store, yp_id, what))

    def save_to(self, path: str) -> None:
        """Write the PDF where the adviser chose, on a worker (its audit events are written to
        the store first, and the GUI thread never opens a session); ``saved`` follows."""
        assert self._pdf is not None
        store, pdf, yp_id = self._store, self._pdf, self._young_person_id
        what = f"{self._document_name()}, saved as PDF"

        def saved(notices: list[str]) -> None:
            # Leftovers of an earlier save that was cut short: say where they were.
            self.status.setText(" ".join([f"Saved to {path}.", *notices]))
            self.saved.emit(path)

        self._tasks.run(
            lambda _progress, _cancel: save_pdf(store, path, pdf, [yp_id], what),
            on_done=saved,
            on_failed=lambda exc: show_error(self, exc),
            owner=self,
        )

    # -- helpers ---------------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where Save as PDF starts: the Documents folder and a name saying whose document it
        is, what it is and when it was printed (the professional copy goes by the legal name)."""
        preferred, legal = self._names
        key = self.choice.currentData()
        if key == KEEPSAKE:
            name = keepsake_file_name(preferred, self._today)
        else:
            name = plan_file_name(legal if key == Variant.PROFESSIONAL else preferred, key,
                                  self._today)
        return documents_dir() / name

    def page_count(self) -> int:
        return len(getattr(self, "_pages", []))

    def page_image(self, index: int) -> QImage:
        return self._pages[index]

    def _document_name(self) -> str:
        key = self.choice.currentData()
        return "memory box keepsake book" if key == KEEPSAKE else f"pathway plan, {key}"

    def _show(
        self, generation: int, pdf: bytes, pages: list[QImage], names: tuple[str, str]
    ) -> None:
        if generation != self._generation:
            return  # a newer choice is being prepared
        self._names = names
        self._pdf = pdf
        self._pages = pages
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for number, image in enumerate(pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(pages)}")
            label.setStyleSheet("border: 1px solid #c8c8c8; background: white;")
            self.pages_layout.addWidget(label)
        self.status.setText(f"{len(pages)} pages. Check them, then print or save.")
        self._set_ready(True)
        self.preview_ready.emit(len(pages))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.status.setText("The preview could not be made.")
        show_error(self, exc)

    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)


def _paint_page(painter: QPainter, printer: QPrinter, image: QImage) -> None:
    """Draw a page image as large as the printable area allows, keeping its shape."""
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = (area.width() - scaled.width()) // 2
    y = (area.height() - scaled.height()) // 2
    painter.drawImage(QRect(x, y, scaled.width(), scaled.height()), image)

