"""Loading a young person's whole record in one read (workspace, printing, export)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models.records import YoungPersonRecord
from models.repo.care_leaver_facts import list_facts
from models.repo.files import list_documents, list_memories
from models.repo.notes import list_notes
from models.repo.plans import load_plan
from models.repo.young_people import list_key_dates, list_people, load_profile


def load_record(s: Session, young_person_id: str, on: date | None = None) -> YoungPersonRecord:
    return YoungPersonRecord(
        profile=load_profile(s, young_person_id, on),
        plan=load_plan(s, young_person_id),
        notes=list_notes(s, young_person_id),
        documents=list_documents(s, young_person_id),
        memories=list_memories(s, young_person_id),
        key_dates=list_key_dates(s, young_person_id),
        people=list_people(s, young_person_id),
        care_leaver_facts=list_facts(s, young_person_id),
    )
