"""The subject-access export from a young person's record: the save step gives a path, the
export runs as a job with progress, and the zip holds index.pdf."""

from __future__ import annotations

import zipfile

from PySide6.QtCore import Qt

from desktop.printing.export import ExportSummary
from desktop.printing.file_names import export_file_name


def _open_record(qtbot, window):
    view = window.caseload_view
    view.focus_filter()
    qtbot.keyClicks(view.filter_edit, "tesf")
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert window.workspace is not None
    qtbot.waitUntil(lambda: window.workspace.overview.profile is not None)


def test_export_all_records_from_the_record_writes_a_zip(
    qtbot, make_window, caseload_folder, tmp_path
):
    window = make_window(caseload_folder)
    assert not window.actions.export.isEnabled()
    _open_record(qtbot, window)
    assert window.actions.export.isEnabled()
    suggested = []
    target = tmp_path / "out" / "export"  # no ".zip": the app adds it
    target.parent.mkdir()

    def ask(_parent, path):
        suggested.append(path)
        return target

    window.ask_export_path = ask
    with qtbot.waitSignal(window.export_finished, timeout=60_000) as blocker:
        window.actions.export.trigger()
    summary = blocker.args[0]
    assert isinstance(summary, ExportSummary), summary
    assert summary.path == tmp_path / "out" / "export.zip"
    assert "subject access export" in suggested[0].name
    assert suggested[0].suffix == ".zip"
    with zipfile.ZipFile(summary.path) as zf:
        assert "index.pdf" in zf.namelist()
    assert list((tmp_path / "out").iterdir()) == [summary.path]  # no temporary file left


def test_a_name_without_zip_that_exists_is_not_overwritten(
    qtbot, make_window, caseload_folder, tmp_path
):
    window = make_window(caseload_folder)
    _open_record(qtbot, window)
    existing = tmp_path / "export.zip"
    existing.write_bytes(b"keep me")
    window.ask_export_path = lambda _parent, _path: tmp_path / "export"
    with qtbot.waitSignal(window.export_finished) as blocker:
        window.actions.export.trigger()
    assert isinstance(blocker.args[0], FileExistsError)
    assert existing.read_bytes() == b"keep me"


def test_choosing_no_file_exports_nothing(qtbot, make_window, caseload_folder):
    window = make_window(caseload_folder)
    _open_record(qtbot, window)
    window.ask_export_path = lambda _parent, _path: None
    with qtbot.waitSignal(window.export_finished) as blocker:
        window.actions.export.trigger()
    assert blocker.args[0] is None


def test_a_cancelled_export_leaves_no_file(qtbot, make_window, caseload_folder, tmp_path):
    from desktop.print_ui.subject_access import start_export
    from models.errors import Cancelled

    window = make_window(caseload_folder)
    _open_record(qtbot, window)
    results = []
    out = tmp_path / "out"
    out.mkdir()
    task = start_export(
        window.ops,
        window,
        window.workspace.young_person_id,
        "Tesfaye",
        ask_path=lambda _parent, _path: out / "export.zip",
        on_finished=results.append,
    )
    assert task is not None
    task.cancel()  # before its first checkpoint
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    assert isinstance(results[0], Cancelled)
    assert list(out.iterdir()) == []  # no zip, no temporary file


def test_export_file_name():
    from datetime import date

    assert export_file_name("Amira", date(2026, 11, 29)) == (
        "Amira \u2013 subject access export \u2013 2026-11-29.zip"
    )
