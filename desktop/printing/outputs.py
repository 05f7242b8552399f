"""Publishing a readable output (PDF, zip) where the user chose: audit first, file last.

An output is written to a hidden temporary file beside the target (``.NAME.<hex>.part``), the
audit event is recorded, and only then is the file renamed into place: a file the adviser can
read never exists without its audit event, and a failed audit leaves no output.

The temporary file is plaintext, so its path is noted in the encrypted store before it is made
(:mod:`models.pending_outputs`) and forgotten after it is published or removed. A run that was cut
short leaves the note behind; :func:`sweep_leftovers` (called by the next print or export and at
the CLI's start) removes the leftover and returns a sentence telling the adviser about it.
While a job writes, it holds an advisory lock on its temporary file, so a sweep in another
process never removes a file that is still being written.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from models.errors import DiskFull, DiskFullForOutput
from models.pending_outputs import add_pending, pending, remove_pending
from models.repo.audit import record_event

_PART = re.compile(r"^\..+\.[0-9a-f]{8,12}\.part$")

AuditEvent = tuple[str, str | None, str]  # (action, young person id or None, detail)


def temp_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")


def _try_lock(fd: int) -> bool:
    """Take the exclusive advisory lock on an open file; False if another process holds it."""
    if os.name == "nt":
        return True  # Windows refuses to delete a file another process has open
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _remove_if_unused(path: Path) -> bool | None:
    """Remove a leftover temp file: True if removed, None if absent, False if it could not be
    (still being written by another process, or the removal failed)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return False
        path.unlink()
        return True
    except FileNotFoundError:
        return None
    except OSError:
        return False
    finally:
        os.close(fd)


def sweep_leftovers(store, also_in: Path | None = None) -> list[str]:
    """Remove temporary outputs left by runs that were cut short; one sentence for each.

    Looks at every path noted in the store, and at hidden ``.*.part`` files in ``also_in`` (the
    folder of the output about to be written), which may come from before paths were noted.
    """
    with store.reader() as s:
        noted = pending(s)
    candidates = {Path(p) for p in noted}
    if also_in is not None:
        with contextlib.suppress(OSError):
            candidates |= {p for p in also_in.iterdir() if _PART.match(p.name)}
    notices: list[str] = []
    settled: list[str] = []
    for path in sorted(candidates):
        outcome = _remove_if_unused(path)
        if outcome is None or outcome:
            settled.append(str(path))
        if outcome:
            notices.append(
                f"An earlier print or export was cut short and left an unfinished, readable "
                f"file at {path}; it has been deleted."
            )
        elif outcome is False and str(path) in noted:
            notices.append(
                f"An earlier print or export was cut short and may have left an unfinished, "
                f"readable file at {path}; delete it if it is not still being written."
            )
    forget = [p for p in settled if p in noted]
    if forget:
        with contextlib.suppress(Exception), store.session() as s:
            remove_pending(s, *forget)
    return notices


@contextlib.contextmanager
def publishing(store, target: Path | str, events: list[AuditEvent]) -> Iterator[BinaryIO]:
    """Yield the open temporary file for an output; on success, audit ``events`` and rename it
    to ``target``. On any failure (or a failed audit) the temporary file is removed."""
    target = Path(target)
    temp = temp_path_for(target)
    try:
        with store.session() as s:
            add_pending(s, str(temp))
    except DiskFull as exc:
        raise DiskFullForOutput() from exc
    try:
        with open(temp, "xb") as fh:
            _try_lock(fh.fileno())  # held until closed: a sweep elsewhere leaves it alone
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            with store.session() as s:
                for action, young_person_id, detail in events:
                    record_event(s, action, young_person_id, detail=detail)
        except DiskFull as exc:
            raise DiskFullForOutput() from exc
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    finally:
        # Forgetting the note may fail (a full disk): the next sweep finds nothing and drops it.
        with contextlib.suppress(Exception), store.session() as s:
            remove_pending(s, str(temp))


def publish_bytes(store, target: Path | str, data: bytes, events: list[AuditEvent]) -> None:
    """Write ``data`` to ``target`` the way :func:`publishing` does."""
    with publishing(store, target, events) as fh:
        fh.write(data)


def print_events(young_person_ids: list[str | None], what: str) -> list[AuditEvent]:
    return [("print", yp_id, what) for yp_id in young_person_ids]

