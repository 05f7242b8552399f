"""``index.pdf`` of a subject-access export: what the folder holds and how to read it.

Adults who ask for their care records say they get files they cannot follow. The index starts
with a plain explanation, then lists every PDF and file with what it is, and the SHA-256 of
each stored file so anyone can check the copy is complete and unchanged.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable

from desktop.printing.blocks import Banner, Box, IconRow, fmt_date, gap, table
from desktop.printing.document import build_pdf
from desktop.printing.records_pdf import ST, _decor
from desktop.printing.shaping import Span
from desktop.printing.text import Text
from desktop.printing.theme import BRAND, BRAND_TINT, MUTED, PAPER_TINT
from models.records import YoungPersonRecord


@dataclass(frozen=True)
class IndexEntry:
    path: str
    what: str
    sha256: str | None  # stored files only
    problem: str | None = None  # a stored file that could not be read: what happened


def index_pdf(
    record: YoungPersonRecord, name: str, entries: list[IndexEntry], today: date
) -> bytes:
    p = record.profile
    counts = [
        ("Contact and visit notes", len(record.notes)),
        ("Agreed versions of your pathway plan", len(record.plan.versions)),
        ("Life-story documents", len(record.documents)),
        ("Memory box items", len(record.memories)),
        ("Key dates", len(record.key_dates)),
        ("People who matter to you", len(record.people)),
        ("Recordings for the care-leaver return", len(record.care_leaver_facts)),
    ]
    story: list[Flowable] = [
        Text("Your records", ST.title.but(color=BRAND)),
        Text(name, ST.h2),
        Text(f"Everything the leaving care service holds about you, exported on "
             f"{fmt_date(today)}.", ST.body.but(color=MUTED, space_after=10)),
        Box(
            [
                Text("How to read this folder", ST.h3.but(color=BRAND, space_after=4)),
                Text("Start with the PDF files in the records folder: each one explains what "
                     "it holds, in date order. The JSON files hold the same information as data, "
                     "for a computer. Your photos and documents are in the files folder.",
                     ST.body),
                gap(6),
                Text("If something is wrong, you can ask for it to be corrected. If you have "
                     "questions about your records, ask your personal adviser"
                     + (f", {p.allocated_pa}" if p.allocated_pa else "") + ", or the council's "
                     "data protection officer.", ST.body),
            ],
            background=BRAND_TINT, padding=14, space_after=10,
        ),
        Banner("What is on the record", ST.h2, icon="book", color=BRAND, badge=ST.sizes.icon),
    ]
    for label, count in counts:
        story.append(IconRow("tick", BRAND, ST.sizes.body * 1.6,
                             [Text([Span(f"{count}  ", True), Span(label)], ST.body)],
                             space_after=4))
    story.append(Banner("Records", ST.h2, icon="book", color=BRAND, badge=ST.sizes.icon))
    records = [[e.path, e.what] for e in entries if e.sha256 is None]
    story.append(table(records, [2, 3], ST.body, header=["File", "What it is"],
                       header_bg=PAPER_TINT))
    problems = [[e.path, f"{e.what}\n{e.problem}"] for e in entries if e.problem]
    if problems:
        story.append(Banner("Files that could not be read", ST.h2, icon="camera", color=BRAND,
                            badge=ST.sizes.icon))
        story.append(Text("These files are on your record but could not be read when this "
                          "export was made. Everything else is included.",
                          ST.body.but(space_after=6)))
        story.append(table(problems, [2, 3], ST.small, header=["File", "What happened"],
                           header_bg=PAPER_TINT))
    files = [[f"{e.path}\nSHA-256 {e.sha256}", e.what] for e in entries
             if e.sha256 and not (e.problem and e.problem.startswith("Not included"))]
    story.append(Banner("Photos and documents", ST.h2, icon="camera", color=BRAND,
                        badge=ST.sizes.icon))
    if files:
        story.append(Text("The SHA-256 under each file name is a fingerprint of its contents: "
                          "it changes if even one byte of the file changes.",
                          ST.small.but(color=MUTED, space_after=6)))
        story.append(table(files, [3, 2], ST.small, header=["File", "What it is"],
                           header_bg=PAPER_TINT))
    else:
        story.append(Text("There are no stored files.", ST.body))
    buffer = io.BytesIO()
    build_pdf(story, buffer, title=f"Your records: {name}", decor=_decor("Your records", name))
    return buffer.getvalue()
