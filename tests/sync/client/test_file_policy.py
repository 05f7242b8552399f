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
