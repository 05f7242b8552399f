"""Colours, sizes and words shared by every printed document.

One colour and one icon per pathway-plan matter, so a young person finds "My money" by its
colour as well as its heading. Colours are dark enough for body-size text on white (WCAG AA
contrast) and come with a light tint for panel backgrounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reportlab.lib import colors
from reportlab.lib.units import mm

from models.domain import Matter

INK = colors.HexColor("#1F2328")
MUTED = colors.HexColor("#57606A")
RULE = colors.HexColor("#D0D7DE")
PAPER_TINT = colors.HexColor("#F6F8FA")
EMERGENCY = colors.HexColor("#B3261E")
EMERGENCY_TINT = colors.HexColor("#FCEEEE")
BRAND = colors.HexColor("#0B5563")
BRAND_TINT = colors.HexColor("#E6F2F3")
WHITE = colors.white

PAGE_MARGIN = 18 * mm


@dataclass(frozen=True)
class MatterLook:
    color: colors.Color
    tint: colors.Color
    icon: str


def _look(color: str, tint: str, icon: str) -> MatterLook:
    return MatterLook(colors.HexColor(color), colors.HexColor(tint), icon)


MATTER_LOOK: dict[Matter, MatterLook] = {
    Matter.CONTACT_SUPPORT: _look("#00695C", "#E0F2F1", "chat"),
    Matter.EDUCATION_TRAINING: _look("#3949AB", "#E8EAF6", "cap"),
    Matter.EMPLOYMENT: _look("#8D5A00", "#FFF3E0", "briefcase"),
    Matter.CONTINGENCY: _look("#B3261E", "#FDECEA", "umbrella"),
    Matter.ACCOMMODATION: _look("#2E7D32", "#E8F5E9", "house"),
    Matter.FAMILY_RELATIONSHIPS: _look("#AD1457", "#FCE4EC", "heart"),
    Matter.INDEPENDENT_LIVING: _look("#BF360C", "#FBE9E7", "key"),
    Matter.FINANCE: _look("#5D6B00", "#F4F7E1", "coin"),
    Matter.HEALTH: _look("#1565C0", "#E3F2FD", "health"),
    Matter.IDENTITY: _look("#6A1B9A", "#F3E5F5", "star"),
}


class Variant(StrEnum):
    """The four printed versions of a pathway plan."""

    STANDARD = "standard"
    LARGE = "large"
    EASY = "easy"
    PROFESSIONAL = "professional"

    @property
    def label(self) -> str:
        return _VARIANT_LABELS[self]

    @property
    def for_young_person(self) -> bool:
        return self is not Variant.PROFESSIONAL


_VARIANT_LABELS = {
    Variant.STANDARD: "My plan (standard print)",
    Variant.LARGE: "My plan (large print)",
    Variant.EASY: "My plan (easy read)",
    Variant.PROFESSIONAL: "Professional copy for the file",
}


@dataclass(frozen=True)
class Sizes:
    """Type sizes (points) of one variant. ``body`` is the size of running text."""

    body: float
    small: float
    h1: float
    h2: float
    h3: float
    title: float
    icon: float  # matter badge diameter
    gap: float  # space between blocks

    @property
    def leading(self) -> float:
        return round(self.body * 1.45, 1)


SIZES: dict[Variant, Sizes] = {
    Variant.STANDARD: Sizes(11, 9.5, 22, 16, 12.5, 34, 30, 9),
    Variant.LARGE: Sizes(16, 14, 28, 22, 18, 40, 40, 12),
    Variant.EASY: Sizes(15, 13, 26, 21, 16.5, 38, 54, 12),
    Variant.PROFESSIONAL: Sizes(10, 8.5, 17, 13, 11, 22, 22, 7),
}
