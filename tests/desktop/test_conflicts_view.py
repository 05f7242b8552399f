"""The sync conflicts view: conflicts made for real by two laptops editing offline, shown with
both values and who and when, and settled by keeping either side or combining two texts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from desktop.conflicts.combine_dialog import CombineDialog
from desktop.conflicts.conflict_card import ConflictCard
from desktop.conflicts.conflict_text import diff_summary, moment_of, word_diff
from desktop.conflicts.conflicts_view import ConflictsView
from desktop.dates import format_moment
from desktop.operations import ChangeAnnouncer, Operations
from models import merge
from models.repo import plans
from models.repo import young_people as yp
from models.store import Store
from tests.factories import OWNER, add_young_person, make_store

OTHER = "Bea Adviser"


def exchange(frm: Store, to: Store) -> None:
    with frm.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    with to.session() as s:
        merge.apply_remote(s, [c.to_json() for c in changes], source="peer")


def make_conflicts(a: Store, b: Store, ident: str) -> str:
    """Three clashes on one young person: the phone, a plan goal, and a removal that met an
    edit. Returns the important person's id."""
    with a.session() as s:
        person = yp.add_person(s, ident, name="Aunt Sara", relationship="Aunt")
    exchange(a, b)
    exchange(b, a)
    with a.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0001")
        plans.update_section(s, ident, "health", goals="See the GP about my asthma every month")
        yp.remove_person(s, person)
    with b.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0002")
        plans.update_section(s, ident, "health", goals="See the GP about my asthma and the dentist")
        yp.update_person(s, person, how_to_contact="07700 900555")
    exchange(a, b)
    exchange(b, a)
    return person


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Store, Store, str, str]]:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", owner=OTHER)
    ident = add_young_person(a, legal_name="Amal Haddad", preferred_name="أمل")
    exchange(a, b)
    person = make_conflicts(a, b, ident)
    yield a, b, ident, person
    a.close()
    b.close()


def open_view(qtbot, tasks, store: Store, young_person_id: str | None = None) -> ConflictsView:
    view = ConflictsView(Operations(store, tasks, ChangeAnnouncer()), young_person_id)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        pass
    view.resize(1100, 900)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    return view


def card_for(view: ConflictsView, field: str) -> ConflictCard:
    return next(c for c in view.cards if c.detail.field == field)


def test_both_values_are_shown_with_who_and_when(qtbot, tasks, laptops) -> None:
    a, _b, ident, _person = laptops
    view = open_view(qtbot, tasks, a, ident)
    assert len(view.cards) == 3
    assert view.summary.text().startswith("3 sync conflicts to resolve")
    phone = card_for(view, "phone")
    assert phone.title.text() == "Phone number"
    shown = {phone.now_value.text(), phone.other_value.text()}
    assert shown == {"0115 000 0001", "0115 000 0002"}
    captions = phone.now_by.text() + " | " + phone.other_by.text()
    assert f"By {OWNER} on this laptop" in captions
    assert f"By {OTHER} on another device" in captions
    # When, in the app's format ("Mon 2 Nov 2026, 14:30").
    assert moment_of(phone.detail.other.at_ms) in phone.other_by.text()
    assert format_moment(datetime.now(UTC))[:4] in captions
    # Buttons say what they keep, for screen readers.
    assert phone.keep_now_button.accessibleName().startswith("Keep the version shown now: 0115")
    goals = card_for(view, "goals")
    assert goals.title.text() == "Plan – Health and wellbeing section: Goals in their own words"
    assert goals.diff_label is not None and goals.combine_button is not None
    assert "adds" in goals.diff_label.accessibleDescription()
    # A phone number is kept whole: no word difference, nothing to combine.
    assert phone.combine_button is None and phone.diff_label is None
    removal = card_for(view, "deleted")
    assert removal.title.text() == "Removed: important person ‘Aunt Sara’"
    assert removal.keep_now_button.text() == "Keep the record"
    assert removal.now_value.text() == (
        "Still on the record. Changed after it was removed: How to contact"
    )
    assert removal.other_value.text() == "Removed"
    assert removal.combine_button is None and removal.diff_label is None


def test_keeping_either_side_records_the_choice(qtbot, tasks, laptops) -> None:
    a, b, ident, person = laptops
    view = open_view(qtbot, tasks, a, ident)
    phone = card_for(view, "phone")
    other_phone = phone.detail.other.value
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # re-read after the announcement
        qtbot.mouseClick(phone.keep_other_button, Qt.MouseButton.LeftButton)
    assert {c.detail.field for c in view.cards} == {"goals", "deleted"}
    # The keyboard carries on at the next conflict.
    focused = QApplication.focusWidget()
    assert focused is not None and focused.text() == "Keep this"
    removal = card_for(view, "deleted")
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        removal.keep_now_button.click()
    with a.reader() as s:
        assert yp.load_profile(s, ident).phone == other_phone
        assert [p.name for p in yp.list_people(s, ident)] == ["Aunt Sara"]
        assert [c.field for c in merge.open_conflicts(s)] == ["goals"]
    # The choices settle the clash on the other laptop too.
    exchange(a, b)
    with b.reader() as s:
        assert yp.load_profile(s, ident).phone == other_phone
        assert [c.field for c in merge.open_conflicts(s)] == ["goals"]


def test_combining_two_texts(qtbot, tasks, laptops) -> None:
    a, _b, ident, _person = laptops
    view = open_view(qtbot, tasks, a, ident)
    goals = card_for(view, "goals")
    assert goals.combine_button is not None
    goals.combine_button.click()
    dialog = view.combine_dialog
    assert isinstance(dialog, CombineDialog)
    prefilled = dialog.editor.toPlainText()
    assert "every month" in prefilled and "the dentist" in prefilled
    dialog.editor.setPlainText("See the GP about my asthma every month, and the dentist")
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        dialog.save_button.click()
    assert {c.detail.field for c in view.cards} == {"phone", "deleted"}
    with a.reader() as s:
        goals_now = plans.load_plan(s, ident).section("health").goals
        assert goals_now == "See the GP about my asthma every month, and the dentist"


def test_a_combined_value_that_breaks_a_rule_is_explained_and_kept(qtbot, tasks, laptops) -> None:
    a, _b, ident, _person = laptops
    view = open_view(qtbot, tasks, a, ident)
    goals = card_for(view, "goals")
    goals.combine_button.click()
    dialog = view.combine_dialog
    dialog.editor.setPlainText("x" * 200_001)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "longer than" in dialog.problem.text()
    assert len(dialog.editor.toPlainText()) == 200_001
    with a.reader() as s:
        assert len(merge.open_conflicts(s)) == 3


def test_the_caseload_wide_list_groups_by_young_person(qtbot, tasks, laptops) -> None:
    a, b, _ident, _person = laptops
    other = add_young_person(a, legal_name="Tesfay Gebremariam", preferred_name="ተስፋይ")
    exchange(a, b)
    with a.session() as s:
        yp.update_young_person(s, other, pronouns="he/him")
    with b.session() as s:
        yp.update_young_person(s, other, pronouns="they/them")
    exchange(a, b)
    exchange(b, a)
    view = open_view(qtbot, tasks, a)
    assert view.summary.text() == "4 sync conflicts to resolve"
    assert {c.detail.young_person_name for c in view.cards} == {"أمل", "ተስፋይ"}


def test_the_word_difference_reads_without_colour() -> None:
    pieces = word_diff("See the GP every month", "See the GP and the dentist every month")
    assert [(p.op, p.text.strip()) for p in pieces if p.op != "same"] == [
        ("added", "and the dentist")
    ]
    assert diff_summary(pieces) == "The other version adds 3 words: ‘and the dentist’."
    pieces = word_diff("Call on Monday", "Call on Friday")
    assert diff_summary(pieces) == (
        "The other version adds 1 word: ‘Friday’ and it leaves out 1 word of the version "
        "shown now: ‘Monday’."
    )


def test_every_control_is_named_and_reached_by_the_keyboard(qtbot, tasks, laptops) -> None:
    a, _b, ident, _person = laptops
    view = open_view(qtbot, tasks, a, ident)
    reachable = [
        w
        for w in view.findChildren(QWidget)
        if w.isVisibleTo(view)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w.parentWidget(), QAbstractScrollArea)
        and not w.objectName().startswith("qt_")
    ]
    assert len(reachable) >= 9
    assert [type(w).__name__ for w in reachable if not w.accessibleName()] == []
    assert [type(w).__name__ for w in view.findChildren(QWidget) if w.font().pixelSize() > 0] == []
    # Tab goes column by column (a value, then its button); Space keeps that side.
    phone = card_for(view, "phone")
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5_000)
    phone.keep_now_button.setFocus()
    qtbot.waitUntil(phone.keep_now_button.hasFocus, timeout=5_000)
    qtbot.keyClick(phone.keep_now_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is phone.other_value
    qtbot.keyClick(phone.other_value, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is phone.keep_other_button
    kept = phone.detail.other.value
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClick(phone.keep_other_button, Qt.Key.Key_Space)
    with a.reader() as s:
        assert yp.load_profile(s, ident).phone == kept


@pytest.fixture
def conflicted_folder(tmp_path: Path) -> tuple[Path, str]:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", owner=OTHER)
    ident = add_young_person(a, legal_name="Amal Haddad", preferred_name="أمل")
    add_young_person(a, legal_name="Tesfay Gebremariam", preferred_name="ተስፋይ")
    exchange(a, b)
    make_conflicts(a, b, ident)
    a.close()
    b.close()
    return tmp_path / "a", ident


def test_the_record_shows_a_banner_and_the_sync_menu_lists_all(
    qtbot, make_window, conflicted_folder
) -> None:
    folder, ident = conflicted_folder
    window = make_window(folder)
    window.open_young_person(ident)
    banner = window.workspace.conflicts_banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10_000)
    assert banner.label.text().startswith("3 sync conflicts to resolve")
    assert banner.open_button.accessibleName() == "Resolve 3 sync conflicts"
    banner.open_button.click()
    dialog = window.workspace.conflicts_dialog
    qtbot.waitUntil(lambda: len(dialog.view.cards) == 3, timeout=10_000)
    # Settling one there updates the banner on the record (from the announcement).
    with qtbot.waitSignal(banner.counted, timeout=10_000):
        card_for(dialog.view, "phone").keep_now_button.click()
    qtbot.waitUntil(lambda: banner.count == 2, timeout=10_000)
    assert banner.label.text().startswith("2 sync conflicts to resolve")
    dialog.reject()
    # Sync ▸ Conflicts… lists every young person's.
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Sync" in menus
    window.actions.conflicts.trigger()
    everyone = window.conflicts_dialog
    qtbot.waitUntil(lambda: len(everyone.view.cards) == 2, timeout=10_000)
    assert everyone.windowTitle() == "Sync conflicts"  # no name in the taskbar
    window.actions.conflicts.trigger()  # again: the same window comes forward
    assert window.conflicts_dialog is everyone
    everyone.reject()


def test_a_combined_text_is_kept_as_a_draft_until_saved(qtbot, tasks, laptops) -> None:
    from models.repo.drafts import load_draft

    a, _b, ident, _person = laptops
    view = open_view(qtbot, tasks, a, ident)
    goals = card_for(view, "goals")
    goals.combine_button.click()
    dialog = view.combine_dialog
    qtbot.waitSignal(dialog.draft_loaded, timeout=10_000).wait()
    dialog.editor.setPlainText("Half-written: see the GP")
    with qtbot.waitSignal(dialog.drafts.draft_saved, timeout=10_000):
        dialog.flush_drafts()  # what a lock does before it closes the dialog
    dialog.done(CombineDialog.DialogCode.Rejected)  # closed by the lock, not by Cancel
    goals.combine_button.click()
    again = view.combine_dialog
    assert again is not dialog
    qtbot.waitUntil(
        lambda: again.editor.toPlainText() == "Half-written: see the GP", timeout=10_000
    )
    assert again.info.isVisible()
    key = again.drafts.key
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        again.save_button.click()
    with a.reader() as s:
        assert load_draft(s, key) is None  # discarded with the resolution
        assert plans.load_plan(s, ident).section("health").goals == "Half-written: see the GP"
