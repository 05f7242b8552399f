"""Write one value from both versions of a text in a sync conflict, and record it.

Prefilled with both texts (the one shown now first). What is typed is kept as a draft
(``conflict:<id>``) while typed, so a lock or a crash loses nothing: opening Combine… again for
that conflict brings it back; Cancel throws it away. Saving records the choice as a resolution
through the write lane (:func:`models.merge.resolve_conflict` with ``keep="combined"``) and
discards the draft in the same transaction; a value that breaks the record's rules is explained
here and nothing is saved, the text stays. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.accessible import buddy_label, heading, message_label, show_message
from desktop.bidi import set_left_to_right
from desktop.conflicts.conflict_text import combined_prefill, headline
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.operations import Changes, Operations
from models import merge
from models.errors import PathwayDeskError
from models.repo.conflicts import ConflictDetail


class CombineDialog(QDialog):
    combined = Signal(str)  # the conflict id, once the combined value is recorded
    draft_loaded = Signal()  # the draft of an earlier visit (if any) is in the editor

    def __init__(
        self,
        ops: Operations,
        detail: ConflictDetail,
        changes: Changes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.detail = detail
        self._changes = changes
        self._typed = False  # the person has typed here (a late draft must not replace it)
        self._filling = False
        self.drafts = DraftKeeper(ops, f"conflict:{detail.id}", self)
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Combine both versions")
        self.editor = QPlainTextEdit()
        set_left_to_right(self.editor)
        self.editor.setPlainText(combined_prefill(self.detail))
        self.editor.setTabChangesFocus(True)  # Tab leaves the editor: the buttons stay reachable
        metrics = self.editor.fontMetrics()
        self.editor.setMinimumSize(metrics.averageCharWidth() * 80, metrics.lineSpacing() * 8)
        intro = QLabel(
            "Both versions are below, the one shown now first. Edit them into the one to keep, "
            "then save: every laptop will show what you write."
        )
        intro.setWordWrap(True)
        self.problem = message_label("error")
        self.problem.setAccessibleName("Problem")
        self.info = message_label("info")
        self.info.setAccessibleName("Note")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save combined version")
        self.save_button.setAccessibleName("Save combined version")
        layout = QVBoxLayout(self)
        title = heading(headline(self.detail), 2)
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.info)
        layout.addWidget(buddy_label("Combined &version:", self.editor))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.editor.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.on_buttons_rejected)
        self.editor.textChanged.connect(self.on_editor_text_changed)

    def _load(self) -> None:
        self.drafts.load(self._on_draft_loaded)

    def flush_drafts(self) -> None:
        """Save what is typed now (the main window calls this before a lock or closing)."""
        self.drafts.flush()

    def _on_draft_loaded(self, draft: dict | None) -> None:
        text = (draft or {}).get("text")
        if isinstance(text, str) and not self._typed:
            self._filling = True  # filling the editor is not typing
            self.editor.setPlainText(text)
            self._filling = False
            show_message(self.info, "Your unsaved combined version was kept; it is below.")
        self.draft_loaded.emit()

    def on_editor_text_changed(self) -> None:
        if self._filling:
            return
        self._typed = True
        self.drafts.touch({"text": self.editor.toPlainText()})

    def on_buttons_rejected(self) -> None:
        self.drafts.discard()  # the person chose not to combine
        self.reject()

    def on_buttons_accepted(self) -> None:
        value = self.editor.toPlainText().strip()
        conflict_id = self.detail.id
        self.buttons.setEnabled(False)
        show_message(self.problem, "")
        drafts = self.drafts
        drafts.forget()  # discarded in the resolution's own transaction

        def op(s: Session) -> None:
            merge.resolve_conflict(s, conflict_id, keep="combined", value=value)
            drafts.discard_in(s)

        self._ops.write(
            op,
            self._changes,
            parent=self,
            on_done=lambda _r: self._on_saved(),
            on_failed=self._on_save_failed,
            initiator=self,
        )

    def _on_saved(self) -> None:
        self.combined.emit(self.detail.id)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:  # the text stays as typed
        self.buttons.setEnabled(True)
        self.drafts.touch({"text": self.editor.toPlainText()})  # and stays kept
        if isinstance(exc, PathwayDeskError):
            show_message(self.problem, f"Not saved: {exc}")
            self.editor.setFocus()
        else:
            show_message(self.problem, "Not saved.")
            show_error(self, exc)
