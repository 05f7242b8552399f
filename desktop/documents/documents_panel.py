"""Life-story documents of one young person: ID, certificates, letters, reports.

Categories down the left (with counts), the documents in a table, the selected document's details
on the right. Files come in by "Add documents…" or by dragging them onto the panel; the import
streams through the encrypted blob store on a worker thread with a cancellable progress dialog,
and the records are added only once every file is in. Details are saved when the adviser leaves
a field (kept as a draft while typed). Viewing happens in memory (the viewer dialog).
GUI thread only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.accessible import heading, message_label, show_message
from desktop.dates import format_day
from desktop.documents.add_document_dialog import AddDocumentDialog, DocumentDetails
from desktop.documents.document_details_form import DocumentDetailsForm
from desktop.documents.documents_model import (
    ALL,
    CATEGORY_ROLE,
    ITEM_ROLE,
    CategoryListModel,
    DocumentCategoryFilter,
    DocumentColumn,
    DocumentsTableModel,
)
from desktop.documents.file_import import ImportedFile, local_files, start_import
from desktop.operations import Changes, Kind, Operations
from desktop.removal import confirm_and_remove
from desktop.tasks import Task
from desktop.viewer.file_viewer_dialog import FileViewerDialog
from models.records import StoredFile
from models.repo import files
from models.repo.drafts import load_draft
from models.repo.young_people import load_profile

DROP_HINT = (
    "Drag files here from your computer to add them, or press \u201cAdd documents\u2026\u201d."
)


class DocumentsPanel(QWidget):
    record_changed = Signal()  # a change made here is shown
    documents_added = Signal(list)  # ids of the new documents
    loaded = Signal()  # the documents as last read are shown

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
        self._select_next: str | None = None
        self._changed_here = False
        self._added: list[str] | None = None
        # The last viewer opened (it deletes itself on closing). No Python code may run from
        # its ``destroyed`` signal to drop this reference: freeing a wrapper while Qt is
        # destroying the object crashes PySide.
        self.viewer: FileViewerDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setAccessibleName("Life-story documents")
        self.setAcceptDrops(True)
        self.add_button = QPushButton("&Add documents\u2026")
        self.add_button.setAccessibleName("Add documents")
        self.view_button = QPushButton("Vie&w")
        self.view_button.setAccessibleName("View the selected document")
        self.remove_button = QPushButton("&Remove\u2026")
        self.remove_button.setAccessibleName("Remove the selected document")

        self.category_model = CategoryListModel(self)
        self.category_list = QListView()
        self.category_list.setModel(self.category_model)
        self.category_list.setAccessibleName("Categories")
        self.category_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.category_list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 18)
        self.category_list.setSpacing(2)
        self.model = DocumentsTableModel(parent=self)
        self.proxy = DocumentCategoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Documents")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        unit = self.fontMetrics().averageCharWidth()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DocumentColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(unit * 8)
        for column, chars in (
            (DocumentColumn.CATEGORY, 12),
            (DocumentColumn.ADDED_BY, 16),
        ):
            header.resizeSection(column, unit * chars)
        # The date column fits the widest date in the font really used (digits are often
        # wider than the average letter: "12 N…2018" was cut), plus the cell's margins.
        widest = max(
            self.fontMetrics().horizontalAdvance(format_day(date(2028, month, 28)))
            for month in range(1, 13)
        )
        header.resizeSection(DocumentColumn.DATED, widest + unit * 4)
        # The file name and size are in the details beside the table; the title needs the room.
        self.table.setColumnHidden(DocumentColumn.FILE, True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.sortByColumn(DocumentColumn.CATEGORY, Qt.SortOrder.AscendingOrder)
        self.form = DocumentDetailsForm(self._ops, self._yp)
        self.drop_label = QLabel(DROP_HINT)
        self.drop_label.setWordWrap(True)
        self.drop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_label.setProperty("dropTarget", True)
        self.drop_label.setFrameShape(QLabel.Shape.StyledPanel)
        self.drop_label.setMargin(self.fontMetrics().height() // 2)
        self.status_label = message_label("info")
        self.delete_shortcut = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

        top = QHBoxLayout()
        top.addWidget(heading("Life-story documents", 1), 1)
        top.addWidget(self.view_button)
        top.addWidget(self.remove_button)
        top.addWidget(self.add_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.category_list)
        splitter.addWidget(self.table)
        splitter.addWidget(self.form)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([unit * 22, unit * 80, unit * 40])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.drop_label)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.on_add_button_clicked)
        self.view_button.clicked.connect(self.on_view_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.delete_shortcut.activated.connect(self.on_remove_button_clicked)
        self.table.activated.connect(self.on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self.on_table_current_row_changed)
        self.category_list.selectionModel().currentChanged.connect(
            self.on_category_list_current_changed
        )
        self.form.saved.connect(self.on_form_saved)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        """One read: the name, the documents and the details left unsaved last time."""
        yp, key = self._yp, self.form.keeper.key

        def read(s) -> tuple[str, tuple[StoredFile, ...], dict | None]:
            return (
                load_profile(s, yp).preferred_name,
                tuple(files.list_documents(s, yp)),
                load_draft(s, key),
            )

        self._ops.read(read, parent=self, on_done=self._show)

    def _show(self, read: tuple[str, tuple[StoredFile, ...], dict | None]) -> None:
        self._name, items, draft = read
        self.model.set_young_person_name(self._name)
        self.category_list.selectionModel().setCurrentIndex(
            self.category_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self._set_items(items)
        draft_id = self.form.draft_item_id(draft)
        if draft_id and self.select_document(draft_id):
            self.form.restore_draft(draft)
        elif self.proxy.rowCount():
            self._select_proxy_row(0)
        self._update_buttons()
        self.loaded.emit()

    # -- the panel contract ------------------------------------------------------------------

    def flush_drafts(self) -> None:
        self.form.flush_draft()

    def current_state(self) -> dict[str, Any]:
        item = self.selected_document()
        return {"category": self.proxy.category(), "document": item.id if item else None}

    def restore_state(self, state: dict[str, Any]) -> None:
        self.set_category(state.get("category", ALL))
        if state.get("document") and not self.form.is_dirty():
            self.select_document(state["document"])

    # -- selection ---------------------------------------------------------------------------

    def selected_document(self) -> StoredFile | None:
        index = self.table.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def select_document(self, item_id: str) -> bool:
        row = self.model.row_of(item_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.set_category(ALL)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._select_proxy_row(index.row())
        return True

    def set_category(self, category: str) -> None:
        self.category_list.selectionModel().setCurrentIndex(
            self.category_model.index(self.category_model.row_of(category)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )

    def _select_proxy_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    # -- adding ------------------------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        """Ask for the details of ``paths``, then import them (the dialog is window-modal)."""
        if not paths:
            return
        dialog = AddDocumentDialog(
            paths, self._name, self._ops.store.owner_name, self._current_category_or_other(), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.import_files(paths, dialog.details()))
        dialog.open()

    def import_files(self, paths: list[Path], details: DocumentDetails) -> Task:
        """Encrypt ``paths`` into the store and add one document for each, on a worker."""
        yp = self._yp

        def add_one(s: Session, f: ImportedFile) -> str:  # worker thread
            return files.add_document(
                s,
                yp,
                blob=f.blob,
                filename=f.filename,
                title=details.title or Path(f.filename).stem,
                category=details.category,
                caption=details.caption,
                added_by_kind=details.added_by_kind,
                added_by_name=details.added_by_name,
                document_date=details.dated,
                media_type=f.media_type,
            )

        return start_import(
            self,
            self._ops,
            paths,
            add_one,
            Changes.of(yp, Kind.DOCUMENTS),
            status_label=self.status_label,
            on_added=self._on_documents_added,
        )

    def _on_documents_added(self, ids: list[str]) -> None:
        n = len(ids)
        show_message(self.status_label, f"Added {n} document{'s' if n != 1 else ''}.")
        # The announcement of the write re-reads the documents; the first new one is selected.
        self._select_next = ids[0] if ids else None
        self._changed_here = True
        self._added = ids  # announced once they are shown

    def _current_category_or_other(self) -> str:
        return self.proxy.category() or "other"

    # -- slots -------------------------------------------------------------------------------

    def on_add_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add documents")
        self.add_files([Path(n) for n in names])

    def on_view_button_clicked(self) -> None:
        item = self.selected_document()
        if item is None:
            return
        self.viewer = FileViewerDialog(self._ops, item, self._yp, self)
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.open()

    def on_table_activated(self, _index: QModelIndex) -> None:
        self.on_view_button_clicked()  # Enter or double-click opens the document

    def on_remove_button_clicked(self) -> None:
        item = self.selected_document()
        if item is None:
            return
        confirm_and_remove(
            self,
            self._ops,
            "Remove document",
            f"Remove \u201c{item.title}\u201d from the life-story documents?\n\n"
            "It is kept on the record as removed and can be recovered by an administrator.",
            lambda s: files.remove_document(s, item.id),
            Changes.of(self._yp, Kind.DOCUMENTS),
            on_removed=self._mark_changed_here,
        )

    def _mark_changed_here(self) -> None:
        self._changed_here = True

    def on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.form.save()  # moving on saves what was typed, as leaving a field does
        item = current.data(ITEM_ROLE) if current.isValid() else None
        self.form.set_item(item, self._name)
        self._update_buttons()

    def on_category_list_current_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        self.proxy.set_category(current.data(CATEGORY_ROLE) if current.isValid() else ALL)
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self._select_proxy_row(0)
        self._update_buttons()

    def on_form_saved(self) -> None:
        self._changed_here = True  # the announcement of the save re-reads the list

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self._yp) and changes.touches(Kind.DOCUMENTS):
            self._reload()

    # -- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        paths = local_files(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if paths:
            event.acceptProposedAction()
            n = len(paths)
            self.drop_label.setText(f"Drop to add {n} file{'s' if n > 1 else ''}")
            self.drop_label.setProperty("dropActive", True)
            self.drop_label.style().polish(self.drop_label)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._reset_drop_label()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = local_files(event.mimeData().urls())
        self._reset_drop_label()
        if paths:
            event.acceptProposedAction()
            # Open the details dialog after the drop has finished, not inside it.
            QTimer.singleShot(0, lambda: self.add_files(paths))

    def _reset_drop_label(self) -> None:
        self.drop_label.setText(DROP_HINT)
        self.drop_label.setProperty("dropActive", False)
        self.drop_label.style().polish(self.drop_label)

    # -- helpers -----------------------------------------------------------------------------

    def _reload(self) -> None:
        yp = self._yp
        self._ops.read(
            lambda s: tuple(files.list_documents(s, yp)), parent=self, on_done=self._on_reloaded
        )

    def _on_reloaded(self, items: tuple[StoredFile, ...]) -> None:
        current = self.selected_document()
        select, self._select_next = self._select_next, None
        self._set_items(items)
        if select or current is not None:
            self.select_document(select or current.id)  # type: ignore[union-attr]
        self.loaded.emit()
        if self._changed_here:
            self._changed_here = False
            self.record_changed.emit()
        added, self._added = self._added, None
        if added is not None:
            self.documents_added.emit(added)

    def _set_items(self, items: tuple[StoredFile, ...]) -> None:
        self.model.set_items(items)
        self.category_model.set_items(list(items))
        if not items:
            self.form.set_item(None, self._name)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_document() is not None
        self.view_button.setEnabled(has)
        self.remove_button.setEnabled(has)
