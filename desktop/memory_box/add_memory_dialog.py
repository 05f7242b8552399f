"""Adding to the Memory Box: a photo or a document (with a caption), or a written memory, with
when it was and who is adding it (the young person by default: it is their box).

A written memory is kept as a draft while it is typed (a young person may be writing it during a
visit) and offered back the next time, so a lock or a crash loses nothing. Prompts help start a
story. Asked before any file is imported, so cancelling writes nothing. GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, message_label, show_message, wrapped
from desktop.bidi import isolate
from desktop.drafts import DraftKeeper
from desktop.operations import Operations
from desktop.widgets.added_by_field import AddedByField
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import AddedBy, MemoryKind

PROMPTS = (
    "What happened that day? Who was there?",
    "A place that matters to you, and why.",
    "Someone who made a difference, and what they did.",
    "Something you are proud of.",
    "A smell, a song or a meal that takes you back.",
    "What would you like to remember about this year?",
)


@dataclass(frozen=True)
class MemoryDetails:
    kind: str
    caption: str
    body: str
    dated: date | None
    added_by_kind: str
    added_by_name: str


def written_draft_key(young_person_id: str) -> str:
    return f"memory_box:{young_person_id}:written"


class AddMemoryDialog(QDialog):
    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        kind: str,
        young_person_name: str,
        paths: list[Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._kind = kind
        self._name = young_person_name or "the young person"
        self._paths = paths or []
        self._prompt = 0
        self._loading = False
        self._keeper = (
            DraftKeeper(ops, written_draft_key(young_person_id), self)
            if kind == MemoryKind.MEMORY
            else None
        )
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        written = self._kind == MemoryKind.MEMORY
        titles = {
            MemoryKind.PHOTO: "Add a photo",
            MemoryKind.DOCUMENT: "Add a document",
            MemoryKind.MEMORY: "Write a memory",
        }
        self.setWindowTitle(titles[MemoryKind(self._kind)])
        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText(
            "A title for it" if written else "What is this? Who is in it?"
        )
        self.body_edit = QPlainTextEdit()
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setPlaceholderText(f"In {isolate(self._name)}'s own words\u2026")
        self.prompt_label = wrapped(PROMPTS[0])
        self.prompt_label.setAccessibleName("Idea to start")
        self.prompt_button = QPushButton("Another &idea")
        self.date_edit = OptionalDateEdit("When was this?", "Not sure")
        self.added_by = AddedByField(self._name, self._ops.store.owner_name, AddedBy.YOUNG_PERSON)
        self.error_label = message_label("error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add to the Memory Box")

        form = QFormLayout()
        if self._paths:
            names = ", ".join(p.name for p in self._paths[:4])
            form.addRow("File:" if len(self._paths) == 1 else "Files:", wrapped(names))
        form.addRow(
            buddy_label("&Title:" if written else "&Caption:", self.caption_edit),
            self.caption_edit,
        )
        if written:
            prompts = QHBoxLayout()
            prompts.addWidget(self.prompt_label, 1)
            prompts.addWidget(self.prompt_button)
            form.addRow(buddy_label("&Memory:", self.body_edit), self.body_edit)
            form.addRow("Stuck?", prompts)
        form.addRow(buddy_label("&When was this?", self.date_edit), self.date_edit)
        form.addRow(buddy_label("Added &by:", self.added_by), self.added_by)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.body_edit.setVisible(written)
        self.prompt_label.setVisible(written)
        self.prompt_button.setVisible(written)
        unit = self.fontMetrics()
        self.resize(unit.averageCharWidth() * 80, unit.height() * (26 if written else 14))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.prompt_button.clicked.connect(self.on_prompt_button_clicked)
        for signal in (self.caption_edit.textChanged, self.body_edit.textChanged):
            signal.connect(self.on_field_changed)
        self.date_edit.dateChanged.connect(self.on_field_changed)

    def _load(self) -> None:
        if self._keeper is not None:
            self._keeper.load(self._on_draft_loaded)

    def _on_draft_loaded(self, payload: dict | None) -> None:
        if not payload or not shiboken6.isValid(self):
            return
        self._loading = True
        try:
            self.caption_edit.setText(payload.get("caption", ""))
            self.body_edit.setPlainText(payload.get("body", ""))
            dated = payload.get("dated")
            self.date_edit.set_value(date.fromisoformat(dated) if dated else None)
            self.added_by.set_value(
                payload.get("added_by_kind", AddedBy.YOUNG_PERSON),
                payload.get("added_by_name", ""),
            )
        finally:
            self._loading = False
        show_message(self.error_label, "This is the memory you had started; carry on writing.")

    # -- slots -------------------------------------------------------------------------------

    def on_prompt_button_clicked(self) -> None:
        self._prompt = (self._prompt + 1) % len(PROMPTS)
        self.prompt_label.setText(PROMPTS[self._prompt])

    def on_field_changed(self, *_args: object) -> None:
        if self._keeper is None or self._loading:
            return
        d = self.details()
        self._keeper.touch(
            {
                "caption": d.caption,
                "body": d.body,
                "dated": d.dated.isoformat() if d.dated else None,
                "added_by_kind": d.added_by_kind,
                "added_by_name": d.added_by_name,
            }
        )

    def on_buttons_accepted(self) -> None:
        if self._kind == MemoryKind.MEMORY and not self.body_edit.toPlainText().strip():
            show_message(self.error_label, "Write the memory before adding it.")
            self.body_edit.setFocus()
            return
        if self.added_by.kind() == AddedBy.PROFESSIONAL and not self.added_by.name():
            show_message(self.error_label, "Name the professional who is adding this.")
            self.added_by.name_edit.setFocus()
            return
        self.accept()

    # -- results -----------------------------------------------------------------------------

    def details(self) -> MemoryDetails:
        return MemoryDetails(
            kind=self._kind,
            caption=self.caption_edit.text().strip(),
            body=self.body_edit.toPlainText().strip() if self._kind == MemoryKind.MEMORY else "",
            dated=self.date_edit.value(),
            added_by_kind=self.added_by.kind(),
            added_by_name=self.added_by.name(),
        )

    def flush_drafts(self) -> None:
        """Called by the main window before a lock, and by the panel."""
        if self._keeper is not None:
            self._keeper.flush()

    @property
    def keeper(self) -> DraftKeeper | None:
        """The draft of a written memory (``None`` for photos and documents)."""
        return self._keeper

    def discard_draft(self) -> None:
        """The memory was deliberately thrown away."""
        if self._keeper is not None:
            self._keeper.discard()
