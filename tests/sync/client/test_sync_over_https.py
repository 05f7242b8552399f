"""Two advisers and a manager sync through a real hub over HTTPS: referrals reach the right
people, edits flow both ways, a clash is kept for a person, out-of-scope data never arrives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from models import merge
from models.repo import notes
from models.repo import young_people as yp_repo
from models.schema import ContactNote, YoungPerson
from models.store import Store
from sync.client import SyncClient, status


def _referral(store: Store, name: str) -> str:
    with store.session() as s:
        return yp_repo.create_young_person(s, legal_name=name, date_of_birth=date(2006, 3, 1),
                                           allocated_pa=store.owner_name)


def _names(store: Store) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(YoungPerson.legal_name)))


def _note(store: Store, yp: str, summary: str) -> None:
    with store.session() as s:
        notes.add_note(s, yp, kind="phone", occurred_at=datetime(2026, 11, 1, 10, tzinfo=UTC),
                       summary=summary)


def _summaries(store: Store, yp: str) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(ContactNote.summary).where(
            ContactNote.young_person_id == yp)))


def test_referrals_edits_and_clashes_flow_through_the_hub(
    laptop: Callable[[str], Store],
) -> None:
    asha, ben, mo, sol = laptop("asha"), laptop("ben"), laptop("mo"), laptop("sol")
    amira = _referral(asha, "Amira Haile")
    _note(asha, amira, "first call")
    bilal = _referral(ben, "Bilal Yusuf")
    _referral(sol, "Sami South")
    for store in (asha, ben, sol, mo):
        SyncClient(store).run()
    # The manager of North holds both North referrals; nobody holds another's or South's.
    assert _names(mo) == {"Amira Haile", "Bilal Yusuf"}
    assert _names(asha) == {"Amira Haile"}
    assert _names(ben) == {"Bilal Yusuf"}
    assert _names(sol) == {"Sami South"}
    assert _summaries(mo, amira) == {"first call"}
    assert status(asha).waiting == 0

    # The manager adds a note; asha and mo change the same phone number offline.
    _note(mo, amira, "manager checked in")
    with asha.session() as s:
        yp_repo.update_young_person(s, amira, phone="0115 000 0001")
    with mo.session() as s:
        yp_repo.update_young_person(s, amira, phone="0115 000 0002")
    report_asha = SyncClient(asha).run()
    report_mo = SyncClient(mo).run()
    SyncClient(asha).run()
    assert report_asha.pushed >= 1 and report_mo.pulled >= 1
    assert _summaries(asha, amira) == {"first call", "manager checked in"}
    phones = []
    for store in (asha, mo):
        with store.reader() as s:
            phones.append(s.get(YoungPerson, amira).phone)
            clashes = merge.open_conflicts(s, amira)
        assert [(c.field, {c.current, c.other}) for c in clashes] == [
            ("phone", {"0115 000 0001", "0115 000 0002"})]
    assert phones[0] == phones[1]
    assert status(mo).open_conflicts == 1
    # ben never received anything of Amira's.
    assert _summaries(ben, amira) == set()
    assert bilal in {yp for yp in _ids(mo)}


def _ids(store: Store) -> set[str]:
    with store.reader() as s:
        return set(s.scalars(select(YoungPerson.id)))


def test_a_manager_reallocates_while_the_old_adviser_is_offline(
    laptop: Callable[[str], Store],
) -> None:
    """The old adviser's offline notes reach the new adviser; the old laptop purges the young
    person once they are sent; the manager sees each laptop's last sync and revokes one."""
    from sync.client import DeviceRevoked, team

    asha, ben, mo = laptop("asha"), laptop("ben"), laptop("mo")
    amira = _referral(asha, "Amira Haile")
    SyncClient(asha).run()
    SyncClient(mo).run()
    _note(asha, amira, "visited in prison, offline")  # asha is out of signal
    moved = team.reallocate(mo, amira, "ben")
    assert (moved["allocated_to"], moved["before"]) == ("ben", "asha")
    report = SyncClient(asha).run()
    assert report.pushed == 1 and report.refused == [] and report.purged == [amira]
    assert _ids(asha) == set()
    report = SyncClient(ben).run()
    assert _summaries(ben, amira) == {"visited in prison, offline"}
    SyncClient(mo).run()
    assert _summaries(mo, amira) == {"visited in prison, offline"}

    view = team.team(mo)
    members = {m["username"]: m for m in view["members"]}
    assert members["ben"]["young_people"] == 1 and members["asha"]["young_people"] == 0
    [bens_laptop] = members["ben"]["devices"]
    assert bens_laptop["last_sync_at"] is not None
    assert team.revoke(mo, bens_laptop["device_id"]) is True
    with pytest.raises(DeviceRevoked):
        SyncClient(ben).run()
