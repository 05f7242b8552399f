"""The encrypted store: a folder holding ``store.db`` (SQLCipher), ``key.json`` and ``blobs/``.

Opening a store: read the key file, run Argon2id to unwrap the data key (slow on purpose: call
:meth:`Store.open` off the GUI thread), open SQLCipher with a key derived from it, apply any
migrations (after a backup copy), and open the blob store. :meth:`Store.close` drops the engine
and the keys; a closed store refuses every call with :class:`StoreLocked`.

Sessions: :meth:`Store.session` yields one SQLAlchemy session per operation and commits it; its
``info`` holds the acting person's name and the device's hybrid clock for the repo functions.
"""

from __future__ import annotations

import hashlib
import secrets
import socket
import threading
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import migrate, store_files
from models.blobs import BlobStore
from models.crypto.keyfile import (
    DATA_KEY_BYTES,
    KEY_FILE_NAME,
    KdfParams,
    derive_subkey,
    passphrase_forms,
    read_key_file,
    unwrap_data_key,
    unwrap_data_key_any_form,
    wrap_data_key,
    write_key_file,
)
from models.crypto.secret import take, wipe
from models.db import DB_FILE_NAME, forget_key, make_engine, writer_engine
from models.errors import (
    AppendOnlyViolation,
    DatabaseDamaged,
    DiskFull,
    PathwayDeskError,
    StoreBusy,
    StoreLocked,
    WeakPassphrase,
)
from models.folder_lock import FolderLock
from models.hlc import HybridClock
from models.repo import changes
from models.schema import DeviceIdentity, Meta

BLOB_DIR_NAME = "blobs"
BACKUP_GLOB = f"{DB_FILE_NAME}.before-*"
MIN_PASSPHRASE_LENGTH = 10
CLOCK_KEY = "clock_high_water"


def check_new_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect a lost laptop; the GUI adds strength feedback."""
    for form in passphrase_forms(passphrase):  # PassphraseNotText before anything is made
        wipe(form)
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters; "
            "a few unrelated words work well."
        )


def new_node_id() -> str:
    return secrets.token_hex(6)


def _binding(folder: Path) -> str:
    """Where a store lives: this machine and this folder (hashed; says nothing readable)."""
    place = f"{socket.gethostname()}\0{Path(folder).resolve()}"
    return hashlib.sha256(place.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def remove_migration_backups(folder: Path) -> int:
    removed = 0
    for backup in Path(folder).glob(BACKUP_GLOB):
        with suppress(OSError):
            backup.unlink()
            removed += 1
    return removed


def store_exists(folder: Path) -> bool:
    return (Path(folder) / KEY_FILE_NAME).is_file()


def _is_disk_full(exc: BaseException) -> bool:
    return "disk is full" in str(getattr(exc, "orig", exc)).lower()


def _is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection kept the write lock past the timeout."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (5, 6)
    return "database is locked" in str(orig).lower()


def _is_damaged(exc: SADatabaseError) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: a page failed SQLCipher's HMAC or is malformed."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in (11, 26)


def _is_append_only(exc: SADatabaseError) -> bool:
    """The append-only trigger of migration 0002 refused an UPDATE."""
    return "append-only:" in str(exc.orig)


def _rewrap_as_text(folder: Path, doc: dict, data_key: bytearray, passphrase: str) -> None:
    """The key file was wrapped under the passphrase's bytes as typed (before passphrases were
    compared as Unicode text): wrap it again under the NFC form, so it opens however "café" is
    typed. Best effort: if it cannot be written now, the old form keeps working."""
    kdf = doc["kdf"]
    params = KdfParams(int(kdf["memory_cost"]), int(kdf["iterations"]), int(kdf["lanes"]))
    with suppress(OSError, PathwayDeskError):
        write_key_file(folder, wrap_data_key(data_key, passphrase, str(doc["store_id"]), params))


def _drop(engine: Engine, data_key: bytearray) -> None:
    """Opening failed after the keys were made: forget them."""
    engine.dispose()
    forget_key(engine)
    wipe(data_key)


def _discard_connection(s: Session) -> None:
    """Drop a connection that met a damaged page: SQLCipher keeps the error on it, so every later
    read on it would fail too, even of undamaged pages."""
    with suppress(Exception):
        s.connection().invalidate()
    with suppress(Exception):
        s.rollback()


class Store:
    """An unlocked store. Thread-safe: sessions may be used from worker threads, one each."""

    _folder_lock: FolderLock | None = None  # held while a window has the store open

    def __init__(
        self, folder: Path, store_id: str, data_key: bytes | bytearray, engine: Engine
    ) -> None:
        self.folder = folder
        self.store_id = store_id
        self._engine: Engine | None = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.Lock()
        self.blobs: BlobStore | None = BlobStore(folder / BLOB_DIR_NAME, data_key)
        meta = self.meta()
        self.owner_name = meta.get("owner_name", "")
        self.clock = HybridClock(self._bind_identity())
        if CLOCK_KEY in meta:
            # A wall clock set back (or a new battery) must never make new changes sort before
            # ones already saved: resume from the highest stamp this store has handed out.
            self.clock.resume_from(meta[CLOCK_KEY])

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        *,
        owner_name: str,
        kdf: KdfParams | None = None,
        exclusive: bool = False,
    ) -> Store:
        """Make a new store in ``folder`` (absent or empty) and return it unlocked
        (``exclusive``: held by this window, as :meth:`open`)."""
        folder = Path(folder)
        check_new_passphrase(passphrase)
        store_files.check_creatable(folder)
        data_key = take(secrets.token_bytes(DATA_KEY_BYTES))
        store_id = str(uuid.uuid4())
        db_key = derive_subkey(data_key, b"pathway-desk db")
        # Built in a hidden sibling and renamed into place: a folder is a whole store or none.
        with store_files.building(folder) as building:
            engine = make_engine(building / DB_FILE_NAME, db_key)
            try:
                migrate.upgrade(engine, building / DB_FILE_NAME)
                with Session(engine) as s, s.begin():
                    s.add_all(
                        [
                            Meta(key="store_id", value=store_id),
                            Meta(key="owner_name", value=owner_name),
                        ]
                    )
                    # The migration made the identity row; bind it to where the store will live.
                    ident = s.get(DeviceIdentity, 1)
                    assert ident is not None
                    ident.bound_to = _binding(folder)
            finally:
                engine.dispose()  # reopened at its final place below
            (building / BLOB_DIR_NAME).mkdir()
            doc = wrap_data_key(data_key, passphrase, store_id, kdf or KdfParams())
            write_key_file(building, doc)
        lock = FolderLock.acquire(folder, folder / DB_FILE_NAME) if exclusive else None
        engine = make_engine(folder / DB_FILE_NAME, db_key, create=False)
        wipe(db_key)  # the engine keeps it as SQLCipher key text, wiped at close
        store = cls(folder, store_id, data_key, engine)
        store._folder_lock = lock
        return store

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, exclusive: bool = False) -> Store:
        """Unlock the store in ``folder``. Slow (Argon2id): never call on the GUI thread.

        ``exclusive`` (windows pass it) first takes the folder lock, so a second window on the
        same store is told it is open elsewhere (:class:`StoreInUse`); the CLI does not take it.
        """
        folder = Path(folder)
        store_files.check_openable(folder)
        if not exclusive:
            return cls._open(folder, passphrase)
        lock = FolderLock.acquire(folder, folder / DB_FILE_NAME)
        try:
            store = cls._open(folder, passphrase)
        except BaseException:
            lock.release()
            raise
        store._folder_lock = lock
        return store

    @classmethod
    def _open(cls, folder: Path, passphrase: str) -> Store:
        doc = read_key_file(folder)
        data_key, rewrap = unwrap_data_key_any_form(doc, passphrase)
        if rewrap:
            _rewrap_as_text(folder, doc, data_key, passphrase)
        db_path = folder / DB_FILE_NAME
        store_files.check_openable(folder)  # again: the KDF took a while
        db_key = derive_subkey(data_key, b"pathway-desk db")
        engine = make_engine(db_path, db_key, create=False)
        wipe(db_key)  # the engine keeps it as SQLCipher key text, wiped at close
        try:
            backup = migrate.upgrade(engine, db_path)
        except SADatabaseError as exc:
            _drop(engine, data_key)
            raise DatabaseDamaged(str(exc.orig)) from exc
        except BaseException:
            _drop(engine, data_key)
            raise
        store = cls(folder, str(doc["store_id"]), data_key, engine)
        if backup is None:
            # The store opened at the current schema: an earlier upgrade's backup copy is no
            # longer needed, and it would keep records that were since purged.
            remove_migration_backups(folder)
        return store

    def change_passphrase(self, old: str, new: str, kdf: KdfParams | None = None) -> None:
        """Re-wrap the data key under ``new``; the database and files are not touched."""
        if self._engine is None:
            raise StoreLocked()
        check_new_passphrase(new)
        doc = read_key_file(self.folder)
        data_key = unwrap_data_key(doc, old)
        if kdf is None:  # keep the store's cost, but never below today's default
            default = KdfParams()
            kdf = KdfParams(
                max(int(doc["kdf"]["memory_cost"]), default.memory_cost),
                max(int(doc["kdf"]["iterations"]), default.iterations),
                max(int(doc["kdf"]["lanes"]), default.lanes),
            )
        params = kdf
        try:
            write_key_file(self.folder, wrap_data_key(data_key, new, self.store_id, params))
        finally:
            wipe(data_key)

    def close(self) -> None:
        """Lock: dispose every connection (SQLCipher wipes its key) and drop our references."""
        if self._engine is not None:
            self._engine.dispose()
            forget_key(self._engine)  # the SQLCipher key text its connection factory held
        self._engine = None
        if self.blobs is not None:
            self.blobs.forget_keys()
        if self._folder_lock is not None:
            self._folder_lock.release()
            self._folder_lock = None
        # The sessionmaker holds the engine, whose connection factory holds the SQLCipher key.
        self._sessions = sessionmaker()
        self.blobs = None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ----------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreLocked()
        return self._engine

    def blob_store(self) -> BlobStore:
        if self.blobs is None:
            raise StoreLocked()
        return self.blobs

    @contextmanager
    def session(self, actor: str | None = None) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        Writes are serialised by a lock so two worker threads never race for SQLite's write lock.
        A full disk becomes :class:`DiskFull` (the unsaved change stays with the caller).
        """
        if self._engine is None:
            raise StoreLocked()
        info = {"actor": actor or self.owner_name, "clock": self.clock}
        bind = writer_engine(self._engine)  # BEGIN IMMEDIATE: waits for other processes' writes
        with self._write_lock, self._sessions(info=info, bind=bind) as s:
            try:
                yield s
                changes.write_log(s)
                s.merge(Meta(key=CLOCK_KEY, value=self.clock.last()))
                s.commit()
            except OperationalError as exc:
                s.rollback()
                if _is_disk_full(exc):
                    raise DiskFull("your change") from exc
                if _is_busy(exc):
                    raise StoreBusy() from exc
                raise
            except SADatabaseError as exc:
                if _is_damaged(exc):
                    _discard_connection(s)
                    raise DatabaseDamaged(str(exc.orig)) from exc
                s.rollback()
                if _is_append_only(exc):
                    raise AppendOnlyViolation() from exc
                raise
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session (not serialised with writers: WAL lets reads run alongside)."""
        if self._engine is None:
            raise StoreLocked()
        with self._sessions(info={"actor": getattr(self, "owner_name", "")}) as s:
            try:
                yield s
            except SADatabaseError as exc:
                if _is_damaged(exc):
                    _discard_connection(s)
                    raise DatabaseDamaged(str(exc.orig)) from exc
                if _is_busy(exc):
                    raise StoreBusy(writing=False) from exc
                raise
            s.rollback()

    # -- device identity -----------------------------------------------------------------------

    def _bind_identity(self) -> str:
        """This device's node id. A store found in another folder or on another machine than
        the one it was bound to is a copy (or a move): it takes a fresh node id, so the copy and
        the original can never hand out the same stamp for different values."""
        here = _binding(self.folder)
        with self._write_lock, self._sessions() as s, s.begin():
            ident = s.get(DeviceIdentity, 1)
            assert ident is not None, "migration 0003 creates the device identity"
            if ident.bound_to != here:
                if ident.bound_to:
                    ident.retired_nodes = [*ident.retired_nodes, ident.node_id]
                    ident.node_id = new_node_id()
                    ident.copied_from = ident.bound_to
                ident.bound_to = here
            return ident.node_id

    def identity(self) -> DeviceIdentity:
        with self.reader() as s:
            ident = s.get(DeviceIdentity, 1)
            assert ident is not None
            s.expunge(ident)
            return ident

    def enrol(self, *, hub_url: str, hub_device_id: str) -> str:
        """Record enrolment with a hub: a fresh node id from now on (the old one is retired),
        so stamps are unique to this enrolled device. Returns the new node id."""
        node = new_node_id()
        with self.session() as s:
            ident = s.get(DeviceIdentity, 1)
            assert ident is not None
            ident.retired_nodes = [*ident.retired_nodes, ident.node_id]
            ident.node_id = node
            ident.hub_url = hub_url
            ident.hub_device_id = hub_device_id
            ident.enrolled_at = datetime.now(UTC)
            ident.copied_from = ""
        old = self.clock
        self.clock = HybridClock(node)
        self.clock.resume_from(old.last())
        return node

    def meta(self) -> dict[str, str]:
        with self.reader() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as s:
            s.merge(Meta(key=key, value=value))
