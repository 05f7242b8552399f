"""The command line as an adviser meets it: the caseload in name order with circumstances in
words, output files that are refused or explained in one line, and the passphrase prompt.
Every test drives the real ``pathway-desk`` in a subprocess (or a pseudo-terminal)."""

from __future__ import annotations

import os
import select
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from models.repo import plans
from models.repo.young_people import caseload
from models.store import Store
from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.test_cli import run_cli


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    store = make_store(folder)
    for preferred, legal, extra in [
        ("Zihan", "Zihan Chen", {}),
        ("Áine", "Áine Murphy", {"in_custody": True, "prison": "HMP & YOI Foston Hall"}),
        ("Aisha", "Aisha Bello", {"uasc": True}),
        ("ተስፋይ", "Tesfay Gebremariam", {"uasc": True, "expecting_child": True}),
        ("Ömer", "Ömer Yılmaz", {}),
        ("Oliver", "Oliver Grant", {"date_of_birth": date(2003, 1, 2)}),
    ]:
        yp_id = add_young_person(store, preferred_name=preferred, legal_name=legal, **extra)
        if preferred == "Zihan":
            with store.session() as s:
                plans.update_plan(s, yp_id, review_date=date(2020, 1, 6))  # long past
    store.close()
    return folder


def _list(store_dir: Path) -> list[str]:
    result = run_cli("list", "--store", str(store_dir), passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_list_sorts_names_as_a_reader_expects(store_dir: Path) -> None:
    names = [line.split()[0] for line in _list(store_dir)[1:-1]]
    # Áine beside Aisha (not after Zihan), Ömer beside Oliver; other scripts after Latin.
    assert names == ["Áine", "Aisha", "Oliver", "Ömer", "Zihan", "ተስፋይ"]


def test_list_says_circumstances_in_words(store_dir: Path) -> None:
    lines = _list(store_dir)
    by_name = {line.split()[0]: line for line in lines[1:-1]}
    assert "in custody" in by_name["Áine"]
    assert "UASC" in by_name["Aisha"] and "uasc" not in by_name["Aisha"]
    assert "expecting a child, UASC" in by_name["ተስፋይ"]
    assert "21Plus" in by_name["Oliver"] and "21plus" not in by_name["Oliver"]
    assert by_name["Zihan"].split()[2] == "-"
    assert by_name["Zihan"].endswith("REVIEW OVERDUE")
    assert "OVERDUE" not in by_name["Aisha"]


def test_list_json_is_in_the_same_order_and_keeps_codes(store_dir: Path) -> None:
    import json

    result = run_cli("list", "--store", str(store_dir), "--json", passphrase=PASSPHRASE)
    rows = json.loads(result.stdout)
    assert [r["preferred_name"] for r in rows][:2] == ["Áine", "Aisha"]
    assert next(r for r in rows if r["preferred_name"] == "Aisha")["circumstances"] == ["uasc"]


def _first_id(store_dir: Path) -> str:
    """A young person's id, read from the store directly (the CLI is what is under test)."""
    store = Store.open(store_dir, PASSPHRASE)
    try:
        with store.reader() as s:
            return caseload(s)[0].id
    finally:
        store.close()


@pytest.mark.parametrize(
    ("command", "name"),
    [("print-plan", "plan.pdf"), ("print-keepsake", "book.pdf"), ("export", "sar.zip")],
)
def test_an_existing_file_is_kept_unless_forced(store_dir, tmp_path, command, name) -> None:
    out = tmp_path / name
    out.write_bytes(b"the adviser's earlier copy")
    args = (command, "--store", str(store_dir), "--young-person", _first_id(store_dir))
    refused = run_cli(*args, "--out", str(out), passphrase=PASSPHRASE)
    assert refused.returncode != 0
    assert refused.stderr.count("\n") == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_bytes() == b"the adviser's earlier copy"
    forced = run_cli(*args, "--out", str(out), "--force", passphrase=PASSPHRASE)
    assert forced.returncode == 0, forced.stderr
    assert out.read_bytes() != b"the adviser's earlier copy"


@pytest.mark.parametrize("command", ["print-plan", "export"])
def test_a_folder_as_out_is_explained_without_naming_a_hidden_file(
    store_dir, tmp_path, command
) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    args = (command, "--store", str(store_dir), "--young-person", _first_id(store_dir))
    result = run_cli(*args, "--out", str(folder), "--force", passphrase=PASSPHRASE)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert "is a folder: give a file name" in result.stderr
    assert ".part" not in result.stderr
    assert list(folder.iterdir()) == []


@pytest.fixture
def unwritable_folder(tmp_path: Path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        (folder / "probe").touch()
    except PermissionError:
        yield folder
    else:  # running as root, which ignores the mode: sysfs refuses new files even to root
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no folder this user cannot write to")
        yield Path("/sys/kernel")
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("command", ["print-plan", "print-keepsake", "export"])
def test_an_unwritable_place_says_what_to_do(store_dir, unwritable_folder, command) -> None:
    out = unwritable_folder / "plan.pdf"
    args = (command, "--store", str(store_dir), "--young-person", _first_id(store_dir))
    result = run_cli(*args, "--out", str(out), passphrase=PASSPHRASE)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert f"Could not write {out}" in result.stderr
    assert "choose a folder you can write to" in result.stderr
    assert ".part" not in result.stderr and "Unexpected" not in result.stderr


def test_a_missing_folder_is_named(store_dir, tmp_path) -> None:
    out = tmp_path / "no such folder" / "plan.pdf"
    args = ("print-plan", "--store", str(store_dir), "--young-person", _first_id(store_dir))
    result = run_cli(*args, "--out", str(out), passphrase=PASSPHRASE)
    assert result.returncode != 0
    assert f"The folder {out.parent} does not exist" in result.stderr


def test_a_wrong_passphrase_in_the_variable_says_to_check_the_variable(store_dir) -> None:
    result = run_cli("list", "--store", str(store_dir), passphrase="not the passphrase")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert "PATHWAY_DESK_PASSPHRASE" in result.stderr
    assert "Caps Lock" not in result.stderr


# -- the hidden prompt, in a real pseudo-terminal ----------------------------------------------

pty = pytest.importorskip("pty")  # POSIX only


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> bool:
    """Read the terminal until ``wanted`` appears or the program ends (EOF)."""
    deadline = time.monotonic() + 60  # a guard against a hung child, not a measurement
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        seen.extend(chunk)
    return wanted in seen


def _run_in_terminal(store_dir: Path, typed: bytes) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "PATHWAY_DESK_PASSPHRASE"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes pathway-desk at once
        os.execve(
            sys.executable,
            [sys.executable, "-m", "desktop.cli", "list", "--store", str(store_dir)],
            env,
        )
    seen = bytearray()
    try:
        assert _read_until(fd, b"Passphrase: ", seen), seen.decode(errors="replace")
        os.write(fd, typed)
        _read_until(fd, b"\0never", seen)  # everything to the end
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_ctrl_d_at_the_prompt_is_a_clean_cancel(store_dir: Path) -> None:
    code, output = _run_in_terminal(store_dir, b"\x04")
    after = output.split("Passphrase: ", 1)[1].strip().splitlines()
    assert code == 1
    assert after == ["pathway-desk: Cancelled: no passphrase was given; nothing was changed."]


def test_a_wrong_typed_passphrase_mentions_caps_lock(store_dir: Path) -> None:
    code, output = _run_in_terminal(store_dir, b"not the passphrase\r")
    assert code == 1
    assert "Check Caps Lock" in output and "PATHWAY_DESK_PASSPHRASE" not in output
