"""Names in English sentences, whatever their script.

An Arabic-script name put into an English sentence makes Qt read the whole paragraph as
right-to-left (its first strong letter is Arabic): the sentence is scrambled around the name and
pushed to the right edge. :func:`isolate` wraps a name in a Unicode isolate (FSI … PDI, so its
letters are laid out on their own and never reorder the words around them), preceded by a
left-to-right mark, because Qt decides a paragraph's direction from its first strong letter
without skipping isolates. Every place that interpolates a name (or any typed value) into
interface text uses it. Text with no right-to-left letter is returned unchanged, so plain Latin
names stay plain (and accessible names carry no invisible characters).

:func:`set_left_to_right` does the same for a whole editor: English notes and summaries that begin
with an Arabic name keep their left-to-right reading order. Pure apart from that helper.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

LRM = "\u200e"  # left-to-right mark
FSI = "\u2068"  # first strong isolate
PDI = "\u2069"  # pop directional isolate

_RTL_CLASSES = frozenset({"R", "AL"})


def has_rtl(text: str) -> bool:
    """Whether ``text`` has a right-to-left letter (Arabic, Hebrew, Syriac, Thaana…)."""
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def isolate(text: str) -> str:
    """``text`` ready to go into a left-to-right sentence: isolated if it has RTL letters."""
    if not text or not has_rtl(text) or text.startswith(LRM + FSI):
        return text
    return f"{LRM}{FSI}{text}{PDI}"


def set_left_to_right(edit: QTextEdit | QPlainTextEdit) -> None:
    """Lays every paragraph of ``edit`` out left to right, whatever letter it starts with."""
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    document = edit.document()
    option = QTextOption(document.defaultTextOption())
    option.setTextDirection(Qt.LayoutDirection.LeftToRight)
    document.setDefaultTextOption(option)
