"""How the GUI writes and reads dates, in one place: "14 May 2007" and "Mon 2 Nov 2026, 14:30"
out (and the matching display formats of Qt's date edits); UK day-first or ISO in. No Qt.
Printed documents have their own, longer style (``desktop.printing``)."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
DATE_HINT = "day/month/year, for example 14/05/2007"
QT_DAY_FORMAT = "d MMM yyyy"  # a QDateEdit showing what format_day writes
QT_MOMENT_FORMAT = "ddd d MMM yyyy, HH:mm"  # a QDateTimeEdit showing what format_moment writes


def format_day(day: date | datetime | None, blank: str = "—", *, weekday: bool = False) -> str:
    """ "14 May 2007" ("Mon 14 May 2007" with ``weekday``); an aware datetime is shown on the
    local calendar day; ``blank`` for none."""
    if day is None:
        return blank
    if isinstance(day, datetime):
        day = day.astimezone().date() if day.tzinfo else day.date()
    text = f"{day.day} {day:%b %Y}"
    return f"{day:%a} {text}" if weekday else text


def format_moment(moment: datetime) -> str:
    """A stored (UTC) time as the adviser's local time: "Mon 2 Nov 2026, 14:30"."""
    local = moment.astimezone()
    return f"{format_day(local.date(), weekday=True)}, {local:%H:%M}"


def parse_day(text: str) -> date | None:
    """Read what a person typed: "14/05/2007", "14-5-07", "14 May 2007" or "2007-05-14".

    Returns ``None`` for empty text; raises ``ValueError`` (with a sentence to show) otherwise.
    Two-digit years are taken as 19xx or 20xx, whichever is not in the future.
    """
    text = text.strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), text)
    numeric = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})", text)
    if numeric:
        return _make(_year(numeric[3]), int(numeric[2]), int(numeric[1]), text)
    words = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2}|\d{4})", text)
    if words and words[2].casefold() in MONTHS:
        return _make(_year(words[3]), MONTHS[words[2].casefold()], int(words[1]), text)
    raise ValueError(f"“{text}” is not a date I can read. Write it as {DATE_HINT}.")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        this_century = 2000 + year
        year = this_century if this_century <= date.today().year else 1900 + year
    return year


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date. Write it as {DATE_HINT}.") from None


def input_text(day: date | None) -> str:
    """A date as a person would type it back (the inverse of :func:`parse_day`)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""
