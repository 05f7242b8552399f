"""The caseload screen: find box, quick-filter toggles and the table. GUI thread only.

Keyboard first: typing filters at once, Down moves from the find box into the table, Enter (in
the find box or the table) or a double-click opens the selected young person.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading
from desktop.caseload.caseload_filter import CaseloadFilter, QuickFilter
from desktop.caseload.caseload_model import ID_ROLE, CaseloadModel, Column
from models.records import CaseloadRow

_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SIZE_SAMPLE_ROWS = 60  # rows looked at to size the columns


class CaseloadView(QWidget):
    young_person_chosen = Signal(str)  # id of the young person to open
    new_young_person_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CaseloadView")
        self.model = CaseloadModel(parent=self)
        self.proxy = CaseloadFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.title = heading("Caseload")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many young people are shown")
        self.new_button = QPushButton("&New young person…")
        self.new_button.setAccessibleName("New young person (a referral)")
        self.mine_check = QCheckBox("&My caseload")
        self.mine_check.setToolTip("Only young people allocated to you")
        self._owner = ""
        self._mine_default_applied = False
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type part of a preferred or legal name")
        self.filter_edit.setClearButtonEnabled(True)
        filter_label = buddy_label(
            "&Find:", self.filter_edit, "Filters the caseload as you type. Down moves to the list."
        )
        self.quick_buttons: dict[QuickFilter, QPushButton] = {}
        quick_row = QHBoxLayout()
        quick_row.addWidget(QLabel("Show only:"))
        for quick in QuickFilter:
            button = QPushButton(quick.label)
            button.setCheckable(True)
            button.setAccessibleName(f"Show only: {quick.label}")
            button.setAccessibleDescription(quick.description)
            button.setToolTip(quick.description)
            button.setProperty("quickFilter", True)
            self.quick_buttons[quick] = button
            quick_row.addWidget(button)
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAccessibleName("Clear the find box and filters")
        self.clear_button.setVisible(False)
        quick_row.addWidget(self.clear_button)
        quick_row.addStretch(1)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Young people")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.table.setWordWrap(False)
        # No ResizeToContents: it asks every row of a 1,200-person caseload for its text
        # whenever the table is shown. Rows get one height from the font; columns are sized
        # from a sample when rows arrive, then the adviser may drag them.
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(round(self.fontMetrics().lineSpacing() * 1.5))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        header.setHighlightSections(False)
        self.empty_label = QLabel(
            "No young people match. Clear the find box or the filters, or untick My caseload."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.mine_check)
        top.addWidget(self.new_button)
        find_row = QHBoxLayout()
        find_row.addWidget(filter_label)
        find_row.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(find_row)
        layout.addLayout(quick_row)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

        quick = list(self.quick_buttons.values())
        order = [self.mine_check, self.filter_edit, *quick, self.clear_button, self.table]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(self.table, self.new_button)

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self.on_filter_edit_text_changed)
        self.filter_edit.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(self.on_table_double_clicked)
        for quick, button in self.quick_buttons.items():
            button.toggled.connect(lambda on, q=quick: self.on_quick_button_toggled(q, on))
        self.clear_button.clicked.connect(self.on_clear_button_clicked)
        self.mine_check.toggled.connect(self.on_mine_check_toggled)
        self.new_button.clicked.connect(self.new_young_person_requested)
        self.proxy.rowsInserted.connect(self._update_counts)
        self.proxy.rowsRemoved.connect(self._update_counts)
        self.proxy.modelReset.connect(self._update_counts)
        self.proxy.layoutChanged.connect(self._update_counts)

    def _load(self) -> None:
        self._update_counts()

    # -- public --------------------------------------------------------------------------------

    def set_owner(self, owner_name: str) -> None:
        """The store owner, whose young people "My caseload" shows. "My caseload" starts on
        when the next rows include any of theirs (once per unlock; then it is the adviser's)."""
        self._owner = owner_name
        self._mine_default_applied = False
        self.proxy.set_owner(owner_name)
        self.mine_check.setEnabled(bool(owner_name.strip()))

    def set_rows(self, rows: list[CaseloadRow], select_id: str | None = None) -> None:
        """Show ``rows``, keeping (or moving to) the selected young person."""
        keep = select_id or self.selected_id()
        self.model.set_rows(rows)
        if not self._mine_default_applied and rows:
            self._mine_default_applied = True
            self.mine_check.setChecked(self.proxy.count_mine() > 0)
        self._fit_columns()
        self._update_quick_labels()
        if keep:
            self.select(keep)
        elif self.proxy.rowCount():
            self.table.selectRow(0)

    def clear(self) -> None:
        """Forget every row (the store is locking). The find box and filters stay."""
        self.model.clear()
        self._update_quick_labels()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, young_person_id: str) -> bool:
        source_row = self.model.row_of(young_person_id)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def clear_filters(self) -> None:
        self.filter_edit.clear()
        for button in self.quick_buttons.values():
            button.setChecked(False)

    # -- slots ---------------------------------------------------------------------------------

    def on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._select_first_if_none()
        self._update_counts()

    def on_mine_check_toggled(self, on: bool) -> None:
        self.proxy.set_mine_only(on)
        self._select_first_if_none()
        self._update_counts()
        self._update_quick_labels()

    def on_quick_button_toggled(self, quick: QuickFilter, on: bool) -> None:
        self.proxy.set_quick_filter(quick, on)
        self._select_first_if_none()
        self._update_counts()
        self._update_quick_labels()

    def on_table_double_clicked(self, index: QModelIndex) -> None:
        self._open(index)

    def on_clear_button_clicked(self) -> None:
        self.clear_filters()
        self.filter_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.filter_edit:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.proxy.rowCount():
                    self.table.setFocus(Qt.FocusReason.TabFocusReason)
                    if not self.table.currentIndex().isValid():
                        self.table.selectRow(0)
                    return True
                if key in _OPEN_KEYS:
                    self._open(self._current_or_only())
                    return True
                if key == Qt.Key.Key_Escape and (self.proxy.text or self.proxy.quick_filters):
                    self.clear_filters()
                    return True
            elif watched is self.table and key in _OPEN_KEYS:
                self._open(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)

    # -- helpers -------------------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.young_person_chosen.emit(index.data(ID_ROLE))

    def _current_or_only(self) -> QModelIndex:
        index = self.table.currentIndex()
        if index.isValid():
            return index
        return self.proxy.index(0, 0) if self.proxy.rowCount() else QModelIndex()

    def _select_first_if_none(self) -> None:
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_counts(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = f"{total} young people" if total != 1 else "1 young person"
        else:
            text = f"Showing {shown} of {total}"
        self.count_label.setText(text)
        filtering = bool(self.proxy.text or self.proxy.quick_filters)
        nothing = total > 0 and shown == 0
        self.empty_label.setVisible(nothing)
        self.clear_button.setVisible(filtering)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column in Column:
            if column != Column.NAME:
                width = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
                header.resizeSection(column, width + self.fontMetrics().averageCharWidth() * 2)

    def _update_quick_labels(self) -> None:
        mine = self.proxy.count_mine() if self.model.rowCount() else 0
        self.mine_check.setText(f"&My caseload ({mine})")
        self.mine_check.setAccessibleName(f"My caseload: only the {mine} allocated to you")
        for quick, button in self.quick_buttons.items():
            count = self.proxy.count_matching(quick) if self.model.rowCount() else 0
            mark = "✓ " if button.isChecked() else ""  # not colour alone: the tick says it
            button.setText(f"{mark}{quick.label} ({count})")
            button.setAccessibleName(f"Show only: {quick.label}, {count} young people")
