"""The command-line contract: demo, list, and one clear line on every failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PASS = "cli test passphrase"


def run_cli(*args: str, passphrase: str | None = PASS, home: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k != "PATHWAY_DESK_PASSPHRASE"}
    if passphrase is not None:
        env["PATHWAY_DESK_PASSPHRASE"] = passphrase
    if home is not None:
        env["PATHWAY_DESK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A demo store made once; tests get copies (``list`` writes audit rows into its store)."""
    folder = tmp_path_factory.mktemp("cli-template") / "store"
    result = run_cli("demo", "--store", str(folder), "--young-people", "6", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "6 fictional young people" in result.stdout
    # Progress goes to stderr, so a first `make run` does not sit silent for half a minute.
    assert result.stderr.splitlines() == [
        "Building the demo: 0/6 young people",
        "Building the demo: 6/6 young people",
    ]
    return folder


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo store."""
    folder = tmp_path / "store"
    shutil.copytree(demo_template, folder)
    return folder


def test_tests_keep_logs_and_stores_out_of_the_real_user_folders(user_folders_in_tmp) -> None:
    from platformdirs import user_data_path, user_log_path

    from desktop.paths import APP_AUTHOR, APP_NAME, default_store_dir, log_dir

    assert log_dir().is_relative_to(user_folders_in_tmp)
    assert default_store_dir().is_relative_to(user_folders_in_tmp)
    if sys.platform.startswith("linux"):  # platformdirs follows the XDG variables there
        assert user_log_path(APP_NAME, APP_AUTHOR).is_relative_to(user_folders_in_tmp)
        assert user_data_path(APP_NAME, APP_AUTHOR).is_relative_to(user_folders_in_tmp)


def test_each_test_has_its_own_copy_of_the_demo_store(demo_template, demo_store) -> None:
    def contents(folder: Path) -> dict[str, bytes]:
        files = (p for p in folder.rglob("*") if p.is_file())
        return {str(p.relative_to(folder)): p.read_bytes() for p in files}

    before = contents(demo_template)
    assert run_cli("list", "--store", str(demo_store)).returncode == 0  # writes an audit row
    assert contents(demo_template) == before
    assert contents(demo_store) != before


def test_list_json_has_the_contract_fields(demo_store: Path) -> None:
    result = run_cli("list", "--store", str(demo_store), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 6
    for row in rows:
        for key in ("id", "preferred_name", "legal_name", "date_of_birth", "age", "circumstances",
                    "allocated_pa"):
            assert key in row
        assert 15 <= row["age"] <= 25
        assert isinstance(row["circumstances"], list)


def test_list_table_names_every_young_person(demo_store: Path) -> None:
    result = run_cli("list", "--store", str(demo_store))
    assert result.returncode == 0, result.stderr
    rows = json.loads(run_cli("list", "--store", str(demo_store), "--json").stdout)
    for row in rows:
        assert row["id"] in result.stdout
    assert "6 young people." in result.stdout


def test_wrong_passphrase_is_one_clear_line(demo_store: Path) -> None:
    result = run_cli("list", "--store", str(demo_store), passphrase="not the passphrase")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "does not unlock this store" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_store_and_missing_passphrase_are_clear(tmp_path: Path) -> None:
    result = run_cli("list", "--store", str(tmp_path / "nowhere"))
    assert result.returncode != 0
    assert "No Pathway Desk store" in result.stderr and len(result.stderr.splitlines()) == 1
    result = run_cli("list", "--store", str(tmp_path / "nowhere"), passphrase=None)
    assert result.returncode != 0
    assert "PATHWAY_DESK_PASSPHRASE" in result.stderr


def test_demo_refuses_a_folder_that_holds_a_store(demo_store: Path) -> None:
    before = sorted(p.name for p in demo_store.iterdir())
    result = run_cli("demo", "--store", str(demo_store), "--young-people", "1")
    assert result.returncode != 0
    assert "already holds" in result.stderr
    assert sorted(p.name for p in demo_store.iterdir()) == before


def test_weak_passphrase_creates_nothing(tmp_path: Path) -> None:
    result = run_cli("demo", "--store", str(tmp_path / "s"), passphrase="short")
    assert result.returncode != 0
    assert "at least" in result.stderr
    assert not (tmp_path / "s").exists()
