"""The pathway-plan editor of a young person's workspace.

Left: the life summary and the ten matters. Right: the selected part. Above: where agreement
stands, whether everything is saved, Save (Ctrl+S), "Agree plan…" and "History…".

Save model. Every keystroke is kept as a draft in the encrypted store (DraftKeeper, keyed per
young person and field), so a crash or a lock loses nothing. The text itself is saved to the
working plan when the adviser leaves a field, moves to another part, presses Save or Ctrl+S, or
agrees the plan. Saving on leaving a field is safe here because the working plan is itself a
draft until it is agreed (agreement freezes a numbered version that never changes), and it means
an adviser who forgets to press Save still goes home with the change recorded and synced.
Action changes (add, remove, status, date) are saved at once. Every save is a write operation
(the text and the discarding of its drafts in one transaction); agreeing writes the pending text
and freezes the version in one. The panel re-reads the plan from each announced plan change,
keeping whatever is typed meanwhile. GUI thread only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import heading
from desktop.drafts import read_drafts_with_prefix
from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.plan.agree_plan_dialog import AgreePlanDialog
from desktop.plan.matter_list_model import KEY_ROLE, KEYS, MatterListModel, part_label
from desktop.plan.matter_page import MatterPage, PendingWrite
from desktop.plan.matter_style import OVERVIEW
from desktop.plan.overview_page import OverviewPage, agreement_text
from desktop.plan.plan_history_dialog import PlanHistoryDialog
from desktop.tasks import Task
from models.domain import Matter
from models.records import PlanView
from models.repo import plans
from models.repo.young_people import load_profile

Page = OverviewPage | MatterPage


class PlanPanel(QWidget):
    record_changed = Signal()  # a save started here has been written
    loaded = Signal()  # the plan as last read is shown
    agreed = Signal(int)  # the version number just agreed

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._name = ""
        self._saved_since_read = False
        self._pages: dict[str, Page] = {}
        self._plan: PlanView | None = None
        self._drafts: dict[str, dict[str, Any]] = {}
        self.agree_dialog: AgreePlanDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setAccessibleName("Pathway plan")
        self.agreement_label = QLabel()
        self.agreement_label.setAccessibleName("Agreement")
        self.agreement_label.setWordWrap(True)
        self.save_state_label = QLabel()
        self.save_state_label.setAccessibleName("Save state")
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the plan now (Ctrl+S). Leaving a field also saves it.")
        self.save_button.setAccessibleName("Save plan")
        self.agree_button = QPushButton("Agr&ee plan\u2026")
        self.agree_button.setAccessibleName("Agree plan")
        self.agree_button.setToolTip("Freeze the plan as agreed with the young person")
        self.history_button = QPushButton("H&istory\u2026")
        self.history_button.setAccessibleName("Plan history and differences")
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(heading("Pathway plan", 1))
        titles.addWidget(self.agreement_label)
        top.addLayout(titles, 1)
        top.addWidget(self.save_state_label)
        top.addWidget(self.save_button)
        top.addWidget(self.agree_button)
        top.addWidget(self.history_button)

        icon_size = self.fontMetrics().height() * 2
        self.list_model = MatterListModel(icon_size, self)
        self.matter_list = QListView()
        self.matter_list.setModel(self.list_model)
        self.matter_list.setAccessibleName("Parts of the plan")
        self.matter_list.setIconSize(QSize(icon_size, icon_size))
        self.matter_list.setSpacing(2)
        self.matter_list.setUniformItemSizes(True)
        self.matter_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matter_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matter_list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.stack = QStackedWidget()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.matter_list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([self.fontMetrics().averageCharWidth() * 34, 800])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.on_save_button_clicked)
        self.save_shortcut.activated.connect(self.on_save_button_clicked)
        self.agree_button.clicked.connect(self.on_agree_button_clicked)
        self.history_button.clicked.connect(self.on_history_button_clicked)
        self.matter_list.selectionModel().currentChanged.connect(
            self.on_matter_list_current_changed
        )
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        """One read: the plan, the name and the drafts left from last time."""
        yp = self._yp

        def read(s) -> tuple[PlanView, str, dict[str, dict[str, Any]]]:
            return (
                plans.load_plan(s, yp),
                load_profile(s, yp).preferred_name,
                read_drafts_with_prefix(s, f"plan:{yp}:"),
            )

        self._ops.read(read, parent=self, on_done=self._show)

    def _show(self, read: tuple[PlanView, str, dict[str, dict[str, Any]]]) -> None:
        self._plan, self._name, drafts = read
        self._drafts = drafts
        self.list_model.set_plan(self._plan)
        self.agreement_label.setText(agreement_text(self._plan))
        self.agree_button.setText(f"Agr&ee plan as version {self._plan.current_version + 1}\u2026")
        # Parts with a draft left from last time are built now, so the edit is on screen.
        for key in KEYS:
            if any(k.startswith(f"plan:{self._yp}:{key}:") for k in self._drafts):
                self._page(key)
        self.select_part(OVERVIEW)
        self._update_save_state()
        self.loaded.emit()

    # -- the panel contract ------------------------------------------------------------------

    def flush_drafts(self) -> None:
        for page in self._pages.values():
            page.flush_drafts()

    def current_state(self) -> dict[str, Any]:
        return {"part": self.current_part()}

    def restore_state(self, state: dict[str, Any]) -> None:
        part = state.get("part")
        if part in KEYS:
            self.select_part(part)

    # -- navigation --------------------------------------------------------------------------

    def current_part(self) -> str:
        index = self.matter_list.currentIndex()
        return index.data(KEY_ROLE) if index.isValid() else OVERVIEW

    def select_part(self, key: str) -> None:
        self.matter_list.selectionModel().setCurrentIndex(
            self.list_model.index(self.list_model.row_of(key)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )

    def page(self, key: str) -> Page:
        """The editor of one part (built on first use)."""
        return self._page(key)

    def _page(self, key: str) -> Page:
        if key in self._pages:
            return self._pages[key]
        assert self._plan is not None
        page: Page
        if key == OVERVIEW:
            page = OverviewPage(self._ops, self._yp, self._name)
            page.load(self._plan, self._drafts)
        else:
            page = MatterPage(self._ops, self._yp, Matter(key), self._name)
            page.load(self._plan.section(key), self._drafts)
        page.setAccessibleName(part_label(key))
        page.saved.connect(lambda k=key: self.on_page_saved(k))
        page.dirty_changed.connect(lambda dirty, k=key: self.on_page_dirty_changed(k, dirty))
        self._pages[key] = page
        self.stack.addWidget(page)
        self.list_model.set_unsaved(key, page.is_dirty())
        return page

    # -- slots -------------------------------------------------------------------------------

    def on_matter_list_current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if previous.isValid():
            left = self._pages.get(previous.data(KEY_ROLE))
            if left is not None:
                left.save()  # moving on saves what was typed, as leaving a field does
        if current.isValid():
            self.stack.setCurrentWidget(self._page(current.data(KEY_ROLE)))

    def on_page_saved(self, key: str) -> None:
        # The write's announcement re-reads the plan; record_changed follows once it is shown.
        self._saved_since_read = True
        self._update_save_state()

    def on_page_dirty_changed(self, key: str, dirty: bool) -> None:
        self.list_model.set_unsaved(key, dirty)
        self._update_save_state()

    def on_save_button_clicked(self) -> None:
        self.save_all()

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self._yp) and changes.touches(Kind.PLAN) and self._plan is not None:
            self._reload()

    def on_agree_button_clicked(self) -> None:
        if self._plan is None:
            return
        # Window-modal, not exec(): a lock while it is open just closes it.
        self.agree_dialog = AgreePlanDialog(self._name, self._plan.current_version + 1, self)
        self.agree_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.agree_dialog.accepted.connect(self.on_agree_dialog_accepted)
        self.agree_dialog.open()

    def on_agree_dialog_accepted(self) -> None:
        dialog = self.sender()
        if isinstance(dialog, AgreePlanDialog):
            self.agree(dialog.agreed_on(), dialog.agreed_with())

    def on_history_button_clicked(self) -> None:
        self.save_all()  # queued ahead of the dialog's read, which waits for the writes
        dialog = PlanHistoryDialog(self._ops, self._yp, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- actions -----------------------------------------------------------------------------

    def save_all(self) -> bool:
        """Queue a write of every part with unsaved text (each with its drafts)."""
        ok = True
        for page in self._pages.values():
            ok = page.save() and ok
        self._update_save_state()
        return ok

    def agree(self, agreed_on: date, agreed_with: str) -> Task:
        """Write the pending edits and freeze the plan as the next version, in one
        transaction; ``agreed(version)`` follows. A failure writes nothing and keeps the text."""
        pending: list[PendingWrite] = [
            p for p in (page.pending_write() for page in self._pages.values()) if p is not None
        ]
        yp = self._yp

        def write(s) -> int:
            for piece, _written, _failed in pending:
                piece(s)
            return plans.agree_plan(s, yp, agreed_on=agreed_on, agreed_with=agreed_with).version

        def done(version: int) -> None:
            for _piece, written, _failed in pending:
                written()
            self._update_save_state()
            self._saved_since_read = True
            self.agreed.emit(version)

        def failed(exc: BaseException) -> None:
            for _piece, _written, not_written in pending:
                not_written()
            show_error(self, exc)

        return self._ops.write(
            write,
            Changes.of(yp, Kind.PLAN, Kind.DRAFTS),
            parent=self,
            on_done=done,
            on_failed=failed,
        )

    def _reload(self) -> None:
        yp = self._yp
        self._ops.read(lambda s: plans.load_plan(s, yp), parent=self, on_done=self._refresh)

    def _refresh(self, plan: PlanView) -> None:
        """``plan`` as re-read after a write; every built part keeps what is typed in it."""
        self._plan = plan
        self.list_model.set_plan(plan)
        self.agreement_label.setText(agreement_text(plan))
        self.agree_button.setText(f"Agr&ee plan as version {plan.current_version + 1}\u2026")
        for key, page in self._pages.items():
            if isinstance(page, OverviewPage):
                page.refresh(plan)
            else:
                page.refresh(plan.section(key))
            self.list_model.set_unsaved(key, page.is_dirty())
        self._update_save_state()
        self.loaded.emit()
        if self._saved_since_read:
            self._saved_since_read = False
            self.record_changed.emit()

    def _update_save_state(self) -> None:
        dirty = [k for k, p in self._pages.items() if p.is_dirty()]
        if dirty:
            self.save_state_label.setText("Unsaved changes, kept as a draft")
        else:
            self.save_state_label.setText("All changes saved")
        self.save_state_label.setAccessibleName(self.save_state_label.text())
