"""The dashboard view: figures read off the GUI thread, the young people behind a figure,
keyboard from figure to list to record, whose figures, and refresh on announced writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.dashboard.dashboard_view import DashboardView
from desktop.dashboard.figures_model import FigureColumn
from desktop.operations import Changes, Kind, Operations
from models.repo import young_people as yp
from models.store import Store
from tests.factories import add_note, add_young_person

TODAY = date(2026, 11, 29)


def _people(store: Store) -> dict[str, str]:
    ids = {
        "Seen": add_young_person(
            store, preferred_name="Seen", legal_name="Seen Smith", allocated_pa="Alex"
        ),
        "Quiet": add_young_person(
            store, preferred_name="Quiet", legal_name="Quiet Jones", allocated_pa="Alex"
        ),
        "Blair's": add_young_person(
            store, preferred_name="Blair's", legal_name="Jo Brown", allocated_pa="Blair"
        ),
    }
    add_note(store, ids["Seen"], occurred_at=datetime(2026, 11, 20, tzinfo=UTC))
    add_note(store, ids["Quiet"], occurred_at=datetime(2026, 8, 1, tzinfo=UTC))
    return ids


def _view(qtbot, ops: Operations) -> DashboardView:
    view = DashboardView(ops, today=TODAY)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.board is not None, timeout=10_000)
    return view


def _names(view: DashboardView) -> list[str]:
    proxy = view.drill_proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_who_has_not_been_seen_with_how_it_was_counted(
    qtbot, store: Store, ops: Operations
) -> None:
    _people(store)
    view = _view(qtbot, ops)
    view.select_figure("no_contact_8_weeks")
    # Longest ago first, never contacted last.
    assert _names(view) == ["Quiet Jones", "Blair's (Jo Brown)"]
    assert view.drill_proxy.index(1, 3).data() == "Never"
    # A name cut short in a narrow list can still be read whole, and the short header is
    # spoken in full.
    assert view.drill_proxy.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "Blair's (Jo Brown)"
    horizontal = Qt.Orientation.Horizontal
    assert view.drill_proxy.headerData(1, horizontal) == "Adviser"
    assert view.drill_proxy.headerData(
        1, horizontal, Qt.ItemDataRole.AccessibleTextRole) == "Allocated adviser"
    assert "56 days" in view.how_label.text()
    assert view.people_heading.text() == "No contact for 8 weeks: 2"
    row = view.figures.row_of("no_contact_8_weeks")
    assert view.figures.index(row, FigureColumn.NUMBER).data() == "2"


def test_keyboard_from_figure_to_list_to_record(qtbot, store: Store, ops: Operations) -> None:
    ids = _people(store)
    view = _view(qtbot, ops)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.figures_table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.figures_table)
    qtbot.keyClick(view.figures_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.people_table)
    with qtbot.waitSignal(view.young_person_chosen) as chosen:
        qtbot.keyClick(view.people_table, Qt.Key.Key_Return)
    assert chosen.args == [ids["Quiet"]]


def test_moving_to_another_figure_lists_its_people_at_once(
    qtbot, store: Store, ops: Operations
) -> None:
    _people(store)
    view = _view(qtbot, ops)
    view.select_figure("age_18_20")  # the factory's young people are 19
    assert sorted(_names(view)) == ["Blair's (Jo Brown)", "Quiet Jones", "Seen Smith"]
    view.select_figure("conflicts")
    assert _names(view) == [] and view.empty_label.isVisibleTo(view)


def test_one_advisers_figures(qtbot, store: Store, ops: Operations) -> None:
    _people(store)
    view = _view(qtbot, ops)
    combo = view.scope_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Whole team", "Alex", "Blair"]
    view.select_figure("no_contact_8_weeks")
    combo.setCurrentIndex(combo.findText("Alex"))
    assert view.current_figure() is not None and view.current_figure().key == "no_contact_8_weeks"
    assert _names(view) == ["Quiet Jones"]
    assert view.people_table.isColumnHidden(1)  # one adviser's: no adviser column


def test_an_announced_write_counts_again(qtbot, store: Store, ops: Operations) -> None:
    ids = _people(store)
    view = _view(qtbot, ops)
    view.show()
    view.select_figure("no_contact_8_weeks")
    assert view.current_figure() is not None and view.current_figure().count == 2

    def note(s):  # noqa: ANN001, ANN202
        from models.repo import notes

        return notes.add_note(
            s,
            ids["Quiet"],
            kind="phone",
            occurred_at=datetime(2026, 11, 28, tzinfo=UTC),
            summary="Call",
        )

    with qtbot.waitSignal(view.loaded, timeout=10_000):
        ops.write(note, Changes.of(ids["Quiet"], Kind.NOTES), parent=view)
    assert _names(view) == ["Blair's (Jo Brown)"]
    with store.reader() as s:
        assert yp.young_person_exists(s, ids["Quiet"])


def test_a_draft_saved_does_not_count_again_and_a_hidden_view_counts_when_shown(
    qtbot, store: Store, ops: Operations
) -> None:
    ids = _people(store)
    view = _view(qtbot, ops)
    view.show()
    with qtbot.assertNotEmitted(view.loaded, wait=300):
        ops.announcer.changes_announced.emit(Changes.of(ids["Quiet"], Kind.DRAFTS), None)
    view.hide()
    ops.announcer.changes_announced.emit(Changes.of(ids["Quiet"], Kind.NOTES), None)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()


def test_from_the_main_window_to_a_record_and_back(qtbot, make_window, caseload_folder) -> None:
    window = make_window(caseload_folder)
    window.actions.dashboard.trigger()
    view = window.dashboard_view
    assert view is not None and window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.board is not None, timeout=10_000)
    assert window.back_action.isEnabled()
    view.select_figure("age_18_20")
    view.people_table.setCurrentIndex(view.drill_proxy.index(0, 0))
    view.open_button.click()
    assert window.workspace is not None
    window.back_action.trigger()
    assert window.stack.currentWidget() is view  # back to where the manager was
    window.back_action.trigger()
    assert window.stack.currentWidget() is window.caseload_view
    window.lock()
    assert window.dashboard_view is None  # no figures or names kept while locked


def test_an_adviser_sees_their_own_figures_first(qtbot, store: Store, ops: Operations) -> None:
    from tests.factories import OWNER

    add_young_person(store, preferred_name="Mine", allocated_pa=OWNER)
    _people(store)
    view = _view(qtbot, ops)
    assert view.scope_combo.currentText() == OWNER
    view.scope_combo.setCurrentIndex(0)
    assert view.figure_set() is not None and view.figure_set().adviser is None


def test_the_birthday_return_tab_lists_saves_and_opens(
    qtbot, store: Store, ops: Operations, tmp_path
) -> None:
    import csv

    from models.repo import care_leaver_facts
    from models.schema import AuditEvent

    done = add_young_person(
        store, preferred_name="Done", date_of_birth=date(2009, 6, 10), allocated_pa="Alex"
    )
    gap = add_young_person(
        store, preferred_name="Gap", date_of_birth=date(2005, 12, 20), allocated_pa="Blair"
    )
    add_young_person(
        store, preferred_name="Older", date_of_birth=date(2003, 1, 1), allocated_pa="Casey"
    )
    with store.session() as s:
        care_leaver_facts.record_facts(
            s,
            done,
            recorded_on=date(2026, 6, 20),
            in_touch="YES",
            activity="F2",
            accommodation="E",
            accommodation_suitable=True,
        )
    view = _view(qtbot, ops)
    tab = view.return_view
    assert [r.id for r in tab.model.rows()] == [done, gap]
    assert "2 care leavers" in tab.summary.text()
    tab.needs_work_combo.setCurrentIndex(1)
    assert tab.proxy.rowCount() == 1  # only Gap: missing
    assert tab.proxy.index(0, 3).data() == "Missing"
    tab.table.setCurrentIndex(tab.proxy.index(0, 0))
    assert "Nothing recorded for the 21st birthday" in tab.fix_label.text()
    with qtbot.waitSignal(view.young_person_chosen) as chosen:
        tab.on_table_double_clicked(tab.proxy.index(0, 0))
    assert chosen.args == [gap]

    target = tmp_path / "return.csv"
    tab.ask_path = lambda parent, suggested: target
    with qtbot.waitSignal(tab.saved, timeout=10_000):
        tab.save_button.click()
    with open(target, newline="", encoding="utf-8") as fh:
        back = list(csv.DictReader(fh))
    assert [(r["CHILD"], r["IN_TOUCH"], r["ACCOM"]) for r in back] == [
        (done, "YES", "E1"),
        (gap, "", ""),
    ]
    assert "not encrypted" in tab.message.text()
    with store.reader() as s:
        exported = s.query(AuditEvent).filter(AuditEvent.action == "export").all()
        assert {e.young_person_id for e in exported} == {done, gap}
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv") == ["return.csv"]
    tab.needs_work_combo.setCurrentIndex(0)
    view.scope_combo.setCurrentIndex(view.scope_combo.findText("Alex"))
    assert [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())] == ["Done"]


def test_the_return_tab_labels_the_22_to_25_year_olds_asked_at_their_latest_contact(
    qtbot, store: Store, ops: Operations
) -> None:
    from desktop.dashboard.return_view import ReturnColumn

    add_young_person(store, preferred_name="Turning", date_of_birth=date(2009, 6, 10))
    older = add_young_person(store, preferred_name="Older", date_of_birth=date(2003, 1, 1))
    add_young_person(store, preferred_name="Unseen", date_of_birth=date(2003, 2, 2))
    add_note(store, older, occurred_at=datetime(2026, 10, 5, 9, 0, tzinfo=UTC))
    view = _view(qtbot, ops)
    tab = view.return_view
    proxy = tab.proxy
    shown = [
        (proxy.index(r, 0).data(), proxy.index(r, ReturnColumn.WHY).data())
        for r in range(proxy.rowCount())
    ]
    # Birthdays first, then those asked as at their latest contact; Unseen is not asked.
    assert shown == [
        ("Turning", "17th birthday on 10 Jun 2026"),
        ("Older", "Latest contact on 5 Oct 2026, aged 23"),
    ]
    assert proxy.headerData(ReturnColumn.WHY, Qt.Orientation.Horizontal) == "Why asked"
    assert "1 aged 22 to 25 on some day of the year so far were in contact" in tab.summary.text()
    tip = proxy.index(1, ReturnColumn.WHY).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Latest contact on 5 Oct 2026, aged 23.") and "Nothing recorded" in tip
    assert proxy.index(1, ReturnColumn.STATUS).data() == "Missing"


def test_the_figures_and_a_list_saved_as_csv(
    qtbot, store: Store, ops: Operations, tmp_path
) -> None:
    import csv

    from models.schema import AuditEvent

    ids = _people(store)
    view = _view(qtbot, ops)
    view.ask_path = lambda parent, suggested: tmp_path / suggested.name
    view.select_figure("no_contact_8_weeks")
    with qtbot.waitSignal(view.saved, timeout=10_000) as saved:
        view.save_list_button.click()
    assert saved.args[0].name == "no-contact-8-weeks.csv"
    with open(saved.args[0], newline="", encoding="utf-8") as fh:
        listed = list(csv.DictReader(fh))
    assert {r["Young person id"] for r in listed} == {ids["Quiet"], ids["Blair's"]}
    with qtbot.waitSignal(view.saved, timeout=10_000) as saved:
        view.save_figures_button.click()
    with open(saved.args[0], newline="", encoding="utf-8") as fh:
        figures = list(csv.DictReader(fh))
    assert {r["Whose"] for r in figures} == {"Whole team", "Alex", "Blair"}
    assert "not encrypted" in view.saved_label.text()
    with store.reader() as s:
        exported = {e.young_person_id for e in s.query(AuditEvent).filter_by(action="export")}
    assert exported == {ids["Quiet"], ids["Blair's"], None}


def test_the_charts_follow_whose_figures(qtbot, store: Store, ops: Operations) -> None:
    _people(store)
    view = _view(qtbot, ops)
    charts = view.charts_view
    contacts = charts.contacts_chart.bars()
    assert len(contacts) == 12 and contacts[-1] == ("Nov 2026 (so far)", 1)
    assert contacts[-4] == ("Aug 2026", 1)
    assert charts.caseload_chart.bars() == [("Alex", 2), ("Blair", 1)]
    assert "Nov 2026 (so far): 1" in charts.contacts_chart.accessibleDescription()
    view.scope_combo.setCurrentIndex(view.scope_combo.findText("Blair"))
    assert [n for _, n in charts.contacts_chart.bars()] == [0] * 12
    assert charts.caseload_chart.bars() == [("Alex", 2), ("Blair", 1)]  # always the team's


def test_the_figures_printed_as_pdf(qtbot, store: Store, ops: Operations, tmp_path) -> None:
    from models.schema import AuditEvent
    from tests.printing.pdftext import all_text, flat

    _people(store)
    view = _view(qtbot, ops)
    view.ask_path = lambda parent, suggested: tmp_path / suggested.name
    with qtbot.waitSignal(view.saved, timeout=20_000) as saved:
        view.print_figures_button.click()
    assert saved.args[0].name == "team-figures-2026-11-29.pdf"
    assert "Nocontactfor8weeks" in flat(all_text(saved.args[0].read_bytes()))
    with store.reader() as s:
        assert s.query(AuditEvent).filter_by(action="print").count() == 1


def test_it_opens_on_this_week_for_the_advisers_own_caseload_and_enter_opens_a_record(
    qtbot, store: Store, ops: Operations
) -> None:
    from datetime import timedelta

    from models.domain import Matter
    from models.repo import plans
    from tests.factories import OWNER

    _people(store)  # Alex's and Blair's: not in the owner's week
    late = add_young_person(store, preferred_name="Late", legal_name="Lee Late", allocated_pa=OWNER)
    on_time = add_young_person(store, preferred_name="Soon", allocated_pa=OWNER)
    with store.session() as s:
        for who, by_when in ((late, TODAY - timedelta(days=2)), (on_time, TODAY)):
            plans.add_action(
                s, who, Matter.FINANCE.value, who="PA", what="Open an account", by_when=by_when
            )
    view = _view(qtbot, ops)
    view.show()
    qtbot.waitExposed(view)
    assert view.scope_combo.currentText() == OWNER
    assert view.figures.index(0, FigureColumn.AREA).data() == "This week"
    assert [view.figures.figure_at(r).key for r in range(4)] == [
        "week_visits",
        "week_reviews",
        "actions_overdue",
        "week_key_dates",
    ]
    assert view.figures.first_row_of_area(2) == 0  # selecting a figure shows its area's name
    assert view.figures.first_row_of_area(4) == 4  # "Caseload" begins
    figure = view.current_figure()
    assert figure is not None and figure.key == "week_visits"
    assert sorted(_names(view)) == ["Lee Late", "Soon (Jordan Testperson)"]  # never visited
    view.select_figure("actions_overdue")
    assert _names(view) == ["Lee Late"]
    assert view.people_heading.text() == "Plan actions overdue: 1"
    assert view.drill_proxy.index(0, 3).data() == "27 Nov 2026"
    assert "by-when date has passed" in view.how_label.text()
    view.activateWindow()
    view.figures_table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.figures_table)
    qtbot.keyClick(view.figures_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.people_table)
    with qtbot.waitSignal(view.young_person_chosen) as chosen:
        qtbot.keyClick(view.people_table, Qt.Key.Key_Return)
    assert chosen.args == [late]
