"""Life-story documents and Virtual Memory Box items, and importing their files.

Files are stored once, encrypted, by content (see :mod:`models.blobs`); records point at them by
SHA-256. Removing an item leaves a tombstone (the Memory Box protects against accidental loss).
"""

from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.blobs import BlobInfo, BlobStore
from models.domain import AddedBy, DocumentCategory, MemoryKind
from models.errors import InvalidRecord, printable_name
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from models.records import NamedFile, StoredFile
from models.repo import changes
from models.schema import BlobEntry, Document, MemoryItem, YoungPerson

MAX_IMPORT_BYTES = 2 * 1024**3  # 2 GB: a long video is the largest thing a memory box holds
DOCUMENT_FIELDS = frozenset({"category", "title", "caption", "document_date"})
MEMORY_FIELDS = frozenset({"caption", "body", "memory_date"})


def guess_media_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def import_file(
    blobs: BlobStore,
    path: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> BlobInfo:
    """Encrypt a file into the blob store (streaming; runs on a worker thread)."""
    return blobs.put_file(Path(path), progress=progress, cancel=cancel, max_size=MAX_IMPORT_BYTES)


def register_blob(s: Session, info: BlobInfo, media_type: str) -> None:
    if s.get(BlobEntry, info.sha256) is None:
        s.add(BlobEntry(sha256=info.sha256, size=info.size, media_type=media_type))


def _check_added_by(kind: str, name: str) -> None:
    try:
        AddedBy(kind)
    except ValueError:
        raise InvalidRecord(f"Unknown 'added by' {kind!r}.") from None
    if kind == AddedBy.PROFESSIONAL and not name.strip():
        raise InvalidRecord("Name the professional who added this.")


def add_document(
    s: Session,
    young_person_id: str,
    *,
    blob: BlobInfo,
    filename: str,
    title: str,
    category: str = DocumentCategory.OTHER,
    caption: str = "",
    added_by_kind: str = AddedBy.PROFESSIONAL,
    added_by_name: str = "",
    document_date: date | None = None,
    media_type: str | None = None,
) -> str:
    try:
        DocumentCategory(category)
    except ValueError:
        raise InvalidRecord(f"Unknown document category {category!r}.") from None
    added_by_name = added_by_name or (changes.actor(s) if added_by_kind == "professional" else "")
    _check_added_by(added_by_kind, added_by_name)
    changes.get(s, YoungPerson, young_person_id, "young person")
    filename = printable_name(filename)  # a name that is not valid UTF-8 still imports
    media_type = media_type or guess_media_type(filename)
    register_blob(s, blob, media_type)
    d = changes.create(
        s,
        Document,
        young_person_id=young_person_id,
        sha256=blob.sha256,
        size=blob.size,
        filename=filename,
        media_type=media_type,
        title=title or filename,
        category=category,
        caption=caption,
        added_by_kind=added_by_kind,
        added_by_name=added_by_name,
        document_date=document_date,
    )
    return d.id


def add_memory(
    s: Session,
    young_person_id: str,
    *,
    kind: str,
    caption: str = "",
    body: str = "",
    blob: BlobInfo | None = None,
    filename: str = "",
    added_by_kind: str = AddedBy.YOUNG_PERSON,
    added_by_name: str = "",
    memory_date: date | None = None,
    media_type: str | None = None,
) -> str:
    try:
        MemoryKind(kind)
    except ValueError:
        raise InvalidRecord(f"Unknown kind of memory {kind!r}.") from None
    if kind == MemoryKind.MEMORY and not body.strip():
        raise InvalidRecord("Write the memory before saving it.")
    if kind != MemoryKind.MEMORY and blob is None:
        raise InvalidRecord("Choose the photo or document to add.")
    added_by_name = added_by_name or (changes.actor(s) if added_by_kind == "professional" else "")
    _check_added_by(added_by_kind, added_by_name)
    changes.get(s, YoungPerson, young_person_id, "young person")
    values: dict[str, Any] = {}
    filename = printable_name(filename)  # a name that is not valid UTF-8 still imports
    if blob is not None:
        media_type = media_type or guess_media_type(filename)
        register_blob(s, blob, media_type)
        values = {"sha256": blob.sha256, "size": blob.size, "media_type": media_type}
    m = changes.create(
        s,
        MemoryItem,
        young_person_id=young_person_id,
        kind=kind,
        caption=caption,
        body=body,
        filename=filename,
        added_by_kind=added_by_kind,
        added_by_name=added_by_name,
        memory_date=memory_date,
        **values,
    )
    return m.id


def update_document(s: Session, document_id: str, **fields: Any) -> list[str]:
    return changes.change(
        s, changes.get(s, Document, document_id, "document"), DOCUMENT_FIELDS, **fields
    )


def update_memory(s: Session, memory_id: str, **fields: Any) -> list[str]:
    return changes.change(
        s, changes.get(s, MemoryItem, memory_id, "memory"), MEMORY_FIELDS, **fields
    )


def remove_document(s: Session, document_id: str) -> None:
    changes.tombstone(s, changes.get(s, Document, document_id, "document"))


def remove_memory(s: Session, memory_id: str) -> None:
    changes.tombstone(s, changes.get(s, MemoryItem, memory_id, "memory"))


def _doc_view(d: Document) -> StoredFile:
    return StoredFile(
        d.id,
        "document",
        "document",
        d.category,
        d.title,
        d.caption,
        "",
        d.sha256,
        d.filename,
        d.media_type,
        d.size,
        d.added_by_kind,
        d.added_by_name,
        d.created_at,
        d.document_date,
    )


def _memory_view(m: MemoryItem) -> StoredFile:
    return StoredFile(
        m.id,
        "memory",
        m.kind,
        "",
        m.caption,
        m.caption,
        m.body,
        m.sha256,
        m.filename,
        m.media_type,
        m.size,
        m.added_by_kind,
        m.added_by_name,
        m.created_at,
        m.memory_date,
    )


def list_documents(s: Session, young_person_id: str) -> tuple[StoredFile, ...]:
    q = (
        select(Document)
        .where(Document.young_person_id == young_person_id, Document.deleted.is_(False))
        .order_by(Document.category, Document.created_at.desc())
    )
    return tuple(_doc_view(d) for d in s.scalars(q))


def list_memories(s: Session, young_person_id: str) -> tuple[StoredFile, ...]:
    """Newest memory first (by the memory's own date, else when it was added)."""
    q = select(MemoryItem).where(
        MemoryItem.young_person_id == young_person_id, MemoryItem.deleted.is_(False)
    )
    items = [_memory_view(m) for m in s.scalars(q)]
    items.sort(key=lambda f: (f.dated or f.added_at.date(), f.added_at), reverse=True)
    return tuple(items)


def media_types(s: Session) -> dict[str, str]:
    """The media type the records give each file they name (for a file fetched from the hub)."""
    found: dict[str, str] = {}
    for cls in (Document, MemoryItem):
        for sha, media in s.execute(select(cls.sha256, cls.media_type).where(
                cls.sha256.is_not(None), cls.sha256 != "")):
            if sha and media:
                found.setdefault(sha, media)
    return found


def named_files(s: Session) -> list[NamedFile]:
    """Every file a live record names (documents, memory items, cover photos), once per young
    person, for sync: what to send the hub and what to fetch. A cover photo takes the size of
    the memory or document it shows (0 if none here names it)."""
    found: dict[tuple[str, str], int] = {}
    for cls in (Document, MemoryItem):
        rows = s.execute(select(cls.sha256, cls.young_person_id, cls.size).where(
            cls.deleted.is_(False), cls.sha256.is_not(None), cls.sha256 != ""))
        for sha, yp, size in rows:
            if sha:
                found[(sha, yp)] = max(size or 0, found.get((sha, yp), 0))
    sizes = {sha: size for (sha, _), size in found.items()}
    covers = s.execute(select(YoungPerson.cover_photo_sha256, YoungPerson.id).where(
        YoungPerson.deleted.is_(False), YoungPerson.cover_photo_sha256.is_not(None),
        YoungPerson.cover_photo_sha256 != ""))
    for cover, yp in covers:
        if cover:
            found.setdefault((cover, yp), sizes.get(cover, 0))
    return [NamedFile(sha, yp, size) for (sha, yp), size in sorted(found.items())]
