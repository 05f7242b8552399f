"""Item 8: with the disk completely full, reading still works and the audit gap is noted."""

from __future__ import annotations

import json

import pytest

from models.repo.audit import recent_events
from models.store import Store
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.robust.children import cli, say, start, wait_for_line
from tests.robust.conftest import fill_disk

HOLDER = """
import sys
from pathlib import Path
from models.store import Store
from tests.factories import PASSPHRASE
with Store.open(Path(sys.argv[1]), PASSPHRASE) as st:
    with st.reader():
        pass
    print("open", flush=True)
    sys.stdin.readline()
"""


def _events(folder):
    with Store.open(folder, PASSPHRASE) as st, st.reader() as s:
        return recent_events(s)


@pytest.mark.parametrize("open_elsewhere", [True, False], ids=["window-open", "nothing-open"])
def test_list_works_on_a_full_disk_and_the_gap_is_recorded_later(small_disk, tmp_path,
                                                                   open_elsewhere):
    folder = small_disk / "store"
    with make_store(folder) as st:
        add_young_person(st, preferred_name="Jordan")
    window = start(HOLDER, str(folder)) if open_elsewhere else None
    try:
        if window:
            wait_for_line(window, "open")
        filler = fill_disk(small_disk)
        listed = cli("list", "--store", str(folder), passphrase=PASSPHRASE, home=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert "Jordan" in listed.stdout and "1 young people." in listed.stdout
        [note] = listed.stderr.strip().splitlines()
        assert "could not be recorded in the audit trail" in note
        assert "not saved" not in note
        gaps = json.loads((tmp_path / "logs" / "audit-gaps.json").read_text())
        assert [g["action"] for g in gaps] == ["list"]
        filler.unlink()  # space is back
        if window:
            say(window)
            window.wait(timeout=60)
    finally:
        if window and window.poll() is None:
            window.kill()
    again = cli("list", "--store", str(folder), passphrase=PASSPHRASE, home=tmp_path)
    assert again.returncode == 0 and again.stderr == ""
    events = _events(folder)
    [gap] = [e for e in events if e.action == "audit-gap"]
    assert gap.detail.startswith("list at ") and "disk was full" in gap.detail
    assert [e.action for e in events].count("list") == 1  # the second listing
    assert not (tmp_path / "logs" / "audit-gaps.json").exists()
