"""The subject-access export: every record and file of one young person in one zip.

``export_young_person(store, yp_id, out_zip_path, progress, cancel)`` writes:

* ``index.pdf``: what is in the folder and how to read it, written for the young person;
* ``records/<kind>.json`` and ``records/<kind>.pdf`` for each kind of record (about you, the
  working plan, agreed plan versions, contact notes, documents, memory box, key dates, people);
* ``files/documents/...`` and ``files/memory-box/...``: every stored file, decrypted straight
  from the blob store into the zip in verified 1 MiB chunks (bounded memory);
* ``manifest.json``: every entry with its SHA-256 and size.

The zip is written to a temporary file beside the target (where the user chose to put it); the
audit event is recorded, and only then is it renamed into place (:mod:`desktop.printing.outputs`).
On any failure or cancel it is removed, so no partial export is left; a run killed outright is
cleaned up by the next export or start. Runs on a worker thread; reports progress and honours the
cancel token.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from desktop.printing.blocks import fmt_date
from desktop.printing.index_pdf import IndexEntry, index_pdf
from desktop.printing.outputs import publishing, sweep_leftovers
from desktop.printing.plan import display_name, render_plan
from desktop.printing.records_pdf import (
    care_leaver_return_pdf,
    files_pdf,
    key_dates_pdf,
    notes_pdf,
    people_pdf,
    plan_versions_pdf,
    profile_pdf,
)
from desktop.printing.theme import Variant
from models.errors import BlobError, BlobMissing
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from models.records import StoredFile
from models.repo.plans import version_snapshot
from models.repo.whole_record import load_record

RECORD_KINDS = (
    "profile", "plan", "plan-versions", "contact-notes", "documents", "memory-box", "key-dates",
    "people", "care-leaver-return",
)
_STORED_TYPES = ("image/", "video/", "audio/", "application/pdf", "application/zip")


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    records: int
    files: int
    bytes_written: int
    notices: list[str] = dataclasses.field(default_factory=list)  # leftovers removed, and where


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def _json_bytes(kind: str, young_person_id: str, records: Any) -> bytes:
    doc = {
        "kind": kind,
        "young_person_id": young_person_id,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": records,
    }
    return json.dumps(doc, default=_json_default, ensure_ascii=False, indent=2).encode("utf-8")


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-_").lower()
    return slug[:limit] or "file"


def _file_name(folder: str, item: StoredFile) -> str:
    when = (item.dated or item.added_at.date()).isoformat()
    stem, dot, ext = item.filename.rpartition(".")
    ext = _slug(ext, 8) if dot else "bin"
    title = item.title or item.caption or stem or item.kind
    return f"files/{folder}/{when}-{_slug(title)}-{item.id[:8]}.{ext}"


class _Zip:
    """The zip being written, with a manifest of every entry's SHA-256."""

    def __init__(self, file: Any) -> None:
        self.zf = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.manifest: list[dict[str, Any]] = []
        self.total = 0

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.zf.writestr(name, data, compress_type=method)
        self._note(name, hashlib.sha256(data).hexdigest(), len(data))

    def add_stream(self, name: str, chunks, media_type: str, cancel: CancelToken) -> str:
        stored = media_type.startswith(_STORED_TYPES)
        info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        size = 0
        try:
            with self.zf.open(info, "w", force_zip64=True) as dst:
                for chunk in chunks:
                    cancel.raise_if_cancelled()
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self._note(name, digest.hexdigest(), size)
        return digest.hexdigest()

    def _note(self, name: str, sha256: str, size: int) -> None:
        self.manifest.append({"path": name, "sha256": sha256, "size": size})
        self.total += size


def export_young_person(
    store,
    young_person_id: str,
    out_zip_path: Path | str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    *,
    today: date | None = None,
) -> ExportSummary:
    """Export one young person's records and files to ``out_zip_path`` (see the module doc).

    A stored file that cannot be read (not synced yet, or damaged) does not stop the export:
    everything else is exported, index.pdf and manifest.json say which file and why, and the
    summary's notices tell the adviser. Raises RecordNotFound for an unknown id, Cancelled, or
    OSError for an unwritable target; in every case no file is left behind.
    """
    target = Path(out_zip_path)
    today = today or date.today()
    with store.reader() as s:
        record = load_record(s, young_person_id, today)
        snapshots = {
            v.version: version_snapshot(s, young_person_id, v.version)
            for v in record.plan.versions
        }
    blobs = store.blob_store()
    name = display_name(record)
    with_files = [
        ("documents", item) for item in record.documents if item.sha256
    ] + [("memory-box", item) for item in record.memories if item.sha256]
    steps = len(RECORD_KINDS) + 1 + len(with_files)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        cancel.raise_if_cancelled()
        progress(done, steps)

    progress(0, steps)
    notices = sweep_leftovers(store, also_in=target.parent)
    files = len(with_files)
    events = [("export", young_person_id, f"subject access export: {files} files")]
    with publishing(store, target, events) as fh:
        out = _Zip(fh)
        try:
            paths: dict[str, str] = {}
            entries: list[IndexEntry] = []
            unreadable: list[_Unreadable] = []
            for folder, item in with_files:
                path = _file_name(folder, item)
                problem = _add_file(out, blobs, path, item, cancel)
                if problem is None or problem.partial:
                    paths[item.id] = path
                if problem is not None:
                    unreadable.append(problem)
                    notices.append(f"{_describe(item)} could not be read ({problem.adviser}); "
                                   "everything else was exported, and index.pdf says so.")
                entries.append(IndexEntry(path, _describe(item), item.sha256,
                                          problem.reason if problem else None))
                step()
            if unreadable:
                events[0] = ("export", young_person_id, f"subject access export: {files} files, "
                             f"{len(unreadable)} could not be read")
            entries = _write_records(out, record, snapshots, paths, name, today, step) + entries
            out.add_bytes(
                "manifest.json",
                json.dumps({"young_person_id": young_person_id, "files": out.manifest,
                            "unreadable": [{"path": u.path, "reason": u.reason,
                                            "partial": u.partial} for u in unreadable]},
                           indent=2).encode("utf-8"),
            )
            out.add_bytes("index.pdf", index_pdf(record, name, entries, today), compress=False)
            step()
        finally:
            out.zf.close()
    progress(steps, steps)
    return ExportSummary(target, len(RECORD_KINDS), files, out.total, notices)


# Files up to this size are decrypted and verified in memory before they enter the zip, so a
# damaged one is left out whole; larger ones stream (bounded memory) and, if damaged part way,
# keep the verified part before the damage, marked as incomplete in the index.
VERIFY_IN_MEMORY_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class _Unreadable:
    path: str
    reason: str  # for the young person, in index.pdf
    adviser: str  # for the adviser: what to do
    partial: bool


def _add_file(out: _Zip, blobs, path: str, item: StoredFile, cancel: CancelToken
              ) -> _Unreadable | None:
    """Add one stored file to the zip; a file that cannot be read is reported, not raised."""
    assert item.sha256 is not None
    try:
        if item.size <= VERIFY_IN_MEMORY_BYTES:
            data = b"".join(blobs.open_reader(item.sha256))
            stored = item.media_type.startswith(_STORED_TYPES)
            out.add_bytes(path, data, compress=not stored)
        else:
            out.add_stream(path, blobs.open_reader(item.sha256), item.media_type, cancel)
    except BlobMissing as exc:
        return _Unreadable(path, "Not included: this file has not been copied to the computer "
                           "that made this export. Ask for it to be sent again.", str(exc),
                           False)
    except BlobError as exc:
        partial = any(e["path"] == path for e in out.manifest) or path in out.zf.namelist()
        reason = ("Not included: the stored copy of this file is damaged. Ask for it to be sent "
                  "again from the council's main copy.")
        if partial:
            reason = ("Incomplete: the stored copy of this file is damaged, so only the part "
                      "before the damage is included. Ask for it to be sent again.")
        return _Unreadable(path, reason, str(exc), partial)
    return None


def _describe(item: StoredFile) -> str:
    where = "Life-story document" if item.collection == "document" else "Memory box"
    what = item.title or item.caption or item.filename
    return f"{where}: {what} ({fmt_date(item.dated or item.added_at)})"


def _write_records(out: _Zip, record, snapshots, paths, name, today, step) -> list[IndexEntry]:
    yp_id = record.profile.id
    asdict = dataclasses.asdict
    plan_pdf = io.BytesIO()
    render_plan(record, Variant.PROFESSIONAL, plan_pdf, today=today)
    kinds = [
        ("profile", "About you: your details and circumstances", asdict(record.profile),
         profile_pdf(record, name)),
        ("plan", "Your pathway plan as it is now (the working copy)", asdict(record.plan),
         plan_pdf.getvalue()),
        ("plan-versions", "Every agreed version of your pathway plan",
         [{"version": asdict(v), "snapshot": snapshots.get(v.version)}
          for v in record.plan.versions],
         plan_versions_pdf(record, snapshots, name)),
        ("contact-notes", "Notes of every contact and visit", [asdict(n) for n in record.notes],
         notes_pdf(record, name)),
        ("documents", "Your life-story documents (the files are in files/documents)",
         [asdict(d) | {"file": paths.get(d.id)} for d in record.documents],
         files_pdf("Life-story documents", "Your documents: ID, certificates, letters and "
                   "reports. Each file is in the folder files/documents.", record.documents,
                   name, paths)),
        ("memory-box", "Your memory box (the files are in files/memory-box)",
         [asdict(m) | {"file": paths.get(m.id)} for m in record.memories],
         files_pdf("Memory box", "Photos, documents and written memories kept for you. Each "
                   "photo or file is in the folder files/memory-box.", record.memories,
                   name, paths)),
        ("key-dates", "Key dates and plans for those days", [asdict(k) for k in record.key_dates],
         key_dates_pdf(record, name)),
        ("people", "People who matter to you", [asdict(p) for p in record.people],
         people_pdf(record, name)),
        ("care-leaver-return", "What we recorded for the government's care-leaver return",
         [asdict(f) for f in record.care_leaver_facts], care_leaver_return_pdf(record, name)),
    ]
    entries = []
    for kind, what, data, pdf in kinds:
        out.add_bytes(f"records/{kind}.json", _json_bytes(kind, yp_id, data))
        out.add_bytes(f"records/{kind}.pdf", pdf, compress=False)
        entries.append(IndexEntry(f"records/{kind}.pdf", what, None))
        entries.append(IndexEntry(f"records/{kind}.json", f"{what} (data file)", None))
        step()
    return entries
