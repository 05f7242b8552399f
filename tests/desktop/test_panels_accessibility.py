"""Every record panel: each control a keyboard can reach has an accessible name, and no text is
given a fixed pixel size (so the system font size and 200% scaling apply)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktop.custody.custody_panel import CustodyPanel
from desktop.documents.documents_panel import DocumentsPanel
from desktop.memory_box.memory_box_panel import MemoryBoxPanel
from desktop.notes.notes_panel import NotesPanel
from desktop.plan.plan_panel import PlanPanel
from tests.factories import add_note, add_young_person, fill_plan

PANELS = (PlanPanel, NotesPanel, DocumentsPanel, MemoryBoxPanel, CustodyPanel)


def _unnamed(panel: QWidget) -> tuple[int, list[str]]:
    checked, missing = 0, []
    for widget in panel.findChildren(QWidget):
        if not widget.isVisibleTo(panel) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractScrollArea) or widget.objectName().startswith("qt_"):
            continue  # a scroll area's viewport or a Qt-internal part: named by its owner
        checked += 1
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return checked, missing


@pytest.mark.parametrize("panel_class", PANELS, ids=lambda c: c.__name__)
def test_every_reachable_control_is_named(qtbot, store, ops, panel_class) -> None:
    yp = add_young_person(store, in_custody=True, prison="HMP Hull", release_date=date(2027, 1, 1))
    fill_plan(store, yp)
    add_note(store, yp)
    panel = panel_class(ops, yp)
    qtbot.addWidget(panel)
    qtbot.waitSignal(panel.loaded, timeout=10_000).wait()
    panel.resize(1100, 750)
    panel.show()
    qtbot.waitExposed(panel)
    checked, missing = _unnamed(panel)
    assert missing == []
    assert checked >= 4  # the panel's own buttons and fields were looked at
    fixed = [type(w).__name__ for w in panel.findChildren(QWidget) if w.font().pixelSize() > 0]
    assert fixed == []
    panel.flush_drafts()  # the contract: callable at any time
