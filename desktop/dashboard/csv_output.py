"""Saving a CSV or PDF from the dashboard: ask where, then write it through the one output path
(``desktop.printing.outputs``: audit first, file last, no half-written file left) as a job off
the GUI thread. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.operations import Changes, Kind, Operations
from desktop.paths import documents_dir
from desktop.printing.outputs import AuditEvent, publish_bytes

AskPath = Callable[[QWidget, Path], "Path | None"]
NOT_ENCRYPTED = (
    "The file is not encrypted: keep it on the council's network, not on this laptop, and "
    "delete it when it has done its job."
)


def ask_csv_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save: the save dialog, with the file type from the suggested name."""
    kind = "PDF (*.pdf)" if suggested.suffix == ".pdf" else "CSV (*.csv)"
    path, _ = QFileDialog.getSaveFileName(parent, "Save", str(suggested), kind)
    return Path(path) if path else None


def save_csv(
    ops: Operations,
    parent: QWidget,
    ask_path: AskPath,
    file_name: str,
    text: str,
    events: list[AuditEvent],
    on_saved: Callable[[Path], Any],
) -> None:
    """Ask where (suggesting ``file_name`` in Documents), then save ``text`` there."""
    data = text.encode("utf-8")
    save_file(ops, parent, ask_path, file_name, lambda: data, events, on_saved)


def save_file(
    ops: Operations,
    parent: QWidget,
    ask_path: AskPath,
    file_name: str,
    make: Callable[[], bytes],
    events: list[AuditEvent],
    on_saved: Callable[[Path], Any],
) -> None:
    """Ask where, then make the file's bytes (``make``, on the job's thread: a PDF takes a
    moment) and save them there."""
    path = ask_path(parent, documents_dir() / file_name)
    if path is None:
        return

    def save(store: Any, _progress: Any, _cancel: Any) -> Path:
        publish_bytes(store, path, make(), events)
        return path

    ops.job(save, Changes.of(None, Kind.AUDIT), parent=parent, on_done=on_saved, label="Saving…")
