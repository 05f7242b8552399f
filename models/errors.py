"""Typed errors of the domain model and the encrypted store.

Every error carries a message a personal adviser can act on. The CLI prints ``str(error)`` as one
line; the GUI shows it in a dialog. Nothing here ever includes record contents or passphrases.
"""

from __future__ import annotations


class PathwayDeskError(Exception):
    """Base class: ``str(err)`` is a complete, user-safe sentence saying what to do."""


class StoreError(PathwayDeskError):
    """Something is wrong with an encrypted store folder."""


class StoreNotFound(StoreError):
    def __init__(self, folder: object) -> None:
        super().__init__(
            f"No Pathway Desk store in {folder}. Check the folder, or create a store there first."
        )


class StoreAlreadyExists(StoreError):
    def __init__(self, folder: object) -> None:
        super().__init__(
            f"{folder} already holds a Pathway Desk store. Open it, or choose an empty folder."
        )


class StoreHalfMade(StoreError):
    def __init__(self, folder: object) -> None:
        super().__init__(
            f"{folder} holds a database but no key file (key.json), so it cannot be opened: "
            "making the store was cut short, or key.json was lost. Put key.json back from a "
            "backup if you have one; otherwise move the folder's contents away and create the "
            "store again."
        )


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not unlock this store. Check Caps Lock and try again."
        )


class PassphraseNotText(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The passphrase holds bytes that are not text (not UTF-8), so it cannot be used. "
            "Set your terminal or keyboard to UTF-8 and type the passphrase again."
        )


class WeakPassphrase(StoreError):
    """A new passphrase was refused before anything was written."""


class KeyFileDamaged(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The store's key file is damaged ({detail}). Nothing was changed; restore key.json "
            "from a backup or ask IT support to recover the store."
        )


class DatabaseDamaged(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The store's database cannot be read ({detail}). Nothing was changed; "
            "ask IT support to restore it from the hub or a backup."
        )


class PlainDatabaseRefused(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The store's database is not encrypted, so Pathway Desk refuses to open it. "
            "Someone may have replaced it; ask IT support before using this laptop for case work."
        )


class StoreTooNew(StoreError):
    def __init__(self, found: str) -> None:
        super().__init__(
            f"This store was made by a newer version of Pathway Desk (format {found}). "
            "Install the latest version to open it; nothing was changed."
        )


class StoreLocked(StoreError):
    def __init__(self) -> None:
        super().__init__("The store is locked. Unlock it with your passphrase to continue.")


class StoreBusy(StoreError):
    def __init__(self, *, writing: bool = True) -> None:
        lost = "so your change was not saved" if writing else "so it could not be read"
        super().__init__(
            "The store is busy: another Pathway Desk window, command or sync kept it for too "
            f"long, {lost}. Try again in a moment; if it keeps happening, close the other "
            "window or command."
        )


class StoreInUse(StoreError):
    def __init__(self, folder: object) -> None:
        super().__init__(
            f"The store in {folder} is already open in another Pathway Desk window. Switch to "
            "that window, or close it and try again."
        )


class DiskFull(StoreError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"The disk is full, so {what} was not saved. Free some space and try again; "
            "nothing already saved was lost."
        )


class DiskFullForOutput(DiskFull):
    def __init__(self) -> None:
        StoreError.__init__(
            self,
            "The disk is full, so this print or export could not be recorded in the audit "
            "trail, and no file was written. Free some space and try again.",
        )


class DiskFullOnOpen(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The disk is full, so the store cannot be opened. Free some space (empty the "
            "recycle bin, remove large downloads) and try again; nothing was changed."
        )


class BlobError(StoreError):
    """A stored file (document, photo) could not be read or written."""


class BlobMissing(BlobError):
    def __init__(self, sha256: str) -> None:
        super().__init__(
            f"The file {sha256[:12]}… is not on this laptop yet. Sync to fetch it, then try again."
        )


class BlobDamaged(BlobError):
    def __init__(self, sha256: str, detail: str) -> None:
        super().__init__(
            f"The stored file {sha256[:12]}… is damaged or was tampered with ({detail}). "
            "The rest of the store is fine; sync to fetch a good copy from the hub."
        )


def printable_name(text: object) -> str:
    """A file name as text that can be shown and stored: bytes that are not valid UTF-8 (kept
    by Python as lone surrogates) become U+FFFD."""
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class ImportFailed(PathwayDeskError):
    def __init__(self, path: object, detail: str) -> None:
        super().__init__(
            f"Could not add {printable_name(path)}: {detail}. Nothing was added; check the file."
        )


class Cancelled(PathwayDeskError):
    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed.")


class RecordNotFound(PathwayDeskError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"No {kind} with id {ident} in this store. Check the id (see `list`).")


class AppendOnlyViolation(PathwayDeskError):
    def __init__(self) -> None:
        super().__init__(
            "Contact notes cannot be changed once saved. Add an amendment note instead; "
            "the original stays on the record."
        )


class InvalidRecord(PathwayDeskError):
    """A value a person typed breaks a rule; the message names the field and the fix."""
