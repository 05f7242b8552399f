"""The print preview and batch print dialogs (pytest-qt, offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtPrintSupport import QPrinter

from desktop.print_ui.batch_print_dialog import BatchPrintDialog
from desktop.print_ui.print_preview_dialog import PrintPreviewDialog
from desktop.tasks import TaskRunner
from models.repo.audit import recent_events
from tests.printing.pdftext import all_text


@pytest.fixture
def tasks(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_idle()


def test_preview_renders_pages_in_memory(qtbot, person, tasks, tmp_path):
    dialog = PrintPreviewDialog(person.store, tasks, person.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        pass
    assert dialog.page_count() >= 3
    image = dialog.page_image(0)
    assert not image.isNull() and image.height() > image.width()
    assert dialog.print_button.isEnabled()
    assert list(tmp_path.iterdir()) == [person.store.folder]  # no spool or temp file

    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        dialog.choice.setCurrentIndex(dialog.choice.findData("large"))
    target = tmp_path / "plan.pdf"
    with qtbot.waitSignal(dialog.saved, timeout=20000):  # written on a worker
        dialog.save_to(str(target))
    assert "My pathway plan" in all_text(target.read_bytes())
    with person.store.reader() as s:
        events = recent_events(s)
    assert any(e.action == "print" and "large" in e.detail for e in events)


def test_print_paints_every_page(qtbot, person, tasks, tmp_path):
    dialog = PrintPreviewDialog(person.store, tasks, person.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        pass
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))  # what "Print to file" in the print dialog does
    with qtbot.waitSignal(dialog.printed, timeout=20000):
        dialog.print_to(printer)
    from pypdf import PdfReader

    assert len(PdfReader(target).pages) == dialog.page_count()


def test_batch_print_saves_plans_due_this_month(qtbot, person, tasks, tmp_path):
    dialog = BatchPrintDialog(person.store, tasks, today=date(2027, 3, 2))
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()  # read on a worker
    assert dialog.selected_ids() == [person.id]  # review due 15 March 2027
    target = tmp_path / "batch.pdf"
    with qtbot.waitSignal(dialog.batch_saved, timeout=30000) as blocker:
        dialog.print_to(str(target))
    assert blocker.args == [str(target), 1]
    assert "My pathway plan" in all_text(target.read_bytes())
