"""One matter of the pathway plan: what's going well, the goals in the young person's own words,
and the actions (who, what, by when, status).

Text is kept as a draft while typed and saved when the adviser leaves the field, presses Save or
Ctrl+S, or moves to another matter. Action changes (a new action, a status, a date) are small
deliberate acts and are saved at once. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.accessible import buddy_label, heading, wrapped
from desktop.bidi import isolate
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.plan.action_delegates import DateDelegate, StatusDelegate
from desktop.plan.actions_model import ActionColumn, ActionsTableModel
from desktop.plan.matter_style import matter_icon
from desktop.removal import confirm_and_remove
from desktop.widgets.draft_text_edit import DraftTextEdit
from desktop.widgets.optional_date_edit import OptionalDateEdit
from desktop.widgets.wheel_guard import guard_wheel
from models.domain import Matter
from models.records import Section
from models.repo import plans

# A write of a page's pending text: what to run in the transaction, and what to do after.
PendingWrite = tuple[Callable[[Session], None], Callable[[], None], Callable[[], None]]


def draft_key(young_person_id: str, part: str, field: str) -> str:
    return f"plan:{young_person_id}:{part}:{field}"


class MatterPage(QWidget):
    saved = Signal()
    dirty_changed = Signal(bool)

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        matter: Matter,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self.matter = matter
        self._name = name or "the young person"
        self._build_ui()
        guard_wheel(self)  # the wheel scrolls the form, never an unfocused field
        self._connect_signals()

    def _build_ui(self) -> None:
        m = self.matter
        title_row = QHBoxLayout()
        icon = QLabel()
        size = self.fontMetrics().height() * 2
        icon.setPixmap(matter_icon(m.value, size).pixmap(size, size))
        icon.setAccessibleName("")  # decorative: the heading says the same
        title_row.addWidget(icon)
        title_row.addWidget(heading(m.label, 2), 1)
        subtitle = wrapped(
            f"{m.statutory_heading}. In {isolate(self._name)}'s own plan: "
            f"\u201c{m.my_heading}\u201d."
        )
        subtitle.setProperty("secondary", True)

        self.strengths_edit = DraftTextEdit(
            self._ops,
            draft_key(self._yp, m.value, "strengths"),
            f"What's going well: {m.label}",
            "Strengths, progress, what is working\u2026",
        )
        self.goals_edit = DraftTextEdit(
            self._ops,
            draft_key(self._yp, m.value, "goals"),
            f"Goals in {isolate(self._name)}'s own words: {m.label}",
            f"What {isolate(self._name)} wants, in their words\u2026",
        )
        texts = QGridLayout()
        texts.addWidget(buddy_label("What's &going well", self.strengths_edit), 0, 0)
        goals_label = buddy_label(f"Goa&ls, in {isolate(self._name)}'s own words", self.goals_edit)
        texts.addWidget(goals_label, 0, 1)
        texts.addWidget(self.strengths_edit, 1, 0)
        texts.addWidget(self.goals_edit, 1, 1)
        # buddy_label names the field after the label; keep the matter in the accessible name
        self.strengths_edit.setAccessibleName(f"What's going well: {m.label}")
        self.goals_edit.setAccessibleName(f"Goals in {isolate(self._name)}'s own words: {m.label}")

        self.actions_model = ActionsTableModel(self)
        self.actions_view = QTableView()
        self.actions_view.setModel(self.actions_model)
        self.actions_view.setAccessibleName(f"Actions: {m.label}")
        self.actions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actions_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.actions_view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.actions_view.setWordWrap(True)
        self.actions_view.setItemDelegateForColumn(ActionColumn.BY_WHEN, DateDelegate(self))
        self.actions_view.setItemDelegateForColumn(ActionColumn.STATUS, StatusDelegate(self))
        header = self.actions_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ActionColumn.WHAT, QHeaderView.ResizeMode.Stretch)
        self.actions_view.verticalHeader().setVisible(False)
        self.actions_view.setToolTip("Press F2 or double-click a cell to change it")

        self.new_who_edit = QLineEdit()
        self.new_who_edit.setPlaceholderText("e.g. PA, Jordan, GP")
        self.new_what_edit = QLineEdit()
        self.new_what_edit.setPlaceholderText("What will be done")
        self.new_by_edit = OptionalDateEdit("By when (new action)", "No date")
        self.add_button = QPushButton("Add a&ction")
        self.add_button.setAccessibleName(f"Add action to {m.label}")
        self.remove_button = QPushButton("&Remove action\u2026")
        self.remove_button.setAccessibleName(f"Remove selected action from {m.label}")
        self.remove_button.setEnabled(False)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("New action \u2192"))
        add_row.addWidget(buddy_label("&Who:", self.new_who_edit))
        add_row.addWidget(self.new_who_edit, 1)
        add_row.addWidget(buddy_label("Wh&at:", self.new_what_edit))
        add_row.addWidget(self.new_what_edit, 3)
        add_row.addWidget(buddy_label("&By when:", self.new_by_edit))
        add_row.addWidget(self.new_by_edit)
        add_row.addWidget(self.add_button)
        self.new_who_edit.setAccessibleName("Who (new action)")
        self.new_what_edit.setAccessibleName("What (new action)")
        self.new_by_edit.setAccessibleName("By when (new action)")

        actions_header = QHBoxLayout()
        actions_title = heading("Actions", 3)
        actions_title.setBuddy(self.actions_view)
        actions_header.addWidget(actions_title, 1)
        actions_header.addWidget(self.remove_button)

        # A splitter lets the adviser give the text or the actions more room on a small screen.
        texts_box = QWidget()
        texts_box.setLayout(texts)
        texts.setContentsMargins(0, 0, 0, 0)
        actions_box = QWidget()
        actions_layout = QVBoxLayout(actions_box)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addLayout(actions_header)
        actions_layout.addWidget(self.actions_view, 1)
        actions_layout.addLayout(add_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(texts_box)
        splitter.addWidget(actions_box)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(subtitle)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        for edit in (self.strengths_edit, self.goals_edit):
            edit.dirty_changed.connect(self.on_text_dirty_changed)
            edit.editing_finished.connect(self.save)
        self.actions_model.action_edited.connect(self.on_actions_model_action_edited)
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.new_what_edit.returnPressed.connect(self.on_add_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.actions_view.selectionModel().currentChanged.connect(
            self.on_actions_view_current_changed
        )

    def load(self, section: Section, drafts: dict[str, dict[str, Any]]) -> None:
        """Show ``section`` as stored, with any unsaved draft left from last time on top."""
        self.strengths_edit.set_saved_text(
            section.strengths, drafts.get(self.strengths_edit.draft_key)
        )
        self.goals_edit.set_saved_text(section.goals, drafts.get(self.goals_edit.draft_key))
        self.actions_model.set_actions(section.actions)
        self.remove_button.setEnabled(False)

    def refresh(self, section: Section) -> None:
        """``section`` as re-read after a write: text typed since stays on screen."""
        self.strengths_edit.refresh_saved_text(section.strengths)
        self.goals_edit.refresh_saved_text(section.goals)
        self.actions_model.set_actions(section.actions)
        self.remove_button.setEnabled(self.actions_view.currentIndex().isValid())

    # -- slots -------------------------------------------------------------------------------

    def on_text_dirty_changed(self, _dirty: bool) -> None:
        self.dirty_changed.emit(self.is_dirty())

    def on_actions_view_current_changed(self, current: QModelIndex, _previous: QModelIndex):
        self.remove_button.setEnabled(current.isValid())

    def on_actions_model_action_edited(self, action_id: str, field: str, value: object) -> None:
        def failed(exc: BaseException) -> None:
            show_error(self, exc)
            self._reload_actions()

        self._ops.write(
            lambda s: plans.update_action(s, action_id, **{field: value}),
            Changes.of(self._yp, Kind.PLAN),
            parent=self,
            on_done=lambda _r: self.saved.emit(),
            on_failed=failed,
        )

    def on_add_button_clicked(self) -> None:
        what = self.new_what_edit.text().strip()
        if not what:
            self.new_what_edit.setFocus()
            self.new_what_edit.setPlaceholderText("Say what the action is, then press Add")
            return
        yp, matter = self._yp, self.matter.value
        who, by_when = self.new_who_edit.text().strip(), self.new_by_edit.value()
        self.add_button.setEnabled(False)

        def added(_result: object) -> None:
            # The announcement of the write re-reads the actions.
            self.add_button.setEnabled(True)
            self.new_who_edit.clear()
            self.new_what_edit.clear()
            self.new_by_edit.set_value(None)
            self.saved.emit()
            self.new_who_edit.setFocus()

        def failed(exc: BaseException) -> None:  # what was typed stays in the boxes
            self.add_button.setEnabled(True)
            show_error(self, exc)

        self._ops.write(
            lambda s: plans.add_action(s, yp, matter, who=who, what=what, by_when=by_when),
            Changes.of(yp, Kind.PLAN),
            parent=self,
            on_done=added,
            on_failed=failed,
        )

    def on_remove_button_clicked(self) -> None:
        index = self.actions_view.currentIndex()
        if not index.isValid():
            return
        action = self.actions_model.action_at(index.row())
        confirm_and_remove(
            self,
            self._ops,
            "Remove action",
            f"Remove the action \u201c{action.what}\u201d from {self.matter.label}?\n\n"
            "Agreed versions of the plan keep it.",
            lambda s: plans.remove_action(s, action.id),
            Changes.of(self._yp, Kind.PLAN),
            on_removed=self.saved.emit,
        )

    # -- saving ------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.strengths_edit.is_dirty() or self.goals_edit.is_dirty()

    def pending_write(self) -> PendingWrite | None:
        """The changed text as one piece of a write: ``(write, written, failed)``, where
        ``write(session)`` saves it and discards its drafts (worker thread), and ``written()``
        or ``failed()`` follow on the GUI thread. ``None`` if nothing changed."""
        edits = {
            name: edit
            for name, edit in (("strengths", self.strengths_edit), ("goals", self.goals_edit))
            if edit.is_dirty()
        }
        if not edits:
            return None
        fields = {name: edit.take_for_saving() for name, edit in edits.items()}
        keepers = [edit.keeper for edit in edits.values()]
        yp, matter = self._yp, self.matter.value

        def write(s: Session) -> None:
            plans.update_section(s, yp, matter, **fields)
            for keeper in keepers:
                keeper.discard_in(s)

        def written() -> None:
            for name, edit in edits.items():
                edit.mark_saved(fields[name])
            self.saved.emit()

        def failed() -> None:  # nothing was written: keep the text as a draft again
            for edit in edits.values():
                edit.keeper.touch({"text": edit.toPlainText()})

        return write, written, failed

    def save(self) -> bool:
        """Queue a write of the changed text to the working plan (its drafts discarded in the
        same transaction). True: queued or nothing to save."""
        return save_pending(self, self._ops, self._yp, self.pending_write())

    def flush_drafts(self) -> None:
        self.strengths_edit.flush_draft()
        self.goals_edit.flush_draft()

    def _reload_actions(self) -> None:
        yp, matter = self._yp, self.matter.value
        self._ops.read(
            lambda s: plans.load_plan(s, yp).section(matter), parent=self, on_done=self.refresh
        )


def save_pending(page: QWidget, ops: Operations, yp: str, pending: PendingWrite | None) -> bool:
    """Queue ``pending`` (a page's :meth:`pending_write`) as one write operation."""
    if pending is None:
        return True
    write, written, failed = pending

    def on_failed(exc: BaseException) -> None:
        failed()
        show_error(page, exc)

    ops.write(
        write,
        Changes.of(yp, Kind.PLAN, Kind.DRAFTS),
        parent=page,
        on_done=lambda _r: written(),
        on_failed=on_failed,
    )
    return True
