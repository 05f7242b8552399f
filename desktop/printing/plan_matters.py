"""The ten matters of a printed plan: what is going well, my goals, and what will happen.

Three layouts: the young person's standard and large print (panels and a table, or stacked
actions in large print), easy read (an icon beside every short sentence), and the professional
copy (statutory headings and each action's status).
"""

from __future__ import annotations

import re

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from desktop.printing.blocks import Banner, Box, IconRow, fmt_date, gap, heading, table
from desktop.printing.shaping import Span
from desktop.printing.styles import Styles
from desktop.printing.text import Text
from desktop.printing.theme import MATTER_LOOK, MUTED, PAPER_TINT, Variant
from models.domain import ActionStatus, Matter
from models.records import Action, Section

_SENTENCE_END = re.compile(r"(?<=[.!?؟۔።])\s+")

STATUS_FOR_YOUNG_PERSON = {
    ActionStatus.NOT_STARTED.value: "Not started yet",
    ActionStatus.IN_PROGRESS.value: "Started",
    ActionStatus.DONE.value: "Done",
    ActionStatus.DROPPED.value: "No longer needed",
}


def sentences(text: str) -> list[str]:
    """Split text into sentences and lines (easy read shows one per line)."""
    out = []
    for line in text.splitlines():
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def status_label(status: str, *, for_young_person: bool) -> str:
    if for_young_person:
        return STATUS_FOR_YOUNG_PERSON.get(status, status)
    try:
        return ActionStatus(status).label
    except ValueError:
        return status


def _by_when(action: Action) -> str:
    return fmt_date(action.by_when, "no date yet")


def matter_flowables(section: Section, variant: Variant, st: Styles, number: int) -> list[Flowable]:
    matter = Matter(section.matter)
    look = MATTER_LOOK[matter]
    if variant is Variant.PROFESSIONAL:
        heading = f"{number}. {matter.statutory_heading}"
        banner = Banner(heading, st.h2, icon=look.icon, color=look.color, badge=st.sizes.icon)
        body = _professional(section, st, look.color)
    else:
        banner = Banner(
            matter.my_heading, st.h1 if variant is Variant.EASY else st.h2,
            icon=look.icon, color=look.color, badge=st.sizes.icon,
        )
        if variant is Variant.EASY:
            body = _easy(section, st, look)
        else:
            body = _young_person(section, variant, st, look)
    # A heading never ends a page: the banner keeps with what follows (keepWithNext), and a
    # new matter starts on a fresh page rather than in the last few lines of one.
    return [CondPageBreak(st.sizes.icon + st.sizes.leading * 6), banner, *body]


def _empty(st: Styles) -> Flowable:
    return Text(
        "Nothing is written here yet. You can talk to your personal adviser about this part.",
        st.body.but(color=MUTED),
    )


def _young_person(section: Section, variant: Variant, st: Styles, look) -> list[Flowable]:
    out: list[Flowable] = []
    sub = st.h3.but(color=look.color)
    if section.strengths.strip():
        out.append(
            Box(
                [Text("What's going well", sub.but(space_after=3)),
                 Text(section.strengths, st.body)],
                background=look.tint, padding=12, space_after=st.sizes.gap,
            )
        )
    if section.goals.strip():
        out += [heading("My goals", sub), Text(section.goals, st.body), gap(st.sizes.gap)]
    actions = [a for a in section.actions if a.what.strip()]
    if actions:
        out.append(heading("What will happen", sub, 4))
        if variant is Variant.LARGE:
            for a in actions:
                status = status_label(a.status, for_young_person=True)
                # One action is never split from its who and when across a page break.
                box = Box(
                    [
                        Text(a.what, st.body_bold),
                        Text([Span("Who: ", True), Span(a.who or "to agree")], st.body),
                        Text([Span("By: ", True), Span(_by_when(a))], st.body),
                        Text([Span("So far: ", True), Span(status)], st.body),
                    ],
                    background=PAPER_TINT, padding=10, space_after=st.sizes.gap * 0.7,
                )
                out.append(KeepTogether([box]))
        else:
            rows = [
                [a.who or "to agree", a.what, _by_when(a),
                 status_label(a.status, for_young_person=True)]
                for a in actions
            ]
            out.append(
                table(rows, [1.3, 3.4, 1.3, 1.2], st.body,
                      header=["Who", "What", "By when", "So far"],
                      header_bg=look.tint, header_color=look.color)
            )
        out.append(gap(st.sizes.gap))
    return out or [_empty(st)]


def _easy(section: Section, st: Styles, look) -> list[Flowable]:
    out: list[Flowable] = []
    d = st.sizes.icon * 0.8
    sub = st.body_bold.but(color=look.color)

    def row(icon: str, title: str, lines: list[str], *, together: bool = False) -> None:
        content: list[Flowable] = [Text(title, sub)]
        content += [Text(s, st.body.but(space_after=4)) for s in lines]
        icon_row = IconRow(icon, look.color, d, content, gap=14, space_after=st.sizes.gap)
        out.append(KeepTogether([icon_row]) if together else icon_row)

    if section.strengths.strip():
        row("star", "This is going well.", sentences(section.strengths))
    if section.goals.strip():
        row("target", "What I want.", sentences(section.goals))
    for a in section.actions:
        if not a.what.strip():
            continue
        lines = sentences(a.what)
        lines.append(f"Who will do it: {a.who or 'we will agree this'}.")
        lines.append(
            f"When: by {fmt_date(a.by_when)}." if a.by_when else "When: we will agree a date."
        )
        # A tick means done, and only done.
        if a.status == ActionStatus.DONE.value:
            lines.append("This is done.")
            row("tick", "What we did.", lines, together=True)
        elif a.status == ActionStatus.DROPPED.value:
            lines.append("We do not need to do this any more.")
            row("calendar", "What we planned.", lines, together=True)
        else:
            row("calendar", "What will happen.", lines, together=True)
    return out or [_empty(st)]


def _professional(section: Section, st: Styles, color) -> list[Flowable]:
    sub = st.h3.but(color=color)
    out: list[Flowable] = [
        heading("Strengths", sub),
        Text(section.strengths.strip() or "None recorded.", st.body),
        gap(st.sizes.gap),
        heading("Goals (in the young person's words)", sub),
        Text(section.goals.strip() or "None recorded.", st.body),
        gap(st.sizes.gap),
        heading("Actions", sub),
    ]
    actions = [a for a in section.actions if a.what.strip()]
    if actions:
        rows = [
            [a.who, a.what, fmt_date(a.by_when, "-"),
             status_label(a.status, for_young_person=False)]
            for a in actions
        ]
        out.append(
            table(rows, [1.4, 3.6, 1.3, 1.1], st.body, header=["Who", "What", "By when", "Status"],
                  header_bg=PAPER_TINT)
        )
    else:
        out.append(Text("None recorded.", st.body))
    out.append(gap(st.sizes.gap))
    return out
