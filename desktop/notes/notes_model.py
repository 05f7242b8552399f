"""The contact-notes timeline as a Qt model: newest contact first, each amendment right under the
note it corrects, filtered by kind through a proxy. Testable without a window. GUI thread only.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.dates import format_moment
from models.domain import VISIT_KINDS, NoteKind
from models.records import Note

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
HTML_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex
ALL_KINDS = ""
VISITS = "visits"


def when_text(moment: datetime) -> str:
    """A stored UTC time as the adviser's local time: "Mon 2 Nov 2026, 14:30"."""
    return format_moment(moment)


def kind_label(kind: str) -> str:
    try:
        return NoteKind(kind).label
    except ValueError:
        return kind


def note_accessible_text(note: Note) -> str:
    parts = [when_text(note.occurred_at), kind_label(note.kind)]
    if note.place:
        parts.append(f"at {note.place}")
    if note.amends_id:
        parts.insert(0, "Amendment")
    if note.amended_by:
        parts.append("amended")
    first_line = note.narrative.strip().splitlines()[0] if note.narrative.strip() else ""
    parts.append(note.summary or first_line)
    return ". ".join(p for p in parts if p)


def note_card_html(note: Note, excerpt_lines: int = 3) -> str:
    """The note as a card in the timeline (rich text for QTextDocument)."""
    e = html.escape
    head = f"<b>{e(when_text(note.occurred_at))}</b> \u00b7 {e(kind_label(note.kind))}"
    if note.place:
        head += f" \u00b7 {e(note.place)}"
    tags = ""
    if note.amends_id:
        tags = (
            "<span style='background:#fff1c2; color:#5a4300'>&nbsp;\u270e AMENDMENT&nbsp;</span> "
            f"written {e(when_text(note.created_at))} by {e(note.author)}, correcting the note "
            "above<br>"
        )
    elif note.amended_by:
        tags = (
            "<span style='background:#e4e4e4; color:#333333'>&nbsp;AMENDED&nbsp;</span> "
            "the original stays on the record; the correction follows<br>"
        )
    lines = note.narrative.strip().splitlines()
    excerpt = "<br>".join(e(line) for line in lines[:excerpt_lines])
    if len(lines) > excerpt_lines:
        excerpt += " \u2026"
    lines = [head]
    if note.summary:
        lines.append(f"<b>{e(note.summary)}</b>")
    if excerpt:
        lines.append(excerpt)
    if not note.amends_id:
        lines.append(f"<i>Written by {e(note.author)}</i>")
    return tags + "<br>".join(lines)


class NotesTimelineModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []
        self._by_id: dict[str, Note] = {}

    def set_notes(self, notes: tuple[Note, ...] | list[Note]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self._by_id = {n.id: n for n in self._notes}
        self.endResetModel()

    def note(self, note_id: str) -> Note | None:
        return self._by_id.get(note_id)

    def notes_by_id(self) -> dict[str, Note]:
        return dict(self._by_id)

    def row_of(self, note_id: str) -> int:
        return next((i for i, n in enumerate(self._notes) if n.id == note_id), -1)

    def chain(self, note: Note) -> list[Note]:
        """The original contact note and every amendment of it, oldest first."""
        root = note
        while root.amends_id and root.amends_id in self._by_id:
            root = self._by_id[root.amends_id]
        out = [root]
        queue = list(root.amended_by)
        while queue:
            n = self._by_id.get(queue.pop(0))
            if n is not None:
                out.append(n)
                queue.extend(n.amended_by)
        return out

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        note = self._notes[index.row()]
        if role == NOTE_ROLE:
            return note
        if role == KIND_ROLE:
            return note.kind
        if role == HTML_ROLE:
            return note_card_html(note)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return note_accessible_text(note)
        return None


class NoteKindFilter(QSortFilterProxyModel):
    """Shows every note, the face-to-face visits, or one kind."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._kind = ALL_KINDS

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if self._kind == ALL_KINDS:
            return True
        kind = self.sourceModel().index(source_row, 0, source_parent).data(KIND_ROLE)
        if self._kind == VISITS:
            return kind in VISIT_KINDS
        return kind == self._kind
