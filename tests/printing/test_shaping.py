"""Text layout: right-to-left order, Arabic joining, font fallback, line breaking."""

from __future__ import annotations

from desktop.printing.fonts import RENDER_LOCK, font, missing_characters
from desktop.printing.shaping import Span, base_is_rtl, layout_text


def glyphs(piece) -> list[int]:
    to_gid = piece.font.face.charToGlyph
    return [to_gid[ord(ch)] for ch in piece.text]


def test_arabic_letters_take_joined_forms():
    with RENDER_LOCK:
        line = layout_text([Span("مريم")], 12, 500).lines[0]
    (piece,) = line.pieces
    assert piece.font is font("arabic")
    gids = glyphs(piece)
    # Visual order (right to left): final meem, medial yeh, medial reh... the two meems differ.
    assert len(set(gids)) == 4
    assert gids[0] != gids[-1]


def test_mixed_line_is_in_visual_order():
    with RENDER_LOCK:
        layout = layout_text([Span("Maryam Hassan (مريم حسن) 2024")], 12, 500)
    assert not layout.rtl
    fonts_in_order = [p.font.fontName for p in layout.lines[0].pieces]
    assert fonts_in_order[0] == font("latin").fontName
    assert font("arabic").fontName in fonts_in_order


def test_rtl_paragraph_lines_read_top_to_bottom():
    text = "من می‌خواهم به دانشگاه بروم و پرستار شوم و به مردم کمک کنم"
    with RENDER_LOCK:
        layout = layout_text([Span(text)], 12, 120)
    assert layout.rtl and len(layout.lines) > 1
    assert all(line.width <= 120.5 for line in layout.lines)
    # The first line holds the first words: its glyph count matches their length.
    first_line_chars = sum(len(p.text) for p in layout.lines[0].pieces)
    assert first_line_chars < len(text) / 2


def test_majority_decides_direction():
    assert base_is_rtl("مريم حسن")
    assert not base_is_rtl("مريم came to the UK in 2021")


def test_every_script_has_a_font():
    sample = "Nguyễn Thị Hương ë ç ș ț ł ሰላም ተስፋይ مريم ښځه هێمن 王小明"
    assert missing_characters(sample) == set()


def test_long_words_are_split_to_fit():
    with RENDER_LOCK:
        layout = layout_text([Span("x" * 200)], 12, 100)
    assert len(layout.lines) > 1
    assert all(line.width <= 100.5 for line in layout.lines)
