"""Item 4: a store folder is whole or not a store; opening never creates or rewrites one."""

from __future__ import annotations

import signal

import pytest

from models.errors import DatabaseDamaged, StoreHalfMade
from models.store import Store
from tests.factories import PASSPHRASE, make_store
from tests.robust.children import cli, say, start, wait_for_line

# Stops the real Store.create just as it writes the key file (an audit hook sees the open), so
# the test can kill -9 it at the worst moment without sleeping.
CREATOR = """
import sys
from pathlib import Path

def stop_at_key_file(event, args):
    if event == "open" and str(args[0]).endswith("key.json.new"):
        print("writing key", flush=True)
        sys.stdin.readline()

sys.addaudithook(stop_at_key_file)
from models.store import Store
from models.crypto.keyfile import KdfParams
Store.create(Path(sys.argv[1]), "test passphrase, not a secret", owner_name="A",
             kdf=KdfParams.fast_for_tests())
"""


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_create_killed_at_the_worst_moment_leaves_no_store_and_is_cleaned_up(tmp_path):
    target = tmp_path / "store"
    child = start(CREATOR, str(target))
    try:
        wait_for_line(child, "writing key")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert not target.exists()  # nothing half-made where the store was to be
    [leftover] = [p for p in tmp_path.iterdir() if p.name.startswith(".store.creating-")]
    assert (leftover / "store.db").exists()

    listed = cli("list", "--store", str(target), passphrase=PASSPHRASE, home=tmp_path)
    assert listed.returncode == 1
    assert "No Pathway Desk store" in listed.stderr and "create a store" in listed.stderr
    made = cli("demo", "--store", str(target), "--young-people", "2", passphrase=PASSPHRASE,
               home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert not leftover.exists()
    assert _listing(target) == ["blobs", "key.json", "store.db"]
    assert cli("list", "--store", str(target), passphrase=PASSPHRASE,
               home=tmp_path).returncode == 0


def test_a_build_in_progress_elsewhere_is_not_removed(tmp_path):
    child = start(CREATOR, str(tmp_path / "one"))
    try:
        wait_for_line(child, "writing key")
        make_store(tmp_path / "two").close()  # cleans leftovers beside it: not this one
        say(child)
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    finally:
        if child.poll() is None:
            child.kill()
    Store.open(tmp_path / "one", PASSPHRASE).close()


@pytest.fixture
def half_made(tmp_path):
    """A folder as an older version left it when killed while creating: no key file."""
    folder = tmp_path / "store"
    make_store(folder).close()
    (folder / "key.json").unlink()
    return folder


@pytest.mark.parametrize("command", ["list", "demo"])
def test_a_database_without_a_key_file_is_explained_and_left_alone(half_made, tmp_path,
                                                                   command):
    before = (half_made / "store.db").read_bytes()
    result = cli(command, "--store", str(half_made), passphrase=PASSPHRASE, home=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "holds a database but no key file" in line and "key.json" in line
    assert "Unexpected error" not in line
    assert (half_made / "store.db").read_bytes() == before
    with pytest.raises(StoreHalfMade):
        Store.open(half_made, PASSPHRASE)


@pytest.mark.parametrize("damage", ["empty", "missing"])
def test_an_empty_or_missing_database_is_damage_and_nothing_is_created(store_folder, tmp_path,
                                                                      damage):
    make_store(store_folder).close()
    db = store_folder / "store.db"
    if damage == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    result = cli("list", "--store", str(store_folder), passphrase=PASSPHRASE, home=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "database cannot be read" in line and f"store.db is {damage}" in line
    with pytest.raises(DatabaseDamaged):
        Store.open(store_folder, PASSPHRASE)
    assert _listing(store_folder) == (["blobs", "key.json", "store.db"] if damage == "empty"
                                      else ["blobs", "key.json"])
    if damage == "empty":
        assert db.stat().st_size == 0
