"""Owner-only permissions for the store's files and folders (0600 files, 0700 folders).

Everything in a store is ciphertext, but a file readable by every account on the computer still
hands the ciphertext (and the key file's Argon2id parameters) to anyone who can log in. On POSIX
systems the files are created owner-only; on Windows, where these mode bits mean little, the
folder's inherited access list (the user's profile) is what protects them, so these are no-ops.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700
POSIX = os.name == "posix"


def open_owner_only(path: Path, *, exclusive: bool = False) -> int:
    """``os.open`` for writing a new file readable by its owner only; returns the descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)  # Windows: no newline translation
    return os.open(path, flags, OWNER_ONLY_FILE)


def make_owner_only_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) if needed, and make it owner-only."""
    folder.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_FOLDER)
    tighten(folder)


def tighten(path: Path) -> None:
    """Take group and other permissions off an existing file or folder (stores made before
    this rule, or a folder created by someone else's mkdir). POSIX only; quiet if not owned."""
    if not POSIX:
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
    except (FileNotFoundError, PermissionError):
        pass
