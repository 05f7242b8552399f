"""The selected document's details: title, category, date and caption (editable), who added it
and the file (read only: the record of who added what does not change).

Saved when the adviser leaves a field; kept as a draft (one per young person) while typed, so a
lock or a crash loses nothing. GUI thread only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.accessible import buddy_label, heading, wrapped
from desktop.dates import format_day
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.viewer.item_text import added_by_text, size_text
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import DocumentCategory
from models.records import StoredFile
from models.repo import files


class DocumentDetailsForm(QWidget):
    saved = Signal()

    def __init__(
        self, ops: Operations, young_person_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._item: StoredFile | None = None
        self._loading = False
        self.keeper = DraftKeeper(ops, f"documents:{young_person_id}:details", self)
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self.set_item(None)

    def _build_ui(self) -> None:
        self.title_edit = QLineEdit()
        self.category_combo = QComboBox()
        for c in DocumentCategory:
            self.category_combo.addItem(c.label, c.value)
        self.date_edit = OptionalDateEdit("Date of the document", "Not known")
        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText("What it is, why it matters")
        self.added_label = wrapped("")
        self.added_label.setAccessibleName("Added by")
        self.file_label = wrapped("")
        self.file_label.setAccessibleName("File")
        self.hint_label = wrapped("Changes are saved when you leave a field.")
        self.hint_label.setProperty("secondary", True)
        self.empty_label = wrapped("Choose a document to see its details.")

        form = QFormLayout()
        form.addRow(buddy_label("&Title:", self.title_edit), self.title_edit)
        form.addRow(buddy_label("Cate&gory:", self.category_combo), self.category_combo)
        form.addRow(buddy_label("Dat&e:", self.date_edit), self.date_edit)
        form.addRow(buddy_label("Capt&ion:", self.caption_edit), self.caption_edit)
        form.addRow(QLabel("Added by:"), self.added_label)
        form.addRow(QLabel("File:"), self.file_label)
        self.fields = QWidget()
        self.fields.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Details", 3))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.fields)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.title_edit.textEdited.connect(self.on_field_edited)
        self.caption_edit.textEdited.connect(self.on_field_edited)
        self.date_edit.dateChanged.connect(self.on_field_edited)
        self.category_combo.currentIndexChanged.connect(self.on_field_edited)
        self.title_edit.editingFinished.connect(self.save)
        self.caption_edit.editingFinished.connect(self.save)
        self.date_edit.editingFinished.connect(self.save)
        self.category_combo.activated.connect(lambda _i: self.save())

    def set_item(self, item: StoredFile | None, young_person_name: str = "") -> None:
        self._item = item
        self.fields.setVisible(item is not None)
        self.hint_label.setVisible(item is not None)
        self.empty_label.setVisible(item is None)
        if item is None:
            return
        self._show(item.title, item.category, item.dated, item.caption)
        self.added_label.setText(
            f"{added_by_text(item, young_person_name)}, on {format_day(item.added_at.astimezone())}"
        )
        self.file_label.setText(f"{item.filename} ({item.media_type}, {size_text(item.size)})")

    def _show(self, title: str, category: str, dated: date | None, caption: str) -> None:
        self._loading = True
        try:
            self.title_edit.setText(title)
            self.category_combo.setCurrentIndex(max(self.category_combo.findData(category), 0))
            self.date_edit.set_value(dated)
            self.caption_edit.setText(caption)
        finally:
            self._loading = False

    # -- drafts ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title_edit.text().strip(),
            "category": self.category_combo.currentData(),
            "document_date": self.date_edit.value(),
            "caption": self.caption_edit.text().strip(),
        }

    def changes(self) -> dict[str, Any]:
        if self._item is None:
            return {}
        stored = {
            "title": self._item.title,
            "category": self._item.category,
            "document_date": self._item.dated,
            "caption": self._item.caption,
        }
        return {k: v for k, v in self.values().items() if v != stored[k]}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    @staticmethod
    def draft_item_id(payload: dict[str, Any] | None) -> str | None:
        return payload.get("id") if payload else None

    def restore_draft(self, payload: dict[str, Any] | None) -> None:
        """Show the unsaved details left by a lock or crash (``payload``, read with the
        documents; the item must be set already)."""
        if not payload or self._item is None or payload.get("id") != self._item.id:
            return
        dated = payload.get("document_date")
        self._show(
            payload.get("title", self._item.title),
            payload.get("category", self._item.category),
            date.fromisoformat(dated) if dated else None,
            payload.get("caption", self._item.caption),
        )

    def flush_draft(self) -> None:
        self.keeper.flush()

    # -- slots -------------------------------------------------------------------------------

    def on_field_edited(self, *_args: object) -> None:
        if self._loading or self._item is None:
            return
        values = self.values()
        dated = values["document_date"]
        values["document_date"] = dated.isoformat() if dated else None
        self.keeper.touch({"id": self._item.id, **values})

    def save(self) -> bool:
        """Queue a write of the changed details (the draft discarded in the same transaction);
        ``saved`` follows. True: queued, or nothing to save."""
        changes = self.changes()
        item = self._item
        if not changes or item is None:
            return True
        if "title" in changes and not changes["title"]:
            changes["title"] = item.filename  # a document always has a name
        keeper = self.keeper
        payload = {"id": item.id, **self._draft_values()}
        # What the form shows from now on is the stored item with the changes.
        self._item = replace(
            item,
            title=changes.get("title", item.title),
            category=changes.get("category", item.category),
            dated=changes.get("document_date", item.dated),
            caption=changes.get("caption", item.caption),
        )
        keeper.forget()

        def write(s) -> None:
            files.update_document(s, item.id, **changes)
            keeper.discard_in(s)

        def failed(exc: BaseException) -> None:  # nothing written: keep the draft again
            if self._item is not None and self._item.id == item.id:
                self._item = item
            keeper.touch(payload)
            show_error(self, exc)

        self._ops.write(
            write,
            Changes.of(self._yp, Kind.DOCUMENTS, Kind.DRAFTS),
            parent=self,
            on_done=lambda _r: self.saved.emit(),
            on_failed=failed,
        )
        return True

    def _draft_values(self) -> dict[str, Any]:
        values = self.values()
        dated = values["document_date"]
        values["document_date"] = dated.isoformat() if dated else None
        return values
