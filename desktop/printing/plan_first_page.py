"""The first page of a printed plan: the cover and the "who to call" box.

Whom to call in an emergency is always on page one (the box is kept short enough to fit under
the cover even in large print: at most :data:`MAX_PEOPLE_ON_PAGE_ONE` chosen contacts there;
every contact is also listed later under "People I want to stay in touch with").
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from desktop.printing.blocks import Box, IconRow, gap, table
from desktop.printing.emergency import NO_OUT_OF_HOURS_PHONE, EmergencyInfo
from desktop.printing.icons import draw_badge
from desktop.printing.images import PrintImage, cover_crop
from desktop.printing.shaping import Span
from desktop.printing.styles import Styles
from desktop.printing.text import Text, draw_text
from desktop.printing.theme import BRAND, BRAND_TINT, EMERGENCY, EMERGENCY_TINT, INK, MUTED

MAX_PEOPLE_ON_PAGE_ONE = 3


class Cover(Flowable):
    """A tinted band: "My pathway plan", the young person's name, dates, and their photo."""

    def __init__(
        self, kicker: str, name: str, lines: list[str], styles: Styles,
        photo: PrintImage | None, height: float,
    ) -> None:
        super().__init__()
        self.kicker = kicker
        self.name = name
        self.lines = lines
        self.styles = styles
        self.photo = photo
        self.band = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = self.band + self.styles.sizes.gap * 1.5
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        st = self.styles
        top = self.height
        c.saveState()
        c.setFillColor(BRAND_TINT)
        c.roundRect(0, top - self.band, self.width, self.band, 10, fill=1, stroke=0)
        c.restoreState()
        pad = 18
        photo_d = self.band - 2 * pad if self.photo else 0
        text_w = self.width - 2 * pad - (photo_d + pad if self.photo else 0)
        y = top - pad
        y -= draw_text(c, self.kicker, pad, y, text_w, st.h3.but(color=BRAND, align="left"))
        y -= 4
        y -= draw_text(c, self.name, pad, y, text_w, st.title, max_lines=3)
        y -= 6
        for line in self.lines:
            y -= draw_text(c, line, pad, y, text_w, st.body.but(color=INK, align="left"))
        if self.photo is not None:
            self._draw_photo(self.width - pad - photo_d, top - pad - photo_d, photo_d)

    def _draw_photo(self, x: float, y: float, d: float) -> None:
        c = self.canv
        c.saveState()
        p = c.beginPath()
        p.circle(x + d / 2, y + d / 2, d / 2)
        c.clipPath(p, stroke=0, fill=0)
        dx, dy, w, h = cover_crop(self.photo, d, d)
        c.drawImage(self.photo.reader, x + dx, y + dy, w, h)
        c.restoreState()
        c.saveState()
        c.setStrokeColor(BRAND)
        c.setLineWidth(3)
        c.circle(x + d / 2, y + d / 2, d / 2, fill=0, stroke=1)
        c.restoreState()


class _Heading(Flowable):
    """The emergency box's heading: alert badge and words in red."""

    def __init__(self, text: str, styles: Styles) -> None:
        super().__init__()
        self.text = Text(text, styles.h2.but(color=EMERGENCY))
        self.badge = styles.sizes.h2 * 1.6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        _, self._h = self.text.wrap(availWidth - self.badge - 10, 1e6)
        self.height = max(self.badge, self._h) + 6
        return self.width, self.height

    def draw(self) -> None:
        row = self.height - 6
        draw_badge(self.canv, "alert", 0, 6 + (row - self.badge) / 2, self.badge, EMERGENCY)
        self.text.drawOn(self.canv, self.badge + 10, 6 + (row - self._h) / 2)


def emergency_box(info: EmergencyInfo, styles: Styles, *, for_young_person: bool) -> Flowable:
    """The red-bordered box of people and numbers to call."""
    st = styles
    number = st.h3.but(color=INK)
    diameter = st.sizes.body * 2.2
    rows: list[Flowable] = [
        _Heading(
            "Who to call if you need help" if for_young_person else "Emergency contacts", st
        ),
        gap(4),
    ]

    def contact(icon: str, who: list[Span], lines: list[str], color=EMERGENCY) -> None:
        content: list[Flowable] = [Text(who, st.body)]
        content += [Text(line, number) for line in lines[:1] if line]
        content += [Text(line, st.small.but(color=MUTED)) for line in lines[1:] if line]
        rows.append(IconRow(icon, color, diameter, content, space_after=st.sizes.gap * 0.6))

    adviser = "My personal adviser" if for_young_person else "Personal adviser"
    contact(
        "person",
        [Span(f"{adviser}: ", True), Span(info.adviser_name)],
        [info.adviser_phone or "Phone the leaving care team", info.adviser_email],
        BRAND,
    )
    contact(
        "phone",
        [Span("Evenings, weekends and bank holidays: ", True), Span(info.out_of_hours_name)],
        [info.out_of_hours_phone or NO_OUT_OF_HOURS_PHONE],
    )
    people = info.people[:MAX_PEOPLE_ON_PAGE_ONE]
    for person in people:
        who = [Span(f"{person.relationship or 'Emergency contact'}: ", True), Span(person.name)]
        contact("heart", who, [person.how_to_contact])
    national = [[Span(line.number, True)] for line in info.national]
    labels = [f"{line.name}. {line.when}." for line in info.national]
    rows.append(gap(2))
    rows.append(
        table(
            [[*(n for n in national)], labels],
            [1, 1, 1],
            st.small,
            padding=3,
        )
    )
    _bigger_numbers(rows[-1], st)
    return Box(
        rows, background=EMERGENCY_TINT, border=EMERGENCY, border_width=2, padding=14,
        space_after=st.sizes.gap,
    )


def _bigger_numbers(tbl, st: Styles) -> None:
    """The national numbers' first row in heading size and red."""
    for cell in tbl._cellvalues[0]:
        cell.style = st.h2.but(color=EMERGENCY)
