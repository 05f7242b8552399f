"""Qt models of the life-story documents: the table (title, category, date, added by, file),
a proxy that filters it by category, and the list of categories with how many each holds.
Testable without a window. GUI thread only.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from desktop.dates import format_day
from desktop.viewer.item_text import added_by_text, size_text
from models.domain import DocumentCategory
from models.records import StoredFile

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
ALL = ""
Index = QModelIndex | QPersistentModelIndex


def category_label(category: str) -> str:
    try:
        return DocumentCategory(category).label
    except ValueError:
        return category.capitalize()


class DocumentColumn(IntEnum):
    TITLE = 0
    CATEGORY = 1
    DATED = 2
    ADDED_BY = 3
    FILE = 4

    @property
    def title(self) -> str:
        return ("Title", "Category", "Date", "Added by", "File")[self]


class DocumentsTableModel(QAbstractTableModel):
    def __init__(self, young_person_name: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[StoredFile] = []
        self._name = young_person_name

    def set_items(self, items: tuple[StoredFile, ...] | list[StoredFile]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def set_young_person_name(self, name: str) -> None:
        self._name = name

    def items(self) -> list[StoredFile]:
        return list(self._items)

    def row_of(self, item_id: str) -> int:
        return next((i for i, f in enumerate(self._items) if f.id == item_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(DocumentColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DocumentColumn(section).title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = DocumentColumn(index.column())
        if role == ITEM_ROLE:
            return item
        if role == CATEGORY_ROLE:
            return item.category
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, column)
        if role == SORT_ROLE:
            if column is DocumentColumn.DATED:
                return (item.dated or item.added_at.date()).isoformat()
            return self._text(item, column).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.caption or item.title
        return None

    def _text(self, item: StoredFile, column: DocumentColumn) -> str:
        if column is DocumentColumn.TITLE:
            return item.title
        if column is DocumentColumn.CATEGORY:
            return category_label(item.category)
        if column is DocumentColumn.DATED:
            return format_day(item.dated)
        if column is DocumentColumn.ADDED_BY:
            return added_by_text(item, self._name)
        return f"{item.filename} ({size_text(item.size)})"


class DocumentCategoryFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._category = ALL
        self.setSortRole(SORT_ROLE)

    def category(self) -> str:
        return self._category

    def set_category(self, category: str) -> None:
        self.beginFilterChange()
        self._category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if self._category == ALL:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(CATEGORY_ROLE) == self._category


class CategoryListModel(QAbstractListModel):
    """ "All documents" and each category, with counts ("Certificates (2)")."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keys = [ALL, *(c.value for c in DocumentCategory)]
        self._counts: dict[str, int] = {}

    def set_items(self, items: list[StoredFile]) -> None:
        self._counts = {ALL: len(items)}
        for item in items:
            self._counts[item.category] = self._counts.get(item.category, 0) + 1
        self.dataChanged.emit(self.index(0), self.index(len(self._keys) - 1))

    def key_at(self, row: int) -> str:
        return self._keys[row]

    def row_of(self, key: str) -> int:
        return self._keys.index(key) if key in self._keys else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = self._keys[index.row()]
        if role == CATEGORY_ROLE:
            return key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            label = "All documents" if key == ALL else category_label(key)
            return f"{label} ({self._counts.get(key, 0)})"
        return None
