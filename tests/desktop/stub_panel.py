"""A minimal panel that keeps the workspace contract, for testing locks and drafts without the
real Notes/Plan panels: one text box whose text is kept as a draft while typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from desktop.drafts import DraftKeeper
from desktop.operations import Operations


class StubPanel(QWidget):
    loaded = Signal()

    def __init__(
        self, ops: Operations, young_person_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.young_person_id = young_person_id
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Stub text")
        QVBoxLayout(self).addWidget(self.editor)
        self.drafts = DraftKeeper(ops, f"stub:{young_person_id}", self)
        self.drafts.load(self.on_drafts_loaded)
        self.editor.textChanged.connect(self.on_editor_text_changed)
        self.restored: dict | None = None

    def on_drafts_loaded(self, draft: dict | None) -> None:
        if draft:
            self.editor.setPlainText(draft["text"])
        self.loaded.emit()

    def on_editor_text_changed(self) -> None:
        self.drafts.touch({"text": self.editor.toPlainText()})

    def flush_drafts(self) -> None:
        self.drafts.flush()

    def current_state(self) -> dict:
        return {"cursor": self.editor.textCursor().position()}

    def restore_state(self, state: dict) -> None:
        self.restored = state
