"""The encrypted store's promises to an adviser whose laptop is lost, damaged or simply full:
nothing readable on disk, a clear typed error for every kind of damage, and nothing overwritten.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import secrets
import sqlite3
import sys
import threading
import types
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from models.crypto.blobstream import CHUNK_SIZE
from models.crypto.keyfile import (
    KEY_FILE_NAME,
    KEY_FILE_VERSION,
    KdfParams,
    derive_subkey,
    read_key_file,
    unwrap_data_key,
)
from models.db import DB_FILE_NAME, OLDER_FORMATS, PAGE_FORMAT, PageFormat
from models.errors import (
    BlobDamaged,
    DatabaseDamaged,
    DiskFull,
    KeyFileDamaged,
    PlainDatabaseRefused,
    StoreAlreadyExists,
    StoreError,
    StoreLocked,
    StoreNotFound,
    StoreTooNew,
    WeakPassphrase,
    WrongPassphrase,
)
from models.repo import audit, drafts, files, notes, plans, whole_record
from models.repo import young_people as yp
from models.store import BLOB_DIR_NAME, Store, store_exists
from tests.factories import PASSPHRASE, add_note, add_young_person, fill_plan, make_store

Reopen = Callable[[Store], Store]
NEW_PASSPHRASE = "a different passphrase, also long"


# -- helpers -----------------------------------------------------------------------------------


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files_under(folder)
    }


def flip(path: Path, offset: int, count: int = 1) -> None:
    raw = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))


def read_everything(store: Store) -> None:
    """Every read an adviser's day involves, over every young person in the store."""
    with store.reader() as s:
        for row in yp.caseload(s):
            whole_record.load_record(s, row.id)
            for v in plans.load_plan(s, row.id).versions:
                plans.version_snapshot(s, row.id, v.version)
        drafts.list_drafts(s)
        audit.recent_events(s)
    store.meta()


class Markers:
    """Unique random tokens to plant in records, so finding one on disk proves a leak."""

    def __init__(self) -> None:
        self.all: list[str] = []

    def __call__(self, label: str = "mk") -> str:
        marker = f"{label}{secrets.token_hex(8)}"
        self.all.append(marker)
        return marker

    def phone(self) -> str:
        """A marker that passes the phone rule (digits only)."""
        marker = f"07{secrets.randbelow(10**12):012d}"
        self.all.append(marker)
        return marker

    def pattern(self) -> re.Pattern[bytes]:
        needles = set()
        for m in self.all:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                needles.add(re.escape(m.encode(encoding)))
        return re.compile(b"|".join(sorted(needles)))


def assert_nothing_readable(folder: Path, markers: Markers) -> None:
    pattern = markers.pattern()
    scanned = 0
    for path in files_under(folder):
        rel = path.relative_to(folder).as_posix()
        assert not pattern.search(rel.encode("utf-8")), f"a marker in the file name {rel}"
        found = pattern.search(path.read_bytes())
        assert found is None, f"plaintext {found.group()!r} found in {rel}"
        scanned += path.stat().st_size
    assert scanned > 3 * 1024 * 1024  # the scan really covered the big file


# -- no plaintext on disk ----------------------------------------------------------------------


def test_no_record_or_file_content_is_readable_anywhere_in_the_folder(
    tmp_path: Path, reopen: Reopen
) -> None:
    mk = Markers()
    folder = tmp_path / "store"
    store = make_store(folder, owner=mk("owner"))
    store.set_meta("owner_phone", mk("ownerphone"))

    profile = {
        name: mk(name[:4])
        for name in (
            "pronouns",
            "religion",
            "ethnicity",
            "address",
            "allocated_pa",
            "allocated_pa_phone",
            "allocated_pa_email",
            "prison",
            "prison_number",
            "release_accommodation_plan",
            "accommodation_type",
        )
    }
    ident = add_young_person(
        store,
        legal_name=mk("مريم"),
        preferred_name=mk("ሰላም"),
        languages=[mk("lang"), mk("ትግርኛ")],
        in_custody=True,
        custody_checklist={mk("check"): True},
        phone=mk.phone(),
        email=f"{mk('email')}@example.org",
        **profile,
    )
    fill_plan(store, ident, mk("planfill"))
    with store.session() as s:
        plans.update_plan(s, ident, life_summary=mk("life"))
        plans.update_section(s, ident, "identity", strengths=mk("str"), goals=mk("goal"))
        plans.add_action(s, ident, "health", who=mk("who"), what=mk("what"))
        yp.add_person(
            s,
            ident,
            name=mk("person"),
            relationship=mk("rel"),
            how_to_contact=mk("how"),
            notes=mk("pnotes"),
        )
        yp.add_key_date(
            s,
            ident,
            kind="festival",
            label=mk("label"),
            on_date=date(2026, 9, 11),
            plan_for_day=mk("dayplan"),
        )
        plans.agree_plan(s, ident, agreed_on=date(2026, 6, 1), agreed_with=mk("agreedwith"))
    with store.session() as s:
        note = notes.add_note(
            s,
            ident,
            kind="custody_visit",
            occurred_at=datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
            place=mk("place"),
            summary=mk("summary"),
            narrative=mk("narrative") + " " + mk("ሰላም"),
        )
        notes.amend_note(s, note.id, summary=mk("amsum"), narrative=mk("amnarr"))

    blobs = store.blob_store()
    small = blobs.put_bytes(f"photo bytes {mk('blob')}".encode())
    letter = blobs.put_bytes(f"letter {mk('مريم')}".encode("utf-16-le"))
    big_source = tmp_path / "outside" / "video.mp4"
    big_source.parent.mkdir()
    filler = bytes(range(256)) * (CHUNK_SIZE // 256)
    big_parts = [mk("bigstart").encode(), filler, filler, filler]
    # One marker straddles the 1 MiB chunk boundary, one ends the file.
    straddle = mk("straddle").encode()
    body = b"".join(big_parts)
    cut = CHUNK_SIZE - len(straddle) // 2
    body = body[:cut] + straddle + body[cut:] + mk("bigend").encode()
    big_source.write_bytes(body)
    big = files.import_file(blobs, big_source)
    assert big.size == len(body) > 3 * 1024 * 1024
    with store.session() as s:
        files.add_document(
            s,
            ident,
            blob=letter,
            filename=mk("fname") + ".pdf",
            title=mk("title"),
            caption=mk("caption"),
        )
        files.add_memory(
            s, ident, kind="photo", blob=small, filename=mk("photo") + ".jpg", caption=mk("cap")
        )
        files.add_memory(s, ident, kind="document", blob=big, filename="video.mp4")
        files.add_memory(s, ident, kind="memory", body=mk("memory"), caption=mk("memcap"))
        drafts.save_draft(s, f"note:{mk('draftkey')}", {"narrative": mk("draft")})
        audit.record_event(s, "export", ident, mk("auditdetail"))
    # The content addresses are not to be found in plaintext either (they identify files).
    mk.all.extend([small.sha256, letter.sha256, big.sha256])

    names = {p.name for p in folder.iterdir()}
    assert names <= {KEY_FILE_NAME, DB_FILE_NAME, "store.db-wal", "store.db-shm", BLOB_DIR_NAME}
    assert (folder / "store.db-wal").exists()  # the scan covers the write-ahead log too
    assert_nothing_readable(folder, mk)

    store = reopen(store)
    read_everything(store)
    assert store.blob_store().read_bytes(small.sha256).startswith(b"photo bytes ")
    store.close()
    assert {p.name for p in folder.iterdir()} == {KEY_FILE_NAME, DB_FILE_NAME, BLOB_DIR_NAME}
    assert not any(p.name.startswith(".tmp-") for p in files_under(folder))
    assert_nothing_readable(folder, mk)


def test_closing_drops_the_keys(store: Store) -> None:
    """After a lock, nothing reachable from the Store object holds the data key or the
    SQLCipher key (the app keeps the locked Store around to unlock it again)."""
    data_key = unwrap_data_key(read_key_file(store.folder), PASSPHRASE)
    db_key_hex = derive_subkey(data_key, b"pathway-desk db").hex()
    add_young_person(store)

    def secrets_reachable() -> bool:
        for obj in reachable_from(store):
            if isinstance(obj, bytes | bytearray) and data_key in obj:
                return True
            if isinstance(obj, str) and db_key_hex in obj:
                return True
        return False

    assert secrets_reachable()  # the walk does find them while unlocked
    store.close()
    gc.collect()
    assert not secrets_reachable()


def reachable_from(root: object) -> Iterator[object]:
    """Objects reachable from ``root``, not following modules, classes or module globals."""
    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if hasattr(m, "__dict__")}
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, types.ModuleType | type) or id(obj) in module_dicts:
            continue
        yield obj
        stack.extend(gc.get_referents(obj))


# -- unlocking ---------------------------------------------------------------------------------


def test_wrong_passphrase_changes_nothing(store: Store) -> None:
    ident = add_young_person(store)
    store.close()
    before = snapshot(store.folder)
    for wrong in ("", PASSPHRASE.upper(), PASSPHRASE + " ", NEW_PASSPHRASE):
        with pytest.raises(WrongPassphrase):
            Store.open(store.folder, wrong)
    assert snapshot(store.folder) == before
    with Store.open(store.folder, PASSPHRASE) as again, again.reader() as s:
        assert [r.id for r in yp.caseload(s)] == [ident]


def test_open_an_empty_or_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreNotFound):
        Store.open(tmp_path / "empty", PASSPHRASE)
    with pytest.raises(StoreNotFound):
        Store.open(tmp_path / "nowhere", PASSPHRASE)
    assert list((tmp_path / "empty").iterdir()) == []
    assert not (tmp_path / "nowhere").exists()
    assert not store_exists(tmp_path / "empty")


def test_create_refuses_a_folder_that_is_not_empty(tmp_path: Path, store: Store) -> None:
    store.close()
    before = snapshot(store.folder)
    with pytest.raises(StoreAlreadyExists):
        make_store(store.folder)
    assert snapshot(store.folder) == before
    other = tmp_path / "holiday photos"
    other.mkdir()
    (other / "beach.jpg").write_bytes(b"not ours")
    with pytest.raises(StoreAlreadyExists):
        make_store(other)
    assert [p.name for p in other.iterdir()] == ["beach.jpg"]


def test_create_in_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with make_store(folder) as store:
        assert store.is_open
        assert store_exists(folder)
        assert store.meta()["store_id"] == store.store_id == read_key_file(folder)["store_id"]


def test_weak_passphrase_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        Store.create(tmp_path / "s", "short", owner_name="A", kdf=KdfParams.fast_for_tests())
    assert not (tmp_path / "s").exists()


def test_missing_database_is_damage(store: Store) -> None:
    store.close()
    (store.folder / DB_FILE_NAME).unlink()
    with pytest.raises(DatabaseDamaged):
        Store.open(store.folder, PASSPHRASE)
    assert not (store.folder / DB_FILE_NAME).exists()  # not silently recreated empty


def test_a_store_made_with_the_default_kdf_records_and_uses_its_full_cost(tmp_path: Path) -> None:
    # The time one unlock takes (at least 0.25 s by design) is a figure, printed by
    # `python -m bench.bench_store`; here only that real stores get the full Argon2id cost.
    folder = tmp_path / "real"
    Store.create(folder, PASSPHRASE, owner_name="A").close()
    kdf = read_key_file(folder)["kdf"]
    assert kdf["memory_cost"] == KdfParams().memory_cost == 128 * 1024
    assert kdf["iterations"] == KdfParams().iterations >= 3
    Store.open(folder, PASSPHRASE).close()


# -- damage and tampering ----------------------------------------------------------------------


def test_every_single_byte_flip_in_the_key_file_is_reported_as_damage(store: Store) -> None:
    store.close()
    path = store.folder / KEY_FILE_NAME
    good = path.read_bytes()
    before = snapshot(store.folder)
    for offset in range(len(good)):
        raw = bytearray(good)
        raw[offset] ^= 0x01
        path.write_bytes(bytes(raw))
        with pytest.raises(KeyFileDamaged):
            Store.open(store.folder, PASSPHRASE)
    path.write_bytes(good)
    assert snapshot(store.folder) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw[:-1].rstrip(b"}") if raw.endswith(b"}") else raw[:-2],
        lambda raw: b"",
        lambda raw: b"\x00" * len(raw),
        lambda raw: raw.replace(b'"wrap"', b'"wrop"'),
    ],
    ids=["half", "last-brace", "empty", "zeroed", "renamed-field"],
)
def test_truncated_or_garbled_key_file(store: Store, damage) -> None:  # type: ignore[no-untyped-def]
    store.close()
    path = store.folder / KEY_FILE_NAME
    path.write_bytes(damage(path.read_bytes()))
    before = snapshot(store.folder)
    with pytest.raises(KeyFileDamaged) as err:
        Store.open(store.folder, PASSPHRASE)
    assert PASSPHRASE not in str(err.value)
    assert snapshot(store.folder) == before


def test_key_file_from_a_newer_version(store: Store) -> None:
    store.close()
    path = store.folder / KEY_FILE_NAME
    doc = json.loads(path.read_text())
    doc["version"] = KEY_FILE_VERSION + 1
    doc["future_field"] = {"something": "new"}
    path.write_text(json.dumps(doc))
    before = snapshot(store.folder)
    with pytest.raises(StoreTooNew):
        Store.open(store.folder, PASSPHRASE)
    assert snapshot(store.folder) == before


def busy_store(folder: Path) -> tuple[list[str], int]:
    """A closed store with enough records that its data spans many pages; returns the young
    people's ids and the root page of the young_people table."""
    store = make_store(folder)
    ids = []
    for i in range(12):
        ident = add_young_person(store, legal_name=f"Young Person {i}")
        fill_plan(store, ident, "plan text " * 20)
        add_note(store, ident, narrative=f"Visit {i}. " + "What was said. " * 200)
        with store.session() as s:
            plans.agree_plan(s, ident, agreed_on=date(2026, 6, 1))
        ids.append(ident)
    with store.engine.connect() as conn:
        root = conn.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'young_people'"
        ).scalar_one()
    store.close()
    return ids, root


@pytest.mark.parametrize("where", [0.3, 0.5, 0.7, 0.9])
def test_damage_in_the_middle_of_the_database_is_reported(store_folder: Path, where: float) -> None:
    busy_store(store_folder)
    db = store_folder / DB_FILE_NAME
    size = db.stat().st_size
    page = PAGE_FORMAT.size
    assert size > 40 * page
    # Damage every page from here to the end: whatever the layout, the adviser's reads hit it.
    start = int(size * where) // page * page
    for offset in range(start, size, page):
        flip(db, offset + page // 2, 8)
    damaged = db.read_bytes()
    with pytest.raises(StoreError) as err:  # at unlock, or at the latest when reading
        store = Store.open(store_folder, PASSPHRASE)
        try:
            read_everything(store)
        finally:
            store.close()
    assert isinstance(err.value, DatabaseDamaged), repr(err.value)
    assert db.read_bytes() == damaged  # nothing overwritten
    assert {p.name for p in store_folder.iterdir()} == {KEY_FILE_NAME, DB_FILE_NAME, BLOB_DIR_NAME}


def test_a_damaged_page_read_by_a_query_is_a_store_error_not_a_raw_sqlite_error(
    store_folder: Path,
) -> None:
    """Unlock succeeds (the schema pages are fine), then the caseload query meets the damaged
    page: the adviser must get DatabaseDamaged, not sqlite's 'database disk image is
    malformed' from deep inside SQLAlchemy."""
    ids, root = busy_store(store_folder)
    db = store_folder / DB_FILE_NAME
    flip(db, (root - 1) * PAGE_FORMAT.size + PAGE_FORMAT.size // 2, 4)
    with Store.open(store_folder, PASSPHRASE) as store:
        with pytest.raises(DatabaseDamaged), store.reader() as s:
            yp.caseload(s)
        with pytest.raises(DatabaseDamaged), store.session() as s:
            yp.update_young_person(s, ids[0], phone="0700")
        # Records on undamaged pages still read, so the adviser can get at the rest.
        with store.reader() as s:
            assert len(notes.list_notes(s, ids[0])) == 1


def test_a_damaged_first_page_fails_at_unlock(store_folder: Path) -> None:
    busy_store(store_folder)
    flip(store_folder / DB_FILE_NAME, 100, 16)
    with pytest.raises(DatabaseDamaged):
        Store.open(store_folder, PASSPHRASE)


def test_a_plain_sqlite_database_is_refused(store: Store) -> None:
    add_young_person(store)
    store.close()
    db = store.folder / DB_FILE_NAME
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE young_people (id TEXT, legal_name TEXT)")
    conn.execute("INSERT INTO young_people VALUES ('x', 'Planted Person')")
    conn.commit()
    conn.close()
    before = snapshot(store.folder)
    with pytest.raises(PlainDatabaseRefused):
        Store.open(store.folder, PASSPHRASE)
    assert snapshot(store.folder) == before


def test_a_database_from_another_store_is_damage(tmp_path: Path) -> None:
    """Swapping in another store's (validly encrypted) database unlocks nothing."""
    a = make_store(tmp_path / "a")
    b = make_store(tmp_path / "b")
    a.close()
    b.close()
    (tmp_path / "a" / DB_FILE_NAME).write_bytes((tmp_path / "b" / DB_FILE_NAME).read_bytes())
    with pytest.raises(DatabaseDamaged):
        Store.open(tmp_path / "a", PASSPHRASE)


def test_a_damaged_blob_spoils_only_itself(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    add_note(store, ident)
    blobs = store.blob_store()
    contents = [f"file {i} ".encode() * (i * 5000 + 1) for i in range(3)]
    infos = [blobs.put_bytes(c) for c in contents]
    with store.session() as s:
        for i, info in enumerate(infos):
            files.add_document(s, ident, blob=info, filename=f"f{i}.pdf", title=f"Doc {i}")
    victim = infos[1]
    path = blobs.path_of(victim.sha256)
    flip(path, path.stat().st_size // 2)

    store = reopen(store)  # blob damage never stops an unlock
    blobs = store.blob_store()
    with pytest.raises(BlobDamaged) as err:
        blobs.read_bytes(victim.sha256)
    assert victim.sha256[:12] in str(err.value)
    with pytest.raises(BlobDamaged):
        b"".join(blobs.open_reader(victim.sha256))
    for i in (0, 2):
        assert blobs.read_bytes(infos[i].sha256) == contents[i]
    read_everything(store)
    with store.reader() as s:
        assert len(files.list_documents(s, ident)) == 3


# -- changing the passphrase ---------------------------------------------------------------------


def test_change_passphrase(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store, legal_name="ሰላም Kept")
    info = store.blob_store().put_bytes(b"a scanned letter")
    store = reopen(store)
    untouched = {k: v for k, v in snapshot(store.folder).items() if k != KEY_FILE_NAME}
    db_before = (store.folder / DB_FILE_NAME).read_bytes()
    old_kdf = read_key_file(store.folder)["kdf"]

    store.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert (store.folder / DB_FILE_NAME).read_bytes() == db_before
    store.close()
    after = snapshot(store.folder)
    assert (store.folder / DB_FILE_NAME).read_bytes() == db_before
    assert {k: v for k, v in after.items() if k != KEY_FILE_NAME} == {
        k: v for k, v in untouched.items() if not k.startswith("store.db-")
    }
    new_kdf = read_key_file(store.folder)["kdf"]
    assert new_kdf["salt"] != old_kdf["salt"]
    # Re-wrapping keeps the store's cost but raises it to today's default, never lowers it.
    default = KdfParams()
    for k in ("memory_cost", "iterations", "lanes"):
        assert new_kdf[k] == max(old_kdf[k], getattr(default, k))

    with pytest.raises(WrongPassphrase):
        Store.open(store.folder, PASSPHRASE)
    store = reopen(store, NEW_PASSPHRASE)
    with store.reader() as s:
        assert yp.load_profile(s, ident).legal_name == "ሰላም Kept"
    assert store.blob_store().read_bytes(info.sha256) == b"a scanned letter"


def test_change_passphrase_refusals_leave_the_key_file(store: Store) -> None:
    key = store.folder / KEY_FILE_NAME
    before = key.read_bytes()
    with pytest.raises(WeakPassphrase):
        store.change_passphrase(PASSPHRASE, "too short")
    with pytest.raises(WrongPassphrase):
        store.change_passphrase("not the passphrase", NEW_PASSPHRASE)
    assert key.read_bytes() == before
    assert not (store.folder / (KEY_FILE_NAME + ".new")).exists()


# -- locked stores, full disks, threads ----------------------------------------------------------


def test_a_closed_store_refuses_every_call(store: Store) -> None:
    add_young_person(store)
    store.close()
    assert not store.is_open
    store.close()  # closing twice is harmless
    with pytest.raises(StoreLocked):
        store.session().__enter__()
    with pytest.raises(StoreLocked):
        store.reader().__enter__()
    with pytest.raises(StoreLocked):
        store.blob_store()
    with pytest.raises(StoreLocked):
        store.engine  # noqa: B018
    with pytest.raises(StoreLocked):
        store.meta()
    with pytest.raises(StoreLocked):
        store.set_meta("k", "v")
    with pytest.raises(StoreLocked):
        store.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)


def test_context_manager_locks_on_exit(store_folder: Path) -> None:
    with make_store(store_folder) as store:
        assert store.is_open
    assert not store.is_open


def test_full_disk_is_disk_full_and_loses_nothing_saved(store: Store, reopen: Reopen) -> None:
    ident = add_young_person(store)
    saved = add_note(store, ident, narrative="Saved before the disk filled")
    with pytest.raises(DiskFull) as err, store.session() as s:
        conn = s.connection()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        for i in range(50):
            notes.add_note(
                s,
                ident,
                kind="phone",
                occurred_at=datetime(2026, 11, 3, 9, i, tzinfo=UTC),
                summary=f"call {i}",
                narrative="words " * 2000,
            )
    assert "disk is full" in str(err.value)
    with store.reader() as s:
        assert [n.id for n in notes.list_notes(s, ident)] == [saved]
    store = reopen(store)
    with store.reader() as s:
        listed = notes.list_notes(s, ident)
    assert [n.narrative for n in listed] == ["Saved before the disk filled"]


def test_writes_from_several_threads_are_all_saved(store: Store) -> None:
    ident = add_young_person(store)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                add_note(
                    store,
                    ident,
                    summary=f"thread {n} note {i}",
                    occurred_at=datetime(2026, 1, 1 + n, 9, i, tzinfo=UTC),
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.reader() as s:
        assert len(notes.list_notes(s, ident)) == 40


def _page_format(store: Store) -> PageFormat:
    """The format the store's connections read its database in: the one page 1 authenticated
    in, or nothing would read."""
    with store.reader() as s:
        c = s.connection()
        size = int(c.exec_driver_sql("PRAGMA page_size").scalar_one())
        return PageFormat(size, str(c.exec_driver_sql("PRAGMA cipher_hmac_algorithm").scalar_one()))


@pytest.mark.parametrize("older", OLDER_FORMATS, ids=lambda f: f"{f.size}-{f.hmac}")
def test_a_store_made_in_an_older_page_format_still_opens_and_keeps_it(
    store_folder: Path, monkeypatch: pytest.MonkeyPatch, older: PageFormat,
) -> None:
    """Stores made with 4 KiB pages, or 16 KiB pages authenticated with HMAC-SHA512, are on
    advisers' laptops: they open (the format is found by trying), read and write as before,
    and keep their own format."""
    import models.db

    with monkeypatch.context() as m:
        m.setattr(models.db, "PAGE_FORMAT", older)
        with make_store(store_folder) as old:
            ident = add_young_person(old, legal_name="Selam Tesfaye")
            assert _page_format(old) == older
    with Store.open(store_folder, PASSPHRASE) as store:
        assert _page_format(store) == older
        add_note(store, ident, summary="Still here")
        with store.reader() as s:
            assert [n.summary for n in notes.list_notes(s, ident)] == ["Still here"]
    with Store.open(store_folder, PASSPHRASE) as store:
        assert _page_format(store) == older
        with store.reader() as s:
            assert yp.load_profile(s, ident).legal_name == "Selam Tesfaye"
    with make_store(store_folder.parent / "new") as new:
        assert _page_format(new) == PAGE_FORMAT == PageFormat(16384, "HMAC_SHA256")
