"""Item 11: after lock, the keys are gone from the process's memory (Linux: /proc/self/mem).

The scan runs in a fresh child process that uses the store as the app does (unlock, write,
read, import and read files, several connections at once), notes the keys masked while the store
is open, locks, and searches all of its own readable memory.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.factories import make_store
from tests.robust.children import start

SCAN = """
import gc, json, sys, threading
from pathlib import Path
from tests.robust.memscan import count_in_memory, masked, wipe_str
from models.crypto.keyfile import derive_subkey
from models.crypto.blobstream import HEADER_SIZE, MAGIC, derive_file_key
from models.crypto.secret import wipe
from models.store import Store
from tests.factories import PASSPHRASE, add_note, add_young_person

st = Store.open(Path(sys.argv[1]), PASSPHRASE)
yp = add_young_person(st)
for i in range(20):
    add_note(st, yp, summary=f"note {i}")
blobs = st.blob_store()
info = blobs.put_bytes(b"photo bytes " * 50_000)
assert blobs.read_bytes(info.sha256)
readers = [threading.Thread(target=lambda: st.meta()) for _ in range(4)]
for t in readers:
    t.start()
for t in readers:
    t.join()

data_key = blobs._data_key
db_key = derive_subkey(data_key, b"pathway-desk db")
hex_key = db_key.hex()
header = blobs.path_of(info.sha256).read_bytes()[:HEADER_SIZE]
file_key = derive_file_key(data_key, header[len(MAGIC) + 4:])
needles = {"data key": masked(data_key), "SQLCipher key": masked(db_key),
           "SQLCipher key text": masked(hex_key.encode()), "blob name key": masked(blobs._name_key),
           "a file's key": masked(file_key)}
wipe(db_key)
wipe(file_key)
wipe_str(hex_key)
del data_key, db_key, hex_key, blobs
while_open = count_in_memory(needles)
st.close()
del st
gc.collect()
print(json.dumps({"open": while_open, "locked": count_in_memory(needles)}), flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/mem")
def test_no_key_is_left_in_memory_after_lock(store_folder):
    make_store(store_folder).close()
    child = start(SCAN, str(store_folder))
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    found = json.loads(out.strip().splitlines()[-1])
    # The scan does find the keys we hold while the store is open (so it would find a
    # leftover); SQLCipher itself keeps the raw key in a form not found even then.
    held = ("data key", "SQLCipher key text", "blob name key")
    assert all(found["open"][k] >= 1 for k in held), found
    # ...and none once it is locked.
    assert found["locked"] == dict.fromkeys(found["locked"], 0), found
