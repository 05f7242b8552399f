"""The Virtual Memory Box: one young person's photos, documents and written memories, like a
private page of their own. A grid of cards, or a timeline by year (toggle); add a photo, a
document or a written memory; open any item full size; remove with a confirmation (the item is
kept as a tombstone, protected from accidental loss).

Thumbnails are decoded and scaled off the GUI thread and kept in memory only. Files are imported
through the encrypted blob store with a cancellable progress dialog (also by drag and drop).
GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.accessible import heading, message_label, show_message, wrapped
from desktop.bidi import isolate
from desktop.documents.file_import import ImportedFile, local_files, start_import
from desktop.errors import show_error
from desktop.memory_box.add_memory_dialog import AddMemoryDialog, MemoryDetails, written_draft_key
from desktop.memory_box.memory_card_delegate import MemoryCardDelegate
from desktop.memory_box.memory_model import ITEM_ROLE, MemoryListModel
from desktop.memory_box.thumbnail_loader import ThumbnailLoader
from desktop.operations import Changes, Kind, Operations
from desktop.removal import confirm_and_remove
from desktop.tasks import Task
from desktop.viewer.file_viewer_dialog import FileViewerDialog
from desktop.viewer.image_loading import IMAGE_TYPES
from models.domain import MemoryKind
from models.records import StoredFile
from models.repo import files
from models.repo.drafts import discard_draft, load_draft
from models.repo.files import guess_media_type
from models.repo.young_people import load_profile

PHOTO_FILTER = "Photos (*.jpg *.jpeg *.png *.gif *.bmp *.webp);;All files (*)"


class MemoryBoxPanel(QWidget):
    record_changed = Signal()  # a change made here is shown
    memories_added = Signal(list)  # ids of the new items
    loaded = Signal()  # the items as last read are shown

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
        self.thumbnails: ThumbnailLoader | None = None
        # The last viewer opened (it deletes itself on closing). No Python code may run from
        # its ``destroyed`` signal to drop this reference: freeing a wrapper while Qt is
        # destroying the object crashes PySide.
        self.viewer: FileViewerDialog | None = None
        self._dialog: AddMemoryDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setAccessibleName("Memory Box")
        self.setAcceptDrops(True)
        self.title_label = heading("Memory Box", 1)
        self.subtitle_label = wrapped("")
        self.grid_button = QPushButton("&Grid")
        self.timeline_button = QPushButton("&Timeline")
        self._view_group = QButtonGroup(self)
        for b in (self.grid_button, self.timeline_button):
            b.setCheckable(True)
            self._view_group.addButton(b)
        self.grid_button.setChecked(True)
        self.grid_button.setAccessibleName("Show as a grid")
        self.timeline_button.setAccessibleName("Show as a timeline")
        self.add_photo_button = QPushButton("Add &a photo\u2026")
        self.add_document_button = QPushButton("Add a docum&ent\u2026")
        self.write_button = QPushButton("&Write a memory\u2026")
        self.view_button = QPushButton("Full si&ze")
        self.view_button.setToolTip("Open the selected item full size (Enter)")
        self.remove_button = QPushButton("&Remove\u2026")
        for b in (self.add_photo_button, self.add_document_button, self.write_button):
            b.setAccessibleName(b.text().replace("&", "").rstrip("\u2026"))
        self.view_button.setAccessibleName("Open the selected item full size")
        self.remove_button.setAccessibleName("Remove the selected item")

        self.model = MemoryListModel(parent=self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Memories")
        self.delegate = MemoryCardDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setStyleSheet("QListView { background: #f7efe6; }")
        self.draft_label = message_label("info")
        self.continue_button = QPushButton("&Carry on writing\u2026")
        self.continue_button.setVisible(False)
        self.status_label = message_label("info")
        self.empty_label = wrapped("")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.delete_shortcut = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        top.addLayout(titles, 1)
        top.addWidget(self.grid_button)
        top.addWidget(self.timeline_button)
        actions = QHBoxLayout()
        for b in (self.add_photo_button, self.add_document_button, self.write_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.view_button)
        actions.addWidget(self.remove_button)
        draft_row = QHBoxLayout()
        draft_row.addWidget(self.draft_label, 1)
        draft_row.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addLayout(draft_row)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        self._apply_mode(MemoryCardDelegate.GRID)

    def _connect_signals(self) -> None:
        self.grid_button.toggled.connect(self.on_grid_button_toggled)
        self.add_photo_button.clicked.connect(self.on_add_photo_button_clicked)
        self.add_document_button.clicked.connect(self.on_add_document_button_clicked)
        self.write_button.clicked.connect(self.on_write_button_clicked)
        self.continue_button.clicked.connect(self.on_write_button_clicked)
        self.view_button.clicked.connect(self.on_view_button_clicked)
        self.remove_button.clicked.connect(self.on_remove_button_clicked)
        self.delete_shortcut.activated.connect(self.on_remove_button_clicked)
        self.view.activated.connect(self.on_view_activated)
        self.view.selectionModel().currentChanged.connect(self.on_view_current_changed)
        self._ops.announcer.changes_announced.connect(self.on_announcer_changes_announced)

    def _load(self) -> None:
        """One read: the name, the items and the memory left half-written last time."""
        yp = self._yp

        def read(s) -> tuple[str, tuple[StoredFile, ...], dict | None]:
            return (
                load_profile(s, yp).preferred_name,
                tuple(files.list_memories(s, yp)),
                load_draft(s, written_draft_key(yp)),
            )

        self._ops.read(read, parent=self, on_done=self._show)

    def _show(self, read: tuple[str, tuple[StoredFile, ...], dict | None]) -> None:
        self._name, items, draft = read
        self.model.set_young_person_name(self._name)
        self.subtitle_label.setText(
            f"{isolate(self._name)}'s photos, documents and memories: "
            "a private place for their story."
        )
        ratio = self.devicePixelRatioF()
        self.thumbnails = ThumbnailLoader(
            self._ops.store, self._ops.tasks, round(self.delegate.unit() * 9 * ratio), self
        )
        self.thumbnails.thumbnail_made.connect(self.model.set_thumbnail)
        self._set_items(items)
        self._show_draft_notice(draft)
        self.loaded.emit()

    # -- the panel contract ------------------------------------------------------------------

    def flush_drafts(self) -> None:
        if self._dialog is not None:
            self._dialog.flush_drafts()

    def current_state(self) -> dict[str, Any]:
        item = self.selected_item()
        return {"mode": self.delegate.mode, "item": item.id if item else None}

    def restore_state(self, state: dict[str, Any]) -> None:
        self.set_mode(state.get("mode", MemoryCardDelegate.GRID))
        if state.get("item"):
            self.select_item(state["item"])

    # -- view --------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        (
            self.timeline_button if mode == MemoryCardDelegate.TIMELINE else self.grid_button
        ).setChecked(True)

    def _apply_mode(self, mode: str) -> None:
        self.delegate.mode = mode
        if mode == MemoryCardDelegate.GRID:
            self.view.setViewMode(QListView.ViewMode.IconMode)
            self.view.setFlow(QListView.Flow.LeftToRight)
            self.view.setWrapping(True)
            self.view.setUniformItemSizes(True)
            self.view.setGridSize(self.delegate.card_size() + QSize(8, 8))
            self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        else:
            self.view.setViewMode(QListView.ViewMode.ListMode)
            self.view.setFlow(QListView.Flow.TopToBottom)
            self.view.setWrapping(False)
            self.view.setUniformItemSizes(False)
            self.view.setGridSize(QSize())
            self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(4)
        self.view.doItemsLayout()

    def selected_item(self) -> StoredFile | None:
        index = self.view.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def select_item(self, item_id: str) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    # -- adding ------------------------------------------------------------------------------

    def ask_details(self, kind: str, paths: list[Path] | None = None) -> None:
        """Open the "add" dialog (window-modal); on Add, import any files and save the item."""
        dialog = AddMemoryDialog(self._ops, self._yp, kind, self._name, paths, self)
        self._dialog = dialog
        dialog.finished.connect(lambda result: self._on_dialog_finished(dialog, paths, result))
        dialog.open()

    def _on_dialog_finished(self, dialog: AddMemoryDialog, paths: list[Path] | None, result: int):
        self._dialog = None
        details = dialog.details()
        keeper = dialog.keeper
        if result == QDialog.DialogCode.Accepted:
            if paths:
                self.import_files(paths, details)
            else:
                if keeper is not None:
                    keeper.flush()  # kept until the memory's own transaction discards it
                self.add_written(details, discard=keeper.key if keeper else None)
        elif not (details.body or details.caption):
            dialog.discard_draft()
        else:
            dialog.flush_drafts()
            self._show_draft_notice({"body": details.body, "caption": details.caption})
        dialog.deleteLater()

    def add_written(self, details: MemoryDetails, discard: str | None = None) -> Task:
        """Add a written memory in one write; the draft ``discard`` goes in the same
        transaction (if the write fails, the draft stays and is offered again)."""
        yp = self._yp

        def write(s: Session) -> str:
            item_id = files.add_memory(
                s,
                yp,
                kind=MemoryKind.MEMORY.value,
                caption=details.caption,
                body=details.body,
                added_by_kind=details.added_by_kind,
                added_by_name=details.added_by_name,
                memory_date=details.dated,
            )
            if discard is not None:
                discard_draft(s, discard)
            return item_id

        def failed(exc: BaseException) -> None:
            self._show_draft_notice({"body": details.body, "caption": details.caption})
            show_error(self, exc)

        self._show_draft_notice(None)
        return self._ops.write(
            write,
            Changes.of(yp, Kind.MEMORIES, Kind.DRAFTS),
            parent=self,
            on_done=lambda item_id: self._after_added([item_id]),
            on_failed=failed,
        )

    def import_files(self, paths: list[Path], details: MemoryDetails) -> Task:
        """Encrypt ``paths`` into the store and add one item for each, on a worker."""
        yp = self._yp

        def add_one(s: Session, f: ImportedFile) -> str:  # worker thread
            return files.add_memory(
                s,
                yp,
                kind=details.kind,
                caption=details.caption,
                blob=f.blob,
                filename=f.filename,
                added_by_kind=details.added_by_kind,
                added_by_name=details.added_by_name,
                memory_date=details.dated,
                media_type=f.media_type,
            )

        return start_import(
            self,
            self._ops,
            paths,
            add_one,
            Changes.of(yp, Kind.MEMORIES),
            status_label=self.status_label,
            on_added=self._after_added,
        )

    def _after_added(self, ids: list[str]) -> None:
        n = len(ids)
        show_message(self.status_label, f"Added {n} item{'s' if n != 1 else ''} to the Memory Box.")
        # The announcement of the write re-reads the items; the first new one is selected.
        self._select_next = ids[0] if ids else None
        self._changed_here = True
        self._added = ids  # announced once they are shown

    # -- slots -------------------------------------------------------------------------------

    def on_grid_button_toggled(self, checked: bool) -> None:
        self._apply_mode(MemoryCardDelegate.GRID if checked else MemoryCardDelegate.TIMELINE)

    def on_add_photo_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add photos", "", PHOTO_FILTER)
        if names:
            self.ask_details(MemoryKind.PHOTO.value, [Path(n) for n in names])

    def on_add_document_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add documents to the Memory Box")
        if names:
            self.ask_details(MemoryKind.DOCUMENT.value, [Path(n) for n in names])

    def on_write_button_clicked(self) -> None:
        self.ask_details(MemoryKind.MEMORY.value)

    def on_view_button_clicked(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        self.viewer = FileViewerDialog(self._ops, item, self._yp, self)
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.open()

    def on_view_activated(self, _index: QModelIndex) -> None:
        self.on_view_button_clicked()  # Enter or double-click opens the item full size

    def on_view_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def on_remove_button_clicked(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        confirm_and_remove(
            self,
            self._ops,
            "Remove from the Memory Box",
            f"Remove \u201c{self.model.data(self.view.currentIndex())}\u201d from "
            f"{isolate(self._name)}'s Memory Box?\n\nIt is kept on the record as removed, "
            "so it can be recovered if this was a mistake.",
            lambda s: files.remove_memory(s, item.id),
            Changes.of(self._yp, Kind.MEMORIES),
            on_removed=self._on_removed,
        )

    def _on_removed(self) -> None:
        show_message(self.status_label, "Removed. It can be recovered from the record.")
        self._changed_here = True

    def on_announcer_changes_announced(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns(self._yp) and changes.touches(Kind.MEMORIES):
            self._reload()

    # -- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and local_files(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = local_files(event.mimeData().urls())
        if not paths:
            return
        event.acceptProposedAction()
        photos = all(guess_media_type(p.name) in IMAGE_TYPES for p in paths)
        kind = MemoryKind.PHOTO.value if photos else MemoryKind.DOCUMENT.value
        QTimer.singleShot(0, lambda: self.ask_details(kind, paths))

    # -- helpers -----------------------------------------------------------------------------

    def _reload(self) -> None:
        yp = self._yp
        self._ops.read(
            lambda s: tuple(files.list_memories(s, yp)), parent=self, on_done=self._on_reloaded
        )

    def _on_reloaded(self, items: tuple[StoredFile, ...]) -> None:
        current = self.selected_item()
        select, self._select_next = self._select_next, None
        self._set_items(items)
        if select or current is not None:
            self.select_item(select or current.id)  # type: ignore[union-attr]
        self.loaded.emit()
        if self._changed_here:
            self._changed_here = False
            self.record_changed.emit()
        added, self._added = self._added, None
        if added is not None:
            self.memories_added.emit(added)

    def _set_items(self, items: tuple[StoredFile, ...]) -> None:
        self.model.set_items(items)
        self.empty_label.setText(
            "Nothing here yet. Add a photo, a document or a memory: a first day somewhere, a "
            f"certificate, a place {isolate(self._name)} loves."
        )
        self.empty_label.setVisible(not items)
        if self.thumbnails is not None:
            self.thumbnails.request(self.model.wanting_thumbnails())
        self._update_buttons()

    def _show_draft_notice(self, draft: dict | None) -> None:
        has = bool(draft and (draft.get("body") or draft.get("caption")))
        show_message(self.draft_label, "There is a memory you started writing." if has else "")
        self.continue_button.setVisible(has)

    def _update_buttons(self) -> None:
        has = self.selected_item() is not None
        self.view_button.setEnabled(has)
        self.remove_button.setEnabled(has)
