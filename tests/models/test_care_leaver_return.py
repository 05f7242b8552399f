"""The SSDA903 care-leaver codes, suggestions from the record, and the return's rules (each
tested both ways)."""

from __future__ import annotations

from datetime import date

import pytest

from models.care_leaver_return import (
    Accommodation,
    Activity,
    InTouch,
    accom_code,
    all_or_none,
    code_label,
    died_or_home_means_not_applicable,
    died_stays_died,
    in_touch_means_applicable,
    in_window,
    no_former_foster_carers_at_17,
    no_foyer_under_18,
    record_problems,
    return_birthday,
    return_checks,
    return_year,
    suggest_accommodation,
    suggest_activity,
    suitability_fits,
)
from models.rules import EetStatus


def test_codes_are_exactly_the_returns() -> None:
    assert [c.value for c in InTouch] == ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]
    assert [c.value for c in Activity] == [
        "F1",
        "P1",
        "F2",
        "P2",
        "F4",
        "P4",
        "F5",
        "P5",
        "G4",
        "G5",
        "G6",
        "0",
    ]
    assert "".join(c.value for c in Accommodation if c.value != "0") == "BCDEGHKRSTUVWXYZ"
    for enum in (InTouch, Activity, Accommodation):
        assert all(member.label for member in enum)


def test_labels_for_stored_codes() -> None:
    assert code_label(InTouch, "REFU") == "Refuses contact"
    assert code_label(Accommodation, "") == "Not recorded"
    assert code_label(Activity, "Q9") == "Q9"


def test_accom_code_joins_letter_and_suitability() -> None:
    assert accom_code("U", True) == "U1"
    assert accom_code("S", False) == "S2"
    assert accom_code("0", None) == "0"
    assert accom_code("", None) == ""
    assert accom_code("U", None) == ""  # undecided suitability has no code


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (EetStatus.HIGHER_EDUCATION_FULL_TIME, "F1"),
        (EetStatus.HIGHER_EDUCATION_PART_TIME, "P1"),
        (EetStatus.EDUCATION_FULL_TIME, "F2"),
        (EetStatus.EDUCATION_PART_TIME, "P2"),
        (EetStatus.TRAINING_FULL_TIME, "F5"),
        (EetStatus.EMPLOYMENT_PART_TIME, "P5"),
        (EetStatus.NEET_ILLNESS_DISABILITY, "G4"),
        (EetStatus.NEET_OTHER, "G5"),
        (EetStatus.NEET_PREGNANCY_PARENTING, "G6"),
    ],
)
def test_activity_suggested_from_the_eet_status(status: EetStatus, code: str) -> None:
    assert suggest_activity(status.value) == code


def test_no_activity_suggested_when_the_status_is_not_known() -> None:
    assert suggest_activity("unknown") is None
    assert suggest_activity("something odd") is None


def test_every_eet_status_but_unknown_has_a_suggestion() -> None:
    missing = [s for s in EetStatus if suggest_activity(s.value) is None]
    assert missing == [EetStatus.UNKNOWN]


def test_accommodation_suggested_from_the_profile() -> None:
    s = suggest_accommodation("Staying Put with former foster carers", True)
    assert s is not None and (s.accommodation, s.suitable) == (Accommodation.Z, True)
    s = suggest_accommodation("  independent TENANCY ", None)
    assert s is not None and (s.accommodation, s.suitable) == (Accommodation.U, None)
    s = suggest_accommodation("Supported lodgings", False)
    assert s is not None and (s.accommodation, s.suitable) == (Accommodation.E, False)


def test_custody_and_homelessness_are_suggested_unsuitable_whatever_the_profile_says() -> None:
    s = suggest_accommodation("Independent tenancy", True, in_custody=True)
    assert s is not None and (s.accommodation, s.suitable) == (Accommodation.X, False)
    s = suggest_accommodation("Sofa surfing", True)
    assert s is not None and (s.accommodation, s.suitable) == (Accommodation.S, False)


def test_ambiguous_accommodation_is_left_for_the_adviser() -> None:
    for label in ("Emergency or bed and breakfast", "Student accommodation", "Other", ""):
        assert suggest_accommodation(label, True) is None


# -- the rules, both ways ---------------------------------------------------------------------


def test_all_or_none() -> None:
    assert all_or_none("YES", "F1", "U") is None
    assert all_or_none("", "", "") is None
    assert all_or_none("YES", "", "U") is not None
    assert all_or_none("", "F1", "") is not None


@pytest.mark.parametrize("code", ["DIED", "RHOM"])
def test_died_or_returned_home_means_not_applicable(code: str) -> None:
    assert died_or_home_means_not_applicable(code, "0", "0") is None
    assert died_or_home_means_not_applicable(code, "F1", "0") is not None
    assert died_or_home_means_not_applicable(code, "0", "B") is not None
    assert died_or_home_means_not_applicable("NO", "F1", "B") is None


def test_in_touch_means_applicable() -> None:
    assert in_touch_means_applicable("YES", "F5", "U") is None
    assert in_touch_means_applicable("YES", "0", "U") is not None
    assert in_touch_means_applicable("YES", "F5", "0") is not None
    assert in_touch_means_applicable("NO", "0", "0") is None


def test_no_former_foster_carers_at_17() -> None:
    assert no_former_foster_carers_at_17("Z", 17) is not None
    assert no_former_foster_carers_at_17("Z", 18) is None
    assert no_former_foster_carers_at_17("U", 17) is None


def test_no_foyer_under_18() -> None:
    assert no_foyer_under_18("T", 17) is not None
    assert no_foyer_under_18("T", 18) is None
    assert no_foyer_under_18("D", 17) is None


def test_died_stays_died() -> None:
    assert died_stays_died("YES", ["YES", "DIED"]) is not None
    assert died_stays_died("DIED", ["YES", "DIED"]) is None
    assert died_stays_died("YES", ["YES", "NO"]) is None
    assert died_stays_died("YES", []) is None


def test_suitability_fits() -> None:
    assert suitability_fits("U", True) is None
    assert suitability_fits("U", None) is not None
    assert suitability_fits("X", True) is not None
    assert suitability_fits("S", False) is None
    assert suitability_fits("0", None) is None
    assert suitability_fits("0", True) is not None


def test_record_problems_names_unknown_codes() -> None:
    assert record_problems("YES", "F1", "U", True) == []
    assert record_problems("MAYBE", "F1", "U", True) == ["Unknown in-touch code 'MAYBE'."]
    assert record_problems("YES", "F3", "U", True) == ["Unknown activity code 'F3'."]


def test_return_checks_add_the_rules_needing_age_and_history() -> None:
    assert return_checks("YES", "F1", "Z", True, age=18) == []
    assert len(return_checks("YES", "F1", "Z", True, age=17)) == 1
    assert len(return_checks("YES", "F1", "T", True, age=17)) == 1
    assert len(return_checks("NO", "G5", "R", False, age=19, earlier_in_touch=["DIED"])) == 1


# -- the return year ----------------------------------------------------------------------------


def test_return_year_runs_april_to_march() -> None:
    assert return_year(date(2026, 11, 29)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert return_year(date(2027, 3, 31)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert return_year(date(2027, 4, 1)) == (date(2027, 4, 1), date(2028, 3, 31))


def test_return_birthday_finds_the_17th_to_21st() -> None:
    start = date(2026, 4, 1)
    assert return_birthday(date(2009, 4, 1), start) == (17, date(2026, 4, 1))
    assert return_birthday(date(2006, 3, 31), start) == (21, date(2027, 3, 31))
    assert return_birthday(date(2010, 3, 31), start) == (17, date(2027, 3, 31))
    assert return_birthday(date(2010, 4, 1), start) is None  # 17 next year
    assert return_birthday(date(2005, 3, 31), start) is None  # 22 this year


def test_leap_day_birthday_falls_on_1_march_inside_the_year() -> None:
    start = date(2026, 4, 1)
    assert return_birthday(date(2008, 2, 29), start) == (19, date(2027, 3, 1))
    assert return_birthday(date(2008, 2, 29), date(2027, 4, 1)) == (20, date(2028, 2, 29))


def test_recording_window_is_three_months_before_to_one_after() -> None:
    birthday = date(2026, 6, 15)
    assert in_window(date(2026, 3, 15), birthday)
    assert not in_window(date(2026, 3, 14), birthday)
    assert in_window(date(2026, 7, 15), birthday)
    assert not in_window(date(2026, 7, 16), birthday)
