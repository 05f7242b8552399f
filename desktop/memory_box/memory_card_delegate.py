"""Draws Memory Box items: as warm cards in the grid (picture, caption, who added it), or as rows
of a timeline with a heading at each new year. Written memories show their words on a paper-
coloured card. Selection is a thick frame plus the focus rectangle, not a colour alone.
Sizes follow the font, so they grow with the system font and at 200% scale. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.memory_box.memory_model import (
    BYLINE_ROLE,
    ITEM_ROLE,
    THUMBNAIL_ROLE,
    YEAR_ROLE,
    memory_day,
)
from models.domain import MemoryKind
from models.records import StoredFile

Index = QModelIndex | QPersistentModelIndex
CARD = QColor("#fffaf2")
PAPER = QColor("#fff3c4")
PLACEHOLDER = {"photo": QColor("#f6d7c3"), "document": QColor("#d9e6f2"), "memory": PAPER}
INK = QColor("#3b2f2a")


class MemoryCardDelegate(QStyledItemDelegate):
    GRID = "grid"
    TIMELINE = "timeline"

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.mode = self.GRID

    # -- sizes (all from the font) -----------------------------------------------------------

    def unit(self) -> int:
        return self._view.fontMetrics().height()

    def thumb_side(self) -> int:
        return self.unit() * (9 if self.mode == self.GRID else 4)

    def card_size(self) -> QSize:
        u = self.unit()
        side = self.thumb_side()
        return QSize(side + u, side + u * 5)  # the title may take two lines

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        if self.mode == self.GRID:
            return self.card_size()
        u = self.unit()
        height = self.thumb_side() + u
        if self._starts_year(index):
            height += int(u * 2.2)
        # The full width of the list, less its spacing, so no sideways scrolling is needed.
        width = self._view.viewport().width() - 2 * self._view.spacing() - 2
        return QSize(max(width, u * 20), height)

    def _starts_year(self, index: Index) -> bool:
        if index.row() == 0:
            return True
        return index.siblingAtRow(index.row() - 1).data(YEAR_ROLE) != index.data(YEAR_ROLE)

    # -- painting ----------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item: StoredFile = index.data(ITEM_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self.mode == self.GRID:
            self._paint_card(painter, option, index, item)
        else:
            self._paint_row(painter, option, index, item)
        painter.restore()

    def _frame(self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        u = self.unit()
        highlight = option.palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(highlight, max(3, u // 5)) if selected else QPen(QColor("#e3d6c6"), 1))
        painter.setBrush(CARD)
        painter.drawRoundedRect(QRectF(rect).adjusted(2, 2, -2, -2), u * 0.6, u * 0.6)
        if option.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionViewItem(option)
            focus.rect = rect.adjusted(u // 3, u // 3, -u // 3, -u // 3)
            self._view.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, self._view
            )

    def _paint_picture(self, painter: QPainter, rect: QRect, index: Index, item: StoredFile):
        u = self.unit()
        pixmap: QPixmap | None = index.data(THUMBNAIL_ROLE)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        if pixmap is not None and not pixmap.isNull():
            # Photos fill their square, cropped at the edges as on a photo wall; a document's
            # page is shown whole.
            photo = item.kind == MemoryKind.PHOTO
            mode = (
                Qt.AspectRatioMode.KeepAspectRatioByExpanding
                if photo
                else Qt.AspectRatioMode.KeepAspectRatio
            )
            size = pixmap.deviceIndependentSize().toSize().scaled(rect.size(), mode)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(rect.center())
            clip = QPainterPath()
            clip.addRoundedRect(QRectF(rect), u * 0.4, u * 0.4)
            painter.setBrush(QColor("#f1e7da"))
            painter.drawPath(clip)
            painter.setClipPath(clip)
            painter.drawPixmap(target, pixmap)
        else:
            painter.setBrush(PLACEHOLDER.get(item.kind, PAPER))
            painter.drawRoundedRect(QRectF(rect), u * 0.4, u * 0.4)
            painter.setPen(INK)
            if item.kind == MemoryKind.MEMORY and self.mode == self.TIMELINE:
                font = QFont(self._view.font())
                font.setPointSizeF(max(font.pointSizeF(), 1.0) * 3)
                painter.setFont(font)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "\u201c")
            elif item.kind == MemoryKind.MEMORY:
                font = QFont(self._view.font())
                font.setItalic(True)
                painter.setFont(font)
                inner = rect.adjusted(u // 2, u // 2, -u // 2, -u // 2)
                painter.drawText(
                    inner,
                    Qt.AlignmentFlag.AlignLeft
                    | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWordWrap,
                    f"\u201c{item.body.strip()}\u201d",
                )
            elif item.kind == MemoryKind.PHOTO:
                _draw_photo_symbol(painter, rect)
            else:
                _draw_page_symbol(painter, rect)
        painter.restore()

    def _paint_card(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, item: StoredFile
    ) -> None:
        u = self.unit()
        rect = option.rect
        self._frame(painter, option, rect)
        side = self.thumb_side()
        picture = QRect(rect.left() + u // 2, rect.top() + u // 2, side, side)
        self._paint_picture(painter, picture, index, item)
        fm = self._view.fontMetrics()
        text_left = rect.left() + u // 2
        width = side
        y = picture.bottom() + u // 3
        bold = QFont(self._view.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(INK)
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        for n, line in enumerate(_two_lines(QFontMetrics(bold), title, width)):
            box = QRect(text_left, y + n * u, width, u)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft, line)
        painter.setFont(self._view.font())
        painter.setPen(QColor("#6b5a50"))
        line2 = fm.elidedText(memory_day(item), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(text_left, y + 2 * u, width, u), Qt.AlignmentFlag.AlignLeft, line2)
        line3 = fm.elidedText(index.data(BYLINE_ROLE) or "", Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(text_left, y + 3 * u, width, u), Qt.AlignmentFlag.AlignLeft, line3)

    def _paint_row(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, item: StoredFile
    ) -> None:
        u = self.unit()
        rect = QRect(option.rect)
        if self._starts_year(index):
            year_font = QFont(self._view.font())
            year_font.setBold(True)
            year_font.setPointSizeF(max(year_font.pointSizeF(), 1.0) * 1.4)
            painter.setFont(year_font)
            painter.setPen(INK)
            header = QRect(rect.left() + u // 2, rect.top(), rect.width(), int(u * 2.2))
            painter.drawText(
                header,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(index.data(YEAR_ROLE)),
            )
            rect.setTop(header.bottom())
        # the timeline's spine and a dot for this memory
        spine_x = rect.left() + u * 5
        painter.setPen(QPen(QColor("#d9c3ad"), max(2, u // 8)))
        painter.drawLine(spine_x, rect.top(), spine_x, rect.bottom())
        painter.setBrush(QColor("#c0703a"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(
            QRectF(spine_x - u / 3, rect.center().y() - u / 3, u * 2 / 3, u * 2 / 3)
        )
        painter.setFont(self._view.font())
        painter.setPen(QColor("#6b5a50"))
        painter.drawText(
            QRect(rect.left(), rect.top(), u * 4 + u // 2, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            memory_day(item),
        )
        card = QRect(
            spine_x + u, rect.top() + u // 4, rect.right() - spine_x - u, rect.height() - u // 2
        )
        self._frame(painter, option, card)
        side = self.thumb_side() - u // 2
        picture = QRect(card.left() + u // 2, card.top() + u // 4 + 1, side, side)
        self._paint_picture(painter, picture, index, item)
        text = QRect(
            picture.right() + u,
            card.top() + u // 3,
            card.right() - picture.right() - u * 2,
            card.height() - u // 2,
        )
        bold = QFont(self._view.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(INK)
        fm = self._view.fontMetrics()
        painter.drawText(
            QRect(text.left(), text.top(), text.width(), u),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(bold).elidedText(
                index.data(Qt.ItemDataRole.DisplayRole) or "",
                Qt.TextElideMode.ElideRight,
                text.width(),
            ),
        )
        painter.setFont(self._view.font())
        if item.kind == MemoryKind.MEMORY:
            body = item.body.strip().replace("\n", " ")
        elif item.kind == MemoryKind.PHOTO:
            body = "Photo"
        else:
            body = f"Document: {item.filename}"
        painter.drawText(
            QRect(text.left(), text.top() + u, text.width(), u),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(body, Qt.TextElideMode.ElideRight, text.width()),
        )
        painter.setPen(QColor("#6b5a50"))
        painter.drawText(
            QRect(text.left(), text.top() + 2 * u, text.width(), u),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(index.data(BYLINE_ROLE) or "", Qt.TextElideMode.ElideRight, text.width()),
        )


def _draw_photo_symbol(painter: QPainter, rect: QRect) -> None:
    """A sun over two hills: "a photo, still being opened" (drawn, so no font is needed)."""
    r = QRectF(rect)
    ink = QColor("#b06a45")
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink.lighter(130))
    d = r.width() * 0.16
    painter.drawEllipse(QRectF(r.left() + r.width() * 0.6, r.top() + r.height() * 0.22, d, d))
    painter.setBrush(ink)
    hills = QPolygonF(
        [
            QPointF(r.left() + r.width() * 0.15, r.top() + r.height() * 0.75),
            QPointF(r.left() + r.width() * 0.4, r.top() + r.height() * 0.45),
            QPointF(r.left() + r.width() * 0.55, r.top() + r.height() * 0.6),
            QPointF(r.left() + r.width() * 0.68, r.top() + r.height() * 0.5),
            QPointF(r.left() + r.width() * 0.85, r.top() + r.height() * 0.75),
        ]
    )
    painter.drawPolygon(hills)


def _draw_page_symbol(painter: QPainter, rect: QRect) -> None:
    """A page with lines of text: "a document"."""
    r = QRectF(rect)
    w, h = r.width() * 0.42, r.height() * 0.55
    page = QRectF(r.center().x() - w / 2, r.center().y() - h / 2, w, h)
    painter.setPen(QPen(QColor("#4f6d8a"), max(1.5, r.width() / 60)))
    painter.setBrush(QColor("white"))
    painter.drawRect(page)
    for i in range(1, 5):
        y = page.top() + page.height() * i / 5.5
        painter.drawLine(QPointF(page.left() + w * 0.15, y), QPointF(page.right() - w * 0.15, y))


def _two_lines(fm: QFontMetrics, text: str, width: int) -> list[str]:
    """``text`` over at most two lines of ``width``, broken between words; the second line
    elided if it still does not fit."""
    if fm.horizontalAdvance(text) <= width:
        return [text]
    words = text.split()
    first = ""
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        if fm.horizontalAdvance(candidate) <= width:
            first, rest = candidate, " ".join(words[n:])
            break
    if not first:  # one long word: no break to be had
        return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    return [first, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
