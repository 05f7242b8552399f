"""The start of the plan: the life summary, the next review date, and where agreement stands.

Same save model as the matters: text is a draft while typed and saved on leaving the field;
the review date is saved when the adviser leaves the date field. GUI thread only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from desktop.accessible import buddy_label, heading, wrapped
from desktop.bidi import isolate
from desktop.dates import format_day
from desktop.drafts import DraftKeeper
from desktop.operations import Operations
from desktop.plan.matter_page import PendingWrite, draft_key, save_pending
from desktop.plan.matter_style import OVERVIEW, matter_icon
from desktop.widgets.draft_text_edit import DraftTextEdit
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.records import PlanView
from models.repo import plans
from models.rules import next_review_due


def agreement_text(plan: PlanView) -> str:
    if not plan.versions:
        return "Not agreed yet: this is a draft plan."
    v = plan.versions[-1]
    who = f" with {v.agreed_with}" if v.agreed_with else ""
    return f"Version {v.version} agreed on {format_day(v.agreed_on)}{who}."


class OverviewPage(QWidget):
    saved = Signal()
    dirty_changed = Signal(bool)

    def __init__(
        self, ops: Operations, young_person_id: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._name = name or "the young person"
        self._saved_review: date | None = None
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()

    def _build_ui(self) -> None:
        title_row = QHBoxLayout()
        icon = QLabel()
        size = self.fontMetrics().height() * 2
        icon.setPixmap(matter_icon(OVERVIEW, size).pixmap(size, size))
        title_row.addWidget(icon)
        title_row.addWidget(heading("Life summary and review", 2), 1)
        intro = wrapped(
            f"A short story of {isolate(self._name)}'s life so far, in words they are happy with. "
            "It opens the plan."
        )
        intro.setProperty("secondary", True)
        self.life_summary_edit = DraftTextEdit(
            self._ops,
            draft_key(self._yp, "overview", "life_summary"),
            "Life summary",
            f"Where {isolate(self._name)} grew up, who matters, what they are proud of\u2026",
        )
        self.review_date_edit = OptionalDateEdit("Next review date")
        self._review_draft = DraftKeeper(
            self._ops, draft_key(self._yp, "overview", "review_date"), self
        )
        self.review_hint_label = wrapped("")
        self.review_hint_label.setAccessibleName("When the next review is due")
        self.agreement_label = wrapped("")
        self.agreement_label.setAccessibleName("Agreement")

        review_row = QHBoxLayout()
        review_row.addWidget(buddy_label("Ne&xt review:", self.review_date_edit))
        review_row.addWidget(self.review_date_edit)
        review_row.addWidget(self.review_hint_label, 1)
        self.review_date_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(intro)
        layout.addWidget(buddy_label("&Life summary", self.life_summary_edit))
        layout.addWidget(self.life_summary_edit, 1)
        layout.addLayout(review_row)
        layout.addWidget(self.agreement_label)

    def _connect_signals(self) -> None:
        self.life_summary_edit.dirty_changed.connect(lambda _d: self._emit_dirty())
        self.life_summary_edit.editing_finished.connect(self.save)
        self.review_date_edit.dateChanged.connect(self.on_review_date_edit_date_changed)
        self.review_date_edit.editingFinished.connect(self.on_review_date_edit_editing_finished)

    def load(self, plan: PlanView, drafts: dict[str, dict[str, Any]]) -> None:
        self.life_summary_edit.set_saved_text(
            plan.life_summary, drafts.get(self.life_summary_edit.draft_key)
        )
        self._saved_review = plan.review_date
        shown = plan.review_date
        review_draft = drafts.get(self._review_draft.key)
        if review_draft is not None and "date" in review_draft:
            shown = date.fromisoformat(review_draft["date"]) if review_draft["date"] else None
        self.review_date_edit.blockSignals(True)
        self.review_date_edit.set_value(shown)
        self.review_date_edit.blockSignals(False)
        self._emit_dirty()
        self._show_agreement(plan)

    def refresh(self, plan: PlanView) -> None:
        """``plan`` as re-read after a write: what the adviser has typed since stays."""
        self.life_summary_edit.refresh_saved_text(plan.life_summary)
        if self.review_date_edit.value() == self._saved_review:
            self.review_date_edit.blockSignals(True)
            self.review_date_edit.set_value(plan.review_date)
            self.review_date_edit.blockSignals(False)
        self._saved_review = plan.review_date
        self._emit_dirty()
        self._show_agreement(plan)

    def _show_agreement(self, plan: PlanView) -> None:
        self.agreement_label.setText(agreement_text(plan))
        last = max(
            (d for d in (plan.last_reviewed_on, *(v.agreed_on for v in plan.versions)) if d),
            default=None,
        )
        if plan.review_date is None and last is not None:
            hint = (
                f"Due by {format_day(next_review_due(last))}: six months after the last review "
                f"on {format_day(last)}, or sooner if {isolate(self._name)} asks."
            )
        elif last is not None:
            hint = f"Last reviewed on {format_day(last)}."
        else:
            hint = "Reviews happen at least every six months, sooner on request."
        self.review_hint_label.setText(hint)

    # -- slots -------------------------------------------------------------------------------

    def on_review_date_edit_date_changed(self) -> None:
        value = self.review_date_edit.value()
        if value != self._saved_review:
            self._review_draft.touch({"date": value.isoformat() if value else None})
        self._emit_dirty()

    def on_review_date_edit_editing_finished(self) -> None:
        if self.review_date_edit.value() != self._saved_review:
            self.save()

    # -- saving ------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return (
            self.life_summary_edit.is_dirty() or self.review_date_edit.value() != self._saved_review
        )

    def pending_write(self) -> PendingWrite | None:
        """The changed life summary and review date as one piece of a write (see
        :meth:`MatterPage.pending_write`); ``None`` if nothing changed."""
        fields: dict[str, Any] = {}
        if self.life_summary_edit.is_dirty():
            fields["life_summary"] = self.life_summary_edit.take_for_saving()
        review = self.review_date_edit.value()
        if review != self._saved_review:
            fields["review_date"] = review
            self._review_draft.forget()
        if not fields:
            return None
        yp = self._yp
        keepers = [self.life_summary_edit.keeper, self._review_draft]

        def write(s: Session) -> None:
            plans.update_plan(s, yp, **fields)
            for keeper in keepers:
                keeper.discard_in(s)

        def written() -> None:
            if "life_summary" in fields:
                self.life_summary_edit.mark_saved(fields["life_summary"])
            if "review_date" in fields:
                self._saved_review = fields["review_date"]
            self._emit_dirty()
            self.saved.emit()

        def failed() -> None:  # nothing was written: keep the changes as drafts again
            if self.life_summary_edit.is_dirty():
                self.life_summary_edit.keeper.touch({"text": self.life_summary_edit.toPlainText()})
            self.on_review_date_edit_date_changed()

        return write, written, failed

    def save(self) -> bool:
        """Queue a write of the changes (drafts discarded in the same transaction)."""
        return save_pending(self, self._ops, self._yp, self.pending_write())

    def flush_drafts(self) -> None:
        self.life_summary_edit.flush_draft()
        self._review_draft.flush()

    def _emit_dirty(self) -> None:
        self.dirty_changed.emit(self.is_dirty())
