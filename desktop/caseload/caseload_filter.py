"""Filtering and sorting the caseload: filter-as-you-type over names, plus quick filters.

Typed words must each appear in the preferred or the legal name, in any order, ignoring case
and accents (see :func:`~desktop.caseload.caseload_model.fold`). Quick filters combine with AND,
and with "My caseload" (young people allocated to the store's owner, by name).
Matching reads the model's precomputed ``SEARCH_ROLE``, so a keystroke costs one substring test
per row. GUI thread only.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from desktop.caseload.caseload_model import SORT_ROLE, CaseloadModel, fold
from models.records import CaseloadRow

REVIEW_SOON_DAYS = 30


class QuickFilter(StrEnum):
    """Each label says exactly what the filter counts (the counts are on the buttons)."""

    OVERDUE = "overdue"
    VISIT_DUE = "visit_due"
    REVIEW_DUE_SOON = "review_due_soon"
    IN_CUSTODY = "in_custody"
    TWENTY_ONE_PLUS = "twenty_one_plus"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def description(self) -> str:
        return _LABELS[self][1]


_LABELS = {
    QuickFilter.OVERDUE: (
        "Anything overdue",
        "Something is past its due date: needs assessment, first plan, review or visit",
    ),
    QuickFilter.VISIT_DUE: (
        "Visit due today or overdue",
        "The next visit was due today or earlier (someone never visited is due now)",
    ),
    QuickFilter.REVIEW_DUE_SOON: (
        f"Review due in next {REVIEW_SOON_DAYS} days",
        f"Plan review due from today to {REVIEW_SOON_DAYS} days ahead "
        "(overdue reviews are under “Anything overdue”)",
    ),
    QuickFilter.IN_CUSTODY: ("In custody", "Only young people in custody"),
    QuickFilter.TWENTY_ONE_PLUS: ("21Plus", "Aged 21 or over"),
}


def matches_quick_filter(row: CaseloadRow, quick: QuickFilter, today: date) -> bool:
    if quick is QuickFilter.OVERDUE:
        return row.anything_overdue
    if quick is QuickFilter.VISIT_DUE:
        return row.visit_due <= today
    if quick is QuickFilter.REVIEW_DUE_SOON:
        soon = today + timedelta(days=REVIEW_SOON_DAYS)
        return row.next_review is not None and today <= row.next_review <= soon
    if quick is QuickFilter.IN_CUSTODY:
        return "custody" in row.circumstances
    return "21plus" in row.circumstances


class CaseloadFilter(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; filters by typed words and the chosen quick filters."""

    def __init__(self, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._quick: set[QuickFilter] = set()
        self._today = today
        self._owner = ""  # folded owner name; "" matches nobody
        self._mine_only = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)  # refilters on changes; never sorts (see sort())

    @property
    def today(self) -> date:
        return self._today or date.today()

    @property
    def quick_filters(self) -> frozenset[QuickFilter]:
        return frozenset(self._quick)

    @property
    def text(self) -> str:
        return " ".join(self._words)

    def set_text(self, text: str) -> None:
        words = tuple(fold(text).split())
        if words != self._words:
            self._begin_change()
            self._words = words
            self._end_change()

    def set_quick_filter(self, quick: QuickFilter, on: bool) -> None:
        if on == (quick in self._quick):
            return
        self._begin_change()
        if on:
            self._quick.add(quick)
        else:
            self._quick.discard(quick)
        self._end_change()

    @property
    def mine_only(self) -> bool:
        return self._mine_only

    def set_owner(self, owner_name: str) -> None:
        """Whose caseload "My caseload" shows: the store owner's name."""
        owner = fold(owner_name).strip()
        if owner != self._owner:
            self._begin_change()
            self._owner = owner
            self._end_change()

    def set_mine_only(self, on: bool) -> None:
        if on != self._mine_only:
            self._begin_change()
            self._mine_only = on
            self._end_change()

    def is_mine(self, row: CaseloadRow) -> bool:
        return bool(self._owner) and fold(row.allocated_pa).strip() == self._owner

    def count_mine(self) -> int:
        model = self.sourceModel()
        if not isinstance(model, CaseloadModel):
            return 0
        return sum(self.is_mine(row) for row in model.rows())

    def clear_filters(self) -> None:
        self._begin_change()
        self._words = ()
        self._quick.clear()
        self._end_change()

    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: rows-only refilter, no re-sort
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def count_matching(self, quick: QuickFilter) -> int:
        """How many rows the quick filter alone would show (within "My caseload" when on)."""
        model = self.sourceModel()
        if not isinstance(model, CaseloadModel):
            return 0
        today = self.today
        return sum(
            matches_quick_filter(row, quick, today)
            for row in model.rows()
            if not self._mine_only or self.is_mine(row)
        )

    def filterAcceptsRow(  # noqa: N802 - Qt override
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CaseloadModel):
            return True
        if self._mine_only and not self.is_mine(model.row_at(source_row)):
            return False
        if self._words:
            names = model.search_text(source_row)
            if not all(word in names for word in self._words):
                return False
        if self._quick:
            row = model.row_at(source_row)
            today = self.today
            return all(matches_quick_filter(row, quick, today) for quick in self._quick)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model (one Python sort); the proxy keeps its order."""
        model = self.sourceModel()
        if isinstance(model, CaseloadModel):
            model.sort(column, order)
        else:
            super().sort(column, order)
