"""Resolving a clash by combining both sides: a person writes the value, it is checked like an
edit, and the choice settles the clash on every laptop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models import merge
from models.errors import InvalidRecord
from models.repo import plans
from models.repo import young_people as yp
from models.store import Store
from tests.factories import add_young_person, make_store


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", owner="Bea Adviser")
    ident = add_young_person(a)
    exchange(a, b)
    yield a, b, ident
    a.close()
    b.close()


def exchange(frm: Store, to: Store) -> None:
    with frm.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    with to.session() as s:
        merge.apply_remote(s, [c.to_json() for c in changes], source="peer")


def both_ways(a: Store, b: Store) -> None:
    exchange(a, b)
    exchange(b, a)


def goals_clash(pair) -> merge.ConflictView:
    a, b, ident = pair
    with a.session() as s:
        plans.update_section(s, ident, "health", goals="See the GP about my asthma")
    with b.session() as s:
        plans.update_section(s, ident, "health", goals="Join a gym and see the dentist")
    both_ways(a, b)
    with a.reader() as s:
        (clash,) = merge.open_conflicts(s, ident)
    return clash


def test_a_combined_text_settles_the_clash_on_both_laptops(pair) -> None:
    a, b, ident = pair
    clash = goals_clash(pair)
    combined = "See the GP about my asthma; join a gym and see the dentist"
    with b.session() as s:
        merge.resolve_conflict(s, clash.id, keep="combined", value=combined)
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert plans.load_plan(s, ident).section("health").goals == combined
            assert merge.open_conflicts(s) == []
    # The resolution is a change like any other: it names both sides as what it replaced.
    with b.reader() as s:
        changes, _ = merge.changes_since(s, 0, local_only=True)
    (goals,) = [c.fields["goals"] for c in changes if "goals" in c.fields][-1:]
    assert goals[0] == combined
    assert clash.other_stamp in goals[2] and len(goals[2]) == 2


def test_a_combined_value_breaking_a_rule_is_refused_and_the_clash_stays(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0001")
    with b.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0002")
    both_ways(a, b)
    with a.reader() as s:
        (clash,) = merge.open_conflicts(s)
    with pytest.raises(InvalidRecord, match="phone number"), a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="combined", value="ring 0115 000 0001")
    with pytest.raises(InvalidRecord, match="longer than"), a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="combined", value="0" * 61)
    with a.reader() as s:
        assert merge.open_conflicts(s) == [clash]
    with a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="combined", value="0115 000 0003")
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert yp.load_profile(s, ident).phone == "0115 000 0003"
            assert merge.open_conflicts(s) == []


def test_a_removal_cannot_be_combined_and_keep_is_checked(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        person = yp.add_person(s, ident, name="Aunt Sara")
    both_ways(a, b)
    with a.session() as s:
        yp.remove_person(s, person)
    with b.session() as s:
        yp.update_person(s, person, how_to_contact="07700 900555")
    both_ways(a, b)
    with a.reader() as s:
        (clash,) = merge.open_conflicts(s)
    with pytest.raises(InvalidRecord, match="cannot be combined"), a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="combined", value=False)
    with pytest.raises(ValueError), a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="both")
    with pytest.raises(ValueError), a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="current", value="x")
    with a.reader() as s:
        assert merge.open_conflicts(s) == [clash]
