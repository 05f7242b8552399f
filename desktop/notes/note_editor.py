"""Writing a contact note, or an amendment of one, inside the notes panel (not a modal dialog, so a
lock or a crash never strands it).

Notes are append-only, so nothing is saved until the adviser presses "Save note" (Ctrl+S): an
autosave would put a half-written note on the record for good. Everything typed is kept as a
draft in the encrypted store while it is typed and offered back after a lock or a crash. Saving
is one write operation: the note is added and its draft discarded in the same transaction, and
if it fails nothing was written and the text stays on screen (and in the draft).
Date and time are entered in local time and stored in UTC. GUI thread only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading, message_label, show_message
from desktop.bidi import set_left_to_right
from desktop.dates import QT_MOMENT_FORMAT
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.notes.notes_model import kind_label, when_text
from desktop.operations import Changes, Kind, Operations
from desktop.tasks import Task
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import NoteKind
from models.errors import PathwayDeskError
from models.records import Note
from models.repo import notes

NO_KIND = ""  # the "Choose…" entry: no kind of contact chosen yet

NEW = "new"
AMEND = "amend"


def editor_draft_key(young_person_id: str) -> str:
    return f"notes:{young_person_id}:editor"


class NoteEditor(QWidget):
    note_saved = Signal(object)  # the saved Note
    save_failed = Signal(str)  # why (also shown under the editor)
    editing_closed = Signal()

    def __init__(
        self, ops: Operations, young_person_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._mode = NEW
        self._amends: Note | None = None
        self._loading = False
        self._saving = False
        self.keeper = DraftKeeper(ops, editor_draft_key(young_person_id), self)
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()

    def _build_ui(self) -> None:
        self.title_label = heading("New contact note", 2)
        self.context_label = message_label("info")
        self.kind_combo = QComboBox()
        # No kind is preselected: a default would be saved for every contact nobody classified.
        self.kind_combo.addItem("Choose\u2026", NO_KIND)
        for kind in NoteKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat(QT_MOMENT_FORMAT)
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("e.g. HMP Leeds visits hall, Jordan's flat")
        self.summary_edit = QLineEdit()
        self.summary_edit.setPlaceholderText("One line: what the contact was about")
        self.narrative_edit = QPlainTextEdit()
        set_left_to_right(self.narrative_edit)
        self.narrative_edit.setTabChangesFocus(True)
        self.narrative_edit.setPlaceholderText(
            "What happened, what the young person said, what was agreed. Label opinions as "
            "opinions."
        )
        self.error_label = message_label("error")
        self.save_button = QPushButton("Save note")
        self.save_button.setAccessibleName("Save note")
        self.save_button.setToolTip(
            "Save the note (Ctrl+S). Notes cannot be changed afterwards, only amended."
        )
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Disca&rd\u2026")
        self.cancel_button.setAccessibleName("Discard this note")
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        form = QFormLayout()
        form.addRow(buddy_label("&Kind of contact:", self.kind_combo), self.kind_combo)
        form.addRow(buddy_label("Date and &time:", self.when_edit), self.when_edit)
        form.addRow(buddy_label("Pla&ce:", self.place_edit), self.place_edit)
        form.addRow(buddy_label("Summar&y:", self.summary_edit), self.summary_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.context_label)
        layout.addLayout(form)
        layout.addWidget(buddy_label("Note te&xt:", self.narrative_edit))
        layout.addWidget(self.narrative_edit, 1)
        layout.addLayout(buttons)
        self.setAccessibleName("Note editor")

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self.on_field_changed)
        self.when_edit.dateTimeChanged.connect(self.on_field_changed)
        self.place_edit.textChanged.connect(self.on_field_changed)
        self.summary_edit.textChanged.connect(self.on_field_changed)
        self.narrative_edit.textChanged.connect(self.on_field_changed)
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.save_shortcut.activated.connect(self.on_save_button_clicked)
        self.cancel_button.clicked.connect(self.on_cancel_button_clicked)

    # -- starting ----------------------------------------------------------------------------

    def start_new(self, kind: str = NO_KIND) -> None:
        self._fill(NEW, None, kind, QDateTime.currentDateTime(), "", "", "")
        self.summary_edit.setFocus()

    def start_amend(self, original: Note) -> None:
        self._fill(
            AMEND,
            original,
            original.kind,
            QDateTime(original.occurred_at.astimezone().replace(tzinfo=None)),
            original.place,
            original.summary,
            original.narrative,
        )
        self.narrative_edit.setFocus()

    def restore_draft(self, payload: dict[str, Any] | None, lookup: dict[str, Note]) -> bool:
        """Reopen the note left unsaved by a lock or crash (``payload``, the draft read with the
        notes); False if there is none."""
        if not payload:
            return False
        original = lookup.get(payload.get("amends_id") or "")
        mode = AMEND if original is not None else NEW
        when = QDateTime.fromString(payload.get("when", ""), Qt.DateFormat.ISODate)
        self._fill(
            mode,
            original,
            payload.get("kind") or NO_KIND,
            when if when.isValid() else QDateTime.currentDateTime(),
            payload.get("place", ""),
            payload.get("summary", ""),
            payload.get("narrative", ""),
        )
        show_message(
            self.context_label,
            self.context_label.text()
            + ("\n" if self.context_label.text() else "")
            + "This is the unsaved note you were writing. Save it, or discard it.",
        )
        return True

    def _fill(
        self,
        mode: str,
        original: Note | None,
        kind: str,
        when: QDateTime,
        place: str,
        summary: str,
        narrative: str,
    ) -> None:
        self._loading = True
        try:
            self._mode = mode
            self._amends = original
            self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))
            self.when_edit.setDateTime(when)
            self.place_edit.setText(place)
            self.summary_edit.setText(summary)
            self.narrative_edit.setPlainText(narrative)
        finally:
            self._loading = False
        amending = mode == AMEND and original is not None
        # An amendment may correct the contact's kind, date and place as well as its text.
        if amending:
            assert original is not None
            self.title_label.setText("Amend a note")
            show_message(
                self.context_label,
                f"Correcting the {kind_label(original.kind).lower()} note of "
                f"{when_text(original.occurred_at)}: change its text, kind, date or place. The "
                "original stays on the record, marked as amended, and your correction is shown "
                "under it.",
            )
        else:
            self.title_label.setText("New contact note")
            show_message(self.context_label, "")
        show_message(self.error_label, "")

    # -- slots -------------------------------------------------------------------------------

    def on_field_changed(self, *_args: object) -> None:
        if not self._loading:
            self.keeper.touch(self.payload())

    def on_save_button_clicked(self) -> None:
        self.save()

    def on_cancel_button_clicked(self) -> None:
        if self.has_content():
            answer = QMessageBox.question(
                self,
                "Discard note",
                "Discard this note? What you typed will be lost.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.keeper.discard()
        self.editing_closed.emit()

    # -- saving ------------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        return {
            "amends_id": self._amends.id if self._mode == AMEND and self._amends else None,
            "kind": self.kind_combo.currentData(),
            "when": self.when_edit.dateTime().toString(Qt.DateFormat.ISODate),
            "place": self.place_edit.text(),
            "summary": self.summary_edit.text(),
            "narrative": self.narrative_edit.toPlainText(),
        }

    def has_content(self) -> bool:
        text = (self.summary_edit.text() + self.narrative_edit.toPlainText()).strip()
        if self._mode == AMEND and self._amends is not None:
            return bool(self._corrections(self._amends))
        return bool(text or self.place_edit.text().strip())

    def occurred_at(self) -> datetime:
        """The date and time typed (local) as an aware UTC datetime."""
        local = self.when_edit.dateTime().toPython()
        return local.astimezone(UTC)  # a naive datetime is taken as local time

    def _corrections(self, original: Note) -> dict[str, Any]:
        """What the amendment changes: the fields (summary, narrative, kind, occurred_at,
        place) whose value differs from the original's. The time counts to the minute shown."""
        found: dict[str, Any] = {}
        summary = self.summary_edit.text().strip()
        narrative = self.narrative_edit.toPlainText().rstrip()
        if summary != original.summary.strip():
            found["summary"] = summary
        if narrative != original.narrative.rstrip():
            found["narrative"] = narrative
        kind = self.kind_combo.currentData()
        if kind != original.kind:
            found["kind"] = kind
        when = self.occurred_at()
        if when.replace(second=0, microsecond=0) != original.occurred_at.astimezone(UTC).replace(
            second=0, microsecond=0
        ):
            found["occurred_at"] = when
        place = self.place_edit.text().strip()
        if place != original.place.strip():
            found["place"] = place
        return found

    def save(self) -> Task | None:
        """Start saving the note (one write: the note, and the discarding of its draft);
        ``note_saved`` or ``save_failed`` follows. ``None`` if refused before writing."""
        if self._saving:
            return None
        summary = self.summary_edit.text().strip()
        narrative = self.narrative_edit.toPlainText().rstrip()
        amends = self._amends if self._mode == AMEND else None
        corrected = self._corrections(amends) if amends is not None else {}
        if amends is not None and not corrected:
            show_message(
                self.error_label, "Change the text, kind, date or place to make an amendment."
            )
            return None
        yp, keeper = self._yp, self.keeper
        kind, occurred_at = self.kind_combo.currentData(), self.occurred_at()
        if not kind:
            problems = ["Choose the kind of contact."]
            if not (summary or narrative.strip()):
                problems.append("Write a summary or the note itself before saving.")
            message = " ".join(problems)
            show_message(self.error_label, message)
            self.kind_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            self.save_failed.emit(message)
            return None
        place = self.place_edit.text().strip()

        def write(s) -> Note:
            if amends is not None:
                note = notes.amend_note(
                    s,
                    amends.id,
                    summary=summary,
                    narrative=narrative,
                    kind=corrected.get("kind"),
                    occurred_at=corrected.get("occurred_at"),
                    place=corrected.get("place"),
                )
            else:
                note = notes.add_note(
                    s,
                    yp,
                    kind=kind,
                    occurred_at=occurred_at,
                    place=place,
                    summary=summary,
                    narrative=narrative,
                )
            keeper.discard_in(s)
            return note

        self._saving = True
        self.save_button.setEnabled(False)
        show_message(self.error_label, "")
        keeper.forget()  # the note's transaction discards the draft
        return self._ops.write(
            write,
            Changes.of(yp, Kind.NOTES, Kind.DRAFTS),
            parent=self,
            on_done=self._on_saved,
            on_failed=self._on_save_failed,
            initiator=self,
        )

    def _on_saved(self, note: Note) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.note_saved.emit(note)

    def _on_save_failed(self, exc: BaseException) -> None:
        # Nothing was written, the draft included: the text stays on screen and is kept again.
        self._saving = False
        self.save_button.setEnabled(True)
        self.keeper.touch(self.payload())
        if isinstance(exc, PathwayDeskError):
            show_message(self.error_label, str(exc))
            self.save_failed.emit(str(exc))
        else:
            self.save_failed.emit("")
            show_error(self, exc)

    def flush_draft(self) -> None:
        self.keeper.flush()
