"""The custody panel: prison, prison number, release date (with the days left), the plan for
accommodation on release, and the Custody Offer checklist.

Same save model as the plan: typed text is kept as a draft at once and saved when the adviser
leaves the field, presses Save or Ctrl+S; ticking a checklist item or the "in custody" box is a
deliberate act and is saved straight away. Everything goes through ``update_young_person``.
GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import (
    buddy_label,
    heading,
    message_label,
    scaled_font,
    show_message,
    wrapped,
)
from desktop.dates import format_day
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.widgets.draft_text_edit import DraftTextEdit
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import CUSTODY_CHECKLIST
from models.records import Profile
from models.repo.drafts import load_draft
from models.repo.young_people import load_profile, update_young_person

RELEASE_SOON_DAYS = 28


def release_text(release: date | None, today: date) -> str:
    """ "Release in 23 days (Fri 12 Dec 2026)", "Released 3 days ago", or not known."""
    if release is None:
        return "Release date not known yet."
    days = (release - today).days
    when = format_day(release, weekday=True)
    if days > 1:
        return f"Release in {days} days ({when})."
    if days == 1:
        return f"Release tomorrow ({when})."
    if days == 0:
        return f"Release today ({when})."
    return f"Release date passed {-days} day{'s' if days != -1 else ''} ago ({when})."


class CustodyPanel(QWidget):
    record_changed = Signal()  # a write started here is saved
    loaded = Signal()  # the custody details as last read are shown

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._today = today
        self._profile: Profile | None = None
        self._loading = False
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setAccessibleName("Custody")
        self.in_custody_check = QCheckBox("&In custody now")
        self.in_custody_check.setAccessibleName("In custody now")
        self.prison_edit = QLineEdit()
        self.prison_edit.setPlaceholderText("e.g. HMP Leeds, HMYOI Wetherby")
        self.prison_number_edit = QLineEdit()
        self.prison_number_edit.setPlaceholderText("e.g. A1234BC")
        self.release_edit = OptionalDateEdit("Release date", "Not known")
        self.release_label = wrapped("")
        self.release_label.setAccessibleName("Days until release")
        self.release_label.setFont(scaled_font(self.release_label.font(), 1.15, bold=True))
        self.plan_edit = DraftTextEdit(
            self._ops,
            f"custody:{self._yp}:release_accommodation_plan",
            "Accommodation on release",
            "Where they will live on release, who has agreed it, what is still needed\u2026",
        )
        self._fields_draft = DraftKeeper(self._ops, f"custody:{self._yp}:fields", self)
        self.warning_label = message_label("error")
        self.warning_label.setFont(scaled_font(self.warning_label.font(), 1.0, bold=True))
        self.save_state_label = QLabel()
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save custody details")
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.checks: dict[str, QCheckBox] = {}
        checklist = QGroupBox("Custody Offer checklist")
        checklist.setAccessibleName("Custody Offer checklist")
        checks = QVBoxLayout(checklist)
        for key, label in CUSTODY_CHECKLIST:
            box = QCheckBox(label)
            box.setAccessibleName(label)
            self.checks[key] = box
            checks.addWidget(box)
        self.checklist_count_label = QLabel()
        checks.addWidget(self.checklist_count_label)
        checks.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(heading("Custody", 1), 1)
        top.addWidget(self.save_state_label)
        top.addWidget(self.save_button)
        form = QFormLayout()
        form.addRow("", self.in_custody_check)
        form.addRow(buddy_label("P&rison:", self.prison_edit), self.prison_edit)
        form.addRow(
            buddy_label("Prison num&ber:", self.prison_number_edit), self.prison_number_edit
        )
        form.addRow(buddy_label("Re&lease date:", self.release_edit), self.release_edit)
        form.addRow("", self.release_label)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.warning_label)
        left.addWidget(buddy_label("&Accommodation on release:", self.plan_edit))
        left.addWidget(self.plan_edit, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(checklist, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.in_custody_check.toggled.connect(self.on_in_custody_check_toggled)
        for edit in (self.prison_edit, self.prison_number_edit):
            edit.textEdited.connect(self.on_field_edited)
            edit.editingFinished.connect(self.save)
        self.release_edit.dateChanged.connect(self.on_release_edit_date_changed)
        self.release_edit.editingFinished.connect(self.save)
        self.plan_edit.dirty_changed.connect(lambda _d: self._update_state())
        self.plan_edit.editing_finished.connect(self.save)
        for key, box in self.checks.items():
            box.toggled.connect(lambda checked, k=key: self.on_check_toggled(k, checked))
        self.save_button.clicked.connect(self.save)
        self.save_shortcut.activated.connect(self.save)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        """One read: the profile and both drafts left from last time."""
        yp, fields_key, plan_key = self._yp, self._fields_draft.key, self.plan_edit.draft_key

        def read(s) -> tuple[Profile, dict | None, dict | None]:
            return load_profile(s, yp), load_draft(s, fields_key), load_draft(s, plan_key)

        self._ops.read(read, parent=self, on_done=self._show)

    def _show(self, read: tuple[Profile, dict | None, dict | None]) -> None:
        self._profile, fields_draft, plan_draft = read
        p = self._profile
        draft = fields_draft or {}
        self._loading = True
        try:
            self.in_custody_check.setChecked(p.in_custody)
            self.prison_edit.setText(draft.get("prison", p.prison))
            self.prison_number_edit.setText(draft.get("prison_number", p.prison_number))
            release = draft.get("release_date", p.release_date and p.release_date.isoformat())
            self.release_edit.set_value(date.fromisoformat(release) if release else None)
            for key, box in self.checks.items():
                box.setChecked(bool(p.custody_checklist.get(key)))
        finally:
            self._loading = False
        self.plan_edit.set_saved_text(p.release_accommodation_plan, plan_draft)
        self._update_state()
        self.loaded.emit()

    def on_announcer_changes_announced(self, changes: Changes, initiator: object) -> None:
        """A profile change made elsewhere (the profile dialog): take the stored values, keeping
        whatever is typed here."""
        if initiator is self or not changes.concerns(self._yp):
            return
        if changes.touches(Kind.PROFILE) and self._profile is not None:
            yp = self._yp
            self._ops.read(lambda s: load_profile(s, yp), parent=self, on_done=self._refresh)

    def _refresh(self, profile: Profile) -> None:
        self._profile = profile
        self._loading = True
        try:
            self.in_custody_check.setChecked(profile.in_custody)
            for key, box in self.checks.items():
                box.setChecked(bool(profile.custody_checklist.get(key)))
        finally:
            self._loading = False
        self.plan_edit.refresh_saved_text(profile.release_accommodation_plan)
        self._update_state()

    # -- the panel contract ------------------------------------------------------------------

    def flush_drafts(self) -> None:
        self._fields_draft.flush()
        self.plan_edit.flush_draft()

    # -- slots -------------------------------------------------------------------------------

    def on_field_edited(self, *_args: object) -> None:
        if self._loading:
            return
        release = self.release_edit.value()
        self._fields_draft.touch(
            {
                "prison": self.prison_edit.text(),
                "prison_number": self.prison_number_edit.text(),
                "release_date": release.isoformat() if release else None,
            }
        )
        self._update_state()

    def on_release_edit_date_changed(self) -> None:
        self.on_field_edited()

    def on_in_custody_check_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        fields: dict[str, Any] = {"in_custody": checked}
        prison = self.prison_edit.text().strip()
        if checked and prison:  # the prison typed here goes with the flag (the rule needs both)
            fields["prison"] = prison

        def not_written() -> None:  # refused (no prison yet): the box shows what is stored
            self._loading = True
            try:
                self.in_custody_check.setChecked(not checked)
            finally:
                self._loading = False
            self.prison_edit.setFocus()

        self._write(fields, not_written=not_written)

    def on_check_toggled(self, key: str, checked: bool) -> None:
        if self._loading or self._profile is None:
            return
        checklist = dict(self._profile.custody_checklist)
        checklist[key] = checked
        self._write({"custody_checklist": checklist})

    # -- saving ------------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        if self._profile is None:
            return {}
        p = self._profile
        values = {
            "prison": self.prison_edit.text().strip(),
            "prison_number": self.prison_number_edit.text().strip(),
            "release_date": self.release_edit.value(),
        }
        out = {k: v for k, v in values.items() if v != getattr(p, k)}
        if self.plan_edit.is_dirty():
            out["release_accommodation_plan"] = self.plan_edit.toPlainText()
        return out

    def save(self) -> bool:
        """Queue a write of the changed details (their drafts discarded in the same
        transaction). True: queued, or nothing to save."""
        changes = self.changes()
        if not changes:
            self._fields_draft.discard()
            self._update_state()
            return True
        keepers = [self._fields_draft]
        if "release_accommodation_plan" in changes:
            changes["release_accommodation_plan"] = self.plan_edit.take_for_saving()
            keepers.append(self.plan_edit.keeper)
        self._fields_draft.forget()

        def written() -> None:
            if "release_accommodation_plan" in changes:
                self.plan_edit.mark_saved(changes["release_accommodation_plan"])

        def not_written() -> None:  # nothing was written: keep what is typed as drafts again
            self.on_field_edited()
            if self.plan_edit.is_dirty():
                self.plan_edit.keeper.touch({"text": self.plan_edit.toPlainText()})

        self._write(changes, keepers, written, not_written)
        return True

    def _write(
        self,
        fields: dict[str, Any],
        keepers: list[DraftKeeper] | None = None,
        written: Callable[[], None] | None = None,
        not_written: Callable[[], None] | None = None,
    ) -> None:
        yp, discard = self._yp, list(keepers or ())

        def write(s) -> Profile:
            update_young_person(s, yp, **fields)
            for keeper in discard:
                keeper.discard_in(s)
            return load_profile(s, yp)

        def done(profile: Profile) -> None:
            self._profile = profile
            if written is not None:
                written()
            self._update_state()
            self.record_changed.emit()

        def failed(exc: BaseException) -> None:
            if not_written is not None:
                not_written()
            show_error(self, exc)

        self._ops.write(
            write,
            Changes.of(yp, Kind.PROFILE, Kind.DRAFTS),
            parent=self,
            on_done=done,
            on_failed=failed,
            initiator=self,
        )

    def _update_state(self) -> None:
        today = self._today or date.today()
        release = self.release_edit.value()
        self.release_label.setText(release_text(release, today))
        done = sum(1 for box in self.checks.values() if box.isChecked())
        self.checklist_count_label.setText(f"{done} of {len(self.checks)} done")
        warning = ""
        soon = release is not None and 0 <= (release - today).days <= RELEASE_SOON_DAYS
        if soon and not self.checks["release_accommodation"].isChecked():
            warning = (
                "\u26a0 Release is less than four weeks away and accommodation on release is "
                "not agreed yet."
            )
        show_message(self.warning_label, warning)
        dirty = bool(self.changes())
        self.save_state_label.setText(
            "Unsaved changes, kept as a draft" if dirty else "All changes saved"
        )
