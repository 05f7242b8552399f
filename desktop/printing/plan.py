"""The printed pathway plan: ``render_plan(record, variant, out, ...)``.

The young person's copies (standard, large print, easy read) are written to them ("my plan"):
their preferred name and chosen photo on the cover, whom to call in an emergency on page one,
their story, the offers they are entitled to in plain words, then the ten matters with what is
going well first, then their goals and what will happen (who, what, by when), the people they
want to keep in touch with, their personal adviser and their next review. Every page's footer
repeats the numbers to call. The professional copy carries the statutory headings, the plan
version and the date it was agreed.
"""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.printing.blocks import Banner, Box, IconRow, fmt_date, gap, table
from desktop.printing.document import PAGE_HEIGHT, PAGE_WIDTH, build_pdf
from desktop.printing.emergency import EmergencyInfo, emergency_info
from desktop.printing.images import prepare_image
from desktop.printing.plan_first_page import Cover, emergency_box
from desktop.printing.plan_matters import matter_flowables
from desktop.printing.plan_professional import professional_story
from desktop.printing.shaping import Span
from desktop.printing.styles import Styles, styles_for
from desktop.printing.text import Text, TextStyle, draw_text
from desktop.printing.theme import BRAND, BRAND_TINT, MUTED, PAGE_MARGIN, RULE, Variant
from models.records import YoungPersonRecord
from models.rules import DueKind


def display_name(record: YoungPersonRecord) -> str:
    p = record.profile
    return (p.preferred_name or p.legal_name).strip()


def next_review(record: YoungPersonRecord) -> date | None:
    """The plan's review date, else the six-monthly review the rules say is due."""
    if record.plan.review_date is not None:
        return record.plan.review_date
    item = next((d for d in record.profile.due if d.kind == DueKind.REVIEW), None)
    return item.due if item else None


def review_overdue(review: date | None, today: date) -> bool:
    """True when the review date has passed (printed as due and being arranged, never as if it
    were still to come)."""
    return review is not None and review < today


def review_line(review: date | None, today: date) -> str:
    """The cover's line about the next review, for the young person's copies."""
    if review is None:
        return "My next review: to be agreed"
    if review_overdue(review, today):
        return f"My review was due on {fmt_date(review)}: it is being arranged"
    return f"My next review: {fmt_date(review)}"


def render_plan(
    record: YoungPersonRecord,
    variant: Variant | str,
    out: BinaryIO,
    *,
    photo: bytes | None = None,
    emergency: EmergencyInfo | None = None,
    today: date | None = None,
) -> int:
    """Write the plan as a PDF to ``out``; returns the number of pages.

    ``photo`` is the cover photo the young person chose (file bytes), ``emergency`` whom to
    call (default: built from the record and the fictional out-of-hours default), ``today``
    the printing date. Pure: reads nothing but its arguments, writes only to ``out``.
    """
    variant = Variant(variant)
    today = today or date.today()
    emergency = emergency or emergency_info(record, {})
    st = styles_for(variant)
    if variant is Variant.PROFESSIONAL:
        story = professional_story(record, st, emergency, today, next_review(record))
        decor = _professional_decor(record, today)
        title = f"Pathway plan (professional copy): {record.profile.legal_name}"
    else:
        image = prepare_image(photo, max_pixels=900) if photo else None
        story = _young_person_story(record, variant, st, emergency, image, today)
        decor = _young_person_decor(record, emergency, st)
        title = f"My pathway plan: {display_name(record)}"
    margins = (PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN + footer_height(st))
    return build_pdf(story, out, title=title, decor=decor, margins=margins)


def _young_person_story(record, variant, st: Styles, emergency, image, today) -> list[Flowable]:
    p = record.profile
    plan = record.plan
    review = next_review(record)
    lines = []
    if plan.versions:
        lines.append(f"Agreed with me on {fmt_date(plan.versions[-1].agreed_on)}")
    lines.append(review_line(review, today))
    lines.append(f"Printed on {fmt_date(today)}")
    cover_h = {Variant.STANDARD: 190, Variant.LARGE: 220, Variant.EASY: 220}[variant]
    story: list[Flowable] = [
        Cover("My pathway plan", display_name(record), lines, st, image, cover_h),
        emergency_box(emergency, st, for_young_person=True),
    ]
    story += _section(st, "My story so far", "book", BRAND)
    story.append(Text(plan.life_summary.strip() or "We have not written this part yet.", st.body))
    story += _offers(p.offers, st)
    story += _section(st, "My plan", "star", BRAND)
    story.append(
        Text(
            "Each part of my plan starts with what is going well. Then come my goals, in my own "
            "words, and what will happen: who will do what, and by when.",
            st.body,
        )
    )
    for number, section in enumerate(plan.sections, start=1):
        story += matter_flowables(section, variant, st, number)
    story += _people(record, st)
    story += _adviser(record, emergency, st)
    story += _review(review, today, st)
    return story


def _section(st: Styles, heading: str, icon: str, color) -> list[Flowable]:
    return [Banner(heading, st.h2, icon=icon, color=color, badge=st.sizes.icon)]


def _offers(offers, st: Styles) -> list[Flowable]:
    out = _section(st, "What I can get: my offers", "gift", BRAND)
    if not offers:
        out.append(Text("Ask your personal adviser what help you can have.", st.body))
        return out
    out.append(
        Text(
            "These are the offers you are entitled to now. Ask your personal adviser about any "
            "of them.",
            st.body.but(space_after=st.sizes.gap),
        )
    )
    for offer in offers:
        out.append(
            IconRow(
                "gift",
                BRAND,
                st.sizes.body * 2.2,
                [Text(offer.value, st.body_bold), Text(offer.plain_words, st.body)],
                space_after=st.sizes.gap,
            )
        )
    return out


def _people(record, st: Styles) -> list[Flowable]:
    out = _section(st, "People I want to stay in touch with", "people", BRAND)
    people = record.people
    if not people:
        out.append(
            Text("No one is listed yet. Tell your personal adviser who matters to you.", st.body)
        )
        return out
    if st.sizes.body >= 15:
        for person in people:
            lines = [Text(person.name, st.body_bold)]
            if person.relationship:
                lines.append(Text(person.relationship, st.body))
            if person.how_to_contact:
                lines.append(Text(person.how_to_contact, st.body))
            if person.is_emergency_contact:
                lines.append(Text("My emergency contact", st.body.but(color=MUTED)))
            out.append(
                IconRow("heart", BRAND, st.sizes.body * 2.2, lines, space_after=st.sizes.gap)
            )
        return out
    rows = [
        [
            person.name + (" (emergency contact)" if person.is_emergency_contact else ""),
            person.relationship,
            person.how_to_contact,
        ]
        for person in people
    ]
    header = ["Name", "Who they are", "How to reach them"]
    out.append(
        table(rows, [2, 1.5, 2.5], st.body, header=header, header_bg=BRAND_TINT, header_color=BRAND)
    )
    return out


def _adviser(record, emergency: EmergencyInfo, st: Styles) -> list[Flowable]:
    out = _section(st, "My personal adviser", "person", BRAND)
    rows: list[Flowable] = [Text(emergency.adviser_name, st.h3)]
    if emergency.adviser_phone:
        rows.append(Text([Span("Phone or text: ", True), Span(emergency.adviser_phone)], st.body))
    if emergency.adviser_email:
        rows.append(Text([Span("Email: ", True), Span(emergency.adviser_email)], st.body))
    rows.append(gap(4))
    rows.append(
        Text(
            "Your personal adviser is there to help you with anything in this plan. "
            "You can ask to change your plan at any time.",
            st.body,
        )
    )
    out.append(Box(rows, background=BRAND_TINT, padding=12, space_after=st.sizes.gap))
    return out


def _review(review: date | None, today: date, st: Styles) -> list[Flowable]:
    out = _section(st, "My next review", "calendar", BRAND)
    if review_overdue(review, today):
        sentence = (
            f"My review was due on {fmt_date(review)}. It is late: my personal adviser is "
            "arranging it with me."
        )
    else:
        sentence = f"My plan will be looked at again by {fmt_date(review, 'a date we agree')}."
    out.append(Text(sentence, st.h3.but(bold=True)))
    out.append(gap(4))
    out.append(
        Text(
            "Plans are reviewed at least every six months. You can ask for a review "
            "sooner, for example if something changes.",
            st.body,
        )
    )
    return out


def _young_person_decor(record, emergency: EmergencyInfo, st: Styles):
    name = display_name(record)
    size = FOOTER_SIZE[st.sizes.body >= 15]
    help_line = [
        Span("Need help? ", True),
        Span(f"My adviser {emergency.adviser_phone}  ·  " if emergency.adviser_phone else ""),
        Span(
            f"Out of hours {emergency.out_of_hours_phone}  ·  "
            if emergency.out_of_hours_phone
            else ""
        ),
        Span("In danger: 999", True),
    ]
    style = TextStyle(size, size * 1.35, MUTED, align="left")

    def decor(c: Canvas, number: int, count: int) -> None:
        width = PAGE_WIDTH - 2 * PAGE_MARGIN
        y = PAGE_MARGIN + footer_height(st) - 6
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(PAGE_MARGIN, y, PAGE_WIDTH - PAGE_MARGIN, y)
        used = draw_text(
            c, help_line, PAGE_MARGIN, y - 3, width, style.but(color=BRAND), max_lines=2
        )
        bottom = y - 3 - used
        draw_text(
            c,
            [Span(f"My pathway plan · {name}")],
            PAGE_MARGIN,
            bottom,
            width * 0.75,
            style,
            max_lines=1,
        )
        draw_text(
            c, f"Page {number} of {count}", PAGE_MARGIN, bottom, width, style.but(align="right")
        )

    return decor


FOOTER_SIZE = {False: 9.0, True: 11.0}


def footer_height(st: Styles) -> float:
    return FOOTER_SIZE[st.sizes.body >= 15] * 1.35 * 3 + 12


def _professional_decor(record, today: date):
    p = record.profile
    version = record.plan.current_version
    size = 8

    def decor(c: Canvas, number: int, count: int) -> None:
        width = PAGE_WIDTH - 2 * PAGE_MARGIN
        style = TextStyle(size, size * 1.35, MUTED, align="left")
        draw_text(
            c,
            "OFFICIAL-SENSITIVE: personal data. Keep securely.",
            PAGE_MARGIN,
            PAGE_HEIGHT - PAGE_MARGIN / 2,
            width,
            style.but(bold=True),
            max_lines=1,
        )
        agreed = f"version {version}" if version else "not yet agreed"
        line = f"Pathway plan · {p.legal_name} · {agreed} · printed {fmt_date(today)}"
        y = PAGE_MARGIN + size * 2.2
        draw_text(c, line, PAGE_MARGIN, y, width * 0.8, style, max_lines=1)
        draw_text(c, f"Page {number} of {count}", PAGE_MARGIN, y, width, style.but(align="right"))

    return decor
