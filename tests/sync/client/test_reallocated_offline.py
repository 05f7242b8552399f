"""A young person reallocated while the old adviser is offline with unsynced notes: the notes
reach the new adviser, and the old laptop keeps no byte of that young person — not in its
database pages (free pages and WAL included, read with the store's key), not in its files."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from models.repo import files, notes
from models.repo import young_people as yp_repo
from models.schema import ContactNote, YoungPerson
from models.store import Store
from sync.client import SyncClient, status
from sync.hub import admin
from sync.hub.settings import HubSettings
from tests.factories import PASSPHRASE
from tests.models.sqlcipher_pages import db_key, readable
from tests.sync.hub.hubkit import run_admin


def _note(store: Store, yp: str, summary: str, narrative: str) -> None:
    with store.session() as s:
        notes.add_note(s, yp, kind="custody_visit",
                       occurred_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
                       summary=summary, narrative=narrative)


def _summaries(store: Store, yp: str) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(ContactNote.summary).where(
            ContactNote.young_person_id == yp)))


def _plaintext_anywhere(folder: Path, needles: list[bytes]) -> set[bytes]:
    """Needles found in the raw bytes of any file in the store's folder (blobs included)."""
    found: set[bytes] = set()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found.update(n for n in needles if n in data)
    return found


def test_offline_notes_reach_the_new_adviser_and_the_old_laptop_keeps_nothing(
    laptop: Callable[[str], Store], hub_settings: HubSettings,
) -> None:
    asha, ben = laptop("asha"), laptop("ben")
    mark = secrets.token_hex(6)
    with asha.session() as s:
        yp = yp_repo.create_young_person(
            s, legal_name=f"Selam Tesfay{mark}", date_of_birth=date(2007, 5, 14),
            prison=f"HMYOI Feltham{mark}", in_custody=True, allocated_pa="asha")
    _note(asha, yp, f"first visit{mark}", f"Selam talked about college{mark}")
    photo = asha.blob_store().put_bytes(f"photo of Selam{mark}".encode() * 100)
    with asha.session() as s:
        files.add_document(s, yp, blob=photo, filename=f"birth-certificate{mark}.txt",
                           title=f"Birth certificate{mark}", added_by_name="PA")
    SyncClient(asha).run()
    SyncClient(ben).run()  # ben's cursor passes Selam's history: he gets it by a backfill

    # asha goes offline and writes; meanwhile the manager reallocates Selam to ben.
    offline = [(f"custody visit{mark}{i}", f"Selam asked about release{mark}{i}")
               for i in range(3)]
    for summary, narrative in offline:
        _note(asha, yp, summary, narrative)
    with asha.session() as s:
        yp_repo.update_young_person(s, yp, address=f"Flat 2, Hope Street{mark}")
    assert run_admin(hub_settings, admin.allocate, yp, "ben") == "asha"
    first = SyncClient(ben).run()
    assert yp in first.backfilled
    assert _summaries(ben, yp) == {f"first visit{mark}"}

    needles = [yp.encode(), mark.encode()]
    key = db_key(asha.folder, PASSPHRASE)
    assert readable(asha.folder, key, needles) == set(needles)  # the search can find them
    report = SyncClient(asha).run()
    assert report.pushed == len(offline) + 1 and report.refused == []
    assert report.purged == [yp]
    SyncClient(ben).run()

    assert _summaries(ben, yp) == {f"first visit{mark}"} | {s for s, _ in offline}
    with ben.reader() as s:
        assert s.get(YoungPerson, yp).address == f"Flat 2, Hope Street{mark}"
    with asha.reader() as s:
        assert s.get(YoungPerson, yp) is None
    assert status(asha).waiting == 0
    # No byte of Selam on asha's laptop: every database page and WAL frame, decrypted with the
    # store's own key; every file in the store's folder as it lies on disk; the blobs.
    assert readable(asha.folder, key, needles) == set()
    assert _plaintext_anywhere(asha.folder, needles) == set()
    assert not asha.blob_store().exists(photo.sha256)
    assert not [p for p in (asha.folder / "blobs").rglob("*") if p.is_file()]
