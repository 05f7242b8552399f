"""Item 1: two processes writing one store at once; one window per store."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.errors import StoreInUse
from models.schema import ContactNote
from models.store import Store
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.robust.children import cli, say, start, wait_for_line

NOTES_EACH = 1000

WRITER = """
import sys
from pathlib import Path
from models.store import Store
from tests.factories import PASSPHRASE, add_note
folder, yp, n, tag = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
with Store.open(folder, PASSPHRASE) as st:
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(n):
        add_note(st, yp, summary=f"{tag} {i}")
print("done", flush=True)
"""


def test_two_processes_append_a_thousand_notes_each_and_none_fails(store_folder):
    with make_store(store_folder) as st:
        yp = add_young_person(st)
    writers = [start(WRITER, str(store_folder), yp, str(NOTES_EACH), tag) for tag in "AB"]
    try:
        for w in writers:
            wait_for_line(w, "ready")  # both unlocked before either writes
        for w in writers:
            say(w)
        results = [w.communicate(timeout=600) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    for w, (out, err) in zip(writers, results, strict=True):
        assert w.returncode == 0, err[-2000:]
        assert "done" in out
    with Store.open(store_folder, PASSPHRASE) as st, st.reader() as s:
        summaries = set(s.scalars(select(ContactNote.summary)))
        count = s.scalar(select(func.count()).select_from(ContactNote))
    assert count == 2 * NOTES_EACH
    assert summaries == {f"{t} {i}" for t in "AB" for i in range(NOTES_EACH)}


HOLDER = """
import sys
from pathlib import Path
from models.store import Store
from tests.factories import PASSPHRASE
st = Store.open(Path(sys.argv[1]), PASSPHRASE, exclusive=True)
print("open", flush=True)
sys.stdin.readline()
st.close()
"""


def test_a_second_window_is_told_the_store_is_open_elsewhere(store_folder, tmp_path):
    make_store(store_folder).close()
    window = start(HOLDER, str(store_folder))
    try:
        wait_for_line(window, "open")
        with pytest.raises(StoreInUse, match="already open in another Pathway Desk window"):
            Store.open(store_folder, PASSPHRASE, exclusive=True)
        # The CLI still reads and writes (its audit event) alongside the window.
        listed = cli("list", "--store", str(store_folder), passphrase=PASSPHRASE, home=tmp_path)
        assert listed.returncode == 0, listed.stderr
        window.kill()  # SIGKILL: the OS drops the lock with the process
        window.wait(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
    with Store.open(store_folder, PASSPHRASE, exclusive=True) as st:
        assert st.is_open
    # Closing released it: a window can open it again.
    Store.open(store_folder, PASSPHRASE, exclusive=True).close()


HOLDS_THE_WRITE_LOCK = """
import sys
from pathlib import Path
from sqlalchemy import text
from models.store import Store
from tests.factories import PASSPHRASE
with Store.open(Path(sys.argv[1]), PASSPHRASE) as st, st.session() as s:
    s.execute(text("UPDATE meta SET value = value WHERE key = 'owner_name'"))
    print("holding", flush=True)
    sys.stdin.readline()
"""


def test_a_write_that_waits_too_long_is_store_busy_with_a_sentence(store_folder):
    from models.crypto.keyfile import derive_subkey, read_key_file, unwrap_data_key
    from models.db import make_engine
    from models.errors import StoreBusy
    from tests.factories import add_note

    with make_store(store_folder) as st:
        yp = add_young_person(st)
    holder = start(HOLDS_THE_WRITE_LOCK, str(store_folder))
    try:
        wait_for_line(holder, "holding")
        # The store as Store.open makes it, but with a short wait so the test is quick.
        doc = read_key_file(store_folder)
        data_key = unwrap_data_key(doc, PASSPHRASE)
        engine = make_engine(store_folder / "store.db", derive_subkey(data_key, b"pathway-desk db"),
                             create=False, busy_timeout_ms=50)
        st = Store(store_folder, doc["store_id"], data_key, engine)
        try:
            with pytest.raises(StoreBusy, match="another Pathway Desk window, command or sync"):
                add_note(st, yp)
            with st.reader() as s:  # reading goes on alongside the writer
                assert s.scalar(select(func.count()).select_from(ContactNote)) == 0
        finally:
            st.close()
        say(holder)
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    with Store.open(store_folder, PASSPHRASE) as st:
        add_note(st, yp)  # and once the other writer is done, the write goes through
