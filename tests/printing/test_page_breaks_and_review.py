"""What a printed plan and keepsake book must never do across page breaks, easy read's ticks,
and a review date that has passed. Real PDFs, read back with pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest

from desktop.printing import Variant, render_plan
from desktop.printing import icons as icons_module
from desktop.printing.keepsake import render_keepsake
from models.repo import files, plans
from tests.factories import add_young_person
from tests.printing.conftest import TODAY, make_person
from tests.printing.pdftext import flat, page_texts

WORDS = "We will sort this out together, step by step, and check how it is going. "


def _render(record, variant) -> list[str]:
    out = io.BytesIO()
    render_plan(record, variant, out, today=TODAY)
    return [flat(t) for t in page_texts(out.getvalue())]


def _page_of(pages: list[str], marker: str) -> int:
    found = [i for i, text in enumerate(pages) if marker in text]
    assert len(found) == 1, (marker, found)
    return found[0]


def _many_actions(store, life_story_lines: int) -> str:
    """A young person with 36 actions of varied length: some of them must meet a page end."""
    yp_id = add_young_person(store, preferred_name="Kai", legal_name="Kai Morgan")
    with store.session() as s:
        plans.update_plan(s, yp_id, life_summary="My story.\n" * life_story_lines)
        for n, matter in enumerate(list(plans.Matter) * 4):
            if n >= 36:
                break
            plans.add_action(
                s,
                yp_id,
                matter.value,
                who=f"Who{n:02d}Q",
                what=f"Act{n:02d}Q " + WORDS * (1 + n % 4),
                by_when=date(2027, 1, 1 + n % 28),
                status="done" if n % 3 == 0 else "in_progress",
            )
    return yp_id


@pytest.mark.parametrize("variant", [Variant.LARGE, Variant.EASY])
@pytest.mark.parametrize("shift", [0, 3, 7])
def test_an_action_is_never_split_from_its_who_and_when(store, variant, shift) -> None:
    from tests.printing.conftest import Person

    person = Person(store, _many_actions(store, shift))
    pages = _render(person.record(), variant)
    assert len(pages) > 8
    when_label = "By:" if variant is Variant.LARGE else "When:"
    for n in range(36):
        page = _page_of(pages, f"Act{n:02d}Q")
        assert _page_of(pages, f"Who{n:02d}Q") == page, f"action {n} split from its who"
        after_who = pages[page].split(f"Who{n:02d}Q", 1)[1]
        assert when_label in after_who, f"action {n} split from its date"


def test_easy_read_ticks_only_the_actions_that_are_done(store, monkeypatch) -> None:
    from tests.printing.conftest import Person

    person = Person(store, _many_actions(store, 0))  # 12 of the 36 actions are done
    ticks: list[int] = []
    original = icons_module.ICONS["tick"]

    def counting_tick(c, s) -> None:
        ticks.append(1)
        original(c, s)

    monkeypatch.setitem(icons_module.ICONS, "tick", counting_tick)
    pages = _render(person.record(), Variant.EASY)
    text = "".join(pages)
    assert len(ticks) == 12
    assert text.count("Thisisdone.") == 12
    assert text.count("Whatwedid.") == 12
    assert text.count("Whatwillhappen.") == 24


# -- the review date --------------------------------------------------------------------------

PASSED = date(2026, 10, 14)  # TODAY is 20 November 2026


@pytest.mark.parametrize("variant", [Variant.STANDARD, Variant.LARGE, Variant.EASY])
def test_a_review_date_that_has_passed_is_printed_as_overdue(store, variant) -> None:
    person = make_person(store)
    with store.session() as s:
        plans.update_plan(s, person.id, review_date=PASSED)
    pages = _render(person.record(), variant)
    text = "".join(pages)
    assert "lookedatagainby14October2026" not in text
    assert "Mynextreview:14October2026" not in text
    assert "Myreviewwasdueon14October2026:itisbeingarranged" in pages[0]  # the cover
    assert "Myreviewwasdueon14October2026.Itislate" in text


def test_the_professional_copy_says_the_review_is_overdue(store) -> None:
    person = make_person(store)
    with store.session() as s:
        plans.update_plan(s, person.id, review_date=PASSED)
    text = "".join(_render(person.record(), Variant.PROFESSIONAL))
    assert "14October2026:OVERDUEby37days,tobearranged" in text


@pytest.mark.parametrize("variant", list(Variant))
def test_a_review_to_come_is_printed_as_to_come(store, variant) -> None:
    person = make_person(store)  # review on 15 March 2027
    text = "".join(_render(person.record(), variant))
    assert "OVERDUE" not in text and "wasdue" not in text
    if variant is Variant.PROFESSIONAL:
        assert "Nextreviewdue15March2027" in text
    else:
        assert "Mynextreview:15March2027" in text
        assert "lookedatagainby15March2027" in text


# -- the keepsake book ------------------------------------------------------------------------


@pytest.mark.parametrize("shift", [0, 1, 2, 3])
def test_a_memory_title_is_never_split_from_its_words(store, shift) -> None:
    from tests.printing.conftest import Person

    yp_id = add_young_person(store, preferred_name="Kai", legal_name="Kai Morgan")
    with store.session() as s:
        for n in range(14):
            files.add_memory(
                s,
                yp_id,
                kind="memory",
                caption=f"Title{n:02d}Q",
                body=f"Body{n:02d}Q "
                + "We laughed all the way home on the bus. " * (3 + (n + shift) % 9),
                memory_date=date(2022, 1 + n % 12, 3),
            )
    out = io.BytesIO()
    render_keepsake(Person(store, yp_id).record(), lambda sha: b"", out)
    pages = [flat(t) for t in page_texts(out.getvalue())]
    for n in range(14):
        assert _page_of(pages, f"Title{n:02d}Q") == _page_of(pages, f"Body{n:02d}Q"), n
