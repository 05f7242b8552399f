"""Contact and visit notes: append-only. An amendment is a new note; the original stays."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.domain import NoteKind
from models.errors import InvalidRecord
from models.records import Note
from models.repo import changes
from models.repo.changes import actor
from models.schema import ContactNote, YoungPerson


def _check(kind: str, occurred_at: datetime, summary: str, narrative: str) -> None:
    try:
        NoteKind(kind)
    except ValueError:
        raise InvalidRecord(f"Unknown kind of contact {kind!r}.") from None
    if occurred_at.tzinfo is None:
        raise InvalidRecord("The note's date and time needs a time zone.")
    if not (summary.strip() or narrative.strip()):
        raise InvalidRecord("Write a summary or the note itself before saving.")


def _view(n: ContactNote, amended_by: tuple[str, ...] = ()) -> Note:
    return Note(
        n.id,
        n.kind,
        n.occurred_at,
        n.place,
        n.summary,
        n.narrative,
        n.author,
        n.created_at,
        n.amends_id,
        amended_by,
    )


def add_note(
    s: Session,
    young_person_id: str,
    *,
    kind: str,
    occurred_at: datetime,
    summary: str,
    narrative: str = "",
    place: str = "",
) -> Note:
    _check(kind, occurred_at, summary, narrative)
    changes.get(s, YoungPerson, young_person_id, "young person")
    n = changes.create(
        s,
        ContactNote,
        young_person_id=young_person_id,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        summary=summary,
        narrative=narrative,
        author=actor(s),
    )
    s.flush()
    return _view(n)


def amend_note(
    s: Session,
    note_id: str,
    *,
    summary: str,
    narrative: str,
    kind: str | None = None,
    occurred_at: datetime | None = None,
    place: str | None = None,
) -> Note:
    """Add a correction to ``note_id``: new text, and the contact's kind, time and place as
    corrected (each left out keeps the original's), checked like a new note."""
    original = changes.get(s, ContactNote, note_id, "note")
    kind = original.kind if kind is None else kind
    occurred_at = original.occurred_at if occurred_at is None else occurred_at
    place = original.place if place is None else place
    _check(kind, occurred_at, summary, narrative)
    n = changes.create(
        s,
        ContactNote,
        young_person_id=original.young_person_id,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        summary=summary,
        narrative=narrative,
        author=actor(s),
        amends_id=original.id,
    )
    s.flush()
    return _view(n)


def list_notes(
    s: Session, young_person_id: str, kinds: Iterable[str] | None = None
) -> tuple[Note, ...]:
    """Newest contact first; each amendment follows right after the note it amends.

    Placement follows ``amends_id``, not timestamps: an amendment written on another laptop
    whose clock ran behind still comes after its original (amendments of amendments too).
    """
    q = select(ContactNote).where(ContactNote.young_person_id == young_person_id)
    if kinds is not None:
        q = q.where(ContactNote.kind.in_(list(kinds)))
    rows = list(s.scalars(q.order_by(ContactNote.occurred_at.desc(), ContactNote.created_at)))
    ids = {n.id for n in rows}
    children: dict[str, list[ContactNote]] = {}
    for n in rows:
        if n.amends_id and n.amends_id in ids:
            children.setdefault(n.amends_id, []).append(n)
    ordered: list[ContactNote] = []

    def place(note: ContactNote) -> None:
        ordered.append(note)
        for child in children.get(note.id, ()):
            place(child)

    for n in rows:
        if not (n.amends_id and n.amends_id in ids):
            place(n)
    return tuple(_view(n, tuple(c.id for c in children.get(n.id, ()))) for n in ordered)
