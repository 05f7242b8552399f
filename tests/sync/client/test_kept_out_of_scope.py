"""A young person this laptop had to keep after they left its scope (a note written during the
sync that saw them go, which the hub then refused) and who is later allocated back: the
laptop's pulls skipped everything written about them while they were away, so it must fetch
their history again, or it would silently never have the other adviser's notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import select

from models.repo import notes
from models.repo import young_people as yp_repo
from models.schema import ContactNote
from models.store import Store
from sync.client import SyncClient
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.sync.hub.hubkit import run_admin


def _note(store: Store, yp: str, summary: str) -> None:
    with store.session() as s:
        notes.add_note(s, yp, kind="phone", occurred_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
                       summary=summary, narrative="Rang to check in.")


def _summaries(store: Store, yp: str) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(ContactNote.summary).where(
            ContactNote.young_person_id == yp)))


def test_kept_while_away_then_allocated_back_gets_what_was_written_meanwhile(
    laptop: Callable[[str], Store], hub_settings: HubSettings,
) -> None:
    asha, ben = laptop("asha"), laptop("ben")
    with asha.session() as s:
        yp = yp_repo.create_young_person(s, legal_name="Hamid Rahimi",
                                         date_of_birth=date(2007, 2, 3), allocated_pa="asha")
    _note(asha, yp, "first call")
    SyncClient(asha).run()
    SyncClient(ben).run()

    # Hamid moves to ben; asha writes a note while the sync that learns it is running.
    assert run_admin(hub_settings, admin.allocate, yp, "ben") == "asha"
    written: list[str] = []

    def write_during_pull(stage: str, _done: int, _total: int) -> None:
        if stage == "Receiving changes" and not written:
            _note(asha, yp, "written as the sync ran")
            written.append(stage)

    seen_go = SyncClient(asha).run(progress=write_during_pull)
    assert written and yp in seen_go.kept_out_of_scope  # not purged: a note waits
    refused = SyncClient(asha).run()  # the hub no longer takes notes about Hamid from asha
    assert [r["young_person_id"] for r in refused.refused] == [yp]
    assert yp in refused.kept_out_of_scope

    # ben writes while Hamid is his; asha syncs meanwhile (her pulls skip Hamid).
    SyncClient(ben).run()
    _note(ben, yp, "ben's visit")
    SyncClient(ben).run()
    SyncClient(asha).run()
    assert "ben's visit" not in _summaries(asha, yp)

    # Back to asha: her next sync fetches what was written about Hamid while he was away.
    assert run_admin(hub_settings, admin.allocate, yp, "asha") == "ben"
    back = SyncClient(asha).run()
    assert yp in back.backfilled
    assert {"first call", "ben's visit", "written as the sync ran"} <= _summaries(asha, yp)
    again = SyncClient(asha).run()  # and once fetched, not again
    assert yp not in again.backfilled
