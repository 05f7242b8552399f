"""The pure plan difference: word-level segments and section-by-section comparison."""

from __future__ import annotations

from datetime import date

from models.domain import Matter
from models.plan_diff import (
    ADDED,
    REMOVED,
    SAME,
    Segment,
    action_line,
    changed_sections,
    diff_plans,
    format_day,
    text_segments,
)
from models.repo import plans
from tests.factories import add_young_person, fill_plan


def _join(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments)


def test_identical_text_is_all_same() -> None:
    old, new = text_segments("Goes to college.", "Goes to college.")
    assert old == new == (Segment("Goes to college.", SAME),)


def test_one_changed_word_is_marked_alone() -> None:
    old, new = text_segments("Goes to college on Monday.", "Goes to college on Tuesday.")
    assert [s for s in old if s.kind == REMOVED] == [Segment("Monday", REMOVED)]
    assert [s for s in new if s.kind == ADDED] == [Segment("Tuesday", ADDED)]


def test_segments_rebuild_each_side_exactly() -> None:
    a = "Line one\nLine two, with punctuation!\n\n  indented"
    b = "Line one\nLine 2, with more punctuation?\nnew line"
    old, new = text_segments(a, b)
    assert _join(old) == a
    assert _join(new) == b
    assert {s.kind for s in old} <= {SAME, REMOVED}
    assert {s.kind for s in new} <= {SAME, ADDED}


def test_empty_to_text_is_all_added() -> None:
    old, new = text_segments("", "Hello there")
    assert old == ()
    assert new == (Segment("Hello there", ADDED),)


def test_format_day_is_portable() -> None:
    assert format_day("2026-03-02") == "2 Mar 2026"
    assert format_day(date(2026, 12, 25)) == "25 Dec 2026"
    assert format_day(None) == ""


def test_action_line_reads_naturally() -> None:
    line = action_line(
        {"who": "PA", "what": "Book GP", "by_when": "2026-04-01", "status": "in_progress"}
    )
    assert line == "Book GP (PA; by 1 Apr 2026; In progress)"
    assert action_line({"who": "", "what": "Call", "status": "done"}) == "Call (no one named; Done)"


def _snapshot(**changes):
    base = {
        "life_summary": "Jordan grew up in Leeds.",
        "review_date": "2026-06-01",
        "sections": [
            {"matter": m.value, "strengths": "", "goals": "", "actions": []} for m in Matter
        ],
        "people": [{"name": "Aunt Sam", "relationship": "aunt", "how_to_contact": "phone"}],
    }
    base.update(changes)
    return base


def test_diff_covers_every_section_in_plan_order() -> None:
    diffs = diff_plans(_snapshot(), _snapshot())
    assert [d.key for d in diffs] == ["overview", *[m.value for m in Matter], "people"]
    assert not any(d.changed for d in diffs)
    assert changed_sections(diffs) == ()


def test_diff_finds_a_changed_matter_and_action_status() -> None:
    new_sections = [
        {"matter": m.value, "strengths": "", "goals": "", "actions": []} for m in Matter
    ]
    new_sections[8] = {
        "matter": Matter.HEALTH.value,
        "strengths": "Registered with a GP",
        "goals": "",
        "actions": [{"who": "PA", "what": "Dentist", "by_when": None, "status": "done"}],
    }
    diffs = diff_plans(_snapshot(), _snapshot(sections=new_sections, review_date=None))
    assert changed_sections(diffs) == ("Life summary and review", Matter.HEALTH.label)
    health = next(d for d in diffs if d.key == Matter.HEALTH.value)
    strengths, goals, actions = health.fields
    assert strengths.changed and not goals.changed and actions.changed
    assert actions.new == "Dentist (PA; Done)"
    review = diffs[0].fields[1]
    assert (review.old, review.new) == ("1 Jun 2026", "")


def test_diff_against_nothing_marks_everything_added() -> None:
    diffs = diff_plans({}, _snapshot())
    assert diffs[0].fields[0].new_segments == (Segment("Jordan grew up in Leeds.", ADDED),)
    assert diffs[-1].changed


def test_diff_of_real_snapshots(store) -> None:
    yp = add_young_person(store)
    fill_plan(store, yp)
    with store.reader() as s:
        before = plans.snapshot(s, yp)
    with store.session() as s:
        plans.update_section(s, yp, Matter.FINANCE.value, strengths="Saving £10 a week")
    with store.reader() as s:
        after = plans.snapshot(s, yp)
    diffs = diff_plans(before, after)
    assert changed_sections(diffs) == (Matter.FINANCE.label,)
    finance = next(d for d in diffs if d.key == Matter.FINANCE.value)
    assert any(s.kind == ADDED and "10" in s.text for s in finance.fields[0].new_segments)
