"""The admin commands, exactly as operators type them, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from typer.testing import CliRunner

from sync.hub.cli import app

YP = "0b6a3f43-5d4f-4d7e-9f0e-6f1c2b7a9d11"


def hub(database: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--database", database])
    return result.exit_code, result.stdout, result.stderr


def ok(database: str, *args: str) -> str:
    code, out, err = hub(database, *args)
    assert code == 0, err
    return out


def fails(database: str, *args: str) -> str:
    code, out, err = hub(database, *args)
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_an_administrator_sets_up_a_team(database_url: str) -> None:
    db = database_url
    ok(db, "team", "add", "North")
    ok(db, "team", "add", "South")
    ok(db, "user", "add", "asha", "--team", "North", "--role", "advisor")
    ok(db, "user", "add", "ben", "--team", "North", "--role", "advisor")
    ok(db, "user", "add", "mo", "--team", "North", "--role", "manager")
    ok(db, "user", "add", "root", "--team", "South", "--role", "admin")
    assert "Allocated" in ok(db, "allocate", YP, "asha")
    assert "(was asha)" in ok(db, "allocate", YP, "ben")
    assert ok(db, "team", "list").splitlines() == ["North\t3 users", "South\t1 users"]
    users = ok(db, "user", "list", "--team", "North").splitlines()
    assert users == [
        "asha\tNorth\tadvisor\t0 young people",
        "ben\tNorth\tadvisor\t1 young people",
        "mo\tNorth\tmanager\t0 young people",
    ]
    out = ok(db, "enrol-code", "asha")
    code = out.strip().splitlines()[-1]
    assert len(code) >= 32 and " " not in code
    assert ok(db, "device", "list") == ""
    assert ok(db, "audit") == ""


def test_bad_commands_say_one_line_and_fail(database_url: str) -> None:
    db = database_url
    ok(db, "team", "add", "North")
    ok(db, "user", "add", "asha", "--team", "North", "--role", "advisor")
    ok(db, "user", "add", "root", "--team", "North", "--role", "admin")
    assert "already a team" in fails(db, "team", "add", "North")
    assert "no team called 'East'" in fails(db, "user", "add", "x", "--team", "East",
                                             "--role", "advisor")
    assert "already a user" in fails(db, "user", "add", "asha", "--team", "North",
                                     "--role", "manager")
    assert "role is one of" in fails(db, "user", "add", "y", "--team", "North", "--role", "boss")
    assert "no user called 'nobody'" in fails(db, "allocate", YP, "nobody")
    assert "not a young person's id" in fails(db, "allocate", "not-a-uuid", "asha")
    assert "is an admin" in fails(db, "allocate", YP, "root")
    assert "no user called" in fails(db, "enrol-code", "nobody")
    assert "no device" in fails(db, "device", "revoke", str(uuid.uuid4()))
    assert "not a device id" in fails(db, "device", "revoke", "../../etc")
    assert "not a date" in fails(db, "audit", "--since", "yesterday")
    assert "printable" in fails(db, "team", "add", "  ")
    assert "no team called" in fails(db, "user", "list", "--team", "East")


def test_a_bad_database_url_is_one_line(tmp_path: object) -> None:
    assert "not a database URL" in fails("::::", "team", "list")
    assert "SQLite or PostgreSQL" in fails("mysql://x@localhost/db", "team", "list")
    assert "Cannot reach" in fails(
        "postgresql+psycopg://nobody@/nodb?host=/nonexistent-socket-dir", "team", "list"
    )


def test_the_console_script_never_shows_a_traceback(tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/hub.db"
    cmd = [sys.executable, "-m", "sync.hub", "team", "add", "North", "--database", db]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert again.returncode == 1
    assert again.stderr.strip() == "pathway-hub: There is already a team called 'North'."


@pytest.mark.parametrize("args", [["device", "revoke"], ["user", "add", "x"], ["nonsense"]])
def test_usage_errors_exit_non_zero(args: list[str], tmp_path: object) -> None:
    result = CliRunner().invoke(app, [*args, "--database", f"sqlite:///{tmp_path}/hub.db"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_serve_refuses_half_a_certificate(tmp_path: object) -> None:
    db = f"sqlite:///{tmp_path}/hub.db"
    assert "both --cert and --key" in fails(db, "serve", "--cert", "x.pem")
    assert "No such file" in fails(db, "serve", "--cert", "/nonexistent/c.pem",
                                   "--key", "/nonexistent/k.pem")


def test_a_database_from_a_newer_hub_is_refused(database_url: str) -> None:
    from sqlalchemy import text

    from sync.hub.db import make_engine

    ok(database_url, "team", "add", "North")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    assert "upgraded by a newer hub" in fails(database_url, "team", "list")
