"""Describe the documents being added: category, title, date, caption, who added them.

Asked before the import starts, so cancelling here writes nothing. GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, message_label, show_message, wrapped
from desktop.widgets.added_by_field import AddedByField
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import AddedBy, DocumentCategory


@dataclass(frozen=True)
class DocumentDetails:
    category: str
    title: str  # "" means: each file's own name
    dated: date | None
    caption: str
    added_by_kind: str
    added_by_name: str


def title_from_filename(path: Path) -> str:
    return path.stem.replace("_", " ").replace("-", " ").strip().capitalize() or path.name


class AddDocumentDialog(QDialog):
    def __init__(
        self,
        paths: list[Path],
        young_person_name: str,
        professional_name: str,
        category: str = DocumentCategory.OTHER.value,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._yp_name = young_person_name
        self._pro_name = professional_name
        self._category = category
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()

    def _build_ui(self) -> None:
        n = len(self._paths)
        self.setWindowTitle("Add a document" if n == 1 else f"Add {n} documents")
        names = ", ".join(p.name for p in self._paths[:5]) + (" \u2026" if n > 5 else "")
        self.category_combo = QComboBox()
        for c in DocumentCategory:
            self.category_combo.addItem(c.label, c.value)
        self.category_combo.setCurrentIndex(max(self.category_combo.findData(self._category), 0))
        self.title_edit = QLineEdit(title_from_filename(self._paths[0]) if n == 1 else "")
        if n > 1:
            self.title_edit.setEnabled(False)
            self.title_edit.setPlaceholderText("Each document is named after its file")
        self.date_edit = OptionalDateEdit("Date of the document", "Not known")
        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText("A few words: what it is, why it matters")
        self.added_by = AddedByField(self._yp_name, self._pro_name, AddedBy.PROFESSIONAL)
        self.error_label = message_label("error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add")

        form = QFormLayout()
        form.addRow(buddy_label("Ca&tegory:", self.category_combo), self.category_combo)
        form.addRow(buddy_label("T&itle:", self.title_edit), self.title_edit)
        form.addRow(buddy_label("Dat&e:", self.date_edit), self.date_edit)
        form.addRow(buddy_label("&Caption:", self.caption_edit), self.caption_edit)
        form.addRow(buddy_label("Added &by:", self.added_by), self.added_by)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(f"File{'s' if n > 1 else ''}: {names}"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(
            wrapped("The file is encrypted as it is copied in; the original is not changed.")
        )
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def on_buttons_accepted(self) -> None:
        if self.added_by.kind() == AddedBy.PROFESSIONAL and not self.added_by.name():
            show_message(self.error_label, "Name the professional who is adding this.")
            self.added_by.name_edit.setFocus()
            return
        self.accept()

    def details(self) -> DocumentDetails:
        return DocumentDetails(
            category=self.category_combo.currentData(),
            title=self.title_edit.text().strip() if len(self._paths) == 1 else "",
            dated=self.date_edit.value(),
            caption=self.caption_edit.text().strip(),
            added_by_kind=self.added_by.kind(),
            added_by_name=self.added_by.name(),
        )
