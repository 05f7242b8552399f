"""The dashboard read from a real store: the few set-based queries give each young person's
facts as the caseload sees them (amendments followed, removed records left out), and a
reallocation moves a young person's figures to the new adviser."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from models.repo import care_leaver_facts, changes, notes, plans
from models.repo import young_people as yp
from models.repo.dashboard import load_dashboard, people_facts
from models.schema import YoungPerson
from tests.factories import add_note, add_young_person, make_store

ON = date(2026, 11, 29)


def test_facts_come_from_the_store_as_the_caseload_sees_them(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        kai = add_young_person(
            store, preferred_name="Kai", date_of_birth=date(2004, 5, 5), allocated_pa="Blair"
        )
        gone = add_young_person(store, preferred_name="Gone", date_of_birth=date(2004, 5, 5))
        add_note(store, kai, occurred_at=datetime(2026, 3, 31, 23, 0, tzinfo=UTC))  # last year
        add_note(store, kai, occurred_at=datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
        wrong = add_note(store, kai, kind="phone", occurred_at=datetime(2026, 11, 1, tzinfo=UTC))
        with store.session() as s:
            # Corrected to a date before the year began: one contact this year, not two.
            notes.amend_note(
                s,
                wrong,
                summary="Call",
                narrative="Was in March",
                occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
            )
            plans.agree_plan(s, kai, agreed_on=date(2025, 6, 1), agreed_with="Kai")
            plans.agree_plan(s, kai, agreed_on=date(2026, 6, 1), agreed_with="Kai")
            yp.add_key_date(s, kai, kind="birthday", label="Birthday", on_date=date(2004, 12, 5))
            care_leaver_facts.record_facts(
                s,
                kai,
                recorded_on=date(2026, 5, 10),
                in_touch="YES",
                activity="F5",
                accommodation="U",
                accommodation_suitable=True,
            )
            changes.tombstone(s, changes.get(s, YoungPerson, gone, "young person"))
        with store.reader() as s:
            (p,) = people_facts(s, ON)
        assert (p.id, p.name, p.adviser) == (kai, "Kai", "Blair")
        assert p.contacts_this_year == 1
        # December to November; the call corrected to 1 March counts in March, not November.
        assert p.contacts_by_month == (0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0)
        assert p.last_contact == date(2026, 4, 1) and p.last_visit == date(2026, 4, 1)
        assert (p.plan_first_agreed, p.plan_last_agreed) == (date(2025, 6, 1), date(2026, 6, 1))
        assert p.key_dates == ((date(2004, 12, 5), True),)
        assert [f.in_touch for f in p.facts] == ["YES"]


def test_a_reallocated_young_person_counts_for_the_new_adviser(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        ids = [
            add_young_person(store, date_of_birth=date(2004, 5, 5), allocated_pa="Alex")
            for _ in range(3)
        ]
        with store.session() as s:
            yp.update_young_person(s, ids[0], allocated_pa="Blair")
        with store.reader() as s:
            board = load_dashboard(s, ON)
        alex, blair = board.for_adviser("Alex"), board.for_adviser("Blair")
        assert alex is not None and blair is not None
        assert set(alex["age_21_24"].ids) == set(ids[1:])
        assert blair["age_21_24"].ids == (ids[0],)
        assert board.team["age_21_24"].count == 3
        assert board.team["visit_overdue"].count == 0  # never visited: due today
        assert board.team["no_contact_8_weeks"].count == 3
