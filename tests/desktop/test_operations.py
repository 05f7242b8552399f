"""The operation layer: writes on the write lane in one session, announced on the GUI thread;
reads off the GUI thread; and typing stays live while a long write holds the store."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import QThread, QTimer

from desktop.notes.note_editor import NoteEditor, editor_draft_key
from desktop.operations import Changes, Kind, Operations
from models.errors import InvalidRecord
from models.repo.drafts import load_draft
from models.repo.notes import list_notes
from models.repo.young_people import load_profile, update_young_person
from models.schema import Meta
from tests.factories import add_young_person

HOLD_LIMIT_S = 60  # a safety net so a broken build fails instead of hanging


def test_a_write_runs_on_a_worker_in_one_session_and_is_announced(qtbot, ops, store) -> None:
    yp = add_young_person(store)
    gui = QThread.currentThread()
    seen: dict[str, object] = {}
    announced: list[tuple[Changes, object]] = []
    ops.announcer.changes_announced.connect(lambda c, i: announced.append((c, i)))

    def write(s) -> str:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        update_young_person(s, yp, pronouns="they/them")
        return "done"

    def done(result: str) -> None:
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is gui

    initiator = object()
    ops.write(write, Changes.of(yp, Kind.PROFILE), parent=None, on_done=done, initiator=initiator)
    qtbot.waitUntil(lambda: bool(announced), timeout=10_000)
    assert seen == {"worker": True, "result": "done", "on_gui": True}
    [(changes, by)] = announced
    assert changes == Changes.of(yp, Kind.PROFILE) and by is initiator
    assert changes.touches(Kind.PROFILE) and not changes.touches(Kind.NOTES)
    assert changes.concerns(yp) and not changes.concerns("someone else")
    with store.reader() as s:
        assert load_profile(s, yp).pronouns == "they/them"


def test_a_failed_write_changes_nothing_and_announces_nothing(qtbot, ops, store) -> None:
    yp = add_young_person(store, pronouns="he/him")
    failures: list[BaseException] = []
    announced: list[Changes] = []
    ops.announcer.changes_announced.connect(lambda c, _i: announced.append(c))

    def write(s) -> None:
        update_young_person(s, yp, pronouns="they/them")
        raise InvalidRecord("Refused for the test.")

    ops.write(write, Changes.of(yp, Kind.PROFILE), parent=None, on_failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert isinstance(failures[0], InvalidRecord)
    assert announced == []
    with store.reader() as s:  # rolled back: one operation, one transaction
        assert load_profile(s, yp).pronouns == "he/him"


def test_writes_run_in_the_order_asked_and_a_read_sees_them(qtbot, ops, store) -> None:
    yp = add_young_person(store)
    order: list[int] = []
    for n in range(5):
        ops.write(
            lambda s, n=n: (update_young_person(s, yp, pronouns=f"v{n}"), order.append(n)),
            Changes.of(yp, Kind.PROFILE),
            parent=None,
        )
    read: list[str] = []
    ops.read(lambda s: load_profile(s, yp).pronouns, parent=None, on_done=read.append)
    qtbot.waitUntil(lambda: bool(read), timeout=10_000)
    assert order == [0, 1, 2, 3, 4]
    assert read == ["v4"]  # asked for after the writes, so it sees them


def test_typing_stays_live_while_a_long_write_holds_the_store(qtbot, ops, store) -> None:
    """A long write (a sync, say) holds the store's write lock on another thread while the
    adviser types a note. Every keystroke is handled and the event loop keeps turning while
    the write still holds the lock; the draft is saved once the write ends."""
    yp = add_young_person(store)
    editor = NoteEditor(ops, yp)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.start_new("phone")

    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, bool] = {}

    def long_write() -> None:  # a real session holding the store's (and SQLite's) write lock
        with store.session() as s:
            s.merge(Meta(key="long_write", value="running"))
            s.flush()
            holding.set()
            outcome["released"] = release.wait(HOLD_LIMIT_S)

    writer = threading.Thread(target=long_write, daemon=True)
    writer.start()
    qtbot.waitUntil(holding.is_set, timeout=10_000)

    ticks = {"n": 0}
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.__setitem__("n", ticks["n"] + 1))
    ticker.start(10)

    first = "Met Tesfay at the visits hall. "
    qtbot.keyClicks(editor.narrative_edit, first)
    # The draft timer fires and its save is queued behind the long write: the GUI does not wait.
    key = editor_draft_key(yp)
    qtbot.waitUntil(
        lambda: not editor.keeper.has_pending and ops.writes_pending == 1, timeout=10_000
    )
    second = "He asked about college and his release date."
    qtbot.keyClicks(editor.narrative_edit, second)
    start = ticks["n"]
    qtbot.waitUntil(lambda: ticks["n"] >= start + 5, timeout=10_000)  # the loop keeps turning

    # All of it happened while the long write still held the store.
    assert not release.is_set() and writer.is_alive()
    assert editor.narrative_edit.toPlainText() == first + second
    with store.reader() as s:  # the queued draft save is still waiting for the lock
        assert load_draft(s, key) is None

    release.set()
    writer.join(10)
    assert outcome == {"released": True}
    ticker.stop()

    def saved() -> str | None:
        with store.reader() as s:
            draft = load_draft(s, key)
        return draft["narrative"] if draft else None

    editor.flush_draft()  # anything typed since the last pause
    qtbot.waitUntil(lambda: saved() == first + second, timeout=10_000)


def test_saving_a_note_discards_its_draft_in_the_same_transaction(qtbot, ops, store) -> None:
    yp = add_young_person(store)
    editor = NoteEditor(ops, yp)
    qtbot.addWidget(editor)
    editor.start_new("phone")
    editor.summary_edit.setText("Phone call")
    editor.narrative_edit.setPlainText("Talked about the dentist.")
    editor.flush_draft()  # queued before the save: the save's transaction discards it
    with qtbot.waitSignal(editor.note_saved, timeout=10_000):
        editor.save()
    assert _draft(store, editor_draft_key(yp)) is None
    with store.reader() as s:
        assert [n.summary for n in list_notes(s, yp)] == ["Phone call"]


def test_a_failed_note_save_keeps_the_text_and_its_draft(qtbot, ops, store) -> None:
    gone = "no-such-young-person"  # e.g. taken off this device by a sync meanwhile
    editor = NoteEditor(ops, gone)
    qtbot.addWidget(editor)
    editor.start_new("phone")
    editor.narrative_edit.setPlainText("Talked about the dentist.")
    editor.flush_draft()
    with qtbot.waitSignal(editor.save_failed, timeout=10_000):
        editor.save()
    assert editor.narrative_edit.toPlainText() == "Talked about the dentist."
    assert editor.error_label.text()  # says why, in words
    qtbot.waitUntil(lambda: _draft(store, editor_draft_key(gone)) is not None, timeout=10_000)
    assert _draft(store, editor_draft_key(gone))["narrative"] == "Talked about the dentist."


def _draft(store, key: str) -> dict | None:
    with store.reader() as s:
        return load_draft(s, key)


def test_the_operation_layer_is_built_from_its_parts(
    ops: Operations, tasks, store, announcer
) -> None:
    """No global: the operation layer is built from its parts and hands them on."""
    assert (ops.store, ops.tasks, ops.announcer) == (store, tasks, announcer)


def test_the_guard_fails_a_session_opened_by_desktop_code_on_the_gui_thread(
    store, no_store_sessions_on_the_gui_thread
) -> None:
    """The autouse guard of tests/desktop catches what the threading rule forbids."""
    from desktop.printing.jobs import due_for_review

    with pytest.raises(AssertionError, match="GUI thread"):
        due_for_review(store, date(2027, 1, 1), date(2027, 1, 31))  # a worker job, run wrongly
    assert no_store_sessions_on_the_gui_thread  # recorded, so the test would fail
    no_store_sessions_on_the_gui_thread.clear()
    with store.reader():  # the test's own checks may read on the main thread
        pass
