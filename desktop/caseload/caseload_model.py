"""The caseload as a Qt table model over ``list[CaseloadRow]`` (plain frozen rows, no ORM).

Named columns (:class:`Column`) and custom roles: ``SORT_ROLE`` gives a sortable key (dates as
ordinals, blanks last), ``ROW_ROLE`` the whole row, ``ID_ROLE`` the young person's id and
``SEARCH_ROLE`` the names folded for matching (precomputed, so a filter keystroke stays fast).
Whatever is overdue says "Overdue" in words and is also coloured, never colour alone; the
"Next due" column shows the most urgent of the needs assessment, first plan and review, so a
new referral whose assessment is late is as visible as a late review.
GUI thread only.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.bidi import isolate
from desktop.dates import format_day
from models.collation import name_sort_key, surname_sort_key
from models.records import CaseloadRow
from models.rules import DueKind

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 3
SEARCH_ROLE = int(Qt.ItemDataRole.UserRole) + 4

OVERDUE_COLOUR = QColor("#b3261e")  # 6.5:1 on white; the word "Overdue" carries the meaning too
_NEVER = 10**9  # sorts blanks after every real date

BADGE_TEXT = {
    "custody": "Custody",
    "21plus": "21Plus",
    "parent": "Parent",
    "expecting": "Expecting",
    "uasc": "UASC",
}
BADGE_MEANING = {
    "custody": "In custody",
    "21plus": "Aged 21 or over (21Plus offer)",
    "parent": "A parent",
    "expecting": "Expecting a child",
    "uasc": "Unaccompanied asylum-seeking child or former one",
}
_EXTRA_FOLDS = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "æ": "ae"})


class Column(IntEnum):
    NAME = 0
    AGE = 1
    CIRCUMSTANCES = 2
    ADVISER = 3
    NEXT_DUE = 4
    LAST_CONTACT = 5
    VISIT = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    Column.NAME: "Name",
    Column.AGE: "Age",
    Column.CIRCUMSTANCES: "Circumstances",
    Column.ADVISER: "Allocated adviser",
    Column.NEXT_DUE: "Next due",
    Column.LAST_CONTACT: "Last contact",
    Column.VISIT: "Visit",
}


def fold(text: str) -> str:
    """Text for matching: case-folded, compatibility-normalised, without combining marks.

    "Nguyễn" matches "nguyen", "Zoë" matches "zoe" and Arabic with or without its short-vowel
    marks matches either way. Scripts without combining marks (Ge'ez, CJK) are only case-folded.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare.translate(_EXTRA_FOLDS))


def display_name(preferred: str, legal: str) -> str:
    """ "Amira Haddad" when the legal name holds the preferred one, else "Mo (Mohammed Rahimi)"."""
    if not legal or not preferred:
        return preferred or legal
    legal_words = fold(legal).split()
    if all(word in legal_words for word in fold(preferred).split()):
        return legal
    return f"{preferred} ({legal})"


def badges_text(circumstances: tuple[str, ...]) -> str:
    return " · ".join(BADGE_TEXT.get(c, c) for c in circumstances)


# Short words for the "Next due" column; its tooltip gives the full names.
_SHORT_DUE = {
    DueKind.NEEDS_ASSESSMENT: "Needs assessment",
    DueKind.PATHWAY_PLAN: "First plan",
    DueKind.REVIEW: "Review",
}

_COLUMNS = tuple(Column)
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class CaseloadModel(QAbstractTableModel):
    """Rows of the caseload. ``today`` is injectable so tests are reproducible."""

    def __init__(
        self, rows: list[CaseloadRow] | None = None, parent=None, today: date | None = None
    ):
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []
        self._search: list[str] = []
        self._texts: list[tuple[str, ...] | None] = []  # display text, made on first paint
        self._keys: list[tuple[Any, ...] | None] = []  # sort keys, made on first sort
        self._sort_column = int(Column.NAME)
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._today = today
        self.set_rows(rows or [])

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        """Show ``rows``, in the current sort order."""
        self.beginResetModel()
        self._take(list(rows))
        self._reorder(self._sorted_order())
        self.endResetModel()

    def _take(self, rows: list[CaseloadRow]) -> None:
        self._rows = rows
        self._search = [fold(f"{r.preferred_name}\n{r.legal_name}") for r in rows]
        self._texts = [None] * len(rows)
        self._keys = [None] * len(rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves: one Python ``sorted`` instead of a comparison per pair
        through Qt (the filter proxy keeps this order)."""
        self._sort_column, self._sort_order = int(column), order
        self.layoutAboutToBeChanged.emit()
        order_of = self._sorted_order()
        new_place = {old: new for new, old in enumerate(order_of)}
        persistent = self.persistentIndexList()
        self._reorder(order_of)
        self.changePersistentIndexList(
            persistent,
            [self.index(new_place[i.row()], i.column()) for i in persistent],
        )
        self.layoutChanged.emit()

    def _sorted_order(self) -> list[int]:
        column = self._sort_column
        return sorted(
            range(len(self._rows)),
            key=lambda n: (self.sort_key(n, column), self.sort_key(n, 0)),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    def _reorder(self, order_of: list[int]) -> None:
        self._rows = [self._rows[n] for n in order_of]
        self._search = [self._search[n] for n in order_of]
        self._texts = [self._texts[n] for n in order_of]
        self._keys = [self._keys[n] for n in order_of]

    def clear(self) -> None:
        """Drop every row (locking: no record data stays in the view)."""
        self.set_rows([])

    @property
    def today(self) -> date:
        return self._today or date.today()

    def rows(self) -> list[CaseloadRow]:
        return list(self._rows)

    def row_at(self, number: int) -> CaseloadRow:
        return self._rows[number]

    def search_text(self, number: int) -> str:
        """The row's names, folded for matching (what ``SEARCH_ROLE`` gives, without Qt)."""
        return self._search[number]

    def sort_key(self, number: int, column: int) -> Any:
        """What ``SORT_ROLE`` gives, without a round trip through Qt (the proxy sorts with it)."""
        keys = self._keys[number]
        if keys is None:
            row = self._rows[number]
            keys = self._keys[number] = tuple(self._sort_key(row, c) for c in _COLUMNS)
        return keys[column]

    def row_of(self, young_person_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == young_person_id), -1)

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802, E501
        if orientation == Qt.Orientation.Horizontal and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return Column(section).title
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: E501
        # Called for every visible cell on every paint and sort: kept to cheap lookups.
        number = index.row()
        if not 0 <= number < len(self._rows):  # an invalid index has row -1
            return None
        role = int(role)
        if role in _TEXT_ROLES:
            texts = self._texts[number]
            if texts is None:
                row = self._rows[number]
                texts = self._texts[number] = tuple(self._display(row, c) for c in _COLUMNS)
            return texts[index.column()]
        row = self._rows[number]
        column = _COLUMNS[index.column()]
        if role == SORT_ROLE:
            return self.sort_key(number, index.column())
        if role == SEARCH_ROLE:
            return self._search[number]
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == _FOREGROUND:
            return QBrush(OVERDUE_COLOUR) if self._is_alert(row, column) else None
        if role == _FONT and self._is_alert(row, column):
            font = QFont()
            font.setBold(True)
            return font
        if role == _ALIGNMENT and column == Column.AGE:
            return _RIGHT
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        return None

    # -- helpers -------------------------------------------------------------------------------

    def _display(self, row: CaseloadRow, column: Column) -> str:
        if column == Column.NAME:
            return display_name(row.preferred_name, row.legal_name)
        if column == Column.AGE:
            return str(row.age)
        if column == Column.CIRCUMSTANCES:
            return badges_text(row.circumstances)
        if column == Column.ADVISER:
            return row.allocated_pa.strip() or "—"
        if column == Column.NEXT_DUE:
            item = row.next_due
            if item is not None:
                text = f"{_SHORT_DUE.get(item.kind, item.label)} {format_day(item.due)}"
                return f"{text} · Overdue" if item.overdue else text
            if row.next_review is None:
                return format_day(None)
            text = f"Review {format_day(row.next_review)}"
            return f"{text} · Overdue" if row.review_overdue else text
        if column == Column.LAST_CONTACT:
            return format_day(row.last_contact)
        if row.visit_overdue:
            return f"Overdue (due {format_day(row.visit_due)})"
        return f"Due {format_day(row.visit_due)}"

    def _sort_key(self, row: CaseloadRow, column: Column) -> Any:
        if column == Column.NAME:  # surname, then first names (the CLI's collation)
            return (
                surname_sort_key(row.legal_name or row.preferred_name),
                name_sort_key(row.preferred_name),
            )
        if column == Column.AGE:
            return -row.date_of_birth.toordinal()  # youngest first, finer than whole years
        if column == Column.CIRCUMSTANCES:
            return badges_text(row.circumstances) or "~"  # people with none last
        if column == Column.ADVISER:  # unallocated last
            return (not row.allocated_pa.strip(), surname_sort_key(row.allocated_pa))
        if column == Column.NEXT_DUE:
            day = row.next_due.due if row.next_due else row.next_review
            return day.toordinal() if day else _NEVER
        if column == Column.LAST_CONTACT:
            return int(row.last_contact.timestamp()) if row.last_contact else -_NEVER
        return row.visit_due.toordinal()

    def _tooltip(self, row: CaseloadRow, column: Column) -> str | None:
        if column == Column.CIRCUMSTANCES and row.circumstances:
            return "\n".join(BADGE_MEANING.get(c, c) for c in row.circumstances)
        if column == Column.LAST_CONTACT and row.last_contact:
            days = (self.today - row.last_contact.date()).days
            return f"{days} days ago" if days != 1 else "Yesterday"
        if column == Column.VISIT:
            seen = format_day(row.last_visit) if row.last_visit else "never"
            return f"Last visit: {seen}"
        if column == Column.NAME:
            return f"Legal name: {isolate(row.legal_name)}"
        if column == Column.NEXT_DUE and row.due:
            return "\n".join(
                f"{d.label}: {'overdue, was due' if d.overdue else 'due'} {format_day(d.due)}"
                for d in row.due
            )
        return None

    def _is_alert(self, row: CaseloadRow, column: Column) -> bool:
        if column == Column.VISIT:
            return row.visit_overdue
        if column == Column.NEXT_DUE:
            item = row.next_due
            return item.overdue if item is not None else row.review_overdue
        return False
