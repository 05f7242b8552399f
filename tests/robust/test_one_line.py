"""Item 7: one line on stderr (SQLCipher's own log silenced), and a crash log that keeps each
exception's type and code locations but no message."""

from __future__ import annotations

from tests.factories import PASSPHRASE, add_young_person, make_store
from tests.robust.children import cli, start


def test_a_damaged_database_is_one_line_on_stderr(store_folder, tmp_path):
    with make_store(store_folder) as st:
        add_young_person(st)
    db = store_folder / "store.db"
    raw = bytearray(db.read_bytes())
    for i in range(5000, 5100):  # inside page 2
        raw[i] ^= 0xFF
    db.write_bytes(bytes(raw))
    result = cli("list", "--store", str(store_folder), passphrase=PASSPHRASE, home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "ERROR CORE" not in result.stderr
    assert result.stderr.startswith("pathway-desk: The store's database cannot be read")


BUG = """
from desktop.cli import fail_cleanly

def load():
    raise KeyError("Jordan's home address")

@fail_cleanly
def command():
    try:
        load()
    except KeyError as exc:
        raise ValueError("note text: Jordan said something private") from exc

try:
    command()
except SystemExit:
    raise
except BaseException as exc:  # typer.Exit
    raise SystemExit(getattr(exc, "exit_code", 1))
"""


def test_the_crash_log_keeps_types_and_code_locations_but_no_text(tmp_path):
    child = start(BUG, PATHWAY_DESK_HOME=str(tmp_path))
    _, err = child.communicate(timeout=120)
    assert child.returncode == 1
    assert "Unexpected error (ValueError)" in err and err.count("\n") == 1
    log = (tmp_path / "logs" / "pathway-desk.log").read_text()
    assert "NoneType: None" not in log
    assert "\nValueError\n" in log and "\nKeyError\n" in log
    assert 'in load' in log and 'in command' in log
    assert "Jordan" not in log and "private" not in log
