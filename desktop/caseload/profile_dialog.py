"""A young person's profile: a new one (a referral) or changes to an existing one.

Every change is kept as a draft while typed (``profile:<id>`` or ``profile:new``), so a lock or
a crash loses nothing: opening the dialog again offers the draft back. Saving goes through
``models.repo.young_people``; its :class:`~models.errors.InvalidRecord` messages show inline.
GUI thread only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import heading, message_label, show_message, wrapped
from desktop.bidi import isolate
from desktop.caseload.profile_form import FIELDS, ProfileForm
from desktop.drafts import DraftKeeper
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from models.errors import PathwayDeskError
from models.records import Profile
from models.repo.drafts import load_draft
from models.repo.young_people import create_young_person, load_profile, update_young_person

NEW_KEY = "new"


def draft_key(young_person_id: str | None) -> str:
    return f"profile:{young_person_id or NEW_KEY}"


class ProfileDialog(QDialog):
    saved = Signal(str)  # the young person's id
    loaded = Signal()  # the profile (and any draft) read from the store is shown

    def __init__(
        self,
        ops: Operations,
        young_person_id: str | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self.young_person_id = young_person_id
        self.is_new = young_person_id is None  # a referral: stays True once saved
        self._today = today
        self._dirty = False
        self._saving = False
        self._profile: Profile | None = None
        self._drafts = DraftKeeper(ops, draft_key(young_person_id), self)
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        new = self.young_person_id is None
        self.setWindowTitle("New young person" if new else "Edit profile")
        self.title = heading("New young person (a referral)" if new else "Edit profile")
        intro = wrapped(
            "Fill in what you know now; the rest can be added later."
            if new
            else "Changes are kept as a draft as you type, and saved when you press Save."
        )
        self.restored_label = message_label("info")
        self.discard_draft_button = QPushButton("Discard the unsaved changes")
        self.discard_draft_button.setVisible(False)
        self.problems_label = message_label("error")
        self.problems_label.setAccessibleName("Problems to fix before saving")
        self.form = ProfileForm(today=self._today)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.form)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Never sideways: a narrow window wraps fields under their labels instead.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save" if not new else "&Save referral")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)

        restored_row = QHBoxLayout()
        restored_row.addWidget(self.restored_label, 1)
        restored_row.addWidget(self.discard_draft_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addLayout(restored_row)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 50)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            self.resize(
                min(self.width(), int(screen.width() * 0.9)),
                min(self.height(), int(screen.height() * 0.9)),
            )

    def _connect_signals(self) -> None:
        self.form.edited.connect(self.on_form_edited)
        self.buttons.accepted.connect(self.on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.save_shortcut.activated.connect(self.on_buttons_accepted)
        self.discard_draft_button.clicked.connect(self.on_discard_draft_button_clicked)

    def _load(self) -> None:
        """Read the profile and any draft in one read operation; the form fills when it lands."""
        yp_id, today, key = self.young_person_id, self._today, self._drafts.key
        self.setEnabled(False)  # until the profile is shown

        def read(s) -> tuple[Profile | None, dict | None]:
            profile = load_profile(s, yp_id, today) if yp_id is not None else None
            return profile, load_draft(s, key)

        self._ops.read(read, parent=self, on_done=self._on_read, on_failed=self._on_read_failed)

    def _on_read(self, read: tuple[Profile | None, dict | None]) -> None:
        self._profile, draft = read
        self.setEnabled(True)
        self._fill_from_store()
        if draft and not self._dirty:
            self.form.set_draft(draft)
            self._dirty = True
            show_message(
                self.restored_label,
                "Your unsaved changes from last time are back. Save them, or discard them.",
            )
            self.discard_draft_button.setVisible(True)
        self.form.edits[
            "legal_name" if self.young_person_id is None else "preferred_name"
        ].setFocus()
        self.loaded.emit()

    def _on_read_failed(self, exc: BaseException) -> None:
        show_error(self.parentWidget(), exc)
        self._dirty = False
        super().reject()

    # -- public --------------------------------------------------------------------------------

    def flush_drafts(self) -> None:
        self._drafts.flush()

    def close_keeping_draft(self) -> None:
        """Close without asking (the app is locking); the draft stays for next time."""
        self._drafts.flush()
        self._dirty = False
        super().reject()

    # -- slots ---------------------------------------------------------------------------------

    def on_form_edited(self) -> None:
        self._dirty = True
        show_message(self.problems_label, "")
        self._drafts.touch(self.form.draft())

    def on_discard_draft_button_clicked(self) -> None:
        self._drafts.discard()
        self._dirty = False
        self._fill_from_store()
        show_message(self.restored_label, "")
        self.discard_draft_button.setVisible(False)

    def on_buttons_accepted(self) -> None:
        problems = self.form.problems()
        if problems:
            self._show_problems([text for text, _ in problems], problems[0][1])
            return
        if self._saving:
            return
        values = self.form.values()
        yp_id, keeper = self.young_person_id, self._drafts

        def save(s) -> str:
            # The profile and the discarding of its draft are one transaction.
            saved_id = yp_id
            if saved_id is None:
                saved_id = create_young_person(s, **values)
            else:
                update_young_person(s, saved_id, **values)
            keeper.discard_in(s)
            return saved_id

        self._saving = True
        self.buttons.setEnabled(False)
        keeper.forget()  # written (or discarded) by the save itself
        self._ops.write(
            save,
            lambda saved_id: Changes.of(saved_id, Kind.PROFILE, Kind.DRAFTS),
            parent=self,
            on_done=self._on_saved,
            on_failed=self._on_save_failed,
            initiator=self,
        )

    def _on_saved(self, young_person_id: str) -> None:
        self._saving = False
        self.young_person_id = young_person_id
        self._dirty = False
        self.saved.emit(young_person_id)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        # Nothing was written: the typed values stay on screen and as a draft.
        self._saving = False
        self.buttons.setEnabled(True)
        self._drafts.touch(self.form.draft())
        self._drafts.flush()
        if isinstance(exc, PathwayDeskError):
            self._show_problems([str(exc)], None)
        else:
            show_error(self, exc)

    def reject(self) -> None:
        if self._saving:
            return
        if self._dirty and not self._confirm_discard():
            return
        self._drafts.discard()
        super().reject()

    # -- helpers -------------------------------------------------------------------------------

    def _fill_from_store(self) -> None:
        profile = self._profile
        if profile is None:
            self.form.set_values({"allocated_pa": self._ops.store.owner_name})
            return
        self.form.set_values({name: getattr(profile, name) for name in FIELDS})
        self.setWindowTitle(f"Edit profile: {isolate(profile.preferred_name)}")
        self.title.setText(f"Edit {isolate(profile.preferred_name)}’s profile")

    def _show_problems(self, problems: list[str], field: QWidget | None) -> None:
        intro = (
            "Please fix this before saving:"
            if len(problems) == 1
            else ("Please fix these before saving:")
        )
        show_message(self.problems_label, intro + "\n• " + "\n• ".join(problems))
        if field is not None:
            self.scroll.ensureWidgetVisible(field)
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard changes?",
            "Discard the changes you typed in this profile?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
