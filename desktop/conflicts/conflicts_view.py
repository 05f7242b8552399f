"""The open sync conflicts of one young person, or of the whole caseload, one card each.

Reads :func:`models.repo.conflicts.conflict_details` through the operation layer, and records a
choice ("Keep this" on either side, or a combined text) as a resolution on the write lane
(:func:`models.merge.resolve_conflict`), announcing it like any edit: the record's kind and
``Kind.CONFLICTS``. Re-reads whenever a change about conflicts is announced (a resolution
here or elsewhere, or a sync), so it always shows what is still open. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from desktop.accessible import heading, message_label, scaled_font, show_message, wrapped
from desktop.bidi import isolate
from desktop.conflicts.combine_dialog import CombineDialog
from desktop.conflicts.conflict_card import ConflictCard
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from models import merge
from models.errors import PathwayDeskError, RecordNotFound
from models.repo.conflicts import ConflictDetail, conflict_details

# Which views a resolution concerns, by the record's table.
TABLE_KINDS = {
    "young_people": Kind.PROFILE,
    "important_people": Kind.PEOPLE,
    "key_dates": Kind.PEOPLE,
    "plans": Kind.PLAN,
    "plan_sections": Kind.PLAN,
    "plan_actions": Kind.PLAN,
    "plan_versions": Kind.PLAN,
    "contact_notes": Kind.NOTES,
    "documents": Kind.DOCUMENTS,
    "memory_items": Kind.MEMORIES,
    "team_services": Kind.SETTINGS,
}


def resolution_changes(detail: ConflictDetail) -> Changes:
    kind = TABLE_KINDS.get(detail.table, Kind.PROFILE)
    return Changes.of(detail.young_person_id, kind, Kind.CONFLICTS)


def count_text(n: int) -> str:
    return f"{n} sync conflict{'s' if n != 1 else ''} to resolve"


class ConflictsView(QWidget):
    loaded = Signal()  # the cards show the conflicts as last read
    resolved = Signal(str)  # a conflict id whose resolution is recorded

    def __init__(
        self, ops: Operations, young_person_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self.details: list[ConflictDetail] = []
        self.cards: list[ConflictCard] = []
        self._focus_after: int | None = None  # the card index to focus after the next read
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setObjectName("ConflictsView")
        self.summary = wrapped("Loading…")
        self.summary.setFont(scaled_font(self.summary.font(), 1.05, bold=True))
        self.summary.setAccessibleName("Sync conflicts")
        self.intro = wrapped(
            "The same thing was changed on two devices before they synced. For each one, keep "
            "the version that is right, or combine two texts. Your choice goes to every laptop "
            "at the next sync."
        )
        self.problem = message_label("error")
        self.problem.setAccessibleName("Problem")
        self.container = QWidget()
        self.cards_layout = QVBoxLayout(self.container)
        self.cards_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.container)
        self.scroll.setAccessibleName("Conflicts to resolve")
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.intro)
        layout.addWidget(self.problem)
        layout.addWidget(self.scroll, 1)

    def _connect_signals(self) -> None:
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        yp = self.young_person_id
        self._ops.read(
            lambda s: conflict_details(s, yp),
            parent=self,
            on_done=self._show,
            on_failed=self._on_read_failed,
        )

    # -- slots ---------------------------------------------------------------------------------

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(Kind.CONFLICTS) and (
            self.young_person_id is None or changes.concerns(self.young_person_id)
        ):
            self._load()

    def on_card_keep_chosen(self, conflict_id: str, keep: str) -> None:
        detail = self._detail(conflict_id)
        if detail is None:
            return
        self._set_busy(conflict_id, True)
        self._focus_after = self._index(conflict_id)
        self._ops.write(
            lambda s: merge.resolve_conflict(s, conflict_id, keep=keep),
            resolution_changes(detail),
            parent=self,
            on_done=lambda _r: self.resolved.emit(conflict_id),
            on_failed=lambda exc: self._on_write_failed(conflict_id, exc),
        )

    def on_card_combine_chosen(self, conflict_id: str) -> None:
        detail = self._detail(conflict_id)
        if detail is None:
            return
        dialog = CombineDialog(self._ops, detail, resolution_changes(detail), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.combined.connect(self.on_combine_dialog_combined)
        self.combine_dialog = dialog
        dialog.open()

    def on_combine_dialog_combined(self, conflict_id: str) -> None:
        self._focus_after = self._index(conflict_id)
        self.resolved.emit(conflict_id)

    # -- helpers -------------------------------------------------------------------------------

    def _show(self, details: list[ConflictDetail]) -> None:
        self.details = details
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        while self.cards_layout.count() > 1:  # the headings; the stretch stays last
            item = self.cards_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        n = len(details)
        text = count_text(n) if n else "No sync conflicts to resolve."
        if n and self.young_person_id is not None and details[0].young_person_name:
            text = f"{count_text(n)} in {isolate(details[0].young_person_name)}’s record"
        self.summary.setText(text)
        self.summary.setAccessibleName(self.summary.text())
        self.intro.setVisible(bool(n))
        person = object()
        position = 0
        for detail in details:
            if self.young_person_id is None and detail.young_person_id != person:
                person = detail.young_person_id
                name = detail.young_person_name or "Team-wide records"
                title = heading(isolate(name), 2)
                title.setAccessibleName(f"Young person: {name}" if detail.young_person_id else name)
                self.cards_layout.insertWidget(position, title)
                position += 1
            card = ConflictCard(detail)
            card.keep_chosen.connect(self.on_card_keep_chosen)
            card.combine_chosen.connect(self.on_card_combine_chosen)
            self.cards_layout.insertWidget(position, card)
            position += 1
            self.cards.append(card)
        self._restore_focus()
        self.loaded.emit()

    def _restore_focus(self) -> None:
        """After a choice, the next conflict's first button takes the focus (the keyboard user
        carries on where they were); with none left, the summary says so."""
        index, self._focus_after = self._focus_after, None
        if index is None:
            return
        if self.cards:
            card = self.cards[min(index, len(self.cards) - 1)]
            card.first_button().setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(card)
        else:
            self.summary.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.summary.setFocus(Qt.FocusReason.OtherFocusReason)

    def _detail(self, conflict_id: str) -> ConflictDetail | None:
        return next((d for d in self.details if d.id == conflict_id), None)

    def _index(self, conflict_id: str) -> int:
        return next((i for i, d in enumerate(self.details) if d.id == conflict_id), 0)

    def _set_busy(self, conflict_id: str, busy: bool) -> None:
        for card in self.cards:
            if card.detail.id == conflict_id:
                card.set_busy(busy)

    def _on_write_failed(self, conflict_id: str, exc: BaseException) -> None:
        self._set_busy(conflict_id, False)
        self._focus_after = None
        if isinstance(exc, RecordNotFound):  # settled meanwhile (a sync, another window)
            show_message(self.problem, "That conflict was already settled; the list is updated.")
            self._load()
        elif isinstance(exc, PathwayDeskError):
            show_message(self.problem, f"Not saved: {exc}")
        else:
            show_message(self.problem, "Not saved.")
            show_error(self, exc)

    def _on_read_failed(self, exc: BaseException) -> None:
        self.summary.setText("The conflicts could not be read.")
        if not isinstance(exc, PathwayDeskError):
            show_error(self, exc)
