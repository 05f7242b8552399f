"""Text styles of one printed variant, derived from its :class:`~desktop.printing.theme.Sizes`."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.printing.text import TextStyle
from desktop.printing.theme import INK, MUTED, SIZES, Sizes, Variant


@dataclass(frozen=True)
class Styles:
    sizes: Sizes
    body: TextStyle
    body_bold: TextStyle
    small: TextStyle
    muted: TextStyle
    h1: TextStyle
    h2: TextStyle
    h3: TextStyle
    title: TextStyle


def styles_for(variant: Variant) -> Styles:
    s = SIZES[variant]
    body = TextStyle(s.body, s.leading, INK)
    return Styles(
        sizes=s,
        body=body,
        body_bold=body.but(bold=True),
        small=TextStyle(s.small, round(s.small * 1.4, 1), INK),
        muted=TextStyle(s.small, round(s.small * 1.4, 1), MUTED),
        # Headings sit on the document's left edge, even a name written right to left.
        h1=TextStyle(s.h1, round(s.h1 * 1.25, 1), INK, bold=True, align="left"),
        h2=TextStyle(s.h2, round(s.h2 * 1.3, 1), INK, bold=True, align="left"),
        h3=TextStyle(s.h3, round(s.h3 * 1.35, 1), INK, bold=True, align="left"),
        title=TextStyle(s.title, round(s.title * 1.2, 1), INK, bold=True, align="left"),
    )
