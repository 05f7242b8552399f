"""Batch printing: many plans into one PDF, for example every plan due for review this month.

The adviser picks a month and a print variant, ticks the young people (those due for review that
month, and any overdue, are listed), chooses where to save, and the plans are rendered on a
worker thread with a progress dialog (TaskRunner) into one PDF written only to that path.
GUI thread only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.bidi import isolate
from desktop.errors import show_error
from desktop.paths import documents_dir
from desktop.printing.blocks import fmt_date
from desktop.printing.file_names import batch_file_name
from desktop.printing.jobs import batch_plans_pdf, due_for_review, save_pdf
from desktop.printing.theme import Variant
from desktop.tasks import TaskRunner
from desktop.widgets.wheel_guard import guard_wheel
from models.errors import Cancelled

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class BatchPrintDialog(QDialog):
    """Choose young people and print their plans into one PDF the user saves."""

    batch_saved = Signal(str, int)  # path, number of plans
    loaded = Signal()  # the plans due are listed

    def __init__(self, store, tasks: TaskRunner, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._tasks = tasks
        self._today = today or date.today()
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Batch print plans")
        self.resize(680, 560)  # room for name, legal name, birth date and review
        self.month = QDateEdit(QDate(self._today.year, self._today.month, 1))
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCalendarPopup(True)
        self.include_overdue = QCheckBox("Include plans already overdue for review")
        self.include_overdue.setChecked(True)
        self.variant = QComboBox()
        for v in Variant:
            self.variant.addItem(v.label, v.value)
        self.model = QStandardItemModel(self)
        self.people = QListView()
        self.people.setModel(self.model)
        self.people.setAccessibleName("Young people to print")
        self.summary = QLabel()
        self.select_all = QPushButton("Select all")
        self.select_none = QPushButton("Select none")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.print_button = self.buttons.addButton(
            "Print to PDF…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        form = QFormLayout()
        form.addRow("Plans due for review in:", self.month)
        form.addRow("", self.include_overdue)
        form.addRow("Print as:", self.variant)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.select_all)
        layout.addWidget(self.select_none)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.month.dateChanged.connect(lambda _d: self._load())
        self.include_overdue.toggled.connect(lambda _c: self._load())
        self.select_all.clicked.connect(lambda: self._check_all(True))
        self.select_none.clicked.connect(lambda: self._check_all(False))
        self.model.itemChanged.connect(lambda _i: self._update_summary())
        self.buttons.accepted.connect(self.on_print_clicked)
        self.buttons.rejected.connect(self.reject)

    def _load(self) -> None:
        start = self.month.date().toPython().replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        store, today = self._store, self._today
        self._tasks.run(  # read on a worker: the GUI thread never opens a store session
            lambda _progress, _cancel: due_for_review(store, start, end, today),
            on_done=lambda rows: self._show(rows, start),
            owner=self,
        )

    def _show(self, rows: list, start) -> None:
        if not self.include_overdue.isChecked():
            rows = [r for r in rows if r.next_review and r.next_review >= start]
        self.model.clear()
        for r in rows:
            item = QStandardItem(_row_text(r))
            item.setData(r.id, ID_ROLE)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked)
            item.setEditable(False)
            self.model.appendRow(item)
        self._update_summary()
        self.loaded.emit()

    # -- slots -----------------------------------------------------------------------------

    def on_print_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save plans as PDF", str(self.suggested_path()), "PDF files (*.pdf)"
        )
        if path:
            self.print_to(path if path.lower().endswith(".pdf") else path + ".pdf")

    # -- actions ---------------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where Save offers to put the batch: the Documents folder, a name with the month,
        the print variant and today's date."""
        month = self.month.date().toPython().replace(day=1)
        return documents_dir() / batch_file_name(month, self.variant.currentData(), self._today)

    def selected_ids(self) -> list[str]:
        return [
            self.model.item(row).data(ID_ROLE)
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def print_to(self, path: str) -> None:
        """Render the ticked plans on a worker and save them to ``path`` (chosen by the user)."""
        ids = self.selected_ids()
        variant = self.variant.currentData()
        store, today = self._store, self._today

        def job(progress, cancel):
            pdf = batch_plans_pdf(store, ids, variant, progress, cancel, today)
            save_pdf(store, path, pdf, ids, f"pathway plan, {variant}, batch")
            return len(ids)

        self.print_button.setEnabled(False)
        self._tasks.run(
            job,
            on_done=lambda count: self._done(path, count),
            on_failed=self._failed,
            label=f"Printing {len(ids)} plans…",
            parent_widget=self,
            cancellable=True,
            owner=self,
        )

    def _done(self, path: str, count: int) -> None:
        self.print_button.setEnabled(True)
        self.summary.setText(f"Saved {count} plans to {path}.")
        # Done: what is left is to close the dialog, not to cancel anything.
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            self.buttons.removeButton(cancel)
            cancel.deleteLater()
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.batch_saved.emit(path, count)

    def _failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.summary.setText("Cancelled; nothing was saved.")
            return
        show_error(self, exc)

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.model.rowCount()):
            self.model.item(row).setCheckState(state)

    def _update_summary(self) -> None:
        count = len(self.selected_ids())
        total = self.model.rowCount()
        self.summary.setText(f"{count} of {total} plans selected." if total
                             else "No plans are due for review in this month.")
        self.print_button.setEnabled(count > 0)


def _row_text(r) -> str:
    """Preferred name, legal name (when different) and date of birth: three young people called
    Yasir can be told apart."""
    different = r.legal_name.strip() != r.preferred_name.strip()
    legal = f" ({isolate(r.legal_name)})" if different else ""
    late = " (overdue)" if r.review_overdue else ""
    return (
        f"{isolate(r.preferred_name)}{legal}, born {fmt_date(r.date_of_birth)}: "
        f"review {fmt_date(r.next_review)}{late}"
    )
