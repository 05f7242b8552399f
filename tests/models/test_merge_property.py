"""Three stores edit one young person offline and swap change logs in random orders.

Property (hypothesis, models only, no network): whatever the edits and whatever the order of
exchanges — with duplicates and repeats — every store ends with identical records and identical
open conflicts, and no value anyone committed is silently lost: every version nobody edited on
top of is either current or an open conflict.

``make test`` runs 120 schedules; ``PATHWAY_SLOW=1`` runs thousands.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from models import merge, merge_rows
from models.merge_log import logged_fields
from models.registry import RECORD_TYPES
from models.repo import notes, plans
from models.repo import young_people as yp_repo
from models.schema import Base, ChangeLog, ImportantPerson, PlanAction
from models.store import Store
from tests.factories import PASSPHRASE, make_store

EXAMPLES = 3000 if os.environ.get("PATHWAY_SLOW") else 120
STORES = 3
YP = "7d2b8a43-55a5-4a8e-9d5e-1c0b6f3e9a10"

PHONES = ["0115 000 0001", "0115 000 0002", "0115 000 0003"]
PRONOUNS = ["she/her", "he/him", "they/them", ""]
ADDRESSES = ["Flat 1", "Flat 2", "Flat 3"]
CHECKS = ["visit_8_weekly", "probation_contact", "id_documents"]
LANGS = ["Tigrinya", "Arabic", "English", "Amharic"]
MATTERS = ["health", "identity", "accommodation"]
TEXTS = ["going well", "needs help", "new job", ""]

store_ix = st.integers(0, STORES - 1)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("field"),
            store_ix,
            st.sampled_from(["phone", "pronouns", "address"]),
            st.integers(0, 3),
        ),
        st.tuples(st.just("tick"), store_ix, st.sampled_from(CHECKS), st.booleans()),
        st.tuples(st.just("language"), store_ix, st.sampled_from(LANGS), st.booleans()),
        st.tuples(st.just("section"), store_ix, st.sampled_from(MATTERS), st.sampled_from(TEXTS)),
        st.tuples(st.just("life"), store_ix, st.sampled_from(TEXTS)),
        st.tuples(st.just("action"), store_ix, st.integers(0, 5), st.sampled_from(TEXTS[:3])),
        st.tuples(st.just("remove_action"), store_ix, st.integers(0, 5)),
        st.tuples(st.just("person"), store_ix, st.integers(0, 3), st.sampled_from(TEXTS[:3])),
        st.tuples(st.just("remove_person"), store_ix, st.integers(0, 3)),
        st.tuples(st.just("note"), store_ix, st.sampled_from(TEXTS[:3])),
        st.tuples(st.just("amend"), store_ix, st.integers(0, 5)),
        st.tuples(st.just("agree"), store_ix),
        st.tuples(st.just("resolve"), store_ix, st.integers(0, 5), st.booleans()),
        st.tuples(st.just("sync"), store_ix, store_ix, st.integers(0, 3), st.integers(1, 40)),
    ),
    max_size=40,
)


def make_template(folder: Path) -> Path:
    """One store holding the shared young person; each schedule starts from copies of it."""
    with make_store(folder) as store, store.session() as s:
        yp_repo.create_young_person(
            s,
            id=YP,
            legal_name="Selam Tesfay",
            preferred_name="Selam",
            date_of_birth=date(2007, 5, 14),
            languages=["Tigrinya"],
        )
    return folder


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("merge-template") / "store")


class Devices:
    """Three copies of the template (each a device with its own node id)."""

    def __init__(self, template: Path, root: Path, stack: ExitStack) -> None:
        self.stores: list[Store] = []
        for i in range(STORES):
            folder = root / f"device{i}"
            shutil.copytree(template, folder)
            self.stores.append(stack.enter_context(Store.open(folder, PASSPHRASE)))
        self.cursors = [[0] * STORES for _ in range(STORES)]

    def pull(self, to: int, frm: int, back: int = 0, batch: int = 1000) -> None:
        """``to`` takes ``frm``'s log from a little before where it last stopped (repeats)."""
        if to == frm:
            return
        start = max(0, self.cursors[to][frm] - back)
        with self.stores[frm].reader() as s:
            changes, last = merge.changes_since(s, start)
        for i in range(0, len(changes), batch):
            with self.stores[to].session() as s:
                merge.apply_remote(s, changes[i : i + batch], source=f"device{frm}")
        self.cursors[to][frm] = max(self.cursors[to][frm], last)


def _ids(store: Store, cls: type, *, live: bool = True) -> list[str]:
    with store.reader() as s:
        q = select(cls.id).where(cls.young_person_id == YP).order_by(cls.id)
        if live:
            q = q.where(cls.deleted.is_(False))
        return list(s.scalars(q))


def _note_ids(store: Store) -> list[str]:
    with store.reader() as s:
        return sorted(n.id for n in notes.list_notes(s, YP))


def run_step(dev: Devices, step: tuple[Any, ...]) -> None:
    kind, i = step[0], step[1]
    store = dev.stores[i]
    if kind == "sync":
        dev.pull(step[2], i, back=step[3], batch=step[4])
        return
    with store.session() as s:
        if kind == "field":
            name, k = step[2], step[3]
            values = {"phone": PHONES, "pronouns": PRONOUNS, "address": ADDRESSES}[name]
            yp_repo.update_young_person(s, YP, **{name: values[k % len(values)]})
        elif kind == "tick":
            checklist = dict(yp_repo.load_profile(s, YP).custody_checklist)
            checklist[step[2]] = step[3]
            yp_repo.update_young_person(s, YP, custody_checklist=checklist)
        elif kind == "language":
            langs = [x for x in yp_repo.load_profile(s, YP).languages if x != step[2]]
            yp_repo.update_young_person(s, YP, languages=[*langs, step[2]] if step[3] else langs)
        elif kind == "section":
            plans.update_section(s, YP, step[2], strengths=step[3])
        elif kind == "life":
            plans.update_plan(s, YP, life_summary=step[2])
        elif kind == "action":
            actions = _ids(store, PlanAction)
            if actions and step[2] < len(actions):
                plans.update_action(s, actions[step[2]], what=f"do: {step[3] or 'x'}")
            else:
                plans.add_action(s, YP, "health", who="PA", what=f"act {step[3] or 'x'}")
        elif kind == "remove_action":
            actions = _ids(store, PlanAction)
            if actions:
                plans.remove_action(s, actions[step[2] % len(actions)])
        elif kind == "person":
            people = _ids(store, ImportantPerson)
            if people and step[2] < len(people):
                yp_repo.update_person(s, people[step[2]], relationship=step[3] or "aunt")
            else:
                yp_repo.add_person(s, YP, name=f"Person {step[3] or 'x'}")
        elif kind == "remove_person":
            people = _ids(store, ImportantPerson)
            if people:
                yp_repo.remove_person(s, people[step[2] % len(people)])
        elif kind == "note":
            notes.add_note(
                s,
                YP,
                kind="phone",
                occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
                summary=f"note {step[2]}",
            )
        elif kind == "amend":
            ids = _note_ids(store)
            if ids:
                notes.amend_note(s, ids[step[2] % len(ids)], summary="amended", narrative="fix")
        elif kind == "agree":
            plans.agree_plan(s, YP, agreed_on=date(2026, 11, 1))
        elif kind == "resolve":
            open_ = merge.open_conflicts(s)
            if open_:
                chosen = open_[step[2] % len(open_)]
                merge.resolve_conflict(s, chosen.id, keep="current" if step[3] else "other")


def dump(store: Store) -> dict[str, Any]:
    """Every synced record, field by field, with its stamps."""
    out: dict[str, Any] = {}
    with store.reader() as s:
        for table in RECORD_TYPES:
            rows = s.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings()  # noqa: S608
            out[table] = [{k: _parsed(k, v) for k, v in r.items()} for r in rows]
    return out


def _parsed(key: str, value: Any) -> Any:
    """JSON columns as values: the same map may be written with its keys in another order."""
    if key in ("stamps", "custody_checklist", "snapshot") and isinstance(value, str):
        return json.loads(value)
    return value


def conflicts(store: Store) -> list[tuple[Any, ...]]:
    with store.reader() as s:
        return [
            (
                c.table,
                c.row_id,
                c.field,
                repr(c.current),
                repr(c.other),
                c.other_stamp,
                c.removal,
                c.other_by,
            )
            for c in merge.open_conflicts(s)
        ]


def assert_nothing_silently_lost(store: Store) -> None:
    """Every version that nobody edited on top of is current or an open conflict."""
    with store.reader() as s:
        entries = [
            (e.table_name, e.row_id, logged_fields(e.fields, e.stamp))
            for e in s.scalars(select(ChangeLog))
        ]
        open_ = {(c.table, c.row_id, c.field, c.other_stamp) for c in merge.open_conflicts(s)}
        rows = {
            t: {r["id"]: dict(r) for r in s.execute(select(Base.metadata.tables[t])).mappings()}
            for t in RECORD_TYPES
        }
    bases: set[tuple[str, str, str, str]] = set()
    for table, row_id, fields in entries:
        for key, (_v, _stamp, b) in fields.items():
            bases.update((table, row_id, key, x) for x in b)
    for table, row_id, fields in entries:
        if RECORD_TYPES[table].append_only:
            continue
        row = rows[table][row_id]
        stamps = row["stamps"]
        for key, (value, stamp, _b) in fields.items():
            if key in (
                "created_at",
                "created_by",
                "young_person_id",
                "plan_id",
                "matter",
                "section_id",
            ):
                continue
            if (table, row_id, key, stamp) in bases or stamps.get(key) == stamp:
                continue
            current = merge_rows.current_wire(RECORD_TYPES[table], row, key)
            if key == "deleted":
                current = "deleted~seen" in stamps if stamps.get("deleted") else current
            if value == current:
                continue
            assert (table, row_id, key, stamp) in open_, (
                f"{table}.{key}={value!r} ({stamp}) is neither current nor a conflict"
            )


def converge(dev: Devices) -> None:
    for _ in range(2):
        for to in range(STORES):
            for frm in range(STORES):
                dev.pull(to, frm)


@pytest.fixture
def devices(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    stacks: list[ExitStack] = []

    def make() -> Devices:
        stack = ExitStack()
        stacks.append(stack)
        return Devices(template, tmp_path_factory.mktemp("devices"), stack)

    yield make
    for stack in stacks:
        stack.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(schedule=steps)
def test_three_stores_converge_and_lose_nothing(devices: Any, schedule: list[Any]) -> None:
    dev = devices()
    try:
        for step in schedule:
            run_step(dev, step)
        converge(dev)
        first = dump(dev.stores[0])
        for other in dev.stores[1:]:
            assert dump(other) == first
        assert conflicts(dev.stores[1]) == conflicts(dev.stores[0])
        assert conflicts(dev.stores[2]) == conflicts(dev.stores[0])
        assert not [
            c for c in conflicts(dev.stores[0]) if c[0] in ("contact_notes", "plan_versions")
        ]
        assert all(c[-1] for c in conflicts(dev.stores[0]))  # every clash says who
        for store in dev.stores:
            assert_nothing_silently_lost(store)
            with store.reader() as s:
                assert not merge.quarantined(s)
        logs = []
        for store in dev.stores:
            with store.reader() as s:
                logs.append(set(s.scalars(select(ChangeLog.change_id))))
        assert logs[0] == logs[1] == logs[2]
    finally:
        for store in dev.stores:
            store.close()
