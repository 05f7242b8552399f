"""What can stop a sync, each with a sentence that tells a person what to do."""

from __future__ import annotations

from models.errors import PathwayDeskError


class SyncError(PathwayDeskError):
    """A sync (or enrolment) that could not finish. ``str(exc)`` is for the person."""


class NotEnrolled(SyncError):
    def __init__(self) -> None:
        super().__init__("This laptop is not enrolled with a hub yet: enrol it first "
                         "(Sync ▸ Enrol this laptop…, or `pathway-desk enrol`).")


class HubUnreachable(SyncError):
    """No answer from the hub (offline, wrong address, connection dropped). Nothing is lost:
    the next sync carries on from where this one stopped."""


class FingerprintMismatch(SyncError):
    pass


class DeviceRevoked(SyncError):
    """The hub revoked this laptop's enrolment: its store must be wiped."""


class UpdateRequired(SyncError):
    pass


class HubTooOld(SyncError):
    """The hub speaks an older protocol than this app: it must be updated first."""


class HubRefused(SyncError):
    """The hub answered with an error for this request."""

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("Sync cancelled. What was sent or received so far is kept; the next "
                         "sync carries on from there.")


class CopiedStore(SyncError):
    def __init__(self) -> None:
        super().__init__("This store was copied or moved from another place, so it cannot sync "
                         "as the laptop it was enrolled on. Enrol it again with a new code.")
