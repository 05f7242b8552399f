"""When the laptop syncs by itself: when the hub becomes reachable (probes backing off while it
is not), never two syncs at once, nothing while locked; and the status bar's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer

from desktop.sync_ui.hub_probe import HubProbe
from desktop.sync_ui.sync_controller import ONE_BY_ONE, announcements
from desktop.sync_ui.sync_words import (
    conflicts_text,
    last_sync_text,
    short_error,
    waiting_text,
)
from sync.client import SyncReport
from tests.desktop.conftest import unlock

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_the_words_of_the_status_bar() -> None:
    assert last_sync_text(False, None, NOW) == "Not enrolled"
    assert last_sync_text(True, None, NOW) == "Never synced"
    assert last_sync_text(True, (NOW - timedelta(seconds=20)).isoformat(), NOW) == \
        "Synced just now"
    assert last_sync_text(True, (NOW - timedelta(minutes=5)).isoformat(), NOW) == \
        "Synced 5 min ago"
    assert last_sync_text(True, (NOW - timedelta(hours=3)).isoformat(), NOW) == "Synced 3 h ago"
    assert last_sync_text(True, (NOW - timedelta(days=1)).isoformat(), NOW) == \
        "Synced 1 day ago"
    assert (waiting_text(0), waiting_text(1), waiting_text(7)) == \
        ("Nothing to send", "1 change to send", "7 changes to send")
    assert (conflicts_text(0), conflicts_text(1), conflicts_text(3)) == \
        ("No conflicts", "1 conflict", "3 conflicts")
    assert short_error(None) == ""
    assert short_error("Cannot reach the hub at https://x (refused). Check the address.") == \
        "Hub not reachable"
    assert short_error("The connection to the hub was lost (reset). Nothing is lost.") == \
        "Hub not reachable"
    assert short_error("Sync cancelled. What was sent or received so far is kept.") == \
        "Sync cancelled"
    assert short_error("This Pathway Desk is too old for the hub: update it.") == \
        "This Pathway Desk is too old for the hub"
    assert len(short_error("A" * 200)) == 40


def test_what_a_sync_announces() -> None:
    assert announcements(SyncReport()) == []
    few = announcements(SyncReport(young_people={"a", "b"}))
    assert [c.young_person_id for c in few] == ["a", "b"]
    many = announcements(SyncReport(young_people={str(i) for i in range(ONE_BY_ONE + 1)}))
    assert [c.young_person_id for c in many] == [None]  # one announcement for everyone


def test_syncs_by_itself_when_the_hub_comes_back_never_twice_never_locked(
    qtbot, make_window, enrolled_folder, monkeypatch
) -> None:
    folder = enrolled_folder("asha", ("Amira",))
    real_probe = HubProbe.probe
    misses = [2]  # the first two probes find no hub (the laptop is still offline)

    def probe(self, url):
        if misses[0] > 0:
            misses[0] -= 1
            QTimer.singleShot(0, self, lambda: self.probed.emit(False))
            return
        real_probe(self, url)

    monkeypatch.setattr(HubProbe, "probe", probe)
    window = make_window(folder, unlocked=False)
    controller, bar = window.sync.controller, window.sync.status_bar
    controller.probe_ms, controller.max_probe_ms = 100, 400
    waits: list[int] = []
    controller.probe.probed.connect(lambda _ok: waits.append(controller.next_probe_ms))
    started: list[bool] = []
    second: list[bool] = []

    def on_started(automatic: bool) -> None:
        started.append(automatic)
        second.append(controller.sync_now())  # while one runs: refused

    controller.sync_started.connect(on_started)
    finished: list[SyncReport] = []
    controller.sync_finished.connect(finished.append)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bar.connection_label.text() == "Offline", timeout=10_000)
    # Backing off 100, 200 ms...; then the hub answers and the sync starts by itself.
    qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
    assert waits[:3] == [200, 400, 100]
    assert started == [True] and second == [False]
    assert bar.connection_label.text() == "Online"
    assert controller.probing  # the next probe is due

    window.lock()
    assert controller.ops is None and not controller.probing and not controller.running
    assert not bar.isVisible()
    controller.probe.probed.emit(True)  # a late answer while locked starts nothing
    assert not controller.sync_now(automatic=True) and not controller.sync_now()
    assert started == [True]
