"""The hub's fold (``sync.merge``) computes what every device's incremental merge computes.

Three real stores edit offline and swap change logs in random orders (the schedules of
``tests/models/test_merge_property.py``). After they converge, the union of their change logs,
shuffled and with repeats, is folded; the fold's records (every field's current value and stamp,
removed or not) and its open conflicts (ids, fields, both values, stamps, who) must equal each
store's rows and ``open_conflicts``.

``make test`` runs a couple of hundred schedules; ``PATHWAY_SLOW=1`` runs thousands.
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
from models.change_rules import SEEN_KEY, Change
from models.registry import RECORD_TYPES, Kind, encode
from models.schema import Base
from models.store import Store
from sync.merge import Folded, fold
from tests.models.test_merge_property import Devices, converge, make_template, run_step, steps

EXAMPLES = 3000 if os.environ.get("PATHWAY_SLOW") else 200


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
