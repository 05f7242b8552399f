"""Purging a young person leaves no byte of them readable — even to someone with the key — in
the database, its WAL, its free pages, or a migration backup; everyone else is untouched."""

from __future__ import annotations

import secrets
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from models import merge
from models.errors import AppendOnlyViolation
from models.purge import purge_young_person
from models.repo import care_leaver_facts, drafts, files, notes, plans, whole_record
from models.repo import young_people as yp
from models.store import Store
from tests.factories import PASSPHRASE, add_young_person, full_form, make_store
from tests.models.sqlcipher_pages import db_key, readable


class Markers:
    def __init__(self) -> None:
        self.all: list[str] = []

    def __call__(self, label: str) -> str:
        marker = f"{label}{secrets.token_hex(6)}"
        self.all.append(marker)
        return marker

    def needles(self) -> list[bytes]:
        return [m.encode() for m in self.all]


def _everything(store: Store, mk: Markers, *, name: str) -> str:
    """A young person with a marker in every kind of record, file, draft and clash."""
    with store.session() as s:
        ident = yp.create_young_person(
            s,
            legal_name=mk(f"{name}legal"),
            preferred_name=mk(f"{name}pref"),
            date_of_birth=date(2006, 3, 1),
            languages=[mk(f"{name}lang")],
            custody_checklist={mk(f"{name}check"): True},
            address=mk(f"{name}addr"),
            in_custody=True,
            prison=mk(f"{name}prison"),
        )
        plans.update_plan(s, ident, life_summary=mk(f"{name}life"))
        plans.update_section(s, ident, "health", strengths=mk(f"{name}str"), goals=mk(f"{name}g"))
        plans.add_action(s, ident, "health", who=mk(f"{name}who"), what=mk(f"{name}what"))
        yp.add_person(s, ident, name=mk(f"{name}person"), notes=mk(f"{name}pnote"))
        yp.add_key_date(s, ident, kind="birthday", label=mk(f"{name}kd"), on_date=date(2006, 3, 1))
        note = notes.add_note(
            s,
            ident,
            kind="phone",
            occurred_at=datetime(2026, 11, 1, tzinfo=UTC),
            summary=mk(f"{name}sum"),
            narrative=mk(f"{name}narr"),
        )
        notes.amend_note(s, note.id, summary=mk(f"{name}amsum"), narrative=mk(f"{name}amnarr"))
        plans.agree_plan(s, ident, agreed_on=date(2026, 10, 1), agreed_with=mk(f"{name}agreed"))
        drafts.save_draft(s, f"note:{ident}", {"summary": mk(f"{name}draft")})
    blobs = store.blob_store()
    # File contents live in the blob folder, not the database: checked by their own test below.
    doc = blobs.put_bytes(f"{name}docbytes{secrets.token_hex(6)}".encode() * 50)
    photo = blobs.put_bytes(f"{name}photobytes{secrets.token_hex(6)}".encode() * 50)
    with store.session() as s:
        files.add_document(
            s,
            ident,
            blob=doc,
            filename=mk(f"{name}file") + ".txt",
            title=mk(f"{name}title"),
            added_by_name="PA",
        )
        files.add_memory(
            s, ident, kind="photo", blob=photo, filename="p.jpg", caption=mk(f"{name}caption")
        )
        files.add_memory(s, ident, kind="memory", body=mk(f"{name}memory"))
        care_leaver_facts.record_facts(
            s,
            ident,
            recorded_on=date(2026, 11, 1),
            in_touch="YES",
            activity="G5",
            accommodation="X",
            accommodation_suitable=False,
        )
        # An edit to the address, later overwritten: the old value lives on in the change log.
        yp.update_young_person(s, ident, address=mk(f"{name}addr2"))
    return ident


def _clash_from_elsewhere(store: Store, folder: Path, ident: str, mk: Markers, name: str) -> None:
    """A conflict and a quarantined change carrying markers, as sync would bring them."""
    with store.reader() as s:
        changes, _ = merge.changes_since(s, 0)
    with make_store(folder) as other:
        with other.session() as s:
            merge.apply_remote(s, [c.to_json() for c in changes], source="this")
        with other.session() as s:
            yp.update_young_person(s, ident, pronouns=mk(f"{name}theirs"))
        with other.reader() as s:
            theirs, _ = merge.changes_since(s, 0, local_only=True)
    with store.session() as s:
        yp.update_young_person(s, ident, pronouns=mk(f"{name}mine"))
    hostile = full_form(theirs[-1].to_json())
    hostile["change_id"] = "hostile-" + ident
    hostile["fields"] = {"pronouns": [mk(f"{name}hostile") * 10_000, theirs[-1].max_stamp(), []]}
    with store.session() as s:
        result = merge.apply_remote(s, [c.to_json() for c in theirs] + [hostile], source="hub")
    assert result.conflicts_opened == 1 and len(result.quarantined) == 1


def test_purge_leaves_nothing_readable_and_keeps_everyone_else(tmp_path: Path) -> None:
    gone, kept = Markers(), Markers()
    folder = tmp_path / "store"
    store = make_store(folder)
    try:
        leaving = _everything(store, gone, name="g")
        staying = _everything(store, kept, name="k")
        _clash_from_elsewhere(store, tmp_path / "other", leaving, gone, "g")
        # A backup an earlier upgrade left beside the database.
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(folder / "store.db", folder / "store.db.before-0003")
        with store.reader() as s:
            leaving_files = {f.sha256 for f in files.list_documents(s, leaving)} | {
                f.sha256 for f in files.list_memories(s, leaving) if f.sha256
            }
        key = db_key(folder, PASSPHRASE)
        # The check can fail: before the purge every marker is readable with the key.
        assert readable(folder, key, gone.needles()) == set(gone.needles())

        report = purge_young_person(store, leaving)

        assert report.files == 2
        assert readable(folder, key, gone.needles()) == set()
        assert not (folder / "store.db.before-0003").exists()
        blobs = store.blob_store()
        assert not any(blobs.exists(sha) for sha in leaving_files)
        assert readable(folder, key, kept.needles()) >= {m.encode() for m in kept.all[:5]}
        with store.reader() as s:
            assert not yp.young_person_exists(s, leaving)
            assert merge.open_conflicts(s, leaving) == []
            assert merge.quarantined(s) == []
            assert drafts.load_draft(s, f"note:{leaving}") is None
            record = whole_record.load_record(s, staying)
            assert care_leaver_facts.list_facts(s, leaving) == ()
            assert len(care_leaver_facts.list_facts(s, staying)) == 1
        assert record.profile.prison in kept.all
        assert len(record.notes) == 2 and len(record.documents) == 1
        assert store.blob_store().read_bytes(record.documents[0].sha256).startswith(b"kdocbytes")
        # The append-only guards are back for everyone left.
        with pytest.raises(AppendOnlyViolation), store.session() as s:
            s.execute(text("UPDATE contact_notes SET narrative = 'rewritten'"))
        with pytest.raises(AppendOnlyViolation), store.session() as s:
            s.execute(text("UPDATE care_leaver_facts SET in_touch = 'NO'"))
    finally:
        store.close()
    with Store.open(folder, PASSPHRASE) as again, again.reader() as s:
        assert [r.id for r in yp.caseload(s)] == [staying]


def test_a_change_after_a_purge_never_reuses_a_sequence_number(store: Store) -> None:
    """The sync client's push cursor is a change-log number: after purging the young person
    whose entries were the newest, the next local change must still come after it."""
    keep = add_young_person(store, legal_name="Kept Person")
    gone = add_young_person(store, legal_name="Gone Person")
    with store.reader() as s:
        top = merge.last_seq(s)
    purge_young_person(store, gone)
    with store.session() as s:
        yp.update_young_person(s, keep, pronouns="they/them")
    with store.reader() as s:
        changes, _ = merge.changes_since(s, top)
    assert [c.row_id for c in changes] == [keep]
