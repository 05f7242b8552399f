"""Fixtures for the printing tests: a store holding a young person with a full plan."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from PIL import Image

from models.repo import files, plans
from models.repo import young_people as yp
from models.repo.whole_record import load_record
from models.store import Store
from tests.factories import add_young_person

TODAY = date(2026, 11, 20)
ARABIC_NAME = "مريم حسن"


@dataclass
class Person:
    store: Store
    id: str

    def record(self):
        with self.store.reader() as s:
            return load_record(s, self.id, TODAY)


def jpeg(color=(200, 120, 80), size=(320, 240)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def make_person(store: Store, preferred_name: str = ARABIC_NAME) -> Person:
    yp_id = add_young_person(
        store,
        legal_name="Maryam Hassan",
        preferred_name=preferred_name,
        date_of_birth=date(2005, 3, 2),
        allocated_pa="Priya Sandhu",
        allocated_pa_phone="07700 900102",
        allocated_pa_email="priya.sandhu@example.org",
        uasc=True,
    )
    with store.session() as s:
        plans.update_plan(s, yp_id, life_summary="I came to Leeds in 2021.",
                          review_date=date(2027, 3, 15))
        for matter in plans.Matter:
            plans.update_section(s, yp_id, matter.value,
                                 strengths=f"Going well with {matter.label.lower()}.",
                                 goals=f"My goal for {matter.label.lower()}.")
            plans.add_action(s, yp_id, matter.value, who="Priya",
                             what=f"Action for {matter.label.lower()}",
                             by_when=date(2027, 1, 10), status="in_progress")
        yp.add_person(s, yp_id, name="Amal Hassan", relationship="Cousin",
                      how_to_contact="07700 900555", is_emergency_contact=True)
        yp.add_person(s, yp_id, name="ሰላም ተስፋይ", relationship="Best friend",
                      how_to_contact="07700 900556")
        plans.agree_plan(s, yp_id, agreed_on=date(2026, 9, 15), agreed_with="Maryam")
    return Person(store, yp_id)


def add_photos(person: Person, count: int) -> list[str]:
    blobs = person.store.blob_store()
    shas = []
    with person.store.session() as s:
        for i in range(count):
            info = blobs.put_bytes(jpeg((40 * i % 255, 120, 200 - 10 * i)))
            shas.append(info.sha256)
            files.add_memory(s, person.id, kind="photo", blob=info, filename=f"photo{i}.jpg",
                             caption=f"Photo caption {i}", memory_date=date(2021, 1 + i % 12, 5))
        files.add_memory(s, person.id, kind="memory", caption="Snow day",
                         body="We made a snowman outside the flat.", memory_date=date(2022, 1, 20))
    return shas


@pytest.fixture
def person(store: Store) -> Person:
    return make_person(store)
