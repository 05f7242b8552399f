"""English sentences keep their reading order around names in right-to-left scripts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPlainTextEdit

from desktop.accessible import wrapped
from desktop.bidi import FSI, LRM, PDI, isolate, set_left_to_right

ARABIC = "محمد"


def test_isolate_wraps_right_to_left_names_only() -> None:
    assert isolate(ARABIC) == f"{LRM}{FSI}{ARABIC}{PDI}"
    assert isolate("Chloe Harris") == "Chloe Harris"
    assert isolate("ሰላም") == "ሰላም"  # Ge'ez is left to right
    assert isolate("") == ""
    assert isolate(isolate(ARABIC)) == isolate(ARABIC)  # never wrapped twice


def _ink_columns(label) -> list[int]:
    image = label.grab().toImage()
    return [
        x
        for x in range(image.width())
        for y in range(image.height())
        if QColor(image.pixel(x, y)).lightness() < 128
    ]


def test_a_sentence_starting_with_an_arabic_name_starts_at_the_left(qtbot) -> None:
    plain = wrapped(f"{ARABIC}'s photos and memories")
    fixed = wrapped(f"{isolate(ARABIC)}'s photos and memories")
    for label in (plain, fixed):
        qtbot.addWidget(label)
        label.resize(600, 40)
    assert min(_ink_columns(plain)) > 300  # the bug: read as right to left, pushed right
    assert min(_ink_columns(fixed)) < 20


def test_editors_lay_out_english_text_starting_with_an_arabic_name_left_to_right(qtbot) -> None:
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    set_left_to_right(edit)
    edit.setPlainText(f"{ARABIC} is funny and kind.")
    assert edit.document().firstBlock().textDirection() == Qt.LayoutDirection.LeftToRight
