"""The printed pathway plan: every variant, every script, page one, fonts, sizes."""

from __future__ import annotations

import io

import pytest

from desktop.printing import Variant, emergency_info, render_plan
from desktop.printing.emergency import NO_OUT_OF_HOURS_PHONE
from models.domain import Matter
from tests.printing.conftest import ARABIC_NAME, TODAY, jpeg, make_person
from tests.printing.pdftext import all_text, flat, fonts, page_texts, reader, sizes_of


def render(record, variant="standard", **kwargs) -> bytes:
    out = io.BytesIO()
    render_plan(record, variant, out, today=TODAY, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("name", [ARABIC_NAME, "ሰላም ተስፋይ", "Nguyễn Thị Hương", "Ardita Hoxha-Çela"])
def test_the_preferred_name_prints_in_its_own_script_on_the_cover(store, name):
    record = make_person(store, preferred_name=name).record()
    first_page = page_texts(render(record))[0]
    assert name in first_page


def test_emergency_contacts_are_on_page_one(person):
    record = person.record()
    pdf = render(record, emergency=emergency_info(record, {"out_of_hours_phone": "0300 111 222"}))
    first = flat(page_texts(pdf)[0])
    for expected in ("Whotocallifyouneedhelp", "PriyaSandhu", "07700900102", "0300111222",
                     "AmalHassan", "07700900555", "999", "116123"):
        assert expected in first


def test_no_made_up_out_of_hours_number_when_the_store_sets_none(person):
    record = person.record()
    first = flat(page_texts(render(record))[0])
    assert flat(NO_OUT_OF_HOURS_PHONE) in first
    assert "0300" not in first


@pytest.mark.parametrize("variant", ["standard", "large", "easy"])
def test_the_young_persons_copy_has_every_part_of_the_plan(person, variant):
    record = person.record()
    text = flat(all_text(render(record, variant)))
    for matter in Matter:
        assert flat(matter.my_heading) in text
        assert flat(f"Going well with {matter.label.lower()}.") in text
        assert flat(f"My goal for {matter.label.lower()}.") in text
        assert flat(f"Action for {matter.label.lower()}") in text
    assert "10January2027" in text  # by when
    assert flat("UASC Offer") in text and flat("Local Offer") in text
    assert flat("Extra help if you came to the UK on your own") in text  # in plain words
    assert "15March2027" in text  # review date
    assert "AmalHassan" in text and "ሰላምተስፋይ" in text  # people to keep in touch with
    assert flat("I came to Leeds in 2021.") in text


def test_strengths_come_before_goals_and_actions(person):
    text = flat(all_text(render(person.record())))
    strengths = text.index(flat("Going well with health and wellbeing."))
    assert strengths < text.index(flat("My goal for health and wellbeing."))
    assert strengths < text.index(flat("Action for health and wellbeing"))


def test_professional_copy_has_statutory_headings_version_and_agreed_date(person):
    text = flat(all_text(render(person.record(), Variant.PROFESSIONAL)))
    for matter in Matter:
        assert flat(matter.statutory_heading) in text
    assert flat("Version 1, agreed on 15 September 2026 with Maryam") in text
    assert "MaryamHassan" in text  # legal name


def test_large_print_body_text_is_at_least_16_points(person):
    pdf = render(person.record(), Variant.LARGE)
    sizes = sizes_of(pdf, "Going well with health")
    assert sizes and min(sizes) >= 16


def test_easy_read_uses_short_sentences_with_icons(person):
    text = all_text(render(person.record(), Variant.EASY))
    assert "This is going well." in text
    assert "Who will do it: Priya." in text


def test_fonts_are_embedded_and_no_base_font_is_used(person):
    pdf = render(person.record(), photo=jpeg())
    found = fonts(pdf)
    assert found
    for base_font, descriptor in found:
        assert descriptor is not None, base_font
        assert "/FontFile2" in descriptor, base_font


def test_the_chosen_photo_is_on_the_cover(person):
    pdf = render(person.record(), photo=jpeg())
    assert len(reader(pdf).pages[0].images) == 1


def test_an_empty_plan_prints(store):
    from models.repo.whole_record import load_record
    from tests.factories import add_young_person

    yp_id = add_young_person(store)
    with store.reader() as s:
        record = load_record(s, yp_id, TODAY)
    for variant in Variant:
        assert reader(render(record, variant)).pages
