"""Readable PDFs of a young person's records, for the subject-access export.

One PDF per kind of record, written for the person reading their own file: what the record
is, then every entry in date order with who wrote it and when. Contact notes keep corrections
beside the note they correct (the original text stays, as the law requires).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable

from desktop.printing.blocks import Banner, Box, fmt_date, fmt_datetime, gap, heading, table
from desktop.printing.document import PAGE_WIDTH, build_pdf
from desktop.printing.plan_matters import status_label
from desktop.printing.shaping import Span
from desktop.printing.styles import Styles, styles_for
from desktop.printing.text import Text, TextStyle, draw_text
from desktop.printing.theme import BRAND, MUTED, PAGE_MARGIN, PAPER_TINT, Variant
from models.care_leaver_return import Accommodation, Activity, InTouch, code_label
from models.domain import Matter, NoteKind, legal_status_label
from models.records import YoungPersonRecord
from models.rules import eet_status_label

ST: Styles = styles_for(Variant.STANDARD)


def _decor(title: str, name: str):
    style = TextStyle(8.5, 11, MUTED, align="left")

    def decor(c: Canvas, number: int, count: int) -> None:
        width = PAGE_WIDTH - 2 * PAGE_MARGIN
        y = PAGE_MARGIN - 2
        draw_text(c, f"{title} · {name}", PAGE_MARGIN, y, width * 0.8, style, max_lines=1)
        draw_text(c, f"Page {number} of {count}", PAGE_MARGIN, y, width, style.but(align="right"))

    return decor


def records_document(title: str, name: str, intro: str, story: Sequence[Flowable]) -> bytes:
    """A PDF with a heading, an explanation of what the record is, and the entries."""
    head: list[Flowable] = [
        Text(title, ST.h1),
        Text(name, ST.h3.but(color=MUTED)),
        gap(6),
        Box([Text(intro, ST.body)], background=PAPER_TINT, padding=12, space_after=10),
    ]
    buffer = io.BytesIO()
    build_pdf([*head, *story], buffer, title=f"{title}: {name}", decor=_decor(title, name))
    return buffer.getvalue()


def _none(what: str) -> list[Flowable]:
    return [Text(f"There are no {what} on the record.", ST.body.but(color=MUTED))]


def profile_pdf(record: YoungPersonRecord, name: str) -> bytes:
    p = record.profile
    rows = [
        ("Legal name", p.legal_name), ("Preferred name", p.preferred_name),
        ("Date of birth", fmt_date(p.date_of_birth)), ("Pronouns", p.pronouns),
        ("Languages", ", ".join(p.languages)), ("Religion", p.religion),
        ("Ethnicity", p.ethnicity), ("Phone", p.phone), ("Email", p.email),
        ("Address", p.address), ("Legal status", legal_status_label(p.legal_status)),
        ("Personal adviser", p.allocated_pa), ("Adviser's phone", p.allocated_pa_phone),
        ("Adviser's email", p.allocated_pa_email),
        ("In custody", "Yes" if p.in_custody else "No"),
        ("Prison", p.prison), ("Prison number", p.prison_number),
        ("Release date", fmt_date(p.release_date, "")),
        ("Release accommodation plan", p.release_accommodation_plan),
        ("Parent", "Yes" if p.is_parent else "No"),
        ("Expecting a child", "Yes" if p.expecting_child else "No"),
        ("Came to the UK as an unaccompanied child", "Yes" if p.uasc else "No"),
        ("Asked for support from 21 to 25", "Yes" if p.twenty_one_plus_requested else "No"),
        ("Accommodation", p.accommodation_type),
        ("Accommodation suitable",
         {True: "Yes", False: "No", None: "Not assessed"}[p.accommodation_suitable]),
        ("Education, employment or training", eet_status_label(p.eet_status)),
        ("Needs assessment done", fmt_date(p.needs_assessment_done, "")),
        ("Offers you can have", ", ".join(o.value for o in p.offers)),
    ]
    story: list[Flowable] = [table([(k, v or "-") for k, v in rows], [1.6, 3.4], ST.body,
                                   zebra=PAPER_TINT)]
    return records_document(
        "About you", name,
        "This is the information the leaving care service keeps about you: your details, "
        "your circumstances and who your personal adviser is.", story,
    )


def _snapshot_story(snap: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = [heading("Life summary", ST.h3),
                             Text(snap.get("life_summary") or "-", ST.body), gap(8)]
    for sec in snap.get("sections", []):
        try:
            title = Matter(sec["matter"]).statutory_heading
        except ValueError:
            title = sec["matter"]
        story += [CondPageBreak(80), heading(title, ST.h3.but(color=BRAND)),
                  Text([Span("Strengths: ", True), Span(sec.get("strengths") or "-")], ST.body),
                  Text([Span("Goals: ", True), Span(sec.get("goals") or "-")], ST.body)]
        actions = [
            [a.get("who") or "", a.get("what") or "", a.get("by_when") or "-",
             status_label(a.get("status") or "", for_young_person=False)]
            for a in sec.get("actions", [])
        ]
        if actions:
            story.append(table(actions, [1.3, 3.4, 1.2, 1.1], ST.small,
                               header=["Who", "What", "By when", "Status"], header_bg=PAPER_TINT))
        story.append(gap(8))
    people = snap.get("people", [])
    if people:
        story += [heading("People to stay in contact with", ST.h3),
                  table([[x.get("name", ""), x.get("relationship", ""),
                          x.get("how_to_contact", "")] for x in people], [2, 1.5, 2.5], ST.body)]
    return story


def plan_versions_pdf(
    record: YoungPersonRecord, snapshots: dict[int, dict[str, Any]], name: str
) -> bytes:
    story: list[Flowable] = []
    for v in record.plan.versions:
        story.append(Banner(f"Version {v.version}, agreed on {fmt_date(v.agreed_on)}", ST.h2,
                            icon="calendar", color=BRAND, badge=ST.sizes.icon))
        story.append(Text(f"Agreed with {v.agreed_with or '-'}; recorded by {v.created_by or '-'}.",
                          ST.body.but(color=MUTED, space_after=6)))
        story += _snapshot_story(snapshots.get(v.version, {}))
    return records_document(
        "Your agreed pathway plans", name,
        "Each time your pathway plan was agreed, a copy was kept exactly as it was that day. "
        "These are those copies, oldest first.", story or _none("agreed plans"),
    )


def notes_pdf(record: YoungPersonRecord, name: str) -> bytes:
    by_id = {n.id: n for n in record.notes}
    story: list[Flowable] = []
    for note in sorted(record.notes, key=lambda n: (n.occurred_at, n.created_at)):
        try:
            kind = NoteKind(note.kind).label
        except ValueError:
            kind = note.kind
        head = f"{fmt_datetime(note.occurred_at)} · {kind}"
        if note.place:
            head += f" · {note.place}"
        parts: list[Flowable] = [Text(head, ST.body_bold.but(color=BRAND)),
                                 Text(note.summary, ST.body_bold)]
        if note.narrative.strip():
            parts.append(Text(note.narrative, ST.body))
        footer = f"Written by {note.author or '-'} on {fmt_datetime(note.created_at)}."
        if note.amends_id:
            original = by_id.get(note.amends_id)
            when = fmt_date(original.created_at) if original else "an earlier date"
            footer += f" This corrects the note written on {when}; that note is kept as it was."
        if note.amended_by:
            footer += " A later note corrects this one."
        parts.append(Text(footer, ST.small.but(color=MUTED)))
        # A correction sits on a tinted panel so it stands out beside the note it corrects.
        story.append(Box(parts, background=PAPER_TINT if note.amends_id else None, padding=6,
                         space_after=8))
    return records_document(
        "Contact and visit notes", name,
        "Your personal adviser writes a note each time they see you or speak to you. Notes are "
        "never changed once written: a correction is a new note, and the first one stays.",
        story or _none("contact notes"),
    )


def files_pdf(title: str, intro: str, items, name: str, paths: dict[str, str]) -> bytes:
    rows = []
    for item in items:
        what = item.title or item.caption or item.filename or item.kind
        if item.body.strip():
            what += f"\n{item.body}"
        added = item.added_by_name or ("you" if item.added_by_kind == "young_person" else "-")
        rows.append([what, fmt_date(item.dated, "-"), f"{added}, {fmt_date(item.added_at)}",
                     paths.get(item.id, "written memory (no file)")])
    story = ([table(rows, [2.4, 1.1, 1.6, 2.2], ST.small,
                    header=["What", "Date", "Added by", "File in this folder"],
                    header_bg=PAPER_TINT)] if rows else _none(title.lower()))
    return records_document(title, name, intro, story)


def key_dates_pdf(record: YoungPersonRecord, name: str) -> bytes:
    rows = [[k.label, fmt_date(k.on_date), "Every year" if k.recurring else "Once",
             k.plan_for_day or "-"] for k in record.key_dates]
    story = ([table(rows, [1.5, 1.3, 1, 3], ST.body, header=["Date", "When", "Repeats",
                                                             "Plan for the day"],
                    header_bg=PAPER_TINT)] if rows else _none("key dates"))
    return records_document("Key dates", name, "Dates that matter to you, and the plan for "
                            "each day.", story)


def care_leaver_return_pdf(record: YoungPersonRecord, name: str) -> bytes:
    def words(enum, code: str) -> str:
        return f"{code_label(enum, code)} ({code})" if code else "-"

    rows = []
    for f in reversed(record.care_leaver_facts):
        suitable = {True: "Suitable", False: "Not suitable", None: "-"}[f.accommodation_suitable]
        rows.append([fmt_date(f.recorded_on), words(InTouch, f.in_touch),
                     words(Activity, f.activity), words(Accommodation, f.accommodation),
                     suitable, f.recorded_by or "-"])
    story = ([table(rows, [1.1, 1.3, 1.7, 1.7, 0.9, 1.1], ST.small,
                    header=["Recorded", "In touch", "What you were doing", "Where you lived",
                            "Suitable", "Recorded by"],
                    header_bg=PAPER_TINT)] if rows else _none("recordings for the return"))
    return records_document(
        "Care-leaver return", name,
        "Each year the council tells the Department for Education, around your 17th to 21st "
        "birthdays, whether it was in touch with you, what you were doing and where you lived. "
        "These are the answers recorded, newest first; none is ever changed afterwards.",
        story)


def people_pdf(record: YoungPersonRecord, name: str) -> bytes:
    rows = [[x.name, x.relationship or "-", x.how_to_contact or "-", x.notes or "-",
             "Yes" if x.is_emergency_contact else "No"] for x in record.people]
    story = ([table(rows, [1.6, 1.2, 1.6, 2, 0.9], ST.body,
                    header=["Name", "Who they are", "Contact", "Notes", "Emergency contact"],
                    header_bg=PAPER_TINT)] if rows else _none("people"))
    return records_document("People who matter to you", name,
                            "The people you want to stay in touch with.", story)


def today_line(today: date) -> str:
    return f"Exported on {fmt_date(today)}"
