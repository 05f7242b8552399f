"""Recording the statutory care-leaver facts: through the one write funnel, append-only,
synced (change log, apply_remote with the same rules), and suggested from the profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import merge
from models.errors import AppendOnlyViolation, InvalidRecord
from models.repo import care_leaver_facts as facts
from models.schema import ChangeLog
from tests.factories import OWNER, add_young_person, full_form, make_store

RECORDED = date(2026, 11, 2)


def _record(store, yp_id: str, **over):  # type: ignore[no-untyped-def]
    values = {
        "recorded_on": RECORDED,
        "in_touch": "YES",
        "activity": "F2",
        "accommodation": "E",
        "accommodation_suitable": True,
    }
    values.update(over)
    with store.session() as s:
        return facts.record_facts(s, yp_id, **values)


def test_a_recording_is_kept_with_who_and_when_and_logged_for_sync(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        yp_id = add_young_person(store)
        made = _record(store, yp_id)
        with store.reader() as s:
            (got,) = facts.list_facts(s, yp_id)
            log = s.execute(
                select(ChangeLog.by_ref, ChangeLog.young_person_id).where(
                    ChangeLog.table_name == "care_leaver_facts"
                )
            ).all()
        assert got == made
        assert (got.recorded_by, got.recorded_on, got.accom_code) == (OWNER, RECORDED, "E1")
        assert [tuple(row) for row in log] == [(True, yp_id)]


def test_recordings_are_append_only_and_the_latest_is_current(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        yp_id = add_young_person(store)
        _record(store, yp_id, recorded_on=date(2026, 10, 1))
        _record(store, yp_id, activity="G5", accommodation="S", accommodation_suitable=False)
        with store.reader() as s:
            history = facts.list_facts(s, yp_id)
            by_person = facts.facts_by_young_person(s)
        assert [f.activity for f in history] == ["F2", "G5"]
        assert by_person == {yp_id: history}
        with pytest.raises(AppendOnlyViolation), store.session() as s:
            s.execute(text("UPDATE care_leaver_facts SET activity = 'F1'"))
        with pytest.raises(AppendOnlyViolation), store.session() as s:
            s.execute(text("DELETE FROM care_leaver_facts"))


@pytest.mark.parametrize(
    ("over", "says"),
    [
        ({"in_touch": "MAYBE"}, "Unknown in-touch code"),
        ({"activity": ""}, "all three"),
        ({"in_touch": "DIED"}, "Not applicable"),
        ({"activity": "0"}, "not 0"),
        ({"accommodation": "X", "accommodation_suitable": True}, "never recorded as suitable"),
        ({"accommodation_suitable": None}, "suitable"),
        ({"recorded_on": date(2999, 1, 1)}, "future"),
    ],
)
def test_the_returns_rules_for_one_recording_are_enforced(
    tmp_path: Path, over: dict, says: str
) -> None:
    with make_store(tmp_path / "s") as store:
        yp_id = add_young_person(store)
        with pytest.raises(InvalidRecord, match=says):
            _record(store, yp_id, **over)
        with store.reader() as s:
            assert facts.list_facts(s, yp_id) == ()


def test_a_recording_from_another_device_arrives_and_a_bad_one_is_quarantined(
    tmp_path: Path,
) -> None:
    with make_store(tmp_path / "a") as a, make_store(tmp_path / "b") as b:
        yp_id = add_young_person(a)
        _record(
            a, yp_id, in_touch="RHOM", activity="0", accommodation="0", accommodation_suitable=None
        )
        with a.reader() as s:
            changes, _ = merge.changes_since(s, 0)
        wire = [c.to_json() for c in changes]
        bad = full_form(wire[-1])
        bad["change_id"] = "bad-1"
        bad["row_id"] = "00000000-0000-4000-8000-000000000001"
        bad["fields"] = {**bad["fields"], "activity": ["F1", bad["fields"]["activity"][1], []]}
        with b.session() as s:
            result = merge.apply_remote(s, [*wire, bad], source="hub")
        assert len(result.quarantined) == 1
        with b.reader() as s:
            (got,) = facts.list_facts(s, yp_id)
        assert (got.in_touch, got.activity, got.accommodation) == ("RHOM", "0", "0")


def test_suggestions_come_from_the_profile(tmp_path: Path) -> None:
    with make_store(tmp_path / "s") as store:
        tenant = add_young_person(
            store,
            eet_status="employment_part_time",
            accommodation_type="Independent tenancy",
            accommodation_suitable=True,
        )
        inside = add_young_person(
            store, in_custody=True, prison="HMP Example", accommodation_type="Custody"
        )
        unsure = add_young_person(store, accommodation_type="Student accommodation")
        with store.reader() as s:
            a = facts.suggest_facts(s, tenant)
            b = facts.suggest_facts(s, inside)
            c = facts.suggest_facts(s, unsure)
        assert (a.activity, a.accommodation, a.accommodation_suitable) == ("P5", "U", True)
        assert (b.activity, b.accommodation, b.accommodation_suitable) == (None, "X", False)
        assert (c.activity, c.accommodation, c.accommodation_suitable) == (None, None, None)
