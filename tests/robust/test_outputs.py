"""Item 2: outputs are published last (after their audit event); a killed export's readable
leftover is removed by the next export or start, and the adviser is told where it was."""

from __future__ import annotations

import signal
import zipfile

from models.repo.audit import recent_events
from models.store import Store
from tests.factories import PASSPHRASE, make_store
from tests.printing.conftest import add_photos, make_person
from tests.robust.children import cli, say, start, wait_for_line
from tests.robust.conftest import fill_disk

EXPORTER = """
import sys
from pathlib import Path
from desktop.printing.export import export_young_person
from models.store import Store
from tests.factories import PASSPHRASE

def progress(done, total):
    if done == 1:  # the first file is in the zip: stop here until killed
        print("midway", flush=True)
        sys.stdin.readline()

with Store.open(Path(sys.argv[1]), PASSPHRASE) as st:
    export_young_person(st, sys.argv[2], Path(sys.argv[3]), progress)
"""

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


def _person_with_photos(folder):
    st = make_store(folder)
    person = make_person(st)
    add_photos(person, 2)
    st.close()
    return person.id


def _parts(folder):
    return [p for p in folder.iterdir() if p.name.endswith(".part")]


def _actions(folder):
    with Store.open(folder, PASSPHRASE) as st, st.reader() as s:
        return [e.action for e in recent_events(s)]


def test_a_killed_export_leaves_a_part_that_the_next_export_removes_and_names(tmp_path):
    folder = tmp_path / "store"
    yp = _person_with_photos(folder)
    outdir = tmp_path / "out"
    outdir.mkdir()
    target = outdir / "sar.zip"
    child = start(EXPORTER, str(folder), yp, str(target))
    try:
        wait_for_line(child, "midway")
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
    [part] = _parts(outdir)  # a readable, half-written zip: what the next run must clean up
    assert part.name.startswith(".sar.zip.")
    assert not target.exists()
    assert "export" not in _actions(folder)

    again = cli("export", "--store", str(folder), "--young-person", yp, "--out", str(target),
                passphrase=PASSPHRASE, home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert str(part) in again.stderr and "deleted" in again.stderr
    assert not part.exists() and _parts(outdir) == []
    assert "index.pdf" in zipfile.ZipFile(target).namelist()
    assert _actions(folder).count("export") == 1


def test_the_next_start_removes_a_leftover_elsewhere_and_says_where(tmp_path):
    folder = tmp_path / "store"
    yp = _person_with_photos(folder)
    target = tmp_path / "far" / "sar.zip"
    target.parent.mkdir()
    child = start(EXPORTER, str(folder), yp, str(target))
    wait_for_line(child, "midway")
    child.kill()
    child.wait(timeout=60)
    [part] = _parts(target.parent)
    listed = cli("list", "--store", str(folder), passphrase=PASSPHRASE, home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert str(part) in listed.stderr
    assert not part.exists()
    # Told once: the note is forgotten after the leftover was removed.
    assert str(part) not in cli("list", "--store", str(folder), passphrase=PASSPHRASE,
                                home=tmp_path).stderr


def test_an_export_in_progress_in_another_process_is_left_alone(tmp_path):
    folder = tmp_path / "store"
    yp = _person_with_photos(folder)
    target = tmp_path / "sar.zip"
    child = start(EXPORTER, str(folder), yp, str(target))
    try:
        wait_for_line(child, "midway")
        [part] = _parts(tmp_path)
        listed = cli("list", "--store", str(folder), passphrase=PASSPHRASE, home=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert part.exists()  # still being written: not the sweep's to remove
        say(child)
        assert child.wait(timeout=120) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert target.exists() and _parts(tmp_path) == []


def test_when_the_audit_cannot_be_written_no_pdf_is_published(small_disk, tmp_path):
    folder = small_disk / "store"
    yp = _person_with_photos(folder)
    window = start(HOLDER, str(folder))  # another window keeps the store open
    try:
        wait_for_line(window, "open")
        filler = fill_disk(small_disk)
        out = tmp_path / "plan.pdf"
        for command in ("print-plan", "print-keepsake", "export"):
            result = cli(command, "--store", str(folder), "--young-person", yp, "--out",
                         str(out), passphrase=PASSPHRASE, home=tmp_path)
            assert result.returncode == 1
            assert result.stderr.count("\n") == 1, result.stderr
            assert "disk is full" in result.stderr and "no file was written" in result.stderr
            assert not out.exists() and _parts(tmp_path) == []
        filler.unlink()
        say(window)
        window.wait(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
    assert "print" not in _actions(folder) and "export" not in _actions(folder)
