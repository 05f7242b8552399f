"""The fonts printed PDFs embed, and the per-character choice between them.

Every PDF embeds (subsets of) the TrueType files in ``resources/fonts/``: Noto Sans for Latin
with accents (and Vietnamese), Noto Sans Arabic for Arabic, Persian/Dari, Pashto and Kurdish
Sorani, Noto Sans Ethiopic for Tigrinya and Amharic, and Droid Sans Fallback for Chinese,
Japanese and Korean. :func:`family_for` picks a family per character; the text layout in
:mod:`desktop.printing.shaping` keeps neutral characters (spaces, digits, punctuation) with their
neighbours so that a run in one script is shaped as a whole.

:class:`PrintFont` is a ReportLab ``TTFont`` that also carries a HarfBuzz face. Shaped glyphs
with no character of their own (Arabic joining forms, ligatures) get private-use codes, and the
font's ``/ToUnicode`` map sends those codes back to the letters they stand for, so text copied
or extracted from the PDF reads as the original words.

Threading: ReportLab fonts keep per-document state and the private-use map is shared, so every
PDF build holds :data:`RENDER_LOCK` (see :func:`desktop.printing.document.build_pdf`).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import as_file
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from resources import resource_path

RENDER_LOCK = threading.RLock()
"""Held while a PDF is built: ReportLab font state is not safe across concurrent documents."""

FONT_FOLDER = "fonts"


@dataclass(frozen=True)
class Family:
    key: str
    regular: str
    bold: str | None  # None: no bold face, draw bold with a thin stroke instead


FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        Family("latin", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        Family("arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
        Family("ethiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
        Family("cjk", "DroidSansFallbackFull.ttf", None),
    )
}
FALLBACK_ORDER = ("latin", "arabic", "ethiopic", "cjk")
SHAPED_FAMILIES = frozenset({"arabic"})  # scripts whose letters change form with context
BASE_FAMILY = "latin"

_PUA_FIRST = 0xE000
_PUA_LAST = 0xF8FF


def fonts_dir() -> Path:
    """The folder of bundled font files, through the app's one resource accessor (a checkout,
    a wheel and a frozen bundle alike). ReportLab and HarfBuzz need real file paths."""
    with as_file(resource_path(FONT_FOLDER)) as path:
        return Path(path)


class PrintFont(TTFont):
    """A TrueType font with a HarfBuzz face and a ``/ToUnicode`` map for shaped glyphs."""

    def __init__(
        self, name: str, path: Path, *, family: str = BASE_FAMILY, synthetic_bold: bool = False
    ) -> None:
        super().__init__(name, str(path), asciiReadable=True)
        self.family = family
        self.synthetic_bold = synthetic_bold
        self.hb_face = hb.Face(hb.Blob(self.face._ttf_data))
        self.hb_font = hb.Font(self.hb_face)  # scale = units per em
        self.units_per_em = self.hb_face.upem
        self._to_1000 = 1000.0 / self.units_per_em
        self._pua_text: dict[int, str] = {}
        self._pua_for: dict[tuple[int, str], int] = {}
        self._next_pua = _PUA_FIRST
        self._cmap: dict[int, int] = dict(self.face.charToGlyph)  # the font's own, unchanged

    def covers(self, codepoint: int) -> bool:
        return codepoint in self._cmap

    def to_1000(self, units: float) -> float:
        """Font units to ReportLab's 1000-per-em units."""
        return units * self._to_1000

    def code_for_glyph(self, gid: int, text: str) -> int:
        """A character code that draws glyph ``gid`` and reads back as ``text`` when extracted.

        The glyph's own character when it has one in ``text``; otherwise a private-use code
        registered for this (glyph, text) pair. Call with :data:`RENDER_LOCK` held.
        """
        for ch in text:
            if self._cmap.get(ord(ch)) == gid:
                return ord(ch)
        key = (gid, text)
        code = self._pua_for.get(key)
        if code is not None:
            return code
        face = self.face
        code = self._next_pua
        while code in face.charToGlyph:
            code += 1
        if code > _PUA_LAST:  # a pathological document: fall back to the glyph's own char
            chars = face.glyphToChar.get(gid)
            return chars[0] if chars else 0
        self._next_pua = code + 1
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = self.to_1000(self.hb_font.get_glyph_h_advance(gid))
        self._pua_for[key] = code
        self._pua_text[code] = text
        return code

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name
        """As ``TTFont.addObjects``, with private-use codes mapped back to their text."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = (
                b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            ).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray([self.face.getCharWidth(c) for c in subset])
            cmap_stream = pdfdoc.PDFStream()
            cmap_stream.content = _to_unicode_cmap(base_font_name, subset, self._pua_text)
            if doc.compression:
                cmap_stream.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(font_name: str, subset: list[int], pua_text: dict[int, str]) -> str:
    entries = []
    for i, code in enumerate(subset):
        text = pua_text.get(code)
        if text is None:
            text = chr(code)
        if text:  # a glyph that adds no text of its own (the 2nd glyph of a cluster) maps to none
            entries.append(f"<{i:02X}> <{_utf16_hex(text)}>")
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name})",
            "/Supplement 0 >> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{max(len(subset) - 1, 0):02X}>",
            "endcodespacerange",
            *_bfchar_blocks(entries),
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _bfchar_blocks(entries: list[str]) -> list[str]:
    out = []
    for first in range(0, len(entries), 100):  # the CMap format allows 100 per block
        block = entries[first : first + 100]
        out += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    return out


@cache
def font(family: str, bold: bool = False) -> PrintFont:
    """The registered font for a family and weight (registered with ReportLab on first use)."""
    fam = FAMILIES[family]
    with RENDER_LOCK:
        name = f"PD-{family}-{'bold' if bold else 'regular'}"
        try:
            existing = pdfmetrics.getFont(name)
        except KeyError:
            existing = None
        if isinstance(existing, PrintFont):
            return existing
        file = fam.bold if bold and fam.bold else fam.regular
        f = PrintFont(
            name, fonts_dir() / file, family=family, synthetic_bold=bold and fam.bold is None
        )
        pdfmetrics.registerFont(f)
        return f


@lru_cache(maxsize=8192)
def family_for(codepoint: int) -> str | None:
    """The first family in :data:`FALLBACK_ORDER` with a glyph for ``codepoint``, or None."""
    for key in FALLBACK_ORDER:
        if font(key).covers(codepoint):
            return key
    return None


@lru_cache(maxsize=8192)
def is_neutral(ch: str) -> bool:
    """Characters that belong to no script: they take the font of the text around them."""
    cat = unicodedata.category(ch)
    return not cat.startswith("L") or ch in "\u200c\u200d"


def missing_characters(text: str) -> set[str]:
    """Characters of ``text`` that no bundled font can draw (shown as empty boxes)."""
    return {
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and family_for(ord(ch)) is None
    }
