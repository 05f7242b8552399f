"""Opening the SQLCipher database through SQLAlchemy.

SQLCipher is given a raw 256-bit key (``x'…'``) derived from the data key, so no connection pays
SQLCipher's own PBKDF2: the only slow step at unlock is the Argon2id that unwraps the data key.
Every connection turns on ``secure_delete`` (deleted rows overwritten), WAL (encrypted like the
main file) and an in-memory temp store, so no plaintext reaches the disk through journals or temp
files.

``cipher_memory_security`` stays off (SQLCipher's default): it ``mlock``s and wipes *every*
allocation SQLite makes, two system calls per allocation, which made a team's first sync (36,000
changes) spend about two thirds of its time in the kernel (22 s instead of about 6 s, see the
sync-apply benchmark). The same record text lives unlocked in Python's own objects (the decoded
sync pages, the ORM rows, the GUI's strings), so locking SQLite's copy alone bought little.
SQLCipher still zeroes its own allocations (keys, page buffers) when it frees them, and the key
text is wiped at lock (``forget_key``).

Pages are 16 KiB, authenticated with HMAC-SHA256 (``PAGE_FORMAT``), in a database made now.
SQLCipher encrypts and authenticates each page whole (its own IV from the random generator, an
HMAC), so a quarter as many pages cost less per byte written: applying a team's first sync took
12% less CPU (SQLite's side, 1.36 s to 1.20 s) at 16 KiB than at SQLCipher's default 4 KiB.
HMAC-SHA256 runs at twice SHA-512's speed where the processor has SHA instructions (1.8 against
0.85 GB/s here): writing a first sync's pages took 0.06-0.09 s less. Databases made before keep
their format (``OLDER_FORMATS``: 16 KiB with SQLCipher's default HMAC-SHA512 for a while, 4 KiB
before that). The format is not written in the clear anywhere, so a database is opened in each
format in turn until page 1 authenticates; the one that reads is used for every later
connection. No probe writes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from models.crypto.secret import sqlcipher_key_text, wipe
from models.errors import DatabaseDamaged, DiskFullOnOpen, PlainDatabaseRefused
from models.file_modes import tighten

DB_FILE_NAME = "store.db"
WRITE_OPTION = "pathway_desk_write"
_KEY_ATTR = "_pathway_desk_key_text"
# How long a write waits for another process's write (a second window, the CLI, a sync) before
# giving up with StoreBusy. Writes are short, so a wait this long means something is stuck.
BUSY_TIMEOUT_MS = 15000
FULL_DISK_BYTES = 64 * 1024  # less free than this: too little for the WAL index (-shm, 32 KiB)


@dataclass(frozen=True)
class PageFormat:
    """How SQLCipher lays out and authenticates a database's pages."""

    size: int  # cipher_page_size
    hmac: str  # cipher_hmac_algorithm


PAGE_FORMAT = PageFormat(16384, "HMAC_SHA256")  # every database made now
OLDER_FORMATS = (PageFormat(16384, "HMAC_SHA512"), PageFormat(4096, "HMAC_SHA512"))
_PLAIN_HEADER = b"SQLite format 3\x00"


def refuse_plain_database(path: Path) -> None:
    """Raise :class:`PlainDatabaseRefused` if ``path`` is an unencrypted SQLite file."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except FileNotFoundError:
        return
    if header == _PLAIN_HEADER:
        raise PlainDatabaseRefused()


def _apply_pragmas(
    conn: object,
    key_text: bytearray | None,
    *,
    exclusive: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    page_format: PageFormat = PAGE_FORMAT,
) -> None:
    cur = conn.cursor()  # type: ignore[attr-defined]
    if exclusive:
        # WAL keeps its index in the -shm file, which cannot be made on a full disk; in
        # exclusive locking mode SQLite keeps it in memory instead, so reading still works.
        cur.execute("PRAGMA locking_mode = EXCLUSIVE")
    if key_text is not None:
        # SQLCipher logs damage ("ERROR CORE ... hmac check failed") straight to stderr, ahead
        # of the one-line message the app gives; the typed error says all there is to say.
        cur.execute("PRAGMA cipher_log_level = NONE")
        # sqlite3_key straight from our buffer: unlike ``PRAGMA key = "x'…'"`` no str holding
        # the key is made (nor kept in the driver's statement cache until the connection ends).
        conn.set_key(key_text)  # type: ignore[attr-defined]
        cur.execute(f"PRAGMA cipher_page_size = {int(page_format.size)}")
        if page_format.hmac not in ("HMAC_SHA256", "HMAC_SHA512"):
            raise ValueError(f"unknown HMAC {page_format.hmac!r}")
        cur.execute(f"PRAGMA cipher_hmac_algorithm = {page_format.hmac}")
    cur.execute("PRAGMA secure_delete = ON")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    # Reading the schema proves the key before anything else touches the file.
    cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
    cur.execute("PRAGMA journal_mode = WAL").fetchone()
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _disk_full_at(path: Path) -> bool:
    try:
        return shutil.disk_usage(Path(path).absolute().parent).free < FULL_DISK_BYTES
    except OSError:
        return False


def make_engine(
    path: Path,
    db_key: bytes | bytearray | None,
    *,
    module: ModuleType = sqlcipher3,
    create: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    """An engine over the database at ``path``, every connection set up alike.

    ``db_key`` is the raw SQLCipher key; ``None`` makes a *plain* SQLite engine (with another
    DB-API ``module`` if given), which exists only so benchmarks can compare against it — the
    store never calls it that way. With ``create=False`` a missing file is an error, never a new
    empty database (opening a store must not make one).
    """
    if db_key is not None:
        refuse_plain_database(path)
    key_text = sqlcipher_key_text(db_key) if db_key is not None else None
    # Page formats to try, the one found first once a connection has read the database.
    formats = [PAGE_FORMAT, *OLDER_FORMATS] if key_text is not None else [PAGE_FORMAT]

    def open_keyed(uri: str, exclusive: bool) -> object:
        first: BaseException | None = None
        for page_format in list(formats):
            try:
                conn = module.connect(uri, uri=True, check_same_thread=False)
            except module.OperationalError as exc:
                raise DatabaseDamaged(f"store.db cannot be opened: {exc}") from exc
            try:
                _apply_pragmas(conn, key_text, exclusive=exclusive,
                               busy_timeout_ms=busy_timeout_ms, page_format=page_format)
            except module.DatabaseError as exc:
                conn.close()
                first = first or exc
                continue
            formats[:] = [page_format]
            return conn
        assert first is not None
        raise first

    def connect() -> object:
        # Owner-only (0600), before SQLite makes the WAL and shared-memory files, which copy
        # the database file's mode; a store made before this rule is tightened here too.
        for owned in (path.parent, path, _beside(path, "-wal"), _beside(path, "-shm")):
            tighten(owned)
        uri = Path(path).absolute().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        try:
            return open_keyed(uri, exclusive=False)
        except module.DatabaseError as exc:
            if not _disk_full_at(path):
                raise DatabaseDamaged(str(exc)) from exc
        # A full disk (no room for the -shm file): read in exclusive mode; writes will fail
        # with "disk is full", which the store reports as DiskFull.
        try:
            return open_keyed(uri, exclusive=True)
        except module.DatabaseError as again:
            raise DiskFullOnOpen() from again

    engine = create_engine(
        "sqlite://",
        module=module,
        creator=connect,
        poolclass=QueuePool,
        pool_size=4,
        hide_parameters=True,  # an error message must never carry record text into a log
    )

    setattr(engine, _KEY_ATTR, key_text)  # so forget_key can wipe it at lock

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        # pysqlite's implicit transactions defer BEGIN oddly, so BEGIN is issued here. A write
        # session (see writer_engine) takes the write lock at once: a deferred transaction that
        # reads before it writes fails with SQLITE_BUSY_SNAPSHOT, which no busy timeout cures,
        # whenever another process commits in between. Reads stay deferred and run alongside.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself

    return engine


def forget_key(engine: Engine) -> None:
    """Overwrite the key text the engine's connection factory holds (call after ``dispose``:
    no new connection can be made afterwards)."""
    key_text = getattr(engine, _KEY_ATTR, None)
    if key_text is not None:
        wipe(key_text)


def writer_engine(engine: Engine) -> Engine:
    """The same engine (same pool), but its transactions begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{WRITE_OPTION: True})
