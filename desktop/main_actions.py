"""The main window's actions, toolbar and menus: every command has a menu entry and a
keyboard shortcut, and the toolbar shows the few an adviser needs in a visit. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSizePolicy, QStyle, QToolBar, QToolButton, QWidget

from desktop.app_resources import icon

SHORTCUTS_HELP = (
    "Ctrl+F: find a young person",
    "Ctrl+D: team dashboard (figures, and the young people behind each)",
    "Enter: open the selected young person",
    "Ctrl+N: new young person (a referral); in the Notes tab, a new note",
    "Ctrl+E: edit the open young person's profile",
    "Ctrl+P: print the open young person's plan or keepsake book",
    "Ctrl+Shift+P: print many plans at once (for example, reviews due this month)",
    "Ctrl+1 … Ctrl+6: switch tabs in a young person's record",
    "Alt+Left or Esc: back to the caseload",
    "F5: sync now",
    "Ctrl+Shift+K: sync conflicts to resolve",
    "Ctrl+L: lock now",
    "Ctrl+Q: quit",
)


class MainActions:
    """Builds the actions on ``window`` (so their shortcuts work with the menu bar hidden)."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        sp = QStyle.StandardPixmap
        self.back = self._action(
            "&Back to caseload",
            [QKeySequence("Alt+Left")],  # Esc too, when nothing in the workspace wants it
            "Back to the caseload",
            sp.SP_ArrowBack,
        )
        self.new = self._action(
            "&New young person…", [QKeySequence("Ctrl+N")], "Add a new young person (a referral)"
        )
        self.edit = self._action(
            "&Edit profile…", [QKeySequence("Ctrl+E")], "Edit this young person's profile"
        )
        self.dashboard = self._action(
            "Team &dashboard",
            [QKeySequence("Ctrl+D")],
            "The team's figures: who has not been seen, reviews due, the care-leaver return",
        )
        self.find = self._action(
            "&Find young person", [QKeySequence("Ctrl+F")], "Find a young person by name"
        )
        self.care_leaver_facts = self._action(
            "Care-leaver &return facts…",
            [],
            "Record in touch, activity and accommodation for the care-leaver return",
        )
        self.print = self._action(
            "&Print plan or keepsake…",
            [QKeySequence("Ctrl+P")],
            "Print this young person's plan or memory-box keepsake book",
        )
        self.export = self._action(
            "E&xport all records (subject access)…",
            [],
            "Export every record and file of this young person into one zip (not encrypted)",
        )
        self.batch_print = self._action(
            "Print &many plans…",
            [QKeySequence("Ctrl+Shift+P")],
            "Print the plans of many young people into one PDF",
        )
        self.lock = self._action("&Lock", [QKeySequence("Ctrl+L")], "Lock Pathway Desk now")
        self.lock.setIcon(icon("lock.svg"))
        self.quit = self._action("&Quit", [QKeySequence("Ctrl+Q")], "Quit Pathway Desk")
        self.idle = self._action("Lock after &idle time…", [], "Choose when to lock")
        self.change_passphrase = self._action(
            "Change &passphrase…", [], "Change the passphrase that unlocks this laptop's records"
        )
        self.out_of_hours = self._action(
            "&Out-of-hours service…", [], "The out-of-hours number printed on every plan"
        )
        self.sync_now = self._action(
            "Sync &now", [QKeySequence("F5")], "Send this laptop's changes and receive the team's"
        )
        self.enrol = self._action(
            "&Enrol this laptop…", [], "Connect this laptop to the council's hub for syncing"
        )
        self.team_laptops = self._action(
            "&Team laptops…", [], "Your team's laptops, when each last synced, and revoking one"
        )
        self.reallocate = self._action(
            "&Reallocate this young person…",
            [],
            "Allocate this young person to another member of your team",
        )
        self.conflicts = self._action(
            "&Conflicts…",
            [QKeySequence("Ctrl+Shift+K")],
            "Resolve what was changed on two devices at once",
        )
        self.shortcuts = self._action(
            "&Keyboard shortcuts", [QKeySequence("F1")], "List the keyboard shortcuts"
        )
        self.toolbar = self._build_toolbar()
        self._build_menus()

    def _action(
        self, text: str, shortcuts: list[QKeySequence], tip: str, standard_icon=None
    ) -> QAction:
        action = QAction(text, self._window)
        action.setShortcuts(shortcuts)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        if standard_icon is not None:
            action.setIcon(self._window.style().standardIcon(standard_icon))
        self._window.addAction(action)
        return action

    def _build_toolbar(self) -> QToolBar:
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("MainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.back)
        find_button = QToolButton()
        find_button.setDefaultAction(self.find)
        find_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Shown in the workspace only: on the caseload the find box is right there.
        self.find_tool = toolbar.addWidget(find_button)
        toolbar.addAction(self.print)
        toolbar.addAction(self.dashboard)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.lock)
        self._window.addToolBar(toolbar)
        return toolbar

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        menus = {
            "&File": [
                self.new,
                self.edit,
                self.care_leaver_facts,
                None,
                self.print,
                self.export,
                self.batch_print,
                None,
                self.lock,
                self.quit,
            ],
            "&View": [self.back, self.find, self.dashboard],
            "&Sync": [
                self.sync_now,
                self.conflicts,
                None,
                self.reallocate,
                self.team_laptops,
                None,
                self.enrol,
            ],
            "&Settings": [self.idle, self.change_passphrase, self.out_of_hours],
            "&Help": [self.shortcuts],
        }
        for title, actions in menus.items():
            menu = bar.addMenu(title)
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)

    def update(self, *, unlocked: bool, in_workspace: bool, on_dashboard: bool = False,
               manager: bool = False) -> None:
        """``manager``: the laptop is enrolled as a team manager (the team actions show)."""
        for action in (self.new, self.find, self.lock, self.dashboard):
            action.setEnabled(unlocked)
        away = in_workspace or on_dashboard
        self.back.setEnabled(away)  # on the caseload, Esc clears the find box
        self.back.setVisible(away)
        self.find_tool.setVisible(in_workspace)
        self.edit.setEnabled(in_workspace)
        self.care_leaver_facts.setEnabled(in_workspace)
        self.print.setEnabled(in_workspace)
        self.print.setVisible(in_workspace)
        self.export.setEnabled(in_workspace)
        self.batch_print.setEnabled(unlocked)
        self.conflicts.setEnabled(unlocked)
        self.sync_now.setEnabled(unlocked)
        self.enrol.setEnabled(unlocked)
        self.team_laptops.setVisible(manager)
        self.team_laptops.setEnabled(unlocked and manager)
        self.reallocate.setVisible(manager)
        self.reallocate.setEnabled(unlocked and manager and in_workspace)
        self.out_of_hours.setEnabled(unlocked)
        self.change_passphrase.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)
