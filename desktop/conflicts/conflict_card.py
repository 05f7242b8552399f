"""One sync conflict on screen: both versions side by side with who wrote each, on which device
and when; for text, the difference word by word; "Keep this" under each side and, for text,
"Combine…". The card only says what the person chose (signals); the view records it.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import heading
from desktop.bidi import isolate
from desktop.conflicts.conflict_text import (
    EMPTY,
    diff_html,
    diff_summary,
    headline,
    side_caption,
    value_text,
    word_diff,
)
from models.repo.conflicts import ConflictDetail

# Dark enough on white for 4.5:1, and told apart by the [+ ]/[− ] markers, underline and strike
# as well, so greyscale and colour-blind readers lose nothing.
ADDED_COLOUR = "#1f5f2a"
REMOVED_COLOUR = "#8a1c15"
LEGEND = (
    "[+ underlined] only in the other version · [− struck through] only in the version shown now"
)


def _lines_isolated(text: str) -> str:
    """Each line isolated, so a value beginning with an Arabic name keeps its reading order."""
    return "\n".join(isolate(line) for line in text.split("\n"))


def _value_label(text: str, name: str) -> QLabel:
    label = QLabel(_lines_isolated(text))
    label.setTextFormat(Qt.TextFormat.PlainText)  # typed text is never read as markup
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    # Reachable by Tab, so a screen-reader user hears each value in full.
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setAccessibleName(name)
    label.setAccessibleDescription(text)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(label.fontMetrics().averageCharWidth())
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if text == EMPTY:
        label.setEnabled(False)
    return label


class ConflictCard(QFrame):
    keep_chosen = Signal(str, str)  # conflict id, "current" or "other"
    combine_chosen = Signal(str)  # conflict id

    def __init__(self, detail: ConflictDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = detail
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        d = self.detail
        self.setObjectName("ConflictCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = heading(headline(d), 3)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        now_text, other_text = value_text(d, d.current), value_text(d, d.other)
        now_heading, other_heading = "Shown now", "Other version"
        if d.removal:
            keep_now, keep_other = "Keep the record", "Remove it"
        else:
            # No mnemonics: every card has these buttons, so Alt+letter would be ambiguous.
            keep_now, keep_other = "Keep this", "Keep this"
        self.now_value = _value_label(now_text, f"{now_heading}: {now_text}")
        self.other_value = _value_label(other_text, f"{other_heading}: {other_text}")
        self.now_by = self._caption(side_caption(d.current))
        self.other_by = self._caption(side_caption(d.other))
        self.keep_now_button = QPushButton(keep_now)
        self.keep_other_button = QPushButton(keep_other)
        what = headline(d)
        if d.removal:
            self.keep_now_button.setAccessibleName(f"Keep the record ({what})")
            self.keep_other_button.setAccessibleName(f"Remove it after all ({what})")
        else:
            self.keep_now_button.setAccessibleName(f"Keep the version shown now: {now_text}")
            self.keep_other_button.setAccessibleName(f"Keep the other version: {other_text}")
        self.keep_now_button.setAccessibleDescription(f"{what}. {side_caption(d.current)}")
        self.keep_other_button.setAccessibleDescription(f"{what}. {side_caption(d.other)}")
        grid = QGridLayout()
        grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth() * 3)
        for column, (label, value, by, button) in enumerate(
            (
                (now_heading, self.now_value, self.now_by, self.keep_now_button),
                (other_heading, self.other_value, self.other_by, self.keep_other_button),
            )
        ):
            grid.addWidget(heading(label, 3), 0, column)
            grid.addWidget(value, 1, column)
            grid.addWidget(by, 2, column)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            grid.addLayout(row, 3, column)
            grid.setColumnStretch(column, 1)
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        self.diff_label: QLabel | None = None
        self.combine_button: QPushButton | None = None
        if d.free_text and not d.removal:
            self._add_difference(layout)
        if d.combinable:
            self.combine_button = QPushButton("Combine…")
            self.combine_button.setAccessibleName(f"Combine both versions ({what})")
            self.combine_button.setAccessibleDescription(
                "Opens an editor holding both versions, to write the one to keep"
            )
            row = QHBoxLayout()
            row.addWidget(self.combine_button)
            row.addStretch(1)
            layout.addLayout(row)
        self.setAccessibleName(f"Sync conflict: {what}")
        # Column by column: a side's value, then the button that keeps it.
        chain = [self.now_value, self.keep_now_button, self.other_value, self.keep_other_button]
        chain += [w for w in (self.diff_label, self.combine_button) if w is not None]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAccessibleName(text)
        return label

    def _add_difference(self, layout: QVBoxLayout) -> None:
        d = self.detail
        now, other = str(d.current.value or ""), str(d.other.value or "")
        if not now or not other or now == other:
            return
        pieces = word_diff(now, other)
        summary = diff_summary(pieces)
        layout.addWidget(heading("Difference, word by word", 3))
        self.diff_label = QLabel(
            diff_html(pieces, added_colour=ADDED_COLOUR, removed_colour=REMOVED_COLOUR)
        )
        self.diff_label.setTextFormat(Qt.TextFormat.RichText)
        self.diff_label.setWordWrap(True)
        self.diff_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.diff_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.diff_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.diff_label.setMargin(self.fontMetrics().averageCharWidth())
        self.diff_label.setAccessibleName("Difference, word by word")
        self.diff_label.setAccessibleDescription(summary)
        self.diff_label.setToolTip(summary)
        self.diff_summary = summary
        layout.addWidget(self.diff_label)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setAccessibleName(LEGEND)
        layout.addWidget(legend)

    def _connect_signals(self) -> None:
        self.keep_now_button.clicked.connect(self.on_keep_now_button_clicked)
        self.keep_other_button.clicked.connect(self.on_keep_other_button_clicked)
        if self.combine_button is not None:
            self.combine_button.clicked.connect(self.on_combine_button_clicked)

    def on_keep_now_button_clicked(self) -> None:
        self.keep_chosen.emit(self.detail.id, "current")

    def on_keep_other_button_clicked(self) -> None:
        self.keep_chosen.emit(self.detail.id, "other")

    def on_combine_button_clicked(self) -> None:
        self.combine_chosen.emit(self.detail.id)

    def set_busy(self, busy: bool) -> None:
        for button in (self.keep_now_button, self.keep_other_button, self.combine_button):
            if button is not None:
                button.setEnabled(not busy)

    def first_button(self) -> QPushButton:
        return self.keep_now_button
