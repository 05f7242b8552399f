"""Sync ▸ Conflicts…: every open sync conflict of the caseload (or of one young person, from
their record), in a window of its own that stays open while the adviser works.

The title never holds a young person's name (the taskbar is public). GUI thread only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop.accessible import heading
from desktop.conflicts.conflicts_view import ConflictsView
from desktop.operations import Operations


class ConflictsDialog(QDialog):
    def __init__(
        self, ops: Operations, young_person_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Sync conflicts")
        self.view = ConflictsView(self._ops, self.young_person_id, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        title = "Sync conflicts" if self.young_person_id is None else "This record's conflicts"
        layout.addWidget(heading(title, 1))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 120, metrics.lineSpacing() * 40)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
