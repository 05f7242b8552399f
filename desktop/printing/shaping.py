"""Text layout for printed PDFs: font fallback, bidi, HarfBuzz shaping and line breaking.

``layout_text(spans, size, max_width)`` turns styled text into lines of shaped pieces ready to
draw, for any mix of scripts:

1. The text is normalised (NFC, so Vietnamese tone marks use precomposed letters where they
   exist) and each character gets a font family (:func:`desktop.printing.fonts.family_for`);
   neutral characters (spaces, digits, punctuation, combining marks) join the run around them.
2. The Unicode bidirectional algorithm (UAX #9, via python-bidi's reference implementation)
   resolves an embedding level per character; the paragraph direction is that of its first
   strong letter, so a goal written in Pashto is right-aligned and reads right to left.
3. Each run of one font, weight, colour and level is shaped by HarfBuzz with the run's
   direction: Arabic letters take their joined forms, marks are positioned, ligatures formed.
4. Lines break at spaces (and between CJK characters); a word too long for a line is split
   between clusters. Each line is shaped again from its runs (with the surrounding text as
   context, so a split word keeps its joins) and its runs are put into visual order (UAX #9
   L2). HarfBuzz already returns right-to-left runs in visual order, with mirrored brackets.

Pure computation over registered fonts; call with :data:`~desktop.printing.fonts.RENDER_LOCK`
held (shaping may register private-use glyph codes in a font).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import uharfbuzz as hb
from bidi import algorithm as uax9
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from desktop.printing.fonts import (
    BASE_FAMILY,
    SHAPED_FAMILIES,
    PrintFont,
    family_for,
    font,
    is_neutral,
)

_X9_REMOVED = frozenset({"RLE", "LRE", "RLO", "LRO", "PDF", "BN"})
_FEATURES = {"kern": True, "liga": True}
_BREAK_AFTER = frozenset(" \u200b\t-/\u2013\u2014")
_SPACES = frozenset(" \t\u200b")


@dataclass(frozen=True)
class Span:
    """A stretch of text in one style. ``color`` is a ReportLab colour or None (the default)."""

    text: str
    bold: bool = False
    color: object | None = None


@dataclass(frozen=True)
class Piece:
    """One shaped run on one line, drawn with one font at one size."""

    font: PrintFont
    text: str  # a ShapedStr when HarfBuzz shaped it
    width: float
    color: object | None


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]  # in visual order, left to right
    width: float


@dataclass(frozen=True)
class Layout:
    lines: tuple[Line, ...]
    rtl: bool  # the paragraph's base direction
    size: float


@dataclass
class _Run:
    start: int
    end: int
    font: PrintFont
    level: int
    color: object | None
    shaped: bool = True


def base_is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: most of its strong letters are RTL.

    UAX #9 P2 takes the first strong letter; in an English document a sentence that starts with
    an Arabic name ("مريم came to the UK...") is English, so the majority decides here. Ties
    fall back to P2.
    """
    if all(ord(c) < 0x0590 for c in text):
        return False
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    if rtl != ltr:
        return rtl > ltr
    return uax9.get_base_level(text) == 1


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level per character (UAX #9 up to I2; no explicit embeddings)."""
    if not text:
        return []
    base = 1 if rtl else 0
    if all(ord(c) < 0x0590 for c in text) and not rtl:
        return [0] * len(text)  # nothing right-to-left: skip the algorithm
    storage = uax9.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels(text, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["index"] = i
    uax9.explicit_embed_and_overrides(storage)
    uax9.resolve_weak_types(storage)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for ch in storage["chars"]:
        levels[ch["index"]] = ch["level"]
    out: list[int] = []
    previous = base
    for level in levels:  # X9-removed characters (ZWJ, ZWNJ...) follow their neighbour
        previous = previous if level is None else level
        out.append(previous)
    return out


def _families(text: str) -> list[str]:
    """A family per character: letters by coverage, neutrals from their neighbours."""
    base = font(BASE_FAMILY)
    if all(base.covers(ord(c)) for c in set(text)):
        return [BASE_FAMILY] * len(text)  # the common case: nothing to choose
    n = len(text)
    fams: list[str | None] = [None] * n
    for i, ch in enumerate(text):
        if not is_neutral(ch):
            fams[i] = family_for(ord(ch)) or BASE_FAMILY
    after: list[str | None] = [None] * (n + 1)  # the next letter's family, from the right
    for i in range(n - 1, -1, -1):
        after[i] = fams[i] if fams[i] is not None else after[i + 1]
    out: list[str] = []
    for i, ch in enumerate(text):
        fam = fams[i]
        if fam is None:
            cp = ord(ch)
            for candidate in (out[-1] if out else None, after[i + 1]):
                if candidate is not None and (
                    font(candidate).covers(cp) or unicodedata.category(ch) in ("Zs", "Cf", "Cc")
                ):
                    fam = candidate
                    break
            else:
                fam = family_for(cp) or BASE_FAMILY
        out.append(fam)
    return out


def _needs_shaping(f: PrintFont, text: str) -> bool:
    """Arabic script always; other runs only with combining marks to position. The rest is
    drawn from the font's character map (Latin, Vietnamese in NFC, Ge'ez and CJK need no
    contextual forms), which is much faster."""
    return f.family in SHAPED_FAMILIES or any(unicodedata.category(c).startswith("M") for c in text)


def _runs(text: str, bold: Sequence[bool], colors: Sequence[object], levels: Sequence[int]):
    fams = _families(text)
    runs: list[_Run] = []
    for i in range(len(text)):
        f = font(fams[i], bold[i])
        last = runs[-1] if runs else None
        if last and last.font is f and last.level == levels[i] and last.color is colors[i]:
            last.end = i + 1
        else:
            runs.append(_Run(i, i + 1, f, levels[i], colors[i]))
    for run in runs:
        run.shaped = _needs_shaping(run.font, text[run.start : run.end])
    return runs


def _shape(f: PrintFont, text: str, start: int, end: int, rtl: bool):
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in text], start, end - start)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    hb.shape(f.hb_font, buf, _FEATURES)
    return buf.glyph_infos, buf.glyph_positions


def _advances(runs: list[_Run], text: str, size: float) -> list[float]:
    """Width in points per character (a cluster's width on its first character)."""
    adv = [0.0] * len(text)
    for run in runs:
        if not run.shaped:
            widths = run.font.face.charWidths
            default = run.font.face.defaultWidth
            scale = size / 1000
            for i in range(run.start, run.end):
                adv[i] = widths.get(ord(text[i]), default) * scale
            continue
        infos, positions = _shape(run.font, text, run.start, run.end, run.level % 2 == 1)
        scale = size / run.font.units_per_em
        for info, pos in zip(infos, positions, strict=True):
            adv[info.cluster] += pos.x_advance * scale
    return adv


def _shaped_piece(f: PrintFont, text: str, start: int, end: int, rtl: bool, size: float):
    infos, positions = _shape(f, text, start, end, rtl)
    starts = sorted({info.cluster for info in infos} | {end})
    next_start = {c: starts[i + 1] for i, c in enumerate(starts[:-1])}
    seen: set[int] = set()
    chars = []
    data = []
    total = 0
    for info, pos in zip(infos, positions, strict=True):
        cluster = info.cluster
        cluster_text = "" if cluster in seen else text[cluster : next_start[cluster]]
        seen.add(cluster)
        code = f.code_for_glyph(info.codepoint, cluster_text)
        chars.append(chr(code))
        x_adv = f.to_1000(pos.x_advance)
        total += x_adv
        data.append(
            ShapeData(
                cluster - start,
                x_adv,
                f.to_1000(pos.y_advance),
                f.to_1000(pos.x_offset),
                f.to_1000(pos.y_offset),
                f.face.getCharWidth(code),
            )
        )
    return ShapedStr("".join(chars), shapeData=data), total * size / 1000


def _break_points(text: str) -> list[bool]:
    """``ok[i]``: a line may start at character ``i``."""
    ok = [False] * (len(text) + 1)
    for i in range(1, len(text)):
        prev, ch = text[i - 1], text[i]
        if ch in _SPACES:
            continue
        if prev in _BREAK_AFTER or _is_cjk(prev) or (_is_cjk(ch) and not _closing(ch)):
            ok[i] = True
    ok[len(text)] = True
    return ok


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return 0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF


def _closing(ch: str) -> bool:
    return unicodedata.category(ch) in ("Pe", "Pf", "Po")


def _wrap(text: str, adv: list[float], max_width: float) -> list[tuple[int, int]]:
    """Greedy line breaking: (start, end) per line, trailing spaces left out of ``end``."""
    ok = _break_points(text)
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        while start < n and text[start] in _SPACES:
            start += 1
        if start >= n:
            break
        width = 0.0
        last_break = None
        i = start
        while i < n:
            if ok[i] and i > start:
                last_break = i
            width += adv[i]
            if width > max_width and text[i] not in _SPACES and i > start:
                break
            i += 1
        if i >= n:
            end = n
        elif last_break is not None:
            end = last_break
        else:  # one word longer than the line: split it between clusters
            end = i
            while end > start + 1 and adv[end] == 0:
                end -= 1
        trimmed = end
        while trimmed > start and text[trimmed - 1] in _SPACES:
            trimmed -= 1
        lines.append((start, trimmed))
        start = end
    return lines


def _visual_order(items: list[tuple[int, Piece]]) -> list[Piece]:
    """UAX #9 L2 on whole runs: reverse every sequence at each level from the highest down."""
    if not items:
        return []
    levels = [level for level, _ in items]
    order = list(range(len(items)))
    top = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [items[k][1] for k in order]


def layout_text(
    spans: Sequence[Span], size: float, max_width: float, *, rtl: bool | None = None
) -> Layout:
    """Lay out ``spans`` at ``size`` points into lines at most ``max_width`` points wide.

    Hard line breaks ("\\n") start a new line. ``rtl`` forces the base direction; by default it
    is that of the first strong letter.
    """
    text = ""
    bold: list[bool] = []
    colors: list[object] = []
    for span in spans:
        t = unicodedata.normalize("NFC", span.text).replace("\r\n", "\n").replace("\r", "\n")
        text += t
        bold += [span.bold] * len(t)
        colors += [span.color] * len(t)
    if rtl is None:
        rtl = base_is_rtl(text)
    lines: list[Line] = []
    offset = 0
    for para in text.split("\n"):
        end = offset + len(para)
        if not para.strip():
            lines.append(Line((), 0.0))
        else:
            lines += _layout_paragraph(
                para, bold[offset:end], colors[offset:end], size, max_width, rtl
            )
        offset = end + 1
    return Layout(tuple(lines), rtl, size)


def _layout_paragraph(text, bold, colors, size, max_width, rtl) -> list[Line]:
    levels = bidi_levels(text, rtl)
    runs = _runs(text, bold, colors, levels)
    adv = _advances(runs, text, size)
    lines = []
    for start, end in _wrap(text, adv, max_width):
        items = []
        width = 0.0
        for run in runs:
            a, b = max(run.start, start), min(run.end, end)
            if a >= b:
                continue
            # Shape the slice with the whole run as context, so joins survive a split word.
            shaped, w = _shaped_slice(run, text, a, b, size)
            items.append((run.level, Piece(run.font, shaped, w, run.color)))
            width += w
        lines.append(Line(tuple(_visual_order(items)), width))
    return lines


def _shaped_slice(run: _Run, text: str, a: int, b: int, size: float):
    if not run.shaped:
        plain = text[a:b]
        return plain, run.font.stringWidth(plain, size)
    context = text[run.start : run.end]
    return _shaped_piece(run.font, context, a - run.start, b - run.start, run.level % 2, size)
