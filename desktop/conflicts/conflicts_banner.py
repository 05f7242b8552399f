"""The banner on a young person's record while they have open sync conflicts: "2 sync conflicts
to resolve" and a button that opens them. Hidden when there are none. Counts through the
operation layer, again after every change announced for this young person (a sync that opened
one, a resolution that settled one). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.conflicts.conflicts_view import count_text
from desktop.operations import Changes, Kind, Operations
from models.repo.conflicts import count_open_conflicts


class ConflictsBanner(QFrame):
    open_requested = Signal()
    counted = Signal(int)  # the number of open conflicts, as last read

    def __init__(self, ops: Operations, young_person_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self.count = 0
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setObjectName("ConflictsBanner")
        self.setProperty("banner", "conflicts")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.open_button = QPushButton("&Resolve conflicts…")
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        self.setVisible(False)

    def _connect_signals(self) -> None:
        self.open_button.clicked.connect(self.open_requested)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        yp = self.young_person_id
        self._ops.read(
            lambda s: count_open_conflicts(s, yp),
            parent=self,
            on_done=self._show,
            on_failed=lambda _exc: None,  # a reminder only; the Sync menu lists them all
        )

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self.young_person_id) and not changes.kinds <= {
            Kind.DRAFTS,
            Kind.AUDIT,
        }:
            self._load()

    def _show(self, count: int) -> None:
        self.count = count
        text = count_text(count)
        self.label.setText(
            f"{text}: this record was changed on two devices at once. Choose what to keep."
        )
        self.label.setAccessibleName(text)
        self.open_button.setAccessibleName(f"Resolve {count} sync conflicts")
        self.open_button.setAccessibleDescription(self.label.text())
        self.setAccessibleName(text)
        self.setVisible(count > 0)
        self.counted.emit(count)
