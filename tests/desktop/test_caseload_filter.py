"""Filter-as-you-type and the quick filters, tested on the proxy model without a window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from desktop.caseload.caseload_filter import CaseloadFilter, QuickFilter
from desktop.caseload.caseload_model import ID_ROLE, CaseloadModel, Column
from desktop.caseload.caseload_view import CaseloadView
from tests.desktop.test_caseload_model import make_row

TODAY = date(2026, 11, 20)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


ROWS = [
    make_row(
        id="amira",
        preferred_name="Amira",
        legal_name="أميرة حداد",
        circumstances=("custody", "uasc"),
        next_review=TODAY + timedelta(days=10),
    ),
    make_row(
        id="lan",
        preferred_name="Lan",
        legal_name="Nguyễn Thị Lan",
        next_review=TODAY + timedelta(days=31),
        last_visit=at(TODAY - timedelta(weeks=9)),
        visit_due=TODAY - timedelta(days=2),
        visit_overdue=True,
    ),
    make_row(
        id="tesfay",
        preferred_name="ተስፋይ",
        legal_name="Tesfay Gebremariam",
        circumstances=("21plus",),
        next_review=TODAY - timedelta(days=3),
        review_overdue=True,
        last_visit=None,
        visit_due=TODAY,  # never visited: due now, not overdue
    ),
    make_row(
        id="zoe",
        preferred_name="Zoë",
        legal_name="Zoë Clarke",
        circumstances=("21plus", "parent"),
        next_review=None,
        last_visit=at(TODAY - timedelta(weeks=8)),
        visit_due=TODAY + timedelta(days=1),
    ),
]


@pytest.fixture
def proxy(qapp) -> CaseloadFilter:
    model = CaseloadModel(ROWS, today=TODAY)
    proxy = CaseloadFilter(today=TODAY)
    proxy.setSourceModel(model)
    proxy._keep_model = model  # the proxy does not own its source
    return proxy


def shown(proxy: CaseloadFilter) -> list[str]:
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ["amira", "lan", "tesfay", "zoe"]),
        ("AMI", ["amira"]),
        ("nguyen", ["lan"]),  # no accents needed
        ("Nguyễn", ["lan"]),  # accents typed still match
        ("lan thi", ["lan"]),  # words in any order
        ("أميرة", ["amira"]),  # Arabic legal name
        ("ተስፋ", ["tesfay"]),  # Ge'ez preferred name
        ("gebremariam", ["tesfay"]),  # legal name
        ("zoe", ["zoe"]),
        ("  zoë  ", ["zoe"]),
        ("nobody", []),
    ],
)
def test_filter_as_you_type(proxy, typed, expected):
    proxy.set_text(typed)
    assert sorted(shown(proxy)) == expected


@pytest.mark.parametrize(
    ("quick", "expected"),
    [
        (QuickFilter.IN_CUSTODY, ["amira"]),
        (QuickFilter.OVERDUE, ["lan", "tesfay"]),  # a late visit; a late review
        (QuickFilter.REVIEW_DUE_SOON, ["amira"]),  # overdue is not "in the next 30 days"; 31 is not
        (QuickFilter.VISIT_DUE, ["lan", "tesfay"]),  # overdue, or due today; tomorrow is not
        (QuickFilter.TWENTY_ONE_PLUS, ["tesfay", "zoe"]),
    ],
)
def test_quick_filters(proxy, quick, expected):
    proxy.set_quick_filter(quick, True)
    assert sorted(shown(proxy)) == expected
    assert proxy.count_matching(quick) == len(expected)
    proxy.set_quick_filter(quick, False)
    assert proxy.rowCount() == len(ROWS)


def test_quick_filters_and_text_combine(proxy):
    proxy.set_quick_filter(QuickFilter.TWENTY_ONE_PLUS, True)
    proxy.set_quick_filter(QuickFilter.VISIT_DUE, True)
    assert shown(proxy) == ["tesfay"]
    proxy.set_text("zoe")
    assert shown(proxy) == []
    proxy.clear_filters()
    assert proxy.rowCount() == len(ROWS)
    assert proxy.quick_filters == frozenset()


def test_sorting_by_date_puts_blanks_last(proxy):
    proxy.sort(Column.NEXT_DUE, Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == ["tesfay", "amira", "lan", "zoe"]
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)  # by surname: Clarke, Gebremariam…
    assert shown(proxy) == ["zoe", "tesfay", "lan", "amira"]  # Latin, then Arabic script


def test_typing_over_a_big_caseload_narrows_it_step_by_step(qapp):
    # How fast a keystroke is: `python -m bench.bench_caseload_filter` prints it.
    rows = [
        make_row(id=str(i), preferred_name=f"Person {i}", legal_name=f"Legal Name{i}")
        for i in range(1200)
    ]
    model = CaseloadModel(rows, today=TODAY)
    proxy = CaseloadFilter(today=TODAY)
    proxy.setSourceModel(model)
    for typed in ("p", "pe", "per", "pers"):
        proxy.set_text(typed)
        assert proxy.rowCount() == 1200
    proxy.set_text("person 11")
    assert proxy.rowCount() == sum("11" in str(i) for i in range(1200))


def test_my_caseload_starts_on_when_the_owner_has_young_people(qtbot):
    rows = [
        make_row(id="mine", allocated_pa="alex adviser "),  # same name, other case and spaces
        make_row(id="theirs", allocated_pa="Sam Other"),
        make_row(id="nobody", allocated_pa=""),
    ]
    view = CaseloadView()
    qtbot.addWidget(view)
    view.set_owner("Alex Adviser")
    view.set_rows(rows)
    assert view.mine_check.isChecked()
    assert view.mine_check.text() == "&My caseload (1)"
    assert shown(view.proxy) == ["mine"]
    view.mine_check.setChecked(False)
    view.set_rows(rows)  # a refresh keeps the adviser's choice
    assert not view.mine_check.isChecked()
    assert view.proxy.rowCount() == 3

    other = CaseloadView()
    qtbot.addWidget(other)
    other.set_owner("Jo Newstarter")  # nobody allocated yet: the whole caseload
    other.set_rows(rows)
    assert not other.mine_check.isChecked()
    assert other.proxy.rowCount() == 3
