"""apply_remote case by case: what a person editing on two laptops offline relies on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from models import merge
from models.change_rules import Change
from models.errors import InvalidRecord
from models.hlc import MAX_DRIFT_MS, format_stamp
from models.registry import plan_id_for
from models.repo import notes, plans, services
from models.repo import young_people as yp
from models.store import Store
from tests.factories import PASSPHRASE, add_note, add_young_person, full_form, make_store


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    """Two laptops that both hold one young person (the second took the first's changes)."""
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b", owner="Bea Adviser")
    ident = add_young_person(a, languages=["Tigrinya"])
    exchange(a, b)
    yield a, b, ident
    a.close()
    b.close()


def exchange(frm: Store, to: Store) -> merge.ApplyResult:
    with frm.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    with to.session() as s:
        return merge.apply_remote(s, [c.to_json() for c in changes], source="peer")


def both_ways(a: Store, b: Store) -> None:
    exchange(a, b)
    exchange(b, a)


def test_two_laptops_start_the_same_plan_offline_and_merge_it(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        plans.update_plan(s, ident, life_summary="Loves football")
        plans.update_section(s, ident, "health", strengths="Registered with a GP")
        plans.agree_plan(s, ident, agreed_on=date(2026, 11, 1))
    with b.session() as s:
        plans.update_plan(s, ident, life_summary="Loves music")
        plans.update_section(s, ident, "identity", goals="Get my passport")
        plans.agree_plan(s, ident, agreed_on=date(2026, 11, 2))
    both_ways(a, b)  # no "UNIQUE constraint failed: plans.young_person_id"
    with a.reader() as s:
        pa, conflicts_a = plans.load_plan(s, ident), merge.open_conflicts(s)
    with b.reader() as s:
        pb, conflicts_b = plans.load_plan(s, ident), merge.open_conflicts(s)
    assert pa == pb and pa.id == plan_id_for(ident)
    assert pa.section("health").strengths == "Registered with a GP"
    assert pa.section("identity").goals == "Get my passport"
    # The versions are numbered alike on both laptops, by date agreed.
    assert [(v.version, v.agreed_on.day) for v in pa.versions] == [(1, 1), (2, 2)]
    # One life summary won everywhere; the other is kept for a person to see.
    assert conflicts_a == conflicts_b
    (clash,) = [c for c in conflicts_a if c.field == "life_summary"]
    assert {clash.current, clash.other} == {"Loves football", "Loves music"}
    assert pa.life_summary == clash.current


def test_different_checklist_ticks_both_stick_and_the_same_tick_both_ways_clashes(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        yp.update_young_person(
            s, ident, custody_checklist={"bank_account": True}, languages=["Tigrinya", "Arabic"]
        )
    with b.session() as s:
        yp.update_young_person(
            s, ident, custody_checklist={"id_documents": True}, languages=["Tigrinya", "English"]
        )
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            p = yp.load_profile(s, ident)
            assert p.custody_checklist == {"bank_account": True, "id_documents": True}
            assert set(p.languages) == {"Tigrinya", "Arabic", "English"}
            assert p.languages[0] == "Tigrinya"
            assert merge.open_conflicts(s) == []
    # The same item, ticked on one laptop and marked not done on the other: a clash.
    with a.session() as s:
        yp.update_young_person(
            s,
            ident,
            custody_checklist={"bank_account": True, "id_documents": True, "gp_registration": True},
        )
    with b.session() as s:
        yp.update_young_person(
            s,
            ident,
            custody_checklist={
                "bank_account": True,
                "id_documents": True,
                "gp_registration": False,
            },
        )
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            (clash,) = merge.open_conflicts(s)
        assert clash.field == "custody_checklist[gp_registration]"
        assert {clash.current, clash.other} == {True, False}


def test_a_removal_that_meets_an_unseen_edit_keeps_the_record_and_asks(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        person = yp.add_person(s, ident, name="Aunt Hiwet")
    both_ways(a, b)
    with a.session() as s:
        yp.remove_person(s, person)
    with b.session() as s:
        yp.update_person(s, person, how_to_contact="07700 900555")
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert [p.how_to_contact for p in yp.list_people(s, ident)] == ["07700 900555"]
            (clash,) = merge.open_conflicts(s)
            assert clash.removal and clash.field == "deleted"
            assert clash.other_by == a.owner_name  # who removed it
    with b.session() as s:  # the person decides: remove it after all
        merge.resolve_conflict(s, clash.id, keep="other")
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert yp.list_people(s, ident) == ()
            assert merge.open_conflicts(s) == []


def test_resolving_a_clash_settles_it_on_every_laptop(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0001")
    with b.session() as s:
        yp.update_young_person(s, ident, phone="0115 000 0002")
    both_ways(a, b)
    with a.reader() as s:
        (clash,) = merge.open_conflicts(s)
    # Both sides are shown with who wrote the other one, on which laptop.
    other_store = b if clash.other == "0115 000 0002" else a
    assert clash.other_by == other_store.owner_name
    assert clash.other_device == other_store.identity().node_id
    with a.session() as s:
        merge.resolve_conflict(s, clash.id, keep="other")
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert yp.load_profile(s, ident).phone == clash.other
            assert merge.open_conflicts(s) == []


def test_a_clock_far_ahead_is_quarantined_not_absorbed(pair) -> None:
    a, b, ident = pair
    with b.reader() as s:
        (change,), _ = merge.changes_since(s, 0, limit=1)
    ahead = a.clock.wall_ms() + MAX_DRIFT_MS + 7 * 86_400_000  # a laptop a week ahead
    bad = full_form(change.to_json())
    bad["change_id"] = "from-the-future"
    bad["fields"] = {"pronouns": ["they/them", format_stamp(ahead, 0, "wrongclock"), []]}
    before = a.clock.last()
    with a.session() as s:
        result = merge.apply_remote(s, [bad], source="hub")
    assert result.applied == 0
    ((_, reason),) = result.quarantined
    assert "clock is wrong" in reason
    assert a.clock.now() < format_stamp(ahead, 0, "wrongclock")
    assert a.clock.last() > before
    with a.reader() as s:
        assert yp.load_profile(s, ident).pronouns == ""
        (held,) = merge.quarantined(s)
        assert held.retryable
    # Once that laptop's time has come (here: a wider allowance), the change applies.
    with a.session() as s:
        retried = merge.retry_quarantined(s, max_drift_ms=30 * 86_400_000)
    assert retried.applied == 1
    with a.reader() as s:
        assert yp.load_profile(s, ident).pronouns == "they/them"
        assert merge.quarantined(s) == []


@pytest.mark.parametrize(
    ("form", "mangle", "why"),
    [
        ("full", lambda c: c.update(table="passwords"), "unknown kind of record"),
        (
            "full",
            lambda c: c["fields"].update(kind=["séance", c["fields"]["kind"][1], []]),
            "Unknown kind of contact",
        ),
        (
            "full",
            lambda c: c["fields"].update(summary=["x" * 501, c["fields"]["summary"][1], []]),
            "longer than 500",
        ),
        (
            "full",
            lambda c: c["fields"].update(occurred_at=[5, c["fields"]["occurred_at"][1], []]),
            "must be a UTC time",
        ),
        (
            "full",
            lambda c: c["fields"].update(secret=["x", c["fields"]["kind"][1], []]),
            "unknown field",
        ),
        ("full", lambda c: c["fields"].update(kind=["phone", "yesterday", []]), "no valid stamp"),
        ("full", lambda c: c.update(row_id="../../etc"), "not a UUID"),
        ("full", lambda c: c.update(fields="everything"), "needs fields"),
        # The compact form: one stamp for every field, and the values.
        ("compact", lambda c: c["values"].update(kind="séance"), "Unknown kind of contact"),
        ("compact", lambda c: c["values"].update(secret="x"), "unknown field"),
        ("compact", lambda c: c.update(stamp="yesterday"), "no valid stamp"),
        ("compact", lambda c: c.update(stamp=5), "stamp must be text"),
        ("compact", lambda c: c.update(values={}), "needs values"),
        ("compact", lambda c: c.update(values=["kind"]), "needs values"),
        ("compact", lambda c: c.update(fields={}), "not both"),
    ],
)
def test_a_change_that_breaks_a_rule_is_quarantined_with_the_reason(
    pair, form, mangle, why
) -> None:
    a, b, ident = pair
    with b.session() as s:
        notes.add_note(
            s,
            ident,
            kind="phone",
            occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
            summary="Rang about college",
        )
    with b.reader() as s:
        changes, _ = merge.changes_since(s, 0, local_only=True)
    note = changes[-1].to_json()
    assert "stamp" in note and "fields" not in note  # a new note travels in the compact form
    if form == "full":
        note = full_form(note)
    mangle(note)
    with a.session() as s:
        result = merge.apply_remote(s, [note], source="hub")
    assert result.applied == 0
    assert why in result.quarantined[0][1]
    with a.reader() as s:
        assert notes.list_notes(s, ident) == ()
        assert len(merge.quarantined(s)) == 1


def test_append_only_records_never_change_by_sync(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        notes.add_note(
            s,
            ident,
            kind="phone",
            occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
            summary="Rang",
            narrative="What was said",
        )
    exchange(a, b)
    with a.reader() as s:
        changes, _ = merge.changes_since(s, 0, local_only=True)
    forged = full_form(changes[-1].to_json())
    forged["change_id"] = "forged"
    stamp = forged["fields"]["narrative"][1]
    forged["fields"] = {"narrative": ["Something else", b.clock.now(), [stamp]]}
    with b.session() as s:
        result = merge.apply_remote(s, [forged], source="hub")
    assert "cannot change once written" in result.quarantined[0][1]
    with b.reader() as s:
        assert [n.narrative for n in notes.list_notes(s, ident)] == ["What was said"]
        assert merge.open_conflicts(s) == []


def test_applying_twice_changes_nothing_and_derived_figures_follow(pair) -> None:
    a, b, ident = pair
    with a.session() as s:
        notes.add_note(
            s,
            ident,
            kind="home_visit",
            occurred_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
            summary="Visit",
        )
    first = exchange(a, b)
    again = exchange(a, b)
    with a.reader() as s:
        logged = len(merge.changes_since(s, 0)[0])
    assert first.applied == 1 and first.duplicates == logged - 1
    assert again.applied == 0 and again.duplicates == logged
    with b.reader() as s:
        (row,) = yp.caseload(s, on=date(2026, 11, 28))
        assert row.last_visit == datetime(2026, 11, 20, 10, tzinfo=UTC)  # the trigger ran
        assert len(notes.list_notes(s, ident)) == 1


def test_the_out_of_hours_service_syncs_as_a_team_record(pair) -> None:
    a, b, _ = pair
    with a.session() as s:
        services.set_out_of_hours(s, name="Emergency Duty Team", phone="0300 456 4546")
    exchange(a, b)
    with b.reader() as s:
        assert services.out_of_hours(s)["out_of_hours_phone"] == "0300 456 4546"
    with b.session() as s, pytest.raises(InvalidRecord, match="digits"):
        services.set_out_of_hours(s, name="EDT", phone="call Sam")


def test_local_rules_live_in_the_model_not_only_the_forms(store: Store) -> None:
    ident = add_young_person(store)
    with store.session() as s, pytest.raises(InvalidRecord, match="prison"):
        yp.update_young_person(s, ident, in_custody=True)
    with store.session() as s, pytest.raises(InvalidRecord, match="email"):
        yp.update_young_person(s, ident, email="not an address")
    with store.session() as s, pytest.raises(InvalidRecord, match="aged"):
        yp.update_young_person(s, ident, date_of_birth=date(1960, 1, 1))
    with store.session() as s:  # the prison with the flag is fine
        yp.update_young_person(s, ident, in_custody=True, prison="HMP Nottingham")


def test_a_copied_store_takes_a_new_node_id(tmp_path: Path) -> None:
    with make_store(tmp_path / "laptop") as original:
        node = original.identity().node_id
    shutil.copytree(tmp_path / "laptop", tmp_path / "copy")
    with Store.open(tmp_path / "copy", PASSPHRASE) as copy:
        ident = copy.identity()
        assert ident.node_id != node and node in ident.retired_nodes
        assert ident.copied_from  # detectable: the sync client asks for re-enrolment
        assert copy.clock.now().endswith(ident.node_id)
    with Store.open(tmp_path / "laptop", PASSPHRASE) as again:
        assert again.identity().node_id == node  # the original is unchanged


def test_a_change_about_a_record_this_laptop_lacks_is_quarantined_alone(pair, tmp_path) -> None:
    a, b, ident = pair
    with make_store(tmp_path / "c") as c:  # a third laptop with a young person b never had
        stranger = add_young_person(c, legal_name="Someone Else")
        with c.session() as s:
            notes.add_note(
                s,
                stranger,
                kind="phone",
                summary="Rang",
                occurred_at=datetime(2026, 11, 2, tzinfo=UTC),
            )
        with c.reader() as s:
            theirs, _ = merge.changes_since(s, 0)
    orphan = next(x for x in theirs if x.table == "contact_notes").to_json()
    with a.session() as s:  # one good note and the orphan, in one page
        notes.add_note(
            s, ident, kind="phone", summary="Ours", occurred_at=datetime(2026, 11, 3, tzinfo=UTC)
        )
    with a.reader() as s:
        ours, _ = merge.changes_since(s, 0, local_only=True)
    with b.session() as s:
        result = merge.apply_remote(s, [orphan, ours[-1].to_json()], source="hub")
    assert result.applied == 1
    assert "does not have" in result.quarantined[0][1]
    with b.reader() as s:
        assert [n.summary for n in notes.list_notes(s, ident)] == ["Ours"]
        assert not yp.young_person_exists(s, stranger)


def test_resolving_a_clash_on_a_removed_record_ends_the_same_everywhere(pair) -> None:
    """A removed record's older clash is still listed; settling it is an edit the removal had
    not seen. The laptop that settles it must end where every other laptop ends when they
    apply the same two changes: the record back, the removal kept as a conflict."""
    a, b, ident = pair
    with a.session() as s:
        person = yp.add_person(s, ident, name="Aunt Hiwet")
    both_ways(a, b)
    with a.session() as s:
        yp.update_person(s, person, relationship="aunt")
    with b.session() as s:
        yp.update_person(s, person, relationship="cousin")
    both_ways(a, b)
    with a.session() as s:
        yp.remove_person(s, person)
    with a.session() as s:
        (clash,) = merge.open_conflicts(s)
        assert clash.field == "relationship"
        merge.resolve_conflict(s, clash.id, keep="other")
    both_ways(a, b)
    seen = []
    for store in (a, b):
        with store.reader() as s:
            seen.append(
                (
                    [p.id for p in yp.list_people(s, ident)],
                    [(c.id, c.field, c.removal) for c in merge.open_conflicts(s)],
                )
            )
    assert seen[0] == seen[1]
    assert seen[0][0] == [person]
    assert [c[1:] for c in seen[0][1]] == [("deleted", True)]


def test_keeping_the_current_side_of_a_lost_restore_keeps_the_record_removed(pair) -> None:
    """Two laptops settle the same removal clash oppositely: one keeps the record, the other
    removes it, and the removal wins. The restore is kept as a clash against a removed record;
    a person who keeps the current side keeps the record removed (and "other" restores it)."""
    a, b, ident = pair
    with a.session() as s:
        person = yp.add_person(s, ident, name="Aunt Hiwet")
    both_ways(a, b)
    with a.session() as s:
        yp.remove_person(s, person)
    with b.session() as s:
        yp.update_person(s, person, how_to_contact="07700 900555")
    both_ways(a, b)
    with a.reader() as s:
        (removal,) = merge.open_conflicts(s)
    with a.session() as s:
        merge.resolve_conflict(s, removal.id, keep="current")
    with b.session() as s:
        merge.resolve_conflict(s, removal.id, keep="other")
    both_ways(a, b)
    with a.reader() as s:
        assert yp.list_people(s, ident) == ()
        (restore,) = merge.open_conflicts(s)
    assert (restore.field, restore.current, restore.other) == ("deleted", True, False)
    with a.session() as s:
        merge.resolve_conflict(s, restore.id, keep="current")
    both_ways(a, b)
    for store in (a, b):
        with store.reader() as s:
            assert yp.list_people(s, ident) == ()
            assert merge.open_conflicts(s) == []


def test_a_rewrite_of_a_note_is_refused_whether_or_not_it_arrives_with_the_note(
    pair, tmp_path: Path
) -> None:
    """A change that rewrites an append-only note (no laptop makes one; a broken or hostile
    sender might) is quarantined alike whether it comes in the same page as the note or in a
    later one: the result never depends on how changes are paged."""
    a, b, ident = pair
    c = make_store(tmp_path / "c")
    try:
        note = add_note(a, ident, summary="Called")
        with a.reader() as s:
            changes, _ = merge.changes_since(s, 0)
        (made,) = [x for x in changes if x.row_id == note]
        rewrite = Change(
            "rewrite",
            "contact_notes",
            note,
            ident,
            "Someone",
            {"summary": ["Rewritten", a.clock.now(), [made.fields["summary"][1]]]},
        )
        with b.session() as s:  # the note and its rewrite in one page
            merge.apply_remote(s, [*changes, rewrite], source="peer")
        exchange(a, c)
        with c.session() as s:  # the rewrite in a page of its own
            merge.apply_remote(s, [rewrite], source="peer")
        for store in (b, c):
            with store.reader() as s:
                assert {n.id: n.summary for n in notes.list_notes(s, ident)}[note] == "Called"
                assert [q.change_id for q in merge.quarantined(s)] == ["rewrite"]
    finally:
        c.close()


def test_a_change_in_either_form_applies_alike_and_logs_alike(pair, tmp_path: Path) -> None:
    """A hub upgraded from protocol 1 still holds changes in the ``fields`` form; a new record
    sent that way must end exactly as one sent compact, and be passed on compact."""
    a, _b, ident = pair
    add_note(a, ident, summary="Rang about college")
    with a.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    compact = [c.to_json() for c in changes]
    assert "stamp" in compact[-1]  # the new note travels compact
    full = [full_form(c) for c in compact]
    assert merge.Change.from_json(full[-1]) == merge.Change.from_json(compact[-1])
    c1, c2 = make_store(tmp_path / "c1"), make_store(tmp_path / "c2")
    try:
        with c1.session() as s:
            merge.apply_remote(s, compact, source="peer")
        with c2.session() as s:
            merge.apply_remote(s, full, source="peer")
        with c1.reader() as s1, c2.reader() as s2:
            assert notes.list_notes(s1, ident) == notes.list_notes(s2, ident)
            assert yp.load_profile(s1, ident) == yp.load_profile(s2, ident)
            again1, _ = merge.changes_since(s1, 0)
            again2, _ = merge.changes_since(s2, 0)
        assert [c.to_json() for c in again1] == [c.to_json() for c in again2] == compact
    finally:
        c1.close()
        c2.close()


def test_names_in_any_script_arrive_exactly_as_written(tmp_path: Path) -> None:
    """New records go in through one bulk statement a page, as UTF-8: names in Arabic script
    and Ge'ez and a character beyond the first 65,536 read back exactly as sent."""
    a, b = make_store(tmp_path / "a"), make_store(tmp_path / "b")
    try:
        ident = add_young_person(a, legal_name="هبة عبد الله", preferred_name="ሃና 👋")
        add_note(a, ident, summary="Plain", narrative="Plain words first.")
        add_note(a, ident, summary="ዛሬ ተገናኘን", narrative="قابلت هبة في الكلية. Then tea.")
        result = exchange(a, b)
        assert result.applied == 3 and not result.quarantined
        with b.reader() as s:
            profile = yp.load_profile(s, ident)
            got = {n.summary: n.narrative for n in notes.list_notes(s, ident)}
        assert (profile.legal_name, profile.preferred_name) == ("هبة عبد الله", "ሃና 👋")
        assert got == {"Plain": "Plain words first.", "ዛሬ ተገናኘን": "قابلت هبة في الكلية. Then tea."}
    finally:
        a.close()
        b.close()


def test_half_a_surrogate_pair_is_quarantined_and_the_store_stays_readable(pair) -> None:
    """JSON can spell half of a UTF-16 pair alone ("\\ud800"); no text column can hold it. A
    change carrying one, new record or edit, is quarantined with the reason; the rest of the
    page applies, and the young person's records still read."""
    a, b, ident = pair
    add_note(a, ident, summary="Fine", narrative="Nothing odd here.")
    add_note(a, ident, summary="Odd", narrative="Typed on a broken keyboard.")
    with a.session() as s:
        yp.update_young_person(s, ident, preferred_name="Jo")
    with a.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    sent = [full_form(c.to_json()) for c in changes]
    note = next(c for c in sent if c["fields"].get("summary", [""])[0] == "Odd")
    note["fields"]["narrative"][0] = "A broken half \ud800 of a pair."
    edit = next(c for c in sent if c["fields"].get("preferred_name", [""])[0] == "Jo")
    edit["fields"]["preferred_name"][0] = "J\udfff"
    with b.session() as s:
        result = merge.apply_remote(s, sent, source="peer")
    assert sorted(c for c, _ in result.quarantined) == sorted(
        [note["change_id"], edit["change_id"]])
    assert all("cannot be saved" in reason for _, reason in result.quarantined)
    with b.reader() as s:
        assert [n.summary for n in notes.list_notes(s, ident)] == ["Fine"]
        assert yp.load_profile(s, ident).preferred_name == "Jordan"
