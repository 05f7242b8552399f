"""One young person's workspace: a header (name, age, badges) and a tab per part of the record.

Panels are built when their tab is first shown (opening a young person stays fast); a spec
without a class (a part not in this build) shows a placeholder instead. The panel contract:
``Panel(ops, young_person_id, parent)`` (:class:`~desktop.operations.Operations`), a ``loaded``
signal each time it has shown what it read, ``flush_drafts()``, and optionally
``current_state()``/``restore_state()`` so that unlocking returns to the same place. A panel
refreshes itself from the operations' change announcements; nothing is wired between panels.
The header follows the Overview's reads. GUI thread only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import heading, wrapped
from desktop.bidi import isolate
from desktop.caseload.caseload_model import BADGE_MEANING, BADGE_TEXT
from desktop.conflicts.conflicts_banner import ConflictsBanner
from desktop.custody.custody_panel import CustodyPanel
from desktop.documents.documents_panel import DocumentsPanel
from desktop.memory_box.memory_box_panel import MemoryBoxPanel
from desktop.notes.notes_panel import NotesPanel
from desktop.operations import Operations
from desktop.plan.plan_panel import PlanPanel
from desktop.workspace.overview_panel import OverviewPanel
from models.records import Profile
from models.rules import TWENTY_ONE_PLUS_AGE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str  # with a mnemonic
    panel: type[QWidget] | None  # None: not in this build (a placeholder stands in)
    custody_only: bool = False


OVERVIEW = "overview"
PANELS: tuple[PanelSpec, ...] = (
    PanelSpec(OVERVIEW, "&Overview", OverviewPanel),
    PanelSpec("plan", "Pathway &plan", PlanPanel),
    PanelSpec("notes", "&Notes", NotesPanel),
    PanelSpec("documents", "&Documents", DocumentsPanel),
    PanelSpec("memory_box", "&Memory Box", MemoryBoxPanel),
    PanelSpec("custody", "C&ustody", CustodyPanel, True),
)


class WorkspaceView(QWidget):
    edit_profile_requested = Signal()
    back_requested = Signal()  # Esc that no field, editor or popup inside took for itself
    header_loaded = Signal()  # the header and tabs show the young person as last read

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
        panels: tuple[PanelSpec, ...] = PANELS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("WorkspaceView")
        self._ops = ops
        self._header_pending = True
        self._restore: dict[str, Any] | None = None
        self.young_person_id = young_person_id
        self._specs = panels
        self.panels: dict[str, QWidget] = {}
        self._pages: dict[str, QWidget] = {}
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.name_label = heading("")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = wrapped("")
        self.facts_label.setAccessibleName("Age and pronouns")
        self.badge_row = QHBoxLayout()
        self.badge_row.setSpacing(self.fontMetrics().averageCharWidth())
        self.conflicts_banner = ConflictsBanner(self._ops, self.young_person_id)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the record")
        self.tabs.setDocumentMode(True)
        header = QHBoxLayout()
        header.addWidget(self.name_label)
        header.addLayout(self.badge_row)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.conflicts_banner)
        layout.addWidget(self.tabs, 1)
        self.tab_shortcuts = [
            QShortcut(
                QKeySequence(f"Ctrl+{n}"),
                self,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            for n in range(1, 10)
        ]

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self.on_tabs_current_changed)
        self.conflicts_banner.open_requested.connect(self.on_conflicts_banner_open_requested)
        for n, shortcut in enumerate(self.tab_shortcuts):
            shortcut.activated.connect(lambda n=n: self.tabs.setCurrentIndex(n))

    def _load(self) -> None:
        overview = self._ensure_panel(OVERVIEW)  # it reads the profile; the header follows it
        if not isinstance(overview, OverviewPanel):
            self._sync_tabs(None)

    # -- public --------------------------------------------------------------------------------

    @property
    def overview(self) -> OverviewPanel:
        return self.panels[OVERVIEW]  # type: ignore[return-value]

    def current_key(self) -> str:
        page = self.tabs.currentWidget()
        return next((k for k, p in self._pages.items() if p is page), OVERVIEW)

    def show_tab(self, key: str) -> bool:
        page = self._pages.get(key)
        if page is None:
            return False
        self.tabs.setCurrentWidget(page)
        return True

    def flush_drafts(self) -> None:
        """Write every open panel's draft to the store now (before a lock or closing)."""
        for key, panel in self.panels.items():
            flush = getattr(panel, "flush_drafts", None)
            if flush is None:
                continue
            try:
                flush()
            except Exception:  # noqa: BLE001 - one panel failing must not stop the lock
                log.exception("The %s panel could not flush its drafts", key)

    def current_state(self) -> dict[str, Any]:
        states = {}
        for key, panel in self.panels.items():
            if hasattr(panel, "current_state"):
                try:
                    states[key] = panel.current_state()
                except Exception:  # noqa: BLE001 - losing a scroll position is acceptable
                    log.exception("The %s panel could not say where it was", key)
        return {"tab": self.current_key(), "panels": states}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Return to ``state`` once the tabs are known (after the first read of the header);
        each panel returns to its own state once it has shown what it read."""
        if self._header_pending:
            self._restore = state
            return
        for key, panel_state in (state.get("panels") or {}).items():
            if key not in self._pages:
                continue
            panel = self._ensure_panel(key)
            if hasattr(panel, "restore_state"):
                self._restore_panel(key, panel, panel_state)
        self.show_tab(state.get("tab", OVERVIEW))

    def _restore_panel(self, key: str, panel: QWidget, panel_state: Any) -> None:
        def restore() -> None:
            try:
                panel.restore_state(panel_state)  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                log.exception("The %s panel could not return to where it was", key)

        loaded = getattr(panel, "loaded", None)
        if loaded is None or key == OVERVIEW:
            restore()
        else:
            loaded.connect(restore, Qt.ConnectionType.SingleShotConnection)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Reaches here only if the focused widget ignored it: a table cell editor or a popup
        # closes on Esc instead, so Esc never throws away what is being edited.
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if _typing_in(QApplication.focusWidget()):
                return  # Esc while writing never leaves the record (Alt+Left or Back does)
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def on_tabs_current_changed(self, index: int) -> None:
        key = self.current_key()
        if index >= 0 and key not in self.panels:
            self._ensure_panel(key)

    def on_conflicts_banner_open_requested(self) -> None:
        from desktop.conflicts.conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self._ops, self.young_person_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.conflicts_dialog = dialog
        dialog.open()

    def on_overview_loaded(self) -> None:
        """The Overview re-reads the profile after every change announced for this young
        person; the header and the tabs (Custody only while in custody) follow it."""
        profile = self.overview.profile
        self._sync_tabs(profile)
        self._fill_header(profile)
        self._header_pending = False
        restore, self._restore = self._restore, None
        if restore is not None:
            self.restore_state(restore)
        self.header_loaded.emit()

    # -- helpers -------------------------------------------------------------------------------

    def _sync_tabs(self, profile: Profile | None) -> None:
        """Add the tabs this young person has (Custody only while in custody), in order."""
        in_custody = bool(profile and profile.in_custody)
        current = self.current_key()
        for spec in self._specs:
            wanted = in_custody or not spec.custody_only
            if wanted and spec.key not in self._pages:
                page = QWidget()
                page.setAccessibleName(spec.title.replace("&", ""))
                QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
                self._pages[spec.key] = page
                position = [s.key for s in self._specs if s.key in self._pages].index(spec.key)
                self.tabs.insertTab(position, page, spec.title)
            elif not wanted and spec.key in self._pages:
                self._drop_page(spec.key)
        if self.tabs.count() and current in self._pages:
            self.show_tab(current)

    def _drop_page(self, key: str) -> None:
        panel = self.panels.pop(key, None)
        if panel is not None and hasattr(panel, "flush_drafts"):
            panel.flush_drafts()
        page = self._pages.pop(key)
        self.tabs.removeTab(self.tabs.indexOf(page))
        page.deleteLater()

    def _ensure_panel(self, key: str) -> QWidget:
        if key in self.panels:
            return self.panels[key]
        spec = next(s for s in self._specs if s.key == key)
        panel = self._build_panel(spec)
        self.panels[key] = panel  # before any tab change can ask for it again
        if isinstance(panel, OverviewPanel):
            panel.edit_requested.connect(self.edit_profile_requested)
            panel.loaded.connect(self.on_overview_loaded)
        page = self._pages.get(key)
        if page is None:  # the Overview is built before the tabs are synced
            page = QWidget()
            page.setAccessibleName(spec.title.replace("&", ""))
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[key] = page
            page.layout().addWidget(panel)
            self.tabs.insertTab(0, page, spec.title)
        else:
            page.layout().addWidget(panel)
        return panel

    def _build_panel(self, spec: PanelSpec) -> QWidget:
        name = spec.title.replace("&", "")
        if spec.panel is None:
            return _placeholder(f"The {name} part is not available in this version yet.")
        try:
            return spec.panel(self._ops, self.young_person_id, None)  # type: ignore[call-arg]
        except Exception:  # noqa: BLE001 - a broken panel must not take the workspace down
            log.exception("Could not open the %s panel", spec.key)
            return _placeholder(f"The {name} part could not be opened; details are in the log.")

    def _fill_header(self, profile: Profile | None) -> None:
        while self.badge_row.count():
            item = self.badge_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if profile is None:
            return
        self.name_label.setText(isolate(profile.preferred_name))
        self.name_label.setAccessibleName(f"Young person: {profile.preferred_name}")
        facts = [f"{profile.age} years old"]
        if profile.pronouns:
            facts.append(isolate(profile.pronouns))
        if profile.legal_name and profile.legal_name != profile.preferred_name:
            facts.append(f"legal name {isolate(profile.legal_name)}")
        if profile.allocated_pa:
            facts.append(f"PA: {isolate(profile.allocated_pa)}")
        self.facts_label.setText(" · ".join(facts))
        badges = [
            kind
            for kind, on in (
                ("custody", profile.in_custody),
                ("21plus", profile.age >= TWENTY_ONE_PLUS_AGE),
                ("parent", profile.is_parent),
                ("expecting", profile.expecting_child),
                ("uasc", profile.uasc),
            )
            if on
        ]
        for kind in badges:
            badge = QLabel(BADGE_TEXT[kind])
            badge.setProperty("badge", kind)
            badge.setToolTip(BADGE_MEANING[kind])
            badge.setAccessibleName(BADGE_MEANING[kind])
            self.badge_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)


def _placeholder(text: str) -> QWidget:
    widget = QWidget()
    label = wrapped(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleName(text)
    layout = QVBoxLayout(widget)
    layout.addStretch(1)
    layout.addWidget(label)
    layout.addStretch(2)
    return widget


def _typing_in(widget: QWidget | None) -> bool:
    """Whether ``widget`` is an editable text box with something typed in it."""
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly() and bool(widget.toPlainText().strip())
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly() and bool(widget.text().strip())
    return False
