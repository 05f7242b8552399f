"""Editors for the actions table: a date field for "by when", a list of statuses for "status".

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.plan.actions_model import status_text
from desktop.widgets.optional_date_edit import OptionalDateEdit
from models.domain import ActionStatus

Index = QModelIndex | QPersistentModelIndex


class DateDelegate(QStyledItemDelegate):
    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = OptionalDateEdit("By when", "No date", parent)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, OptionalDateEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.set_value(value.toPython() if value is not None else None)

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        assert isinstance(editor, OptionalDateEdit)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class StatusDelegate(QStyledItemDelegate):
    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Status")
        for status in ActionStatus:
            combo.addItem(status_text(status), status.value)
        # Choosing a status saves it straight away, as a click on a checkbox would.
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
