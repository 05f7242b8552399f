"""Tests for models.rules: ages, offers and due dates, especially at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules import (
    Circumstances,
    DueItem,
    DueKind,
    EetStatus,
    Offer,
    age_on,
    birthday_in_year,
    due_items,
    eligible_offers,
    is_overdue,
    needs_assessment_due,
    next_custody_visit_due,
    next_review_due,
    next_visit_due,
    nth_birthday,
    plan_due_by,
    plan_earliest_start,
)

DOB = date(2004, 6, 15)
LEAP_DOB = date(2004, 2, 29)
NONE = Circumstances()
ONE_DAY = timedelta(days=1)


# --- Ages -------------------------------------------------------------------------------------


def test_age_changes_on_the_birthday_itself() -> None:
    assert age_on(DOB, date(2022, 6, 14)) == 17
    assert age_on(DOB, date(2022, 6, 15)) == 18
    assert age_on(DOB, DOB) == 0


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError):
        age_on(DOB, DOB - ONE_DAY)


def test_leap_day_birthday_in_common_year_is_first_of_march() -> None:
    assert age_on(LEAP_DOB, date(2025, 2, 28)) == 20
    assert age_on(LEAP_DOB, date(2025, 3, 1)) == 21
    assert nth_birthday(LEAP_DOB, 21) == date(2025, 3, 1)
    assert birthday_in_year(LEAP_DOB, 2025) == date(2025, 3, 1)


def test_leap_day_birthday_in_leap_year_is_29_february() -> None:
    assert age_on(LEAP_DOB, date(2028, 2, 28)) == 23
    assert age_on(LEAP_DOB, date(2028, 2, 29)) == 24
    assert birthday_in_year(LEAP_DOB, 2028) == date(2028, 2, 29)
    # 2100 is not a leap year (century rule).
    assert birthday_in_year(LEAP_DOB, 2100) == date(2100, 3, 1)


def test_nth_birthday() -> None:
    assert nth_birthday(DOB, 0) == DOB
    assert nth_birthday(DOB, 16) == date(2020, 6, 15)
    with pytest.raises(ValueError):
        nth_birthday(DOB, -1)


# --- Offers -----------------------------------------------------------------------------------


def test_no_offer_the_day_before_16_and_local_offer_on_16th_birthday() -> None:
    sixteenth = nth_birthday(DOB, 16)
    assert eligible_offers(DOB, NONE, sixteenth - ONE_DAY) == []
    assert eligible_offers(DOB, NONE, sixteenth) == [Offer.LOCAL]


def test_21plus_starts_on_21st_birthday() -> None:
    twenty_first = nth_birthday(DOB, 21)
    assert eligible_offers(DOB, NONE, twenty_first - ONE_DAY) == [Offer.LOCAL]
    assert eligible_offers(DOB, NONE, twenty_first) == [Offer.LOCAL, Offer.TWENTY_ONE_PLUS]


def test_21plus_for_leap_day_birthday_starts_on_first_of_march() -> None:
    assert Offer.TWENTY_ONE_PLUS not in eligible_offers(LEAP_DOB, NONE, date(2025, 2, 28))
    assert Offer.TWENTY_ONE_PLUS in eligible_offers(LEAP_DOB, NONE, date(2025, 3, 1))


def test_all_offers_end_on_25th_birthday() -> None:
    everything = Circumstances(
        in_custody=True,
        is_parent=True,
        expecting_child=True,
        uasc=True,
        eet_status=EetStatus.NEET_OTHER,
    )
    twenty_fifth = nth_birthday(DOB, 25)
    assert eligible_offers(DOB, everything, twenty_fifth - ONE_DAY) == list(Offer)
    assert eligible_offers(DOB, everything, twenty_fifth) == []


def test_circumstances_do_not_give_offers_before_16() -> None:
    everything = Circumstances(
        in_custody=True, is_parent=True, uasc=True, eet_status=EetStatus.NEET_OTHER
    )
    assert eligible_offers(DOB, everything, nth_birthday(DOB, 16) - ONE_DAY) == []


@pytest.mark.parametrize(
    ("circumstances", "offer"),
    [
        (Circumstances(in_custody=True), Offer.CUSTODY),
        (Circumstances(is_parent=True), Offer.PARENTS),
        (Circumstances(expecting_child=True), Offer.PARENTS),
        (Circumstances(uasc=True), Offer.UASC),
        (Circumstances(eet_status=EetStatus.NEET_ILLNESS_DISABILITY), Offer.ACHIEVEMENT),
        (Circumstances(eet_status=EetStatus.NEET_PREGNANCY_PARENTING), Offer.ACHIEVEMENT),
        (Circumstances(eet_status=EetStatus.NEET_OTHER), Offer.ACHIEVEMENT),
    ],
)
def test_each_circumstance_switches_on_its_offer(
    circumstances: Circumstances, offer: Offer
) -> None:
    on = date(2022, 1, 1)  # aged 17
    assert eligible_offers(DOB, circumstances, on) == [Offer.LOCAL, offer]


def test_offers_keep_enum_order() -> None:
    c = Circumstances(uasc=True, is_parent=True, in_custody=True, eet_status=EetStatus.NEET_OTHER)
    offers = eligible_offers(DOB, c, date(2026, 1, 1))  # aged 21
    assert offers == [o for o in Offer if o in offers]
    assert offers == list(Offer)


def test_every_offer_has_plain_words() -> None:
    for offer in Offer:
        assert offer.plain_words.strip()
        assert "you" in offer.plain_words.lower()
    assert "25" in Offer.LOCAL.plain_words
    assert "21st" in Offer.TWENTY_ONE_PLUS.plain_words


def test_offer_values_are_the_names_young_people_see() -> None:
    assert [o.value for o in Offer] == [
        "Local Offer",
        "21Plus",
        "Custody Offer",
        "Parents' Offer",
        "UASC Offer",
        "Achievement Offer",
    ]


# --- EET statuses -----------------------------------------------------------------------------


def test_neet_statuses() -> None:
    neet = {s for s in EetStatus if s.is_neet}
    assert neet == {
        EetStatus.NEET_ILLNESS_DISABILITY,
        EetStatus.NEET_PREGNANCY_PARENTING,
        EetStatus.NEET_OTHER,
    }
    assert not EetStatus.UNKNOWN.is_neet


@pytest.mark.parametrize("status", [s for s in EetStatus if not s.is_neet])
def test_non_neet_status_gives_no_achievement_offer(status: EetStatus) -> None:
    offers = eligible_offers(DOB, Circumstances(eet_status=status), date(2022, 1, 1))
    assert offers == [Offer.LOCAL]


def test_every_eet_status_has_a_label() -> None:
    labels = [s.label for s in EetStatus]
    assert all(labels)
    assert len(set(labels)) == len(labels)
    assert EetStatus("employment_part_time") is EetStatus.EMPLOYMENT_PART_TIME


# --- Due dates --------------------------------------------------------------------------------


def test_needs_assessment_and_plan_due_at_16_and_a_quarter() -> None:
    assert needs_assessment_due(DOB) == date(2020, 9, 15)
    assert plan_due_by(DOB) == date(2020, 9, 15)


def test_plan_due_today_is_not_overdue_until_tomorrow() -> None:
    today = plan_due_by(DOB)
    assert age_on(DOB, today) == 16
    assert not is_overdue(plan_due_by(DOB), today)
    assert is_overdue(plan_due_by(DOB), today + ONE_DAY)

    items = due_items(
        DOB,
        circumstances=NONE,
        plan_agreed_on=None,
        last_review=None,
        last_visit=today,
        needs_assessment_done=today,
        on=today,
    )
    plan = next(i for i in items if i.kind == DueKind.PATHWAY_PLAN)
    assert plan.due == today and not plan.overdue
    items = due_items(
        DOB,
        circumstances=NONE,
        plan_agreed_on=None,
        last_review=None,
        last_visit=today,
        needs_assessment_done=today,
        on=today + ONE_DAY,
    )
    plan = next(i for i in items if i.kind == DueKind.PATHWAY_PLAN)
    assert plan.overdue


def test_plan_earliest_start_is_fifteen_and_a_half() -> None:
    assert plan_earliest_start(DOB) == date(2019, 12, 15)
    assert plan_earliest_start(date(2004, 8, 31)) == date(2020, 2, 29)  # clamped, leap year
    assert plan_earliest_start(date(2005, 8, 31)) == date(2021, 2, 28)  # clamped, common year


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert next_review_due(date(2024, 8, 31)) == date(2025, 2, 28)
    assert next_review_due(date(2023, 8, 31)) == date(2024, 2, 29)
    assert next_visit_due(date(2024, 12, 31)) == date(2025, 2, 28)
    assert next_visit_due(date(2025, 3, 31)) == date(2025, 5, 31)
    # Born 30 November: 16th birthday + 3 months lands at the end of February.
    assert needs_assessment_due(date(2008, 11, 30)) == date(2025, 2, 28)


def test_leap_day_birthday_due_dates() -> None:
    # The 16th birthday of someone born 29 Feb 2004 is 29 Feb 2020 (a leap year).
    assert needs_assessment_due(LEAP_DOB) == date(2020, 5, 29)
    assert plan_earliest_start(LEAP_DOB) == date(2019, 8, 29)


def test_custody_visit_every_8_weeks() -> None:
    assert next_custody_visit_due(date(2025, 1, 1)) == date(2025, 2, 26)


def test_is_overdue_is_exclusive_of_the_due_day() -> None:
    due = date(2025, 5, 1)
    assert not is_overdue(due, due - ONE_DAY)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + ONE_DAY)


# --- due_items --------------------------------------------------------------------------------


def _kinds(items: list[DueItem]) -> list[str]:
    return [item.kind for item in items]


def test_new_16_year_old_never_visited() -> None:
    on = date(2020, 7, 1)
    items = due_items(
        DOB,
        circumstances=NONE,
        plan_agreed_on=None,
        last_review=None,
        last_visit=None,
        needs_assessment_done=None,
        on=on,
    )
    assert items == [
        DueItem(DueKind.VISIT, on, False, "Visit"),
        DueItem(DueKind.NEEDS_ASSESSMENT, date(2020, 9, 15), False, "Needs assessment"),
        DueItem(DueKind.PATHWAY_PLAN, date(2020, 9, 15), False, "First pathway plan"),
    ]


def test_due_items_sorted_by_date_with_overdue_flags() -> None:
    on = date(2023, 6, 1)  # aged 18
    items = due_items(
        DOB,
        circumstances=NONE,
        plan_agreed_on=date(2022, 9, 1),
        last_review=date(2023, 3, 10),
        last_visit=date(2023, 3, 20),
        needs_assessment_done=None,
        on=on,
    )
    # Aged 18: no needs-assessment item; plan agreed, so a review instead of a plan.
    assert _kinds(items) == ["visit", "review"]
    assert items[0].due == date(2023, 5, 20) and items[0].overdue
    assert items[1].due == date(2023, 9, 10) and not items[1].overdue
    assert [i.due for i in items] == sorted(i.due for i in items)


def test_review_counts_from_the_later_of_agreement_and_last_review() -> None:
    common = {
        "circumstances": NONE,
        "last_visit": date(2023, 1, 1),
        "needs_assessment_done": date(2020, 8, 1),
        "on": date(2023, 1, 2),
    }
    only_agreed = due_items(DOB, plan_agreed_on=date(2022, 10, 5), last_review=None, **common)
    reviewed = due_items(
        DOB, plan_agreed_on=date(2022, 10, 5), last_review=date(2022, 12, 1), **common
    )
    new_plan = due_items(
        DOB, plan_agreed_on=date(2022, 12, 20), last_review=date(2022, 12, 1), **common
    )

    def review(items: list[DueItem]) -> date:
        return next(i.due for i in items if i.kind == DueKind.REVIEW)

    assert review(only_agreed) == date(2023, 4, 5)
    assert review(reviewed) == date(2023, 6, 1)
    assert review(new_plan) == date(2023, 6, 20)


def test_custody_cadence_is_8_weeks() -> None:
    last = date(2023, 1, 1)
    args = {
        "plan_agreed_on": date(2022, 12, 1),
        "last_review": None,
        "last_visit": last,
        "needs_assessment_done": date(2020, 8, 1),
        "on": date(2023, 2, 1),
    }
    community = due_items(DOB, circumstances=NONE, **args)
    custody = due_items(DOB, circumstances=Circumstances(in_custody=True), **args)
    visit = next(i for i in community if i.kind == DueKind.VISIT)
    prison = next(i for i in custody if i.kind == DueKind.CUSTODY_VISIT)
    assert visit.due == date(2023, 3, 1)
    assert prison.due == date(2023, 2, 26) == last + timedelta(days=56)
    assert DueKind.VISIT not in _kinds(custody)


def test_custody_visit_never_visited_is_due_now() -> None:
    on = date(2023, 2, 1)
    items = due_items(
        DOB,
        circumstances=Circumstances(in_custody=True),
        plan_agreed_on=date(2022, 12, 1),
        last_review=None,
        last_visit=None,
        needs_assessment_done=date(2020, 8, 1),
        on=on,
    )
    assert items[0] == DueItem(DueKind.CUSTODY_VISIT, on, False, "Custody visit")


def test_nothing_due_from_the_25th_birthday() -> None:
    twenty_fifth = nth_birthday(DOB, 25)
    args = {
        "circumstances": NONE,
        "plan_agreed_on": date(2028, 1, 1),
        "last_review": None,
        "last_visit": None,
        "needs_assessment_done": None,
    }
    assert due_items(DOB, on=twenty_fifth - ONE_DAY, **args)
    assert due_items(DOB, on=twenty_fifth, **args) == []


# --- Properties -------------------------------------------------------------------------------

dobs = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
spans = st.integers(min_value=0, max_value=40 * 366)
circumstances = st.builds(
    Circumstances,
    in_custody=st.booleans(),
    is_parent=st.booleans(),
    expecting_child=st.booleans(),
    uasc=st.booleans(),
    eet_status=st.sampled_from(EetStatus),
)


@given(dob=dobs, a=spans, b=spans)
def test_age_never_decreases(dob: date, a: int, b: int) -> None:
    earlier, later = sorted((a, b))
    assert age_on(dob, dob + timedelta(days=earlier)) <= age_on(dob, dob + timedelta(days=later))


@given(dob=dobs, days=spans)
def test_age_matches_nth_birthday(dob: date, days: int) -> None:
    on = dob + timedelta(days=days)
    n = age_on(dob, on)
    assert nth_birthday(dob, n) <= on < nth_birthday(dob, n + 1)


@given(dob=dobs, days=spans, c=circumstances)
def test_offers_only_between_16th_and_25th_birthday(dob: date, days: int, c: Circumstances) -> None:
    on = dob + timedelta(days=days)
    offers = eligible_offers(dob, c, on)
    inside = nth_birthday(dob, 16) <= on < nth_birthday(dob, 25)
    if inside:
        assert offers[0] == Offer.LOCAL
        assert (Offer.TWENTY_ONE_PLUS in offers) == (age_on(dob, on) >= 21)
    else:
        assert offers == []
