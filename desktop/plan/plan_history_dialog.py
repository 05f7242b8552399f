"""The plan's agreed versions, and a side-by-side difference between any two of them (or a
version and the working copy), section by section, with changed words highlighted.

The comparison itself is :mod:`models.plan_diff` (pure, tested without Qt); this dialog only
lays it out as a two-column table in a text browser. Removed words are struck through and added
words underlined as well as tinted, so the difference never rests on colour alone.
GUI thread only; snapshots are small JSON documents read in one query each.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.accessible import buddy_label, heading, wrapped
from desktop.dates import format_day
from desktop.operations import Operations
from models.plan_diff import ADDED, REMOVED, FieldDiff, Segment, diff_plans
from models.records import PlanView, VersionInfo
from models.repo import plans

WORKING = "working"
REMOVED_STYLE = "background-color:#ffd7d5; color:#5c0000; text-decoration:line-through;"
ADDED_STYLE = "background-color:#c8f0d0; color:#003d12; text-decoration:underline;"
Index = QModelIndex | QPersistentModelIndex


class VersionsTableModel(QAbstractTableModel):
    """Agreed versions, newest first: version, agreed on, agreed with, recorded by."""

    COLUMNS = ("Version", "Agreed on", "Agreed with", "Recorded by")

    def __init__(self, versions: tuple[VersionInfo, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self._versions = list(reversed(versions))

    def version_at(self, row: int) -> VersionInfo:
        return self._versions[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._versions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        v = self._versions[index.row()]
        return (
            f"Version {v.version}",
            format_day(v.agreed_on),
            v.agreed_with or "\u2014",
            v.created_by,
        )[index.column()]


def version_title(v: VersionInfo) -> str:
    return f"Version {v.version} (agreed {format_day(v.agreed_on)})"


def _segments_html(segments: tuple[Segment, ...]) -> str:
    parts = []
    for seg in segments:
        text = html.escape(seg.text).replace("\n", "<br>")
        if seg.kind == REMOVED:
            parts.append(f'<span style="{REMOVED_STYLE}">{text}</span>')
        elif seg.kind == ADDED:
            parts.append(f'<span style="{ADDED_STYLE}">{text}</span>')
        else:
            parts.append(text)
    return "".join(parts) or '<span style="color:#666666">(empty)</span>'


def _field_rows(f: FieldDiff, only_changes: bool) -> str:
    label = html.escape(f.label)
    if not f.changed:
        if only_changes:
            return f'<tr><td colspan="2"><i>{label}: no change</i></td></tr>'
        body = _segments_html(f.old_segments)
        return (
            f"<tr><td colspan='2'><b>{label}</b></td></tr><tr><td>{body}</td><td>{body}</td></tr>"
        )
    return (
        f"<tr><td colspan='2'><b>{label}</b> \u2014 changed</td></tr>"
        f"<tr><td>{_segments_html(f.old_segments)}</td>"
        f"<td>{_segments_html(f.new_segments)}</td></tr>"
    )


class PlanHistoryDialog(QDialog):
    loaded = Signal()  # the versions are shown

    def __init__(
        self,
        ops: Operations,
        young_person_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._yp = young_person_id
        self._snapshots: dict[int | str, dict[str, Any]] = {}
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.setWindowTitle("Plan history")
        self.versions_view = QTableView()
        self.versions_view.setAccessibleName("Agreed versions")
        self.versions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions_view.setTabKeyNavigation(False)
        self.versions_view.verticalHeader().setVisible(False)
        self.versions_view.horizontalHeader().setStretchLastSection(True)
        self.from_combo = QComboBox()
        self.to_combo = QComboBox()
        self.only_changes_check = QCheckBox("Show only what &changed")
        self.only_changes_check.setChecked(True)
        self.only_changes_check.setAccessibleName("Show only what changed")
        self.summary_label = wrapped("")
        self.summary_label.setAccessibleName("Summary of changes")
        self.diff_browser = QTextBrowser()
        self.diff_browser.setAccessibleName("Differences, section by section")
        self.diff_browser.setOpenLinks(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        compare = QHBoxLayout()
        compare.addWidget(buddy_label("Compare &from:", self.from_combo))
        compare.addWidget(self.from_combo, 1)
        compare.addWidget(buddy_label("&to:", self.to_combo))
        compare.addWidget(self.to_combo, 1)
        compare.addWidget(self.only_changes_check)
        legend = QLabel(
            f"Removed words are <span style='{REMOVED_STYLE}'>struck through</span>; added words "
            f"are <span style='{ADDED_STYLE}'>underlined</span>."
        )
        legend.setAccessibleName("Removed words are struck through; added words are underlined.")

        layout = QVBoxLayout(self)
        history_label = heading("Agreed versions", 3)
        history_label.setBuddy(self.versions_view)
        layout.addWidget(history_label)
        layout.addWidget(self.versions_view)
        layout.addLayout(compare)
        layout.addWidget(legend)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.diff_browser, 1)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 140, self.fontMetrics().height() * 45)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.from_combo.currentIndexChanged.connect(self.on_from_combo_current_index_changed)
        self.to_combo.currentIndexChanged.connect(self.on_to_combo_current_index_changed)
        self.only_changes_check.toggled.connect(self.on_only_changes_check_toggled)

    def _load(self) -> None:
        """One read: the plan, the working copy and every agreed version (a plan has a few)."""
        yp = self._yp

        def read(s) -> tuple[PlanView, dict[int | str, dict[str, Any]]]:
            plan = plans.load_plan(s, yp)
            snapshots: dict[int | str, dict[str, Any]] = {WORKING: plans.snapshot(s, yp)}
            for v in plan.versions:
                snapshots[v.version] = plans.version_snapshot(s, yp, v.version)
            return plan, snapshots

        self._ops.read(read, parent=self, on_done=self._show, after_writes=True)

    def _show(self, read: tuple[PlanView, dict[int | str, dict[str, Any]]]) -> None:
        plan, self._snapshots = read
        self._versions = plan.versions
        self.versions_model = VersionsTableModel(plan.versions, self)
        self.versions_view.setModel(self.versions_model)
        self.versions_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.versions_view.selectionModel().currentRowChanged.connect(
            self.on_versions_view_current_row_changed
        )
        # Tall enough for the versions there are (up to six), so the differences get the room.
        rows = min(max(len(plan.versions), 1), 6)
        row_height = self.versions_view.verticalHeader().defaultSectionSize()
        header_height = self.versions_view.horizontalHeader().sizeHint().height()
        self.versions_view.setFixedHeight(header_height + rows * row_height + 4)
        for combo in (self.from_combo, self.to_combo):
            combo.blockSignals(True)
            for v in plan.versions:
                combo.addItem(version_title(v), v.version)
            combo.addItem("Working copy (not agreed yet)", WORKING)
            combo.blockSignals(False)
        if not plan.versions:
            self.from_combo.insertItem(0, "Nothing (an empty plan)", 0)
        # Default: what changed since the last agreement.
        self.from_combo.setCurrentIndex(max(self.from_combo.count() - 2, 0))
        self.to_combo.setCurrentIndex(self.to_combo.count() - 1)
        self._refresh()
        self.loaded.emit()

    # -- slots -------------------------------------------------------------------------------

    def on_from_combo_current_index_changed(self, _index: int) -> None:
        self._refresh()

    def on_to_combo_current_index_changed(self, _index: int) -> None:
        self._refresh()

    def on_only_changes_check_toggled(self, _checked: bool) -> None:
        self._refresh()

    def on_versions_view_current_row_changed(
        self, current: QModelIndex, _prev: QModelIndex
    ) -> None:
        if current.isValid():
            self.compare(self.versions_model.version_at(current.row()).version, WORKING)

    # -- comparing ---------------------------------------------------------------------------

    def compare(self, old: int | str, new: int | str) -> None:
        """Show the difference from ``old`` to ``new``: version numbers, or WORKING."""
        self.from_combo.blockSignals(True)
        self.from_combo.setCurrentIndex(max(self.from_combo.findData(old), 0))
        self.from_combo.blockSignals(False)
        self.to_combo.setCurrentIndex(max(self.to_combo.findData(new), 0))
        self._refresh()

    def _snapshot(self, key: int | str) -> dict[str, Any]:
        return self._snapshots.get(key if key == WORKING else int(key), {}) if key else {}

    def _refresh(self) -> None:
        old_key = self.from_combo.currentData()
        new_key = self.to_combo.currentData()
        if old_key is None or new_key is None:
            return
        diffs = diff_plans(self._snapshot(old_key), self._snapshot(new_key))
        changed = [d.title for d in diffs if d.changed]
        if old_key == new_key:
            self.summary_label.setText("Choose two different versions to compare.")
        elif changed:
            self.summary_label.setText(
                f"{len(changed)} part{'s' if len(changed) != 1 else ''} changed: "
                + ", ".join(changed)
                + "."
            )
        else:
            self.summary_label.setText("No differences.")
        only = self.only_changes_check.isChecked()
        old_title = html.escape(self.from_combo.currentText())
        new_title = html.escape(self.to_combo.currentText())
        parts = []
        for d in diffs:
            if only and not d.changed:
                continue
            rows = "".join(_field_rows(f, only) for f in d.fields)
            marker = " \u2014 changed" if d.changed else ""
            parts.append(
                f"<h3>{html.escape(d.title)}{marker}</h3>"
                "<table width='100%' cellspacing='0' cellpadding='6' border='1' "
                "style='border-collapse:collapse; border-color:#bbbbbb'>"
                f"<tr><th width='50%' align='left'>{old_title}</th>"
                f"<th width='50%' align='left'>{new_title}</th></tr>{rows}</table>"
            )
        if not parts:
            parts.append("<p>Nothing changed between these two.</p>")
        self.diff_browser.setHtml("".join(parts))
