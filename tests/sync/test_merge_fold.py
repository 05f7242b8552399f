"""The hub's fold (``sync.merge``) computes what every device's incremental merge computes.

Three real stores edit offline and swap change logs in random orders (the schedules of
``tests/models/test_merge_property.py``). After they converge, the union of their change logs,
shuffled and with repeats, is folded; the fold's records (every field's current value and stamp,
removed or not) and its open conflicts (ids, fields, both values, stamps, who) must equal each
store's rows and ``open_conflicts``.

``make test`` runs 100 schedules (the suite stays under ten minutes); ``PATHWAY_SLOW=1`` runs
thousands.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import merge
from models.change_rules import SEEN_KEY, Change, conflict_id
from models.hlc import format_stamp
from models.registry import RECORD_TYPES, Kind, encode
from models.schema import Base
from models.store import Store
from sync.merge import Folded, fold
from tests.models.test_merge_property import Devices, converge, make_template, run_step, steps

EXAMPLES = 3000 if os.environ.get("PATHWAY_SLOW") else 100


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("fold-template") / "store")


@pytest.fixture
def devices(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    stacks: list[ExitStack] = []

    def make() -> Devices:
        stack = ExitStack()
        stacks.append(stack)
        return Devices(template, tmp_path_factory.mktemp("fold-devices"), stack)

    yield make
    for stack in stacks:
        stack.close()


def union_of_logs(stores: list[Store]) -> list[Change]:
    out = []
    for store in stores:
        with store.reader() as s:
            out.extend(merge.changes_since(s, 0)[0])
    return out


def assert_records_match(store: Store, folded: Folded) -> None:
    """Every record of the store is in the fold, field by field, and nothing else is."""
    seen = set()
    with store.reader() as s:
        for table, rt in RECORD_TYPES.items():
            for row in s.execute(select(Base.metadata.tables[table])).mappings():
                key = (table, row["id"])
                seen.add(key)
                record = folded.records[key]
                stamps = dict(row["stamps"] or {})
                assert stamps.pop(SEEN_KEY, None) == record.removal_seen, key
                assert stamps == record.stamps, key
                assert bool(row["deleted"]) == record.deleted, key
                for name, value in record.values.items():
                    if name == "deleted":
                        continue
                    kind = rt.fields[name].kind
                    sets = kind in (Kind.FLAGS, Kind.SET)
                    stored = row[name] if sets else encode(kind, row[name])
                    assert stored == value, (key, name)
    assert seen == set(folded.records)


def device_conflicts(store: Store) -> list[tuple[Any, ...]]:
    with store.reader() as s:
        return [
            (c.id, c.table, c.row_id, c.young_person_id, c.field, c.current, c.other,
             c.other_by, c.other_stamp, c.other_device, c.other_at_ms, c.removal)
            for c in merge.open_conflicts(s)
        ]


def folded_conflicts(folded: Folded) -> list[tuple[Any, ...]]:
    return [
        (c.id, c.table, c.row_id, c.young_person_id, c.field, c.current, c.other,
         c.other_by, c.other_stamp, c.other_device, c.other_at_ms, c.removal)
        for c in folded.conflicts()
    ]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedule=steps, rnd=st.randoms(use_true_random=False))
def test_the_fold_of_all_changes_is_every_converged_store(
    devices: Any, schedule: list[Any], rnd: random.Random
) -> None:
    dev = devices()
    try:
        for step in schedule:
            run_step(dev, step)
        converge(dev)
        changes = union_of_logs(dev.stores)
        rnd.shuffle(changes)  # any order, with every change several times over
        folded = fold([c if rnd.random() < 0.5 else c.to_json() for c in changes])
        assert folded.refused == []
        assert fold(reversed(changes)).records == folded.records
        expected = folded_conflicts(folded)
        event(f"open conflicts: {min(len(expected), 3)}{'+' if len(expected) > 3 else ''}")
        event(f"a removal in conflict: {any(c[-1] for c in expected)}")
        event(f"a record removed: {any(r.deleted for r in folded.records.values())}")
        assert all(c[7] for c in expected)  # every clash says who
        for store in dev.stores:
            assert_records_match(store, folded)
            assert device_conflicts(store) == expected
    finally:
        for store in dev.stores:
            store.close()


# -- the fold alone, case by case (pure, no store) -----------------------------------------

_YP = "7d2b8a43-55a5-4a8e-9d5e-1c0b6f3e9a10"
_NOTE = "1f0e0a4c-2b6d-4c53-8a1e-6a3d2f9b7c01"


def _stamp(ms: int, node: str) -> str:
    return format_stamp(1_790_000_000_000 + ms, 0, node)


def _change(cid: str, table: str, row: str, fields: dict[str, Any], **extra: Any) -> Change:
    return Change(cid, table, row, _YP, extra.pop("actor", "Asha"), fields, **extra)


def test_a_clash_a_removal_and_duplicates_fold_alike_in_any_order() -> None:
    s0, a, b = _stamp(0, "a"), _stamp(10, "a"), _stamp(20, "b")
    made = _change("c0", "young_people", _YP, {"phone": ["0115 000 0001", s0, []]})
    mine = _change("c1", "young_people", _YP, {"phone": ["0115 000 0002", a, [s0]]})
    theirs = _change(
        "c2", "young_people", _YP, {"phone": ["0115 000 0003", b, [s0]]}, actor="Mo"
    )
    orders = [[made, mine, theirs], [theirs, mine, made, theirs], [mine.to_json(), made, theirs]]
    results = [fold(order) for order in orders]
    assert all(r.records == results[0].records for r in results)
    (clash,) = results[0].conflicts()
    assert (clash.current, clash.current_by, clash.other, clash.other_by) == (
        "0115 000 0003", "Mo", "0115 000 0002", "Asha"
    )
    assert clash.id == conflict_id("young_people", _YP, "phone", a)
    settled = _change(
        "c3", "young_people", _YP, {"phone": ["0115 000 0002", _stamp(30, "a"), [a, b]]}
    )
    assert fold([*orders[0], settled]).conflicts() == []


def test_a_removal_stands_only_over_what_it_had_seen() -> None:
    s0, edit, gone = _stamp(0, "a"), _stamp(10, "b"), _stamp(20, "a")
    made = _change("c0", "young_people", _YP, {"phone": ["0115 000 0001", s0, []]})
    removal = _change("c1", "young_people", _YP, {"deleted": [True, gone, []]},
                      seen={"phone": s0})
    assert fold([made, removal]).records[("young_people", _YP)].deleted
    unseen = _change("c2", "young_people", _YP, {"phone": ["0115 000 0009", edit, [s0]]})
    folded = fold([removal, unseen, made])
    assert not folded.records[("young_people", _YP)].deleted
    (clash,) = folded.conflicts()
    assert clash.removal and clash.field == "deleted" and clash.other_stamp == gone


def test_rewriting_an_append_only_record_is_refused_whatever_the_order() -> None:
    first, later = _stamp(0, "a"), _stamp(10, "b")
    note = _change("c0", "contact_notes", _NOTE, {"summary": ["Called", first, []]})
    rewrite = _change("c1", "contact_notes", _NOTE, {"summary": ["Visited", later, []]})
    for order in ([note, rewrite], [rewrite, note]):
        folded = fold(order)
        assert folded.records[("contact_notes", _NOTE)].values["summary"] == "Called"
        assert [cid for cid, _ in folded.refused] == ["c1"]
        assert folded.conflicts() == []


def test_what_is_not_a_change_is_refused_with_the_reason() -> None:
    folded = fold([{"change_id": "x"}, _change("c9", "no_such_table", _YP, {"a": [1, "z", []]})])
    assert [cid for cid, _ in folded.refused] == ["c9", "x"]
    assert folded.records == {}
