"""The sync client: enrolment, one sync run, and the status a person sees.

``SyncClient(store).run(progress, cancel)`` pushes, pulls, purges and moves files;
``enrol(store, url, code, fingerprint)`` enrols the laptop; ``status(store)`` says how things
stand. Errors are ``SyncError`` subclasses whose message tells a person what to do.
"""

from sync.client.engine import SyncClient, SyncReport, SyncStatus, fetch_file, status, waiting
from sync.client.enrolment import Enrolment, enrol, fingerprint_of_hub
from sync.client.errors import (
    CopiedStore,
    DeviceRevoked,
    FingerprintMismatch,
    HubRefused,
    HubTooOld,
    HubUnreachable,
    NotEnrolled,
    SyncCancelled,
    SyncError,
    UpdateRequired,
)

__all__ = [
    "CopiedStore", "DeviceRevoked", "Enrolment", "FingerprintMismatch", "HubRefused",
    "HubTooOld", "HubUnreachable", "NotEnrolled", "SyncCancelled", "SyncClient", "SyncError",
    "SyncReport", "SyncStatus", "UpdateRequired", "enrol", "fetch_file", "fingerprint_of_hub",
    "status", "waiting",
]
