"""Stored vocabulary values are shown to people as words, never as codes."""

from __future__ import annotations

from models.domain import LegalStatus, Matter, NoteKind, legal_status_label


def test_every_legal_status_has_words_and_unknown_values_pass_through() -> None:
    assert legal_status_label("former_relevant") == "Former relevant child (18–25)"
    assert legal_status_label("") == "Not recorded"
    assert legal_status_label("something older") == "something older"
    assert all(status.label and "_" not in status.label for status in LegalStatus)


def test_matters_and_note_kinds_read_as_words() -> None:
    assert len(Matter) == 10
    assert all(m.label and m.statutory_heading and m.my_heading for m in Matter)
    assert NoteKind("whatsapp").label == "WhatsApp"
    assert {k.value for k in NoteKind if k.is_visit} == {
        "custody_visit",
        "home_visit",
        "out_of_area_visit",
    }


def test_education_status_reads_as_words() -> None:
    from models.rules import eet_status_label

    assert eet_status_label("neet_other") != "neet_other"
    assert "_" not in eet_status_label("employment_full_time")
    assert eet_status_label("") == "Not known"
