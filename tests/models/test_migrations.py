"""Store upgrades, tested on a real store of each released schema (tests/fixtures/stores/)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from models import merge, migrate
from models.crypto.keyfile import derive_subkey, read_key_file, unwrap_data_key
from models.db import DB_FILE_NAME, make_engine
from models.domain import Matter
from models.errors import AppendOnlyViolation, DatabaseDamaged, StoreTooNew
from models.registry import RECORD_TYPES, plan_id_for, section_id_for
from models.repo import drafts, files, notes, plans, whole_record
from models.repo import young_people as yp
from models.store import Store
from tests.factories import PASSPHRASE, add_note, add_young_person, make_store
from tests.fixtures import make_fixture_stores as fx

BACKUP = f"{DB_FILE_NAME}.before-{migrate.head_revision()}"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def v0001(tmp_path: Path) -> Path:
    """A private copy of the first release's store (never open the committed one in place)."""
    assert (fx.V0001 / "key.json").is_file(), (
        "fixture store missing: run .venv/bin/python -m tests.fixtures.make_fixture_stores"
    )
    return Path(shutil.copytree(fx.V0001, tmp_path / "v0001"))


def raw_engine(folder: Path, db_file: str, passphrase: str) -> Engine:
    """An engine on ``folder/db_file`` keyed like the store's own (bypassing Store.open)."""
    data_key = unwrap_data_key(read_key_file(folder), passphrase)
    return make_engine(folder / db_file, derive_subkey(data_key, b"pathway-desk db"))


def test_the_committed_fixture_is_a_closed_v0001_store(v0001: Path) -> None:
    names = sorted(p.name for p in fx.V0001.iterdir())
    assert names == ["blobs", "key.json", "store.db"]  # no WAL, no backup, nothing else
    size = sum(p.stat().st_size for p in fx.V0001.rglob("*") if p.is_file())
    assert size < 200 * 1024
    assert not (fx.V0001 / DB_FILE_NAME).read_bytes().startswith(b"SQLite format 3")
    engine = raw_engine(v0001, DB_FILE_NAME, fx.PASSPHRASE)
    try:
        assert migrate.current_revision(engine) == "0001"
        assert "drafts" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_opening_a_v0001_store_upgrades_it_to_head_with_data_intact(v0001: Path) -> None:
    original_db = (v0001 / DB_FILE_NAME).read_bytes()
    with Store.open(v0001, fx.PASSPHRASE) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        assert store.store_id == fx.STORE_ID
        assert store.owner_name == fx.OWNER
        # The device keeps its node id (now apart from the data), bound to where it lives.
        assert store.identity().node_id == fx.NODE_ID
        assert "node_id" not in store.meta()
        with store.reader() as s:
            rows = {r.id: r for r in yp.caseload(s)}
            selam = whole_record.load_record(s, fx.SELAM)
            jordan = whole_record.load_record(s, fx.JORDAN)
            frozen = plans.version_snapshot(s, fx.SELAM, 1)

        assert set(rows) == {fx.SELAM, fx.JORDAN}
        assert rows[fx.JORDAN].circumstances[0] == "custody"
        assert selam.profile.legal_name == fx.SELAM_LEGAL_NAME
        assert selam.profile.preferred_name == fx.SELAM_PREFERRED_NAME
        assert selam.profile.languages == ("Tigrinya", "English")
        assert selam.profile.uasc is True
        assert [(n.id, n.narrative) for n in selam.notes] == [
            (fx.NOTE_VISIT, fx.VISIT_NARRATIVE),
            (fx.NOTE_AMEND, fx.AMENDED_NARRATIVE),
        ]
        assert selam.notes[0].amended_by == (fx.NOTE_AMEND,)
        assert selam.notes[0].occurred_at == datetime(2026, 2, 3, 10, tzinfo=UTC)
        assert [n.summary for n in jordan.notes] == [fx.PHONE_SUMMARY]
        assert selam.plan.life_summary == fx.LIFE_SUMMARY
        assert [a.what for a in selam.plan.section("education_training").actions] == [
            fx.ACTION_WHAT
        ]
        assert selam.plan.current_version == 1
        assert frozen["life_summary"] == fx.LIFE_SUMMARY
        assert [p.name for p in selam.people] == ["Aunt Hiwet"]
        assert [k.label for k in selam.key_dates] == ["Meskel"]
        assert [m.body for m in selam.memories] == [fx.MEMORY_BODY]
        (doc,) = selam.documents
        assert doc.title == fx.DOCUMENT_TITLE
        assert store.blob_store().read_bytes(doc.sha256) == fx.DOCUMENT_BYTES

        # Revision 0003: the plan has the id every device derives; every record is in the
        # change log, so what was made before enrolment pushes on the first sync.
        assert selam.plan.id == plan_id_for(fx.SELAM)
        assert {sec.id for sec in selam.plan.sections} == {
            section_id_for(fx.SELAM, m.value) for m in Matter
        }
        with store.reader() as s:
            logged, _ = merge.changes_since(s, 0)
            counts = {
                t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                for t in RECORD_TYPES
            }
        assert sorted(c.row_id for c in logged) == sorted(
            r for t in RECORD_TYPES for r in ids_of(store, t)
        )
        assert sum(counts.values()) == len(logged)
        visit = next(c for c in logged if c.row_id == fx.NOTE_VISIT)
        assert visit.fields["narrative"][0] == fx.VISIT_NARRATIVE  # read from the row
        selam_change = next(c for c in logged if c.row_id == fx.SELAM)
        assert [k for k in selam_change.fields if k.startswith("languages[")] == [
            "languages[Tigrinya]",
            "languages[English]",
        ]

        # What revision 0002 added now works on the old data.
        with store.session() as s:
            drafts.save_draft(s, f"note:{fx.SELAM}", {"summary": "half typed"})
        with store.reader() as s:
            assert drafts.load_draft(s, f"note:{fx.SELAM}") == {"summary": "half typed"}
        for sql in (
            "UPDATE contact_notes SET narrative = 'rewritten'",
            "UPDATE plan_versions SET agreed_with = 'forged'",
        ):
            with pytest.raises(AppendOnlyViolation), store.session() as s:
                s.execute(text(sql))
        # And ordinary work carries on.
        new_id = add_young_person(store, legal_name="Added After Upgrade")
        add_note(store, fx.SELAM, summary="First note after the upgrade")
        with store.session() as s:
            notes.amend_note(s, fx.NOTE_AMEND, summary="again", narrative="A second correction")
            plans.agree_plan(s, fx.SELAM, agreed_on=datetime(2026, 8, 1).date())

    # The backup is the untouched revision-0001 database, still encrypted.
    backup = v0001 / BACKUP
    assert backup.read_bytes() == original_db
    assert sorted(p.name for p in v0001.iterdir()) == ["blobs", "key.json", "store.db", BACKUP]

    with Store.open(v0001, fx.PASSPHRASE) as store, store.reader() as s:
        assert len(yp.caseload(s)) == 3
        assert yp.load_profile(s, new_id).legal_name == "Added After Upgrade"
        assert len(notes.list_notes(s, fx.SELAM)) == 4
        assert plans.load_plan(s, fx.SELAM).current_version == 2
    # Opened at head, the earlier upgrade's backup is removed: it would keep purged records.
    assert sorted(p.name for p in v0001.iterdir()) == ["blobs", "key.json", "store.db"]


def ids_of(store: Store, table: str) -> list[str]:
    with store.reader() as s:
        return list(s.execute(text(f"SELECT id FROM {table}")).scalars())  # noqa: S608


def test_the_backup_still_opens_as_revision_0001(v0001: Path, tmp_path: Path) -> None:
    Store.open(v0001, fx.PASSPHRASE).close()
    # Restoring by hand: the backup beside a copy of the key file is the old store again.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy2(v0001 / "key.json", restored / "key.json")
    shutil.copy2(v0001 / BACKUP, restored / DB_FILE_NAME)
    engine = raw_engine(restored, DB_FILE_NAME, fx.PASSPHRASE)
    try:
        assert migrate.current_revision(engine) == "0001"
        with engine.connect() as conn:
            names = conn.exec_driver_sql("SELECT legal_name FROM young_people").scalars().all()
            assert sorted(names) == sorted([fx.SELAM_LEGAL_NAME, "Jordan Fixture"])
            assert conn.exec_driver_sql("SELECT count(*) FROM contact_notes").scalar() == 3
        assert "drafts" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    with Store.open(restored, fx.PASSPHRASE) as store, store.reader() as s:  # and upgrades again
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        assert len(files.list_documents(s, fx.SELAM)) == 1


def test_a_failed_upgrade_leaves_the_store_at_its_old_revision(v0001: Path) -> None:
    # Make revision 0002 fail part way: a table it creates already exists.
    engine = raw_engine(v0001, DB_FILE_NAME, fx.PASSPHRASE)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE drafts (key TEXT PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(DatabaseDamaged):
        Store.open(v0001, fx.PASSPHRASE)
    assert (v0001 / BACKUP).exists()
    engine = raw_engine(v0001, DB_FILE_NAME, fx.PASSPHRASE)
    try:
        assert migrate.current_revision(engine) == "0001"
        with engine.connect() as conn:
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).all()
            assert triggers == []
            assert conn.exec_driver_sql("SELECT count(*) FROM young_people").scalar() == 2
    finally:
        engine.dispose()


def test_a_new_store_is_created_at_head_without_a_backup(store_folder: Path) -> None:
    with make_store(store_folder) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
    Store.open(store_folder, PASSPHRASE).close()
    assert not any(".before-" in p.name for p in store_folder.iterdir())


@pytest.mark.parametrize("source", ["new", "v0001"])
def test_a_store_from_a_newer_schema_is_refused_and_not_modified(
    store_folder: Path, v0001: Path, source: str
) -> None:
    if source == "new":
        make_store(store_folder).close()
        folder, passphrase = store_folder, PASSPHRASE
    else:
        folder, passphrase = v0001, fx.PASSPHRASE
    engine = raw_engine(folder, DB_FILE_NAME, passphrase)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    engine.dispose()
    before = snapshot(folder)
    with pytest.raises(StoreTooNew) as err:
        Store.open(folder, passphrase)
    assert "newer version" in str(err.value)
    assert snapshot(folder) == before
