"""The subject-access export from the app: every record and file of the open young person in one
zip, where the adviser chooses, as a long job with a progress dialog and Cancel.

The save dialog suggests "<preferred name> – subject access export – <date>.zip" in Documents
and asks before replacing a file (its own confirm); a name typed without ".zip" gets it, and is
refused if that file already exists, so nothing is overwritten silently. The export itself
(:func:`desktop.printing.export.export_young_person`) records the audit event before it puts
the zip in place and leaves nothing behind if it fails or is cancelled. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.errors import show_error
from desktop.operations import Changes, Kind, Operations
from desktop.paths import documents_dir
from desktop.printing.export import ExportSummary, export_young_person
from desktop.printing.file_names import export_file_name
from desktop.tasks import Task
from models.errors import Cancelled

# (parent, suggested path) -> the chosen path, or None if the adviser cancelled.
AskPath = Callable[[QWidget, Path], Path | None]


def ask_export_path(parent: QWidget, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export all records (subject access)", str(suggested), "Zip files (*.zip)"
    )
    return Path(path) if path else None


def suggested_export_path(preferred_name: str | None, on: date | None = None) -> Path:
    return documents_dir() / export_file_name(preferred_name or "", on or date.today())


def _message(parent: QWidget, icon: QMessageBox.Icon, text: str, detail: str) -> QMessageBox:
    box = QMessageBox(icon, "Subject access export", text, QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(detail)
    box.setObjectName("SubjectAccessExportMessage")
    box.setModal(True)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def start_export(
    ops: Operations,
    parent: QWidget,
    young_person_id: str,
    preferred_name: str | None,
    *,
    ask_path: AskPath = ask_export_path,
    on_finished: Callable[[ExportSummary | BaseException | None], None] | None = None,
) -> Task | None:
    """Ask where to save, then export as a job (returned; None if nothing was started);
    ``on_finished`` (for tests) gets the summary, the error, or None if no file was chosen."""
    chosen = ask_path(parent, suggested_export_path(preferred_name))
    if chosen is None:
        if on_finished is not None:
            on_finished(None)
        return None
    if chosen.suffix.lower() != ".zip":
        chosen = chosen.with_name(chosen.name + ".zip")
        if chosen.exists():  # the save dialog asked about the name without ".zip"
            exc: BaseException = FileExistsError(str(chosen))
            _message(
                parent,
                QMessageBox.Icon.Warning,
                "A file with that name is already there.",
                f"{chosen} was not replaced. Export again and choose another name.",
            )
            if on_finished is not None:
                on_finished(exc)
            return None

    def done(summary: ExportSummary) -> None:
        detail = (
            f"It is saved as {summary.path} ({summary.files} files). The zip is not encrypted: "
            "anyone who gets a copy can read everything in it, so give it to the young person "
            "safely and do not leave copies behind."
        )
        if summary.notices:
            detail += "\n\n" + "\n".join(summary.notices)
        _message(parent, QMessageBox.Icon.Information, "The export is ready.", detail)
        if on_finished is not None:
            on_finished(summary)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            _message(parent, QMessageBox.Icon.Information, "Export cancelled.",
                     "Nothing was saved.")
        else:
            show_error(parent, exc)
        if on_finished is not None:
            on_finished(exc)

    target = chosen
    return ops.job(
        lambda store, progress, cancel: export_young_person(
            store, young_person_id, target, progress, cancel
        ),
        Changes.of(young_person_id, Kind.AUDIT),
        parent=parent,
        on_done=done,
        on_failed=failed,
        label="Exporting all records…",
        cancellable=True,
    )
