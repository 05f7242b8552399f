"""Which files a sync fetches at once, and pinning a young person's files for an offline visit."""

from __future__ import annotations

from models.store import Store
from sync.client.files import EAGER_MAX_BYTES, WantedFile, eager, pin, pinned, unpin


def test_small_files_and_every_file_of_a_pinned_young_person_download_at_once() -> None:
    big, small = EAGER_MAX_BYTES + 1, 1000
    files = [
        WantedFile("a" * 64, "yp-1", big),
        WantedFile("b" * 64, "yp-1", small),
        WantedFile("c" * 64, "yp-2", big),
        WantedFile("d" * 64, "yp-2", EAGER_MAX_BYTES),
        WantedFile("c" * 64, "yp-3", big),  # the same file in another young person's records
    ]
    assert eager(files, set()) == ["b" * 64, "d" * 64]
    assert eager(files, {"yp-3"}) == ["b" * 64, "d" * 64, "c" * 64]
    assert eager(files, {"yp-1", "yp-2"}) == ["b" * 64, "d" * 64, "a" * 64, "c" * 64]


def test_pins_are_kept_in_the_store(store: Store) -> None:
    assert pinned(store) == frozenset()
    pin(store, "yp-1")
    pin(store, "yp-2")
    pin(store, "yp-1")
    assert pinned(store) == {"yp-1", "yp-2"}
    unpin(store, "yp-1")
    unpin(store, "yp-9")
    assert pinned(store) == {"yp-2"}
    assert store.meta()["sync.pinned"] == '["yp-2"]'
    store.set_meta("sync.pinned", "not json")
    assert pinned(store) == frozenset()


def test_named_files_lists_each_live_file_once_per_young_person(store: Store) -> None:
    from models.repo import files as files_repo
    from models.repo import young_people as yp_repo
    from tests.factories import add_young_person

    amira, bilal = add_young_person(store), add_young_person(store)
    blobs = store.blob_store()
    photo, letter, gone = (blobs.put_bytes(b) for b in (b"photo", b"a letter", b"removed"))
    with store.session() as s:
        files_repo.add_memory(s, amira, kind="photo", blob=photo, filename="me.jpg")
        files_repo.add_memory(s, amira, kind="memory", body="the day we moved")  # no file
        files_repo.add_document(s, bilal, blob=letter, filename="l.pdf", title="Letter")
        files_repo.add_document(s, bilal, blob=photo, filename="me.jpg", title="Same photo")
        removed = files_repo.add_document(s, bilal, blob=gone, filename="x.pdf", title="Gone")
        files_repo.remove_document(s, removed)
        yp_repo.update_young_person(s, amira, cover_photo_sha256=photo.sha256)
        yp_repo.update_young_person(s, bilal, cover_photo_sha256="c" * 64)  # not here yet
    with store.reader() as s:
        named = files_repo.named_files(s)
    assert sorted((f.sha256, f.young_person_id, f.size) for f in named) == sorted([
        (photo.sha256, amira, 5), (letter.sha256, bilal, 8), (photo.sha256, bilal, 5),
        ("c" * 64, bilal, 0)])
