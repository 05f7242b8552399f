"""Bringing files into the encrypted store (life-story documents and memory-box items).

:func:`import_job` makes a :class:`~desktop.tasks.TaskRunner` job that streams each file through
``BlobStore.put_file`` (encrypted chunk by chunk; nothing is written in plaintext), reporting
bytes done over all the files and honouring the cancel token. Every file is checked before any is
imported, so a missing or unreadable file stops the batch before anything is written.

The records are written by ``then(imported)`` on the same worker thread, once every file is in:
a lock that waits for running jobs then finds the import complete, records and all, and the
GUI callback only has to show the result (it is dropped if the panel is gone by then).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy.orm import Session

from desktop.accessible import show_message
from desktop.errors import show_error
from desktop.operations import Changes, Operations
from desktop.tasks import Task
from models.blobs import BlobInfo, BlobStore
from models.errors import Cancelled, ImportFailed
from models.progress import CancelToken
from models.repo.files import MAX_IMPORT_BYTES, guess_media_type, import_file

T = TypeVar("T")


@dataclass(frozen=True)
class ImportedFile:
    path: Path
    blob: BlobInfo
    filename: str
    media_type: str


def check_files(paths: Sequence[Path]) -> int:
    """Total size of ``paths``; raises ImportFailed for the first that cannot be imported."""
    total = 0
    for path in paths:
        try:
            if path.is_dir():
                raise ImportFailed(path, "it is a folder, not a file")
            size = path.stat().st_size
        except FileNotFoundError:
            raise ImportFailed(path, "the file does not exist") from None
        except OSError as exc:
            raise ImportFailed(path, f"it cannot be read ({exc.strerror or exc})") from None
        if size > MAX_IMPORT_BYTES:
            raise ImportFailed(path, f"it is larger than {MAX_IMPORT_BYTES // 1024**3} GB")
        total += size
    return total


def import_job(
    blobs: BlobStore,
    paths: Sequence[Path],
    then: Callable[[list[ImportedFile]], T],
) -> Callable[[Callable[[int, int], None], CancelToken], T]:
    """A job for ``TaskRunner.run``: encrypt every file in ``paths``, then return
    ``then(imported)`` (both on the worker thread; ``then`` must not touch widgets)."""
    paths = [Path(p) for p in paths]

    def job(progress: Callable[[int, int], None], cancel: CancelToken) -> T:
        total = check_files(paths)
        done = 0
        out = []
        for path in paths:
            cancel.raise_if_cancelled()
            base = done

            def report(d: int, _t: int, base: int = base) -> None:
                progress(base + d, total)

            blob = import_file(blobs, path, progress=report, cancel=cancel)
            done += blob.size
            progress(done, total)
            out.append(ImportedFile(path, blob, path.name, guess_media_type(path.name)))
        cancel.raise_if_cancelled()
        return then(out)

    return job


def start_import(
    panel: QWidget,
    ops: Operations,
    paths: Sequence[Path],
    add_one: Callable[[Session, ImportedFile], str],
    changes: Changes,
    *,
    status_label: QLabel,
    on_added: Callable[[list[str]], None],
) -> Task:
    """Import ``paths`` for a panel: encrypt them on a worker (progress after half a second,
    cancellable), then one write operation runs ``add_one(session, file)`` for each in one
    transaction and announces ``changes``; ``on_added(ids)`` on the GUI thread. The encryption
    runs beside the write lane, not on it, so drafts are not held up by a big file. A failure
    or cancel says so and adds nothing."""
    n = len(paths)
    plural = "s" if n > 1 else ""
    show_message(status_label, f"Adding {n} file{plural}\u2026")

    def failed(exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            show_message(status_label, "Cancelled: nothing was added.")
            return
        show_message(status_label, "Nothing was added.")
        show_error(panel, exc)

    def add_records(imported: list[ImportedFile]) -> None:  # GUI thread
        ops.write(
            lambda s: [add_one(s, f) for f in imported],
            changes,
            parent=panel,
            on_done=on_added,
            on_failed=failed,
        )

    return ops.tasks.run(
        import_job(ops.store.blob_store(), paths, lambda imported: imported),
        on_done=add_records,
        on_failed=failed,
        label=f"Encrypting and adding {n} file{plural}\u2026",
        parent_widget=panel,
        cancellable=True,
        owner=panel,  # a lock may delete the panel before the job ends
    )


def local_files(urls: Sequence[QUrl]) -> list[Path]:
    """The local files among dropped URLs (web links and the like are ignored)."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]
