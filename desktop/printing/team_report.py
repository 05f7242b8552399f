"""The team figures as a printable PDF (no Qt): the whole team's, then each adviser's, each
figure with its number, what it is out of and how it was counted. Black text on white with a
light tint for headers, so it reads the same printed in greyscale. No young person's details:
the lists behind the figures are exported on their own."""

from __future__ import annotations

import io

from reportlab.platypus import CondPageBreak, Flowable

from desktop.printing.blocks import Box, fmt_date, gap, table
from desktop.printing.document import build_pdf
from desktop.printing.styles import Styles, styles_for
from desktop.printing.text import Text
from desktop.printing.theme import MUTED, PAPER_TINT, Variant
from models.team_figures import AREA_OF, Dashboard, FigureSet

ST: Styles = styles_for(Variant.STANDARD)


def _figures_table(figures: FigureSet) -> Flowable:
    rows = []
    previous = None
    for f in figures.figures:
        area = AREA_OF.get(f.key, "")
        rows.append(
            [
                area if area != previous else "",
                f.label,
                str(f.count),
                "" if f.of is None else str(f.of),
                f.how,
            ]
        )
        previous = area
    return table(
        rows,
        [1.3, 1.7, 0.6, 0.6, 3.2],
        ST.small,
        header=["Area", "Figure", "Number", "Out of", "How it was counted"],
        header_bg=PAPER_TINT,
    )


def team_report_pdf(board: Dashboard) -> bytes:
    start, end = board.year
    intro = (
        "Counted by Pathway Desk from the records on this laptop as last synced. The "
        f"care-leaver return year runs {fmt_date(start)} to {fmt_date(end)}. Each figure says "
        "how it was counted; the young people behind a figure are in the dashboard."
    )
    story: list[Flowable] = [
        Text("Team figures", ST.h1),
        Text(f"Counted on {fmt_date(board.on)}", ST.h3.but(color=MUTED)),
        gap(6),
        Box([Text(intro, ST.body)], background=PAPER_TINT, padding=12, space_after=10),
    ]
    for figures in (board.team, *board.advisers):
        story += [CondPageBreak(160), Text(figures.title, ST.h2), _figures_table(figures), gap(8)]
    out = io.BytesIO()
    build_pdf(story, out, title=f"Team figures, {fmt_date(board.on)}")
    return out.getvalue()
