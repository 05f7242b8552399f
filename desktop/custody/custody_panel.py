"""The custody panel: prison, prison number, release date (with the days left), the plan for
accommodation on release, and the Custody Offer checklist.

Same save model as the plan: typed text is kept as a draft at once and saved when the adviser
leaves the field, presses Save or Ctrl+S; ticking a checklist item or the "in custody" box is a
deliberate act and is saved straight away. Everything goes through ``update_young_person``.
GUI thread only.
"""

from __future__ import annotations

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
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.plan.draft_text_edit import DraftTextEdit
from desktop.plan.optional_date_edit import OptionalDateEdit
from desktop.tasks import TaskRunner
from models.domain import CUSTODY_CHECKLIST
from models.errors import PathwayDeskError
from models.plan_diff import format_day
from models.records import Profile
from models.repo.drafts import load_draft
from models.repo.young_people import load_profile, update_young_person
from models.store import Store

RELEASE_SOON_DAYS = 28


def release_text(release: date | None, today: date) -> str:
    """ "Release in 23 days (Fri 12 Dec 2026)", "Released 3 days ago", or not known."""
    if release is None:
        return "Release date not known yet."
    days = (release - today).days
    when = f"{release:%a} {format_day(release)}"
    if days > 1:
        return f"Release in {days} days ({when})."
    if days == 1:
        return f"Release tomorrow ({when})."
    if days == 0:
        return f"Release today ({when})."
    return f"Release date passed {-days} day{'s' if days != -1 else ''} ago ({when})."


class CustodyPanel(QWidget):
    record_changed = Signal()

    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        young_person_id: str,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._tasks = tasks
        self._yp = young_person_id
        self._today = today
        self._profile: Profile | None = None
        self._loading = False
        self._build_ui()
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
            self._store,
            f"custody:{self._yp}:release_accommodation_plan",
            "Accommodation on release",
            "Where they will live on release, who has agreed it, what is still needed\u2026",
        )
        self._fields_draft = DraftKeeper(self._store, f"custody:{self._yp}:fields", self)
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

    def _load(self) -> None:
        with self._store.reader() as s:
            self._profile = load_profile(s, self._yp)
        p = self._profile
        draft = self._fields_draft.load() or {}
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
        with self._store.reader() as s:
            plan_draft = load_draft(s, self.plan_edit.draft_key)
        self.plan_edit.set_saved_text(p.release_accommodation_plan, plan_draft)
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
        if not self._loading:
            self._write({"in_custody": checked})

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
        changes = self.changes()
        if not changes:
            self._fields_draft.clear()
            self._update_state()
            return True
        if not self._write(changes):
            return False
        self._fields_draft.clear()
        if "release_accommodation_plan" in changes:
            self.plan_edit.mark_saved()
        self._update_state()
        return True

    def _write(self, fields: dict[str, Any]) -> bool:
        try:
            with self._store.session() as s:
                update_young_person(s, self._yp, **fields)
            with self._store.reader() as s:
                self._profile = load_profile(s, self._yp)
        except PathwayDeskError as exc:
            show_error(self, exc)
            return False
        self._update_state()
        self.record_changed.emit()
        return True

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
