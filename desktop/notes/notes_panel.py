"""Contact and visit notes of one young person: a timeline (newest first, filtered by kind) beside
the selected note in full, or the note editor while one is being written.

Notes are append-only: "Amend…" writes a correction that appears under the original, which stays
visible and is marked "Amended". An unsaved note survives a lock or a crash as a draft and is
reopened when the panel is built again. The panel reads through the operation layer and re-reads
its notes after each change to them that is announced. GUI thread only.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading
from desktop.bidi import isolate, set_left_to_right
from desktop.notes.note_card_delegate import NoteCardDelegate
from desktop.notes.note_editor import NoteEditor, editor_draft_key
from desktop.notes.notes_model import (
    ALL_KINDS,
    NOTE_ROLE,
    VISITS,
    NoteKindFilter,
    NotesTimelineModel,
    kind_label,
    when_text,
)
from desktop.operations import Changes, Kind, Operations
from models.domain import NoteKind
from models.records import Note
from models.repo import notes
from models.repo.drafts import load_draft
from models.repo.young_people import load_profile


def note_detail_html(chain: list[Note]) -> str:
    """The whole contact: the original note, then each amendment, all text in full."""
    e = html.escape
    original = chain[0]
    out = [
        f"<h2>{e(kind_label(original.kind))}</h2>",
        f"<p><b>{e(when_text(original.occurred_at))}</b>"
        + (f" \u00b7 {e(original.place)}" if original.place else "")
        + "</p>",
    ]
    for i, note in enumerate(chain):
        if i == 0:
            label = "Original note" + (" (amended: see below)" if len(chain) > 1 else "")
        else:
            label = f"Amendment {i}"
        out.append(
            f"<h3>{label}</h3><p><i>Written by {e(note.author)} on "
            f"{e(when_text(note.created_at))}</i></p>"
        )
        if note.summary:
            out.append(f"<p><b>{e(note.summary)}</b></p>")
        out.append("<p>" + e(note.narrative).replace("\n", "<br>") + "</p>")
    return "".join(out)


class NotesPanel(QWidget):
    record_changed = Signal()  # a note saved here is on the timeline
    loaded = Signal()  # the notes as last read are shown

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._name = ""
        self._select_next: str | None = None  # a note just saved, selected once it is read
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setAccessibleName("Contact notes")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("All kinds of contact", ALL_KINDS)
        self.kind_combo.addItem("Face-to-face visits", VISITS)
        for kind in NoteKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.new_button = QPushButton("N&ew note")
        self.new_button.setAccessibleName("New note")
        self.new_button.setToolTip("Write a new contact note (Ctrl+N)")
        self.amend_button = QPushButton("&Amend\u2026")
        self.amend_button.setAccessibleName("Amend the selected note")
        self.amend_button.setToolTip("Correct the selected note; the original stays on the record")
        self.amend_button.setEnabled(False)
        self.new_shortcut = QShortcut(QKeySequence("Ctrl+Shift+N"), self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.model = NotesTimelineModel(self)
        self.proxy = NoteKindFilter(self)
        self.proxy.setSourceModel(self.model)
        self.timeline = QListView()
        self.timeline.setModel(self.proxy)
        self.timeline.setAccessibleName("Timeline of contact notes, newest first")
        self.timeline.setItemDelegate(NoteCardDelegate(self.timeline))
        self.timeline.setResizeMode(QListView.ResizeMode.Adjust)
        self.timeline.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.timeline.setSpacing(3)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setWordWrap(True)
        self.detail_browser = QTextBrowser()
        set_left_to_right(self.detail_browser)
        self.detail_browser.setAccessibleName("The selected note in full")
        self.editor = NoteEditor(self._ops, self._yp)
        self.right = QStackedWidget()
        self.right.addWidget(self.detail_browser)
        self.right.addWidget(self.editor)

        top = QHBoxLayout()
        top.addWidget(heading("Contact notes", 1), 1)
        top.addWidget(buddy_label("Sho&w:", self.kind_combo))
        top.addWidget(self.kind_combo)
        top.addWidget(self.amend_button)
        top.addWidget(self.new_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.timeline)
        splitter.addWidget(self.right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([500, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self.on_kind_combo_current_index_changed)
        self.new_button.clicked.connect(self.on_new_button_clicked)
        self.new_shortcut.activated.connect(self.on_new_button_clicked)
        self.amend_button.clicked.connect(self.on_amend_button_clicked)
        self.timeline.selectionModel().currentChanged.connect(self.on_timeline_current_changed)
        self.timeline.activated.connect(self.on_timeline_activated)
        self.editor.note_saved.connect(self.on_editor_note_saved)
        self.editor.editing_closed.connect(self.on_editor_editing_closed)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        """One read: the name, the notes and the unsaved note, if a lock or crash left one."""
        yp = self._yp

        def read(s) -> tuple[str, tuple[Note, ...], dict | None]:
            return (
                load_profile(s, yp).preferred_name,
                tuple(notes.list_notes(s, yp)),
                load_draft(s, editor_draft_key(yp)),
            )

        self._ops.read(read, parent=self, on_done=self._on_loaded)

    def _on_loaded(self, read: tuple[str, tuple[Note, ...], dict | None]) -> None:
        self._name, timeline, draft = read
        self.model.set_notes(timeline)
        if self.editor.restore_draft(draft, self.model.notes_by_id()):
            self.right.setCurrentWidget(self.editor)
        elif self.proxy.rowCount():
            self._select_row(0)
        else:
            self.detail_browser.setHtml(
                f"<p>No notes yet. Press <b>New note</b> (Ctrl+N) to record a contact with "
                f"{html.escape(isolate(self._name))}.</p>"
            )
        self.loaded.emit()

    # -- the panel contract ------------------------------------------------------------------

    def flush_drafts(self) -> None:
        self.editor.flush_draft()

    def current_state(self) -> dict[str, Any]:
        note = self.selected_note()
        return {"kind": self.kind_combo.currentData(), "note": note.id if note else None}

    def restore_state(self, state: dict[str, Any]) -> None:
        i = self.kind_combo.findData(state.get("kind", ALL_KINDS))
        if i >= 0:
            self.kind_combo.setCurrentIndex(i)
        if state.get("note") and self.right.currentWidget() is not self.editor:
            self.select_note(state["note"])

    # -- selection ---------------------------------------------------------------------------

    def selected_note(self) -> Note | None:
        index = self.timeline.currentIndex()
        return index.data(NOTE_ROLE) if index.isValid() else None

    def select_note(self, note_id: str) -> None:
        row = self.model.row_of(note_id)
        if row < 0:
            return
        proxy_index = self.proxy.mapFromSource(self.model.index(row))
        if proxy_index.isValid():
            self._select_row(proxy_index.row())

    def set_kind_filter(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def _select_row(self, row: int) -> None:
        self.timeline.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    # -- slots -------------------------------------------------------------------------------

    def on_kind_combo_current_index_changed(self, _index: int) -> None:
        self.proxy.set_kind(self.kind_combo.currentData())
        if self.proxy.rowCount() and not self.timeline.currentIndex().isValid():
            self._select_row(0)

    def event(self, event: QEvent) -> bool:
        # In the Notes tab Ctrl+N means a new note, not the window's "New young person": taking
        # the shortcut-override turns it into a key press that reaches keyPressEvent below.
        if event.type() == QEvent.Type.ShortcutOverride and _is_new_note_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if _is_new_note_key(event):
            self.on_new_button_clicked()
            return
        super().keyPressEvent(event)

    def on_new_button_clicked(self) -> None:
        if self.right.currentWidget() is self.editor and self.editor.has_content():
            self.editor.summary_edit.setFocus()  # one note at a time; finish this one first
            return
        self.editor.start_new()
        self.right.setCurrentWidget(self.editor)
        self.editor.summary_edit.setFocus()

    def on_amend_button_clicked(self) -> None:
        note = self.selected_note()
        if note is None:
            return
        if self.right.currentWidget() is self.editor and self.editor.has_content():
            self.editor.narrative_edit.setFocus()
            return
        self.editor.start_amend(note)
        self.right.setCurrentWidget(self.editor)
        self.editor.narrative_edit.setFocus()

    def on_timeline_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        note = current.data(NOTE_ROLE) if current.isValid() else None
        self.amend_button.setEnabled(note is not None)
        if note is not None:
            self.detail_browser.setHtml(note_detail_html(self.model.chain(note)))
            if self.right.currentWidget() is not self.editor:
                self.right.setCurrentWidget(self.detail_browser)

    def on_timeline_activated(self, _index: QModelIndex) -> None:
        self.detail_browser.setFocus()  # Enter on a note: read it in full

    def on_editor_note_saved(self, note: Note) -> None:
        # The announcement of the save re-reads the notes; the new one is selected then.
        self._select_next = note.id
        self.right.setCurrentWidget(self.detail_browser)
        self.timeline.setFocus()

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self._yp) and changes.touches(Kind.NOTES):
            self._reload()

    def on_editor_editing_closed(self) -> None:
        self.right.setCurrentWidget(self.detail_browser)
        self.timeline.setFocus()

    # -- helpers -----------------------------------------------------------------------------

    def _reload(self) -> None:
        yp = self._yp
        self._ops.read(
            lambda s: tuple(notes.list_notes(s, yp)), parent=self, on_done=self._on_reloaded
        )

    def _on_reloaded(self, timeline: tuple[Note, ...]) -> None:
        current = self.selected_note()
        self.model.set_notes(timeline)
        select, self._select_next = self._select_next, None
        if select is not None or current is not None:
            self.select_note(select or current.id)  # type: ignore[union-attr]
        self.loaded.emit()
        if select is not None:
            self.record_changed.emit()


_NEW_NOTE_KEY = QKeySequence("Ctrl+N")


def _is_new_note_key(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and QKeySequence(event.keyCombination()) == _NEW_NOTE_KEY
