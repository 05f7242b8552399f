"""Protocol 2 moves most changes in a compact form (one stamp and the values) that a version 1
hub cannot read. An app that meets an older hub stops and says the hub needs updating, and
loses nothing; the hub tells a version 1 app to update (``tests/sync/hub/test_push_pull.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select

from models.repo import notes
from models.repo import young_people as yp_repo
from models.schema import ChangeLog, ContactNote
from models.store import Store
from sync.client import HubTooOld, HubUnreachable, SyncClient, waiting
from sync.client.connection import load, pinned_context
from sync.protocol import HEADER_PROTOCOL
from tests.sync.hub.served import RunningHub


def _as_old_hub(store: Store, hub: RunningHub) -> httpx.Client:
    """The real hub, seen through a client that hears every answer as a version 1 hub's."""
    creds = load(store)
    assert creds is not None

    def older(response: httpx.Response) -> None:
        response.headers[HEADER_PROTOCOL] = "1"

    return httpx.Client(base_url=hub.url, verify=pinned_context(creds.certificate),
                        event_hooks={"response": [older]})


def test_an_older_hub_is_not_synced_with_and_nothing_is_lost(
    laptop: Callable[[str], Store], hub: RunningHub,
) -> None:
    asha, mo = laptop("asha"), laptop("mo")
    with asha.session() as s:
        yp = yp_repo.create_young_person(s, legal_name="Hamid Rahimi",
                                         date_of_birth=date(2007, 2, 3), allocated_pa="asha")
        notes.add_note(s, yp, kind="home_visit", occurred_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
                       summary="Visit in prison", narrative="Talked about his release plan.")
    before = waiting(asha)

    with _as_old_hub(asha, hub) as http, pytest.raises(HubTooOld) as told:
        SyncClient(asha, http=http).run()
    assert "update the hub" in str(told.value) and "nothing on this laptop is lost" in str(
        told.value)
    assert waiting(asha) == before  # still waiting: not counted as sent

    SyncClient(asha).run()  # once the hub is current, everything goes, once
    SyncClient(mo).run()
    with mo.reader() as s:
        assert s.scalars(select(ContactNote.summary)).all() == ["Visit in prison"]
        # Both came as new records: kept compact in the manager's log (one stamp, the values).
        logged = s.execute(select(ChangeLog.table_name, ChangeLog.stamp)).all()
    assert sorted(t for t, _ in logged) == ["contact_notes", "young_people"]
    assert dict(logged)["contact_notes"] is not None


def test_an_answer_too_large_to_read_stops_the_sync_and_loses_nothing(
    laptop: Callable[[str], Store], hub: RunningHub, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The laptop reads an answer only up to a limit (a broken or hostile hub cannot fill its
    memory): past it, the sync stops with a sentence that says nothing is lost, and the next
    one, with room enough, finishes the job."""
    import sync.protocol

    asha, mo = laptop("asha"), laptop("mo")
    with asha.session() as s:
        yp = yp_repo.create_young_person(s, legal_name="Hamid Rahimi",
                                         date_of_birth=date(2007, 2, 3), allocated_pa="asha")
        for day in range(1, 21):
            notes.add_note(s, yp, kind="phone",
                           occurred_at=datetime(2026, 11, day, 10, tzinfo=UTC),
                           summary=f"Call {day}", narrative="Checked in about college. " * 40)
    SyncClient(asha).run()

    with monkeypatch.context() as m:
        m.setattr(sync.protocol, "MAX_INFLATED_BYTES", 20_000)
        with pytest.raises(HubUnreachable) as stopped:
            SyncClient(mo).run()
    assert "could not be read (larger than 20,000 bytes)" in str(stopped.value)
    assert "Nothing is lost" in str(stopped.value)

    SyncClient(mo).run()
    with mo.reader() as s:
        got = sorted(s.scalars(select(ContactNote.summary)).all())
    assert got == sorted(f"Call {day}" for day in range(1, 21))
