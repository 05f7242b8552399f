"""The professional copy of a plan for the file: statutory headings, version and agreement."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from desktop.printing.blocks import Banner, fmt_date, gap, heading, table
from desktop.printing.emergency import EmergencyInfo
from desktop.printing.plan_matters import matter_flowables
from desktop.printing.styles import Styles
from desktop.printing.text import Text
from desktop.printing.theme import BRAND, EMERGENCY, EMERGENCY_TINT, MUTED, PAPER_TINT, Variant
from models.domain import legal_status_label
from models.records import YoungPersonRecord
from models.rules import eet_status_label


def _yes_no(value: bool | None) -> str:
    return {True: "Suitable", False: "Not suitable", None: "Not assessed"}[value]


def _circumstances(p) -> str:
    parts = []
    if p.in_custody:
        parts.append("In custody")
    if p.uasc:
        parts.append("Former unaccompanied asylum-seeking child")
    if p.is_parent:
        parts.append("Parent")
    if p.expecting_child:
        parts.append("Expecting a child")
    if p.twenty_one_plus_requested:
        parts.append("21Plus support requested")
    return "; ".join(parts) or "None recorded"


def _review_due(review: date | None, today: date) -> str:
    if review is None:
        return "-"
    if review < today:
        days = (today - review).days
        late = "1 day" if days == 1 else f"{days} days"
        return f"{fmt_date(review)}: OVERDUE by {late}, to be arranged"
    return fmt_date(review)


def _agreement(record: YoungPersonRecord) -> str:
    versions = record.plan.versions
    if not versions:
        return "Not yet agreed (working draft)"
    v = versions[-1]
    with_whom = f" with {v.agreed_with}" if v.agreed_with else ""
    return f"Version {v.version}, agreed on {fmt_date(v.agreed_on)}{with_whom}"


def professional_story(
    record: YoungPersonRecord,
    st: Styles,
    emergency: EmergencyInfo,
    today: date,
    review: date | None,
) -> list[Flowable]:
    p = record.profile
    plan = record.plan
    story: list[Flowable] = [
        Text("Pathway plan", st.h1),
        Text(
            "Professional copy for the file (Care Leavers (England) Regulations 2010, Sch 1)",
            st.body.but(color=MUTED),
        ),
        gap(st.sizes.gap),
    ]
    details = [
        ("Legal name", p.legal_name),
        ("Preferred name", p.preferred_name),
        ("Date of birth", f"{fmt_date(p.date_of_birth)} (age {p.age})"),
        ("Pronouns", p.pronouns or "-"),
        ("Languages", ", ".join(p.languages) or "-"),
        ("Legal status", legal_status_label(p.legal_status)),
        (
            "Personal adviser",
            ", ".join(x for x in (p.allocated_pa, p.allocated_pa_phone, p.allocated_pa_email) if x)
            or "-",
        ),
        ("Plan", _agreement(record)),
        ("Last reviewed", fmt_date(plan.last_reviewed_on, "-")),
        ("Next review due", _review_due(review, today)),
        (
            "Accommodation",
            f"{p.accommodation_type or 'Not recorded'} ({_yes_no(p.accommodation_suitable)})",
        ),
        ("Education, employment, training", eet_status_label(p.eet_status)),
        ("Circumstances", _circumstances(p)),
    ]
    if p.in_custody:
        details.append(
            (
                "Custody",
                f"{p.prison} {p.prison_number}; release "
                f"{fmt_date(p.release_date, 'date not known')}",
            )
        )
    story.append(table(details, [1.3, 3.7], st.body, zebra=PAPER_TINT))
    story.append(gap(st.sizes.gap))
    contacts = [
        ["Personal adviser", emergency.adviser_name, emergency.adviser_phone],
        ["Out of hours", emergency.out_of_hours_name, emergency.out_of_hours_phone or "not set"],
        *[
            [person.relationship or "Emergency contact", person.name, person.how_to_contact]
            for person in emergency.people
        ],
        *[[line.name, line.when, line.number] for line in emergency.national],
    ]
    story.append(heading("Emergency contacts", st.h3.but(color=EMERGENCY)))
    story.append(
        table(
            contacts,
            [1.4, 2.2, 1.6],
            st.body,
            header=["Who", "Name", "Number"],
            header_bg=EMERGENCY_TINT,
            header_color=EMERGENCY,
        )
    )
    story.append(
        Banner(
            "Offers the young person is entitled to",
            st.h2,
            icon="gift",
            color=BRAND,
            badge=st.sizes.icon,
        )
    )
    offers = [(o.value, o.plain_words) for o in p.offers] or [("None", "No offer applies.")]
    story.append(table(offers, [1.3, 3.7], st.body, zebra=PAPER_TINT))
    story.append(Banner("Life summary", st.h2, icon="book", color=BRAND, badge=st.sizes.icon))
    story.append(Text(plan.life_summary.strip() or "None recorded.", st.body))
    for number, section in enumerate(plan.sections, start=1):
        story += matter_flowables(section, Variant.PROFESSIONAL, st, number)
    story.append(
        Banner(
            "People the young person wants to stay in contact with",
            st.h2,
            icon="people",
            color=BRAND,
            badge=st.sizes.icon,
        )
    )
    people = [
        [x.name, x.relationship, x.how_to_contact, "Yes" if x.is_emergency_contact else ""]
        for x in record.people
    ]
    story.append(
        _table_or(
            people,
            [1.6, 1.3, 2.2, 0.9],
            ["Name", "Relationship", "Contact", "Emergency"],
            "None recorded.",
            st,
        )
    )
    story.append(Banner("Plan history", st.h2, icon="calendar", color=BRAND, badge=st.sizes.icon))
    versions = [
        [str(v.version), fmt_date(v.agreed_on), v.agreed_with or "-", v.created_by or "-"]
        for v in plan.versions
    ]
    story.append(
        _table_or(
            versions,
            [0.8, 1.6, 2, 2],
            ["Version", "Agreed on", "Agreed with", "Recorded by"],
            "No version agreed yet; this is the working draft.",
            st,
        )
    )
    story.append(gap(st.sizes.gap))
    story.append(
        Text(
            f"Printed on {fmt_date(today)} from the working copy of the plan.",
            st.small.but(color=MUTED),
        )
    )
    return story


def _table_or(
    rows: list[list[str]], widths: list[float], header: list[str], empty: str, st: Styles
) -> Flowable:
    """A table of ``rows``, or the sentence ``empty`` when there are none."""
    if not rows:
        return Text(empty, st.body)
    return table(rows, widths, st.body, header=header, header_bg=PAPER_TINT)
