"""A plain horizontal bar chart drawn with QPainter: a label, a bar and its number per row.

Readable at 200% and in greyscale print: sizes come from the font (never pixels), bars are the
palette's text colour on its base (dark on light, whatever the theme), every bar carries its
number in words beside it, and no meaning rests on colour. Screen readers get the same numbers
as the accessible description. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._bars: list[tuple[str, int]] = []
        self._note = ""
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # so a screen reader can reach it
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[tuple[str, int]], note: str = "") -> None:
        """``bars``: (label, value), drawn top to bottom; ``note`` under the title."""
        self._bars, self._note = list(bars), note
        described = "; ".join(f"{label}: {value}" for label, value in self._bars)
        self.setAccessibleDescription(f"{note} {described}".strip())
        self.setToolTip(described)
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        return list(self._bars)

    def _row_height(self) -> int:
        return round(self.fontMetrics().lineSpacing() * 1.4)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = self.fontMetrics()
        lines = 2 + (1 if self._note else 0)
        height = metrics.lineSpacing() * lines + self._row_height() * max(1, len(self._bars))
        return QSize(metrics.averageCharWidth() * 60, height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().averageCharWidth() * 40, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ink = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        width = self.width()
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(ink)
        painter.drawText(0, metrics.ascent(), self._title)
        painter.setFont(self.font())
        y = line * 1.5
        if self._note:
            painter.drawText(0, round(y + metrics.ascent()), self._note)
            y += line
        if not self._bars:
            painter.drawText(0, round(y + metrics.ascent()), "Nothing to show.")
            return
        label_width = max(metrics.horizontalAdvance(label) for label, _ in self._bars)
        label_width = min(label_width, width // 3) + metrics.averageCharWidth()
        number_width = metrics.horizontalAdvance("0000") + metrics.averageCharWidth()
        room = max(1, width - label_width - number_width)
        top = max((value for _, value in self._bars), default=0) or 1
        row = self._row_height()
        bar_height = row * 0.65
        for label, value in self._bars:
            baseline = round(y + (row + metrics.ascent() - metrics.descent()) / 2)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width)
            painter.setPen(ink)
            painter.drawText(0, baseline, shown)
            length = room * value / top
            bar = QRectF(label_width, y + (row - bar_height) / 2, length, bar_height)
            painter.fillRect(bar, ink)
            painter.drawText(
                round(label_width + length + metrics.averageCharWidth() / 2), baseline, str(value)
            )
            y += row
        painter.end()
