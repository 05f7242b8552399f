"""Purging a young person who leaves this device's scope (sync) — every trace, unrecoverably.

Every row that belongs to them (their records, change-log entries, conflicts, quarantined
changes, drafts, the contact summary), and every stored file only they refer to, is removed in
one transaction. The append-only guards are lifted for their rows only, inside that transaction,
and put back before it commits, so nobody else's notes are ever changeable. Afterwards the
database is rebuilt (``VACUUM``: deleted cells and free pages were overwritten as they were
freed, ``secure_delete``, but a B-tree leaves stale copies of moved cells in pages' unused
space), the WAL is checkpointed and truncated, and migration backups (older copies of the
database) are removed: no byte of the young person's records stays readable with the store's
key.

The caller must first push anything this device has not yet synced (the sync client does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.orm import Session

from models.merge_rows import INSERT_ORDER
from models.registry import RECORD_TYPES
from models.schema import (
    APPEND_ONLY_TABLES,
    AuditEvent,
    Base,
    BlobEntry,
    ChangeLog,
    Conflict,
    ContactSummary,
    Document,
    Draft,
    MemoryItem,
    QuarantinedChange,
    SupersededStamp,
    YoungPerson,
)
from models.store import Store, remove_migration_backups

# Children before parents, so foreign keys hold at every statement: the reverse of the order
# records are inserted in, for the tables of records that belong to a young person.
_ORDER = tuple(
    table for table in reversed(INSERT_ORDER) if RECORD_TYPES[table].scope == "young_person_id"
)


@dataclass(frozen=True)
class PurgeReport:
    rows: int
    files: int


def _guard_sql(table: str, event: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} cannot be changed'); END"
    )


def _files_of(s: Session, young_person_id: str) -> set[str]:
    shas = set()
    for cls in (Document, MemoryItem):
        shas |= set(s.scalars(select(cls.sha256).where(cls.young_person_id == young_person_id)))
    cover = s.scalar(
        select(YoungPerson.cover_photo_sha256).where(YoungPerson.id == young_person_id)
    )
    shas.add(cover)
    shas.discard(None)
    return {sha for sha in shas if sha}


def _still_used(s: Session, sha: str) -> bool:
    return any(
        s.scalar(select(col).where(col == sha).limit(1)) is not None
        for col in (Document.sha256, MemoryItem.sha256, YoungPerson.cover_photo_sha256)
    )


def purge_young_person(store: Store, young_person_id: str, *, rebuild: bool = True) -> PurgeReport:
    """Remove every trace of ``young_person_id`` from this device. Runs on a worker thread.

    ``rebuild=False`` leaves :func:`rebuild_database` to the caller: one rebuild after purging
    several young people, before anything else is done."""
    assert set(_ORDER) | {"young_people", "team_services"} == set(RECORD_TYPES)
    rows = 0
    with store.session() as s:
        files = _files_of(s, young_person_id)
        for table in APPEND_ONLY_TABLES:
            for event in ("UPDATE", "DELETE"):
                s.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{event.lower()}"))
        for name in _ORDER:
            t = Base.metadata.tables[name]
            # One statement per table: amendments and the notes they amend go together.
            done = s.execute(delete(t).where(t.c.young_person_id == young_person_id))
            rows += done.rowcount  # type: ignore[attr-defined]
        done = s.execute(delete(YoungPerson).where(YoungPerson.id == young_person_id))
        rows += done.rowcount  # type: ignore[attr-defined]
        for cls in (ChangeLog, Conflict, QuarantinedChange, SupersededStamp, ContactSummary):
            s.execute(delete(cls).where(cls.young_person_id == young_person_id))
        s.execute(delete(Draft).where(Draft.key.contains(young_person_id)))
        # The audit trail keeps that something happened, never what a record said.
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.young_person_id == young_person_id)
            .values(detail="")
        )
        for table in APPEND_ONLY_TABLES:
            for event in ("UPDATE", "DELETE"):
                s.execute(text(_guard_sql(table, event)))
        gone = {sha for sha in files if not _still_used(s, sha)}
        if gone:
            s.execute(delete(BlobEntry).where(or_(*(BlobEntry.sha256 == sha for sha in gone))))
    blobs = store.blob_store()
    for sha in gone:
        blobs.delete(sha)
    if rebuild:
        rebuild_database(store)
    return PurgeReport(rows, len(gone))


def rebuild_database(store: Store) -> None:
    """Leave no byte of deleted rows readable: rebuild the database, empty the WAL, remove
    migration backups. ``secure_delete`` zeroes a row's cell when it is deleted, but not the
    copies a B-tree leaves in a page's unused space when it moves cells between pages as it
    grows: a ``VACUUM`` writes every page afresh (its scratch copy stays in memory:
    ``temp_store``). It runs outside any transaction."""
    raw = store.engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
    finally:
        raw.close()
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    remove_migration_backups(store.folder)
