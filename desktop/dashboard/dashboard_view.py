"""The team dashboard: the figures for the team or one adviser, how each was counted, and the
young people behind the chosen one; from there, their record. GUI thread only.

It opens on the "This week" figures (what is due or overdue by a week today), for the
adviser's own caseload when the laptop's owner has one.
Keyboard first: the figures table has focus; arrows move through the figures and the list of
young people follows at once (drill-down needs no store read); Enter moves into that list;
Enter there (or a double-click) opens the young person's record; Alt+S chooses whose figures.
The dashboard is read by one ``ops.read`` (a worker); it refreshes when a write is announced.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading
from desktop.dashboard.charts_view import ChartsView
from desktop.dashboard.csv_output import (
    NOT_ENCRYPTED,
    AskPath,
    ask_csv_path,
    save_csv,
    save_file,
)
from desktop.dashboard.figures_model import (
    ID_ROLE,
    SORT_ROLE,
    DrillColumn,
    DrillModel,
    FigureColumn,
    FiguresModel,
)
from desktop.dashboard.return_view import ReturnView
from desktop.dates import format_day
from desktop.operations import Changes, Kind, Operations
from desktop.printing.team_report import team_report_pdf
from models.birthday_return import row_order
from models.repo.dashboard import load_dashboard
from models.team_figures import (
    AREAS,
    Dashboard,
    Figure,
    FigureSet,
    drill_down,
    figures_csv,
    list_csv,
)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(round(table.fontMetrics().lineSpacing() * 1.5))
    table.horizontalHeader().setHighlightSections(False)
    return table


class DashboardView(QWidget):
    young_person_chosen = Signal(str)  # the id of the young person to open
    loaded = Signal()  # fresh figures are shown
    saved = Signal(object)  # the path a CSV of figures or of a list was saved to

    def __init__(
        self, ops: Operations, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DashboardView")
        self._ops = ops
        self._today = today
        self.board: Dashboard | None = None
        self._stale = False
        self._first_show = True
        self._build_ui()
        self._connect_signals()
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.title = heading("Team dashboard")
        self.subtitle = QLabel("Counting…")
        self.subtitle.setWordWrap(True)
        self.scope_combo = QComboBox()
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        scope_label = buddy_label(
            "&Show figures for:", self.scope_combo, "The whole team, or one adviser's caseload"
        )
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleDescription("Count the figures again")

        self.figures = FiguresModel(self)
        self.figures_table = _table("Figures")
        self.figures_table.setModel(self.figures)
        header = self.figures_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FigureColumn.FIGURE, QHeaderView.ResizeMode.Stretch)
        self.how_label = QLabel()
        self.how_label.setWordWrap(True)
        self.how_label.setAccessibleName("How it was counted")
        self.how_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.drill = DrillModel(self)
        self.drill_proxy = QSortFilterProxyModel(self)
        self.drill_proxy.setSourceModel(self.drill)
        self.drill_proxy.setSortRole(SORT_ROLE)
        self.people_heading = heading("Young people", 2)
        self.people_table = _table("Young people behind the figure")
        self.people_table.setModel(self.drill_proxy)
        self.people_table.setSortingEnabled(True)
        people_header = self.people_table.horizontalHeader()
        people_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        people_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton("&Open record")
        self.open_button.setAccessibleDescription("Open the selected young person's record")
        self.open_button.setEnabled(False)
        self.save_list_button = QPushButton("Save &list as CSV…")
        self.save_list_button.setAccessibleDescription(
            "The young people behind this figure, as a CSV file (not encrypted)"
        )
        self.save_figures_button = QPushButton("Save fi&gures as CSV…")
        self.save_figures_button.setAccessibleDescription(
            "Every figure, for the team and each adviser, with how it was counted (no names)"
        )
        self.print_figures_button = QPushButton("&Print figures (PDF)…")
        self.print_figures_button.setAccessibleDescription(
            "Every figure, for the team and each adviser, as a PDF to print (no names)"
        )
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.setVisible(False)
        # Where CSV files go: the save dialog; tests give a path instead.
        self.ask_path: AskPath = ask_csv_path
        self.empty_label = QLabel("Nobody is counted in this figure.")
        self.empty_label.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(scope_label)
        top.addWidget(self.scope_combo)
        top.addWidget(self.refresh_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.figures_table, 1)
        left_layout.addWidget(self.how_label)
        figures_buttons = QHBoxLayout()
        figures_buttons.addWidget(self.saved_label, 1)
        figures_buttons.addStretch(1)  # buttons at their own size while no message shows
        figures_buttons.addWidget(self.save_figures_button)
        figures_buttons.addWidget(self.print_figures_button)
        left_layout.addLayout(figures_buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.people_heading)
        right_layout.addWidget(self.people_table, 1)
        right_layout.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_list_button)
        buttons.addWidget(self.open_button)
        right_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.return_view = ReturnView(self._ops)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.splitter, "&Figures")
        self.tabs.addTab(self.return_view, "Birthday &return")
        self.charts_view = ChartsView()
        self.tabs.addTab(self.charts_view, "C&harts")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.scope_combo, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.figures_table)
        self.setTabOrder(self.figures_table, self.people_table)
        self.setTabOrder(self.people_table, self.open_button)

    def _connect_signals(self) -> None:
        self.scope_combo.currentIndexChanged.connect(self.on_scope_combo_current_index_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.figures_table.selectionModel().currentRowChanged.connect(
            self.on_figures_table_current_row_changed
        )
        self.people_table.selectionModel().currentRowChanged.connect(
            self.on_people_table_current_row_changed
        )
        self.people_table.doubleClicked.connect(self.on_people_table_double_clicked)
        self.open_button.clicked.connect(self.on_open_button_clicked)
        self.return_view.young_person_chosen.connect(self.young_person_chosen)
        self.save_figures_button.clicked.connect(self.on_save_figures_button_clicked)
        self.save_list_button.clicked.connect(self.on_save_list_button_clicked)
        self.print_figures_button.clicked.connect(self.on_print_figures_button_clicked)
        self.figures_table.installEventFilter(self)
        self.people_table.installEventFilter(self)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        self.refresh()

    # -- public --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Count again (on a read worker); the chosen scope and figure are kept."""
        today = self._today
        self._ops.read(lambda s: load_dashboard(s, today), parent=self, on_done=self._show)

    def figure_set(self) -> FigureSet | None:
        if self.board is None:
            return None
        adviser = self.scope_combo.currentData()
        found = self.board.for_adviser(adviser) if adviser else None
        return found or self.board.team

    def select_figure(self, key: str) -> None:
        row = self.figures.row_of(key)
        if row >= 0:
            # The area's name shows on its first row only: bring that into view too.
            first = self.figures.first_row_of_area(row)
            self.figures_table.scrollTo(self.figures.index(first, FigureColumn.AREA))
            self.figures_table.setCurrentIndex(self.figures.index(row, FigureColumn.FIGURE))

    def current_figure(self) -> Figure | None:
        index = self.figures_table.currentIndex()
        return self.figures.figure_at(index.row()) if index.isValid() else None

    # -- slots ---------------------------------------------------------------------------------

    def on_scope_combo_current_index_changed(self, _index: int) -> None:
        self._fill_figures()
        if self.board is not None:
            self.charts_view.show_board(self.board, self.scope_combo.currentData())
        self.return_view.set_adviser(self.scope_combo.currentData())

    def on_figures_table_current_row_changed(
        self, current: QModelIndex, _prev: QModelIndex
    ) -> None:
        self._fill_people()

    def on_people_table_current_row_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self.open_button.setEnabled(current.isValid())

    def on_people_table_double_clicked(self, index: QModelIndex) -> None:
        self._open(index)

    def on_open_button_clicked(self) -> None:
        self._open(self.people_table.currentIndex())

    def on_save_figures_button_clicked(self) -> None:
        if self.board is None:
            return
        save_csv(
            self._ops,
            self,
            self.ask_path,
            f"team-figures-{self.board.on.isoformat()}.csv",
            figures_csv(self.board),
            [("export", None, "team figures CSV")],
            self._on_saved,
        )

    def on_print_figures_button_clicked(self) -> None:
        board = self.board
        if board is None:
            return
        save_file(
            self._ops,
            self,
            self.ask_path,
            f"team-figures-{board.on.isoformat()}.pdf",
            lambda: team_report_pdf(board),
            [("print", None, "team figures PDF")],
            self._on_saved,
        )

    def on_save_list_button_clicked(self) -> None:
        figure = self.current_figure()
        if self.board is None or figure is None or not figure.count:
            return
        detail = f"list CSV: {figure.label}"
        save_csv(
            self._ops,
            self,
            self.ask_path,
            f"{figure.key.replace('_', '-')}.csv",
            list_csv(self.board, figure),
            [("export", i, detail) for i in figure.ids],
            self._on_saved,
        )

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        """Count again after a change to what the figures count (not after a draft is saved
        or an audit line written); while hidden, when next shown."""
        if not changes.touches(Kind.PROFILE, Kind.PLAN, Kind.NOTES, Kind.PEOPLE):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        enter = (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
        )
        if enter and watched is self.figures_table and self.drill.rowCount():
            self.people_table.setFocus()
            if not self.people_table.currentIndex().isValid():
                self.people_table.setCurrentIndex(self.drill_proxy.index(0, 0))
            return True
        if enter and watched is self.people_table:
            self._open(self.people_table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # -- helpers -------------------------------------------------------------------------------

    def _show(self, board: Dashboard) -> None:
        chosen_scope = self.scope_combo.currentData()
        chosen = self.current_figure()
        self.board = board
        start, end = board.year
        self.subtitle.setText(
            f"Counted on {format_day(board.on)} from the records on this laptop (as last "
            f"synced). The care-leaver return year runs {format_day(start)} to "
            f"{format_day(end)}. Choose a figure to see the young people behind it."
        )
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem("Whole team", None)
        for figures in board.advisers:
            self.scope_combo.addItem(figures.title, figures.adviser)
        if self._first_show:
            # An adviser sees their own caseload's figures first; a manager, the team's.
            self._first_show = False
            owner = self._ops.store.owner_name
            chosen_scope = owner if board.for_adviser(owner) is not None else None
        at = self.scope_combo.findData(chosen_scope) if chosen_scope else 0
        self.scope_combo.setCurrentIndex(max(at, 0))
        self.scope_combo.blockSignals(False)
        self.return_view.set_adviser(self.scope_combo.currentData())
        self._fill_figures(chosen.key if chosen else None)
        rows = sorted(board.returns.values(), key=row_order)
        self.return_view.set_rows(rows, board.year)
        self.charts_view.show_board(board, self.scope_combo.currentData())
        self.loaded.emit()

    def _fill_figures(self, keep: str | None = None) -> None:
        keep = keep or (f.key if (f := self.current_figure()) else None)
        figures = self.figure_set()
        self.figures.set_figures(figures.figures if figures else ())
        self.select_figure(keep or AREAS[0][1][0])  # "This week": visits due, first

    def _fill_people(self) -> None:
        figure = self.current_figure()
        if figure is None or self.board is None:
            self.drill.clear()
            self.how_label.clear()
            return
        self.how_label.setText(f"How it was counted: {figure.how}")
        self.drill.set_rows(drill_down(self.board, figure), figure.date_label)
        # The figure's own order (most pressing first) until the reader sorts by a column.
        self.people_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.drill_proxy.sort(-1)
        one_adviser = self.scope_combo.currentData() is not None
        self.people_table.setColumnHidden(DrillColumn.ADVISER, one_adviser)
        of = f" of {figure.of}" if figure.of is not None else ""
        self.people_heading.setText(f"{figure.label}: {figure.count}{of}")
        self.people_heading.setAccessibleName(self.people_heading.text())
        self.empty_label.setVisible(figure.count == 0)
        self.save_list_button.setEnabled(figure.count > 0)
        self.open_button.setEnabled(False)

    def _on_saved(self, path: Path) -> None:
        self.saved_label.setText(f"Saved to {path}. {NOT_ENCRYPTED}")
        self.saved_label.setVisible(True)
        self.saved.emit(path)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.young_person_chosen.emit(str(index.data(ID_ROLE)))
