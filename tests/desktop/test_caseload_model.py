"""The caseload table model, tested without any window (named columns, roles, overdue words)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from PySide6.QtCore import QModelIndex, Qt

from desktop.caseload.caseload_filter import CaseloadFilter, QuickFilter
from desktop.caseload.caseload_model import (
    ID_ROLE,
    OVERDUE_COLOUR,
    ROW_ROLE,
    SEARCH_ROLE,
    SORT_ROLE,
    CaseloadModel,
    Column,
    display_name,
    fold,
)
from models.records import CaseloadRow
from models.repo.young_people import caseload
from tests.factories import add_note, add_young_person

TODAY = date(2026, 11, 20)


def make_row(**fields) -> CaseloadRow:
    values = dict(
        id="yp-1",
        preferred_name="Amira",
        legal_name="Amira Haddad",
        date_of_birth=date(2006, 3, 1),
        age=20,
        circumstances=(),
        allocated_pa="Alex Adviser",
        next_review=date(2027, 1, 15),
        last_contact=datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
        last_visit=datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
        visit_due=date(2027, 1, 2),
        visit_overdue=False,
        review_overdue=False,
    )
    values.update(fields)
    return CaseloadRow(**values)


def cell(model: CaseloadModel, row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, column).data(role)


def test_named_columns_and_headers(qapp):
    model = CaseloadModel([make_row()], today=TODAY)
    assert model.columnCount() == len(Column) == 7
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert titles == [
        "Name",
        "Age",
        "Circumstances",
        "Allocated adviser",
        "Next due",
        "Last contact",
        "Visit",
    ]
    assert model.rowCount() == 1
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree


def test_display_text(qapp):
    row = make_row(circumstances=("custody", "21plus", "parent", "expecting", "uasc"))
    model = CaseloadModel([row], today=TODAY)
    assert cell(model, 0, Column.NAME) == "Amira Haddad"
    assert cell(model, 0, Column.AGE) == "20"
    assert cell(model, 0, Column.CIRCUMSTANCES) == "Custody · 21Plus · Parent · Expecting · UASC"
    assert cell(model, 0, Column.ADVISER) == "Alex Adviser"
    assert cell(model, 0, Column.NEXT_DUE) == "Review 15 Jan 2027"
    assert cell(model, 0, Column.LAST_CONTACT) == "2 Nov 2026"
    assert cell(model, 0, Column.VISIT) == "Due 2 Jan 2027"
    assert "In custody" in cell(model, 0, Column.CIRCUMSTANCES, Qt.ItemDataRole.ToolTipRole)


def test_preferred_name_different_from_legal_shows_both():
    assert display_name("Mo", "Mohammed Rahimi") == "Mo (Mohammed Rahimi)"
    assert display_name("Lan", "Nguyễn Thị Lan") == "Nguyễn Thị Lan"
    assert display_name("Zoe", "Zoë Clarke") == "Zoë Clarke"


def test_overdue_visit_says_so_in_words_and_colour(qapp):
    row = make_row(
        visit_overdue=True,
        visit_due=date(2026, 10, 1),
        review_overdue=True,
        next_review=date(2026, 11, 1),
    )
    model = CaseloadModel([row], today=TODAY)
    assert cell(model, 0, Column.VISIT) == "Overdue (due 1 Oct 2026)"
    assert cell(model, 0, Column.VISIT, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    assert cell(model, 0, Column.VISIT, Qt.ItemDataRole.FontRole).bold()
    assert cell(model, 0, Column.NEXT_DUE) == "Review 1 Nov 2026 · Overdue"
    assert cell(model, 0, Column.NAME, Qt.ItemDataRole.ForegroundRole) is None
    # Screen readers get the same words.
    assert cell(model, 0, Column.VISIT, Qt.ItemDataRole.AccessibleTextRole).startswith("Overdue")


def test_custom_roles(qapp):
    row = make_row(next_review=None, last_contact=None)
    model = CaseloadModel([row], today=TODAY)
    assert cell(model, 0, Column.NAME, ID_ROLE) == "yp-1"
    assert cell(model, 0, Column.AGE, ROW_ROLE) is row
    assert cell(model, 0, Column.NAME, SEARCH_ROLE) == "amira\namira haddad"
    assert cell(model, 0, Column.NEXT_DUE) == "—"
    # Blanks sort after every real date; dates sort as numbers.
    later = make_row(next_review=date(2030, 1, 1))
    assert cell(model, 0, Column.NEXT_DUE, SORT_ROLE) > CaseloadModel(
        [later], today=TODAY
    ).index(0, Column.NEXT_DUE).data(SORT_ROLE)
    assert model.data(QModelIndex()) is None


def test_set_rows_and_clear(qapp):
    model = CaseloadModel(today=TODAY)
    assert model.rowCount() == 0
    model.set_rows([make_row(id="a"), make_row(id="b", preferred_name="Lan")])
    assert model.rowCount() == 2
    assert model.row_of("b") == 1
    assert model.row_of("nobody") == -1
    model.clear()
    assert model.rowCount() == 0
    assert model.rows() == []


def test_fold_ignores_case_and_accents():
    assert fold("Nguyễn Thị Lan") == "nguyen thi lan"
    assert fold("ZOË") == "zoe"
    assert fold("Đặng") == "dang"
    assert fold("Straße") == "strasse"
    assert fold("مُحَمَّد") == fold("محمد")  # Arabic short-vowel marks are optional
    assert fold("ተስፋይ") == "ተስፋይ"  # Ge'ez syllables are left alone


def test_model_over_a_real_caseload(store, qapp):
    first = add_young_person(store, legal_name="Amira Haddad", preferred_name="Amira")
    add_young_person(
        store, legal_name="Lan Nguyen", preferred_name="Lan", in_custody=True, prison="HMP Hull"
    )
    add_note(store, first)
    with store.reader() as s:
        rows = caseload(s, TODAY)
    model = CaseloadModel(rows, today=TODAY)
    assert model.rowCount() == 2
    names = [cell(model, r, Column.NAME) for r in range(2)]
    assert names == ["Amira Haddad", "Lan Nguyen"]
    assert cell(model, 1, Column.CIRCUMSTANCES) == "Custody"
    assert cell(model, 0, Column.LAST_CONTACT) == "2 Nov 2026"
    changed = replace(rows[0], preferred_name="Amy")
    model.set_rows([changed])
    assert cell(model, 0, Column.NAME) == "Amy (Amira Haddad)"


def test_a_new_referral_shows_what_is_overdue_in_red_and_the_overdue_filter_finds_it(store, qapp):
    # 17, no needs assessment, no plan: both were due at 16 and 3 months.
    add_young_person(store, legal_name="Kofi Mensah", date_of_birth=date(2009, 5, 1))
    with store.reader() as s:
        rows = caseload(s, TODAY)
    model = CaseloadModel(rows, today=TODAY)
    assert cell(model, 0, Column.NEXT_DUE) == "Needs assessment 1 Aug 2025 · Overdue"
    assert cell(model, 0, Column.NEXT_DUE, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOUR
    tip = cell(model, 0, Column.NEXT_DUE, Qt.ItemDataRole.ToolTipRole)
    assert "First pathway plan: overdue, was due 1 Aug 2025" in tip
    proxy = CaseloadFilter(today=TODAY)
    proxy.setSourceModel(model)
    proxy.set_quick_filter(QuickFilter.OVERDUE, True)
    assert proxy.rowCount() == 1
    assert proxy.count_matching(QuickFilter.REVIEW_DUE_SOON) == 0


def test_names_sort_by_surname_then_first_name(qapp):
    names = ["Chloe Hopkinson", "Amy Jones", "Chloe Harris", "Ben Harris", "Áine Ábel"]
    rows = [make_row(id=n, preferred_name=n.split()[0], legal_name=n) for n in names]
    model = CaseloadModel(rows, today=TODAY)
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    shown = [cell(model, r, Column.NAME) for r in range(len(rows))]
    assert shown == ["Áine Ábel", "Ben Harris", "Chloe Harris", "Chloe Hopkinson", "Amy Jones"]
