"""The Memory Box items as a Qt list model, newest memory first, with thumbnails held in memory.

Thumbnails arrive later (decoded off the GUI thread by the thumbnail loader) and are kept in this
model only, never on disk; until then an item shows a placeholder. Testable without a window.
GUI thread only (QPixmap).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage, QPixmap

from desktop.bidi import isolate
from desktop.dates import format_day
from desktop.viewer.image_loading import can_preview
from desktop.viewer.item_text import added_by_text
from models.domain import MemoryKind
from models.records import StoredFile

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
YEAR_ROLE = Qt.ItemDataRole.UserRole + 2
THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 3
BYLINE_ROLE = Qt.ItemDataRole.UserRole + 4
Index = QModelIndex | QPersistentModelIndex

KIND_WORDS = {
    MemoryKind.PHOTO: "Photo",
    MemoryKind.DOCUMENT: "Document",
    MemoryKind.MEMORY: "Written memory",
}


NO_DATE_TEXT = "Date not known"


def memory_day(item: StoredFile) -> str:
    """The memory's own date; never the day it was added, which would pass for its date."""
    return format_day(item.dated) if item.dated else NO_DATE_TEXT


def memory_year(item: StoredFile) -> int:
    return (item.dated or item.added_at.astimezone().date()).year


def byline(item: StoredFile, young_person_name: str) -> str:
    """ "★ Added by Jordan" for the young person's own items, "Added by Sam Patel" otherwise."""
    who = isolate(item.added_by_name or young_person_name) or "the young person"
    if item.added_by_kind == "young_person":
        return f"\u2605 Added by {who}"
    return f"Added by {added_by_text(item)}"


def memory_title(item: StoredFile) -> str:
    if item.caption:
        return item.caption
    if item.kind == MemoryKind.MEMORY:
        first = item.body.strip().splitlines()[0] if item.body.strip() else ""
        return first[:60] + ("\u2026" if len(first) > 60 else "")
    return item.filename or KIND_WORDS.get(MemoryKind(item.kind), "Memory")


class MemoryListModel(QAbstractListModel):
    def __init__(self, young_person_name: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[StoredFile] = []
        self._thumbs: dict[str, QPixmap] = {}  # by blob address: in memory only
        self._name = young_person_name

    def set_young_person_name(self, name: str) -> None:
        self._name = name

    def set_items(self, items: tuple[StoredFile, ...] | list[StoredFile]) -> None:
        self.beginResetModel()
        self._items = list(items)
        live = {i.sha256 for i in self._items if i.sha256}
        self._thumbs = {sha: p for sha, p in self._thumbs.items() if sha in live}
        self.endResetModel()

    def items(self) -> list[StoredFile]:
        return list(self._items)

    def item_at(self, row: int) -> StoredFile:
        return self._items[row]

    def row_of(self, item_id: str) -> int:
        return next((i for i, f in enumerate(self._items) if f.id == item_id), -1)

    def wanting_thumbnails(self) -> list[StoredFile]:
        """Items with a picture to show that has not been made yet (newest first)."""
        seen: set[str] = set()
        out = []
        for item in self._items:
            sha = item.sha256
            if sha and sha not in self._thumbs and sha not in seen and can_preview(item.media_type):
                seen.add(sha)
                out.append(item)
        return out

    def has_thumbnail(self, sha256: str) -> bool:
        return sha256 in self._thumbs

    def set_thumbnail(self, sha256: str, image: QImage) -> None:
        """Show ``image`` for every item with this file (called on the GUI thread)."""
        self._thumbs[sha256] = QPixmap.fromImage(image)
        for row, item in enumerate(self._items):
            if item.sha256 == sha256:
                index = self.index(row)
                self.dataChanged.emit(index, index, [THUMBNAIL_ROLE])

    def clear_thumbnails(self) -> None:
        self._thumbs.clear()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == YEAR_ROLE:
            return memory_year(item)
        if role == THUMBNAIL_ROLE:
            return self._thumbs.get(item.sha256 or "")
        if role == BYLINE_ROLE:
            return byline(item, self._name)
        if role == Qt.ItemDataRole.DisplayRole:
            return memory_title(item)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            kind = KIND_WORDS.get(MemoryKind(item.kind), "Memory")
            return (
                f"{kind}: {memory_title(item)}. {memory_day(item)}. "
                f"{byline(item, self._name).lstrip(chr(0x2605)).strip()}."
            )
        return None
