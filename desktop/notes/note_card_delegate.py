"""Draws each note of the timeline as a card of rich text; an amendment is indented under the
note it corrects, with a bar down its left edge (and the word "Amendment" in the card, so the
relation never rests on position or colour alone). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.notes.notes_model import HTML_ROLE, NOTE_ROLE

Index = QModelIndex | QPersistentModelIndex


class NoteCardDelegate(QStyledItemDelegate):
    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def _margins(self) -> tuple[int, int]:
        unit = self._view.fontMetrics().averageCharWidth()
        return unit, self._view.fontMetrics().height() // 3

    def _indent(self, index: Index) -> int:
        note = index.data(NOTE_ROLE)
        return self._view.fontMetrics().averageCharWidth() * 4 if note and note.amends_id else 0

    def _document(self, index: Index, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self._view.font())
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(width, 50.0))
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        pad_x, pad_y = self._margins()
        width = self._view.viewport().width() - self._indent(index) - 2 * pad_x - 4
        doc = self._document(index, width)
        return QSize(int(width), int(doc.size().height()) + 2 * pad_y + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        pad_x, pad_y = self._margins()
        indent = self._indent(index)
        rect = option.rect.adjusted(indent, 1, 0, -1)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(
            palette.color(QPalette.ColorRole.Highlight)
            if selected
            else palette.color(QPalette.ColorRole.Base)
        )
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        if indent:
            bar = QRectF(rect.left() - indent / 2 - 2, rect.top(), 4, rect.height())
            painter.fillRect(bar, palette.color(QPalette.ColorRole.Mid))
        doc = self._document(index, rect.width() - 2 * pad_x)
        painter.translate(rect.left() + pad_x, rect.top() + pad_y)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, palette.color(role))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
        if option.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionViewItem(option)
            focus.rect = rect
            self._view.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, self._view
            )
