"""Printing jobs over a store, shared by the CLI and the GUI: load, render to memory, audit.

Every function renders into memory (``bytes``); only the caller decides whether bytes reach the
disk, and then only at a path the user chose. Audit events say what was printed, never what it
says. Functions read the store and may take a moment: call them on a worker thread in the GUI.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pypdf import PdfWriter

from desktop.printing.duplex import end_on_an_even_page
from desktop.printing.emergency import load_emergency
from desktop.printing.keepsake import render_keepsake
from desktop.printing.outputs import print_events, publish_bytes, sweep_leftovers
from desktop.printing.plan import next_review, render_plan
from desktop.printing.theme import Variant
from models.errors import PathwayDeskError
from models.progress import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from models.records import CaseloadRow
from models.repo.audit import record_event
from models.repo.whole_record import load_record
from models.repo.young_people import caseload


def _cover_photo(store, sha: str | None) -> bytes | None:
    if not sha:
        return None
    try:
        return store.blob_store().read_bytes(sha)
    except PathwayDeskError:
        return None  # not synced yet or damaged: print without the photo


def plan_pdf_bytes(store, young_person_id: str, variant: Variant | str,
                   today: date | None = None) -> bytes:
    """The plan of one young person as PDF bytes. Raises RecordNotFound for an unknown id."""
    today = today or date.today()
    with store.reader() as s:
        record = load_record(s, young_person_id, today)
    buffer = io.BytesIO()
    render_plan(
        record, Variant(variant), buffer,
        photo=_cover_photo(store, record.profile.cover_photo_sha256),
        emergency=load_emergency(store, record), today=today,
    )
    return buffer.getvalue()


def keepsake_pdf_bytes(store, young_person_id: str, progress: ProgressCallback = no_progress
                       ) -> bytes:
    with store.reader() as s:
        record = load_record(s, young_person_id)
    buffer = io.BytesIO()
    render_keepsake(record, store.blob_store().read_bytes, buffer, progress=progress)
    return buffer.getvalue()


def save_pdf(store, path, data: bytes, young_person_ids: Sequence[str | None], what: str
             ) -> list[str]:
    """Write a PDF where the user chose: the "print" audit events first, the file last.

    Leftovers of earlier runs that were cut short are removed first; the returned sentences
    say where (show them to the user). Nothing is left at ``path`` if the audit fails.
    """
    target = Path(path)
    notices = sweep_leftovers(store, also_in=target.parent)
    publish_bytes(store, target, data, print_events(list(young_person_ids), what))
    return notices


def record_printed(store, young_person_id: str | None, what: str) -> None:
    """Add a "print" event to the audit trail (``what`` names the document, not its contents)."""
    with store.session() as s:
        record_event(s, "print", young_person_id, detail=what)


def due_for_review(store, start: date, end: date, on: date | None = None) -> list[CaseloadRow]:
    """Young people whose next plan review falls between ``start`` and ``end`` (inclusive),
    and those already overdue, soonest first."""
    with store.reader() as s:
        rows = caseload(s, on or date.today())
    due = [r for r in rows if r.next_review is not None and r.next_review <= end
           and (r.next_review >= start or r.review_overdue)]
    return sorted(due, key=lambda r: (r.next_review, r.preferred_name.casefold()))


def batch_plans_pdf(
    store,
    young_person_ids: Sequence[str],
    variant: Variant | str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    today: date | None = None,
) -> bytes:
    """Several plans in one PDF, in the order given, each starting on an odd page."""
    writer = PdfWriter()
    total = len(young_person_ids)
    progress(0, total)
    for i, yp_id in enumerate(young_person_ids, start=1):
        cancel.raise_if_cancelled()
        pdf = plan_pdf_bytes(store, yp_id, variant, today)
        end_on_an_even_page(writer)  # each plan starts on a front page when printed duplex
        writer.append(io.BytesIO(pdf))
        progress(i, total)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = [
    "batch_plans_pdf",
    "due_for_review",
    "keepsake_pdf_bytes",
    "next_review",
    "plan_pdf_bytes",
    "record_printed",
    "save_pdf",
]
