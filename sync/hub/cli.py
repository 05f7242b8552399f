"""The ``pathway-hub`` command line (contract: ../shared/DESIGN.md, "The command-line contract").

Exit status 0 on success; otherwise one line on stderr saying what is wrong, never a traceback.
Every admin command takes ``--database URL`` (default: SQLite in the hub's data folder) and
migrates the database first, so a fresh database just works.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from sync.hub import admin
from sync.hub.db import make_engine, migrate, session_factory, unit_of_work
from sync.hub.errors import BadValue, HubError
from sync.hub.settings import HubSettings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Pathway Hub: the council's server that Pathway Desk laptops enrol with and sync to.",
)
team_app = typer.Typer(no_args_is_help=True, help="Teams of advisers.")
user_app = typer.Typer(no_args_is_help=True, help="Advisers, managers and admins.")
device_app = typer.Typer(no_args_is_help=True, help="Enrolled laptops.")
app.add_typer(team_app, name="team")
app.add_typer(user_app, name="user")
app.add_typer(device_app, name="device")

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="SQLAlchemy URL (default: SQLite in the hub's data folder)."),
]


def fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error into one stderr line and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except HubError as exc:
            _die(str(exc))
        except IntegrityError:
            _die("Another command changed the same thing at the same moment; run it again.")
        except OperationalError as exc:
            _die(f"The hub database refused the command ({_first_line(exc.orig)}).")
        except SQLAlchemyError as exc:
            _die(f"The hub database failed ({type(exc).__name__}).")
        except KeyboardInterrupt:
            _die("Interrupted.", code=130)
        except OSError as exc:
            _die(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ") + ".")

    return wrapper


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _die(message: str, code: int = 1) -> None:
    typer.echo(f"pathway-hub: {message}", err=True)
    raise typer.Exit(code)


def _settings(database: str | None) -> HubSettings:
    return HubSettings(database=database) if database else HubSettings()


@contextmanager
def _session(database: str | None) -> Iterator[Session]:
    engine = make_engine(_settings(database).database)
    try:
        migrate(engine)
        with unit_of_work(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else "never"


# --- teams -----------------------------------------------------------------------------------


@team_app.command("add")
@fail_cleanly
def team_add(name: str, database: DatabaseOption = None) -> None:
    """Add a team."""
    with _session(database) as s:
        team = admin.add_team(s, name)
    typer.echo(f"Added team {team.name}.")


@team_app.command("list")
@fail_cleanly
def team_list(database: DatabaseOption = None) -> None:
    """List teams, one a line: name and number of users."""
    with _session(database) as s:
        for team in admin.list_teams(s):
            typer.echo(f"{team.name}\t{team.members} users")


# --- users -----------------------------------------------------------------------------------


@user_app.command("add")
@fail_cleanly
def user_add(
    username: str,
    team: Annotated[str, typer.Option("--team", help="The user's team.")],
    role: Annotated[str, typer.Option("--role", help="advisor, manager or admin.")],
    database: DatabaseOption = None,
) -> None:
    """Add a user to a team with a role."""
    with _session(database) as s:
        user = admin.add_user(s, username, team, role)
    typer.echo(f"Added {user.role} {user.username} to {user.team}.")


@user_app.command("list")
@fail_cleanly
def user_list(
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    database: DatabaseOption = None,
) -> None:
    """List users, one a line: username, team, role, young people allocated."""
    with _session(database) as s:
        for user in admin.list_users(s, team):
            typer.echo(f"{user.username}\t{user.team}\t{user.role}\t"
                       f"{user.young_people} young people")


# --- allocation and enrolment ------------------------------------------------------------------


@app.command("allocate")
@fail_cleanly
def allocate(young_person_id: str, username: str, database: DatabaseOption = None) -> None:
    """Allocate a young person to an adviser (the previous allocation is kept as history)."""
    with _session(database) as s:
        before = admin.allocate(s, young_person_id, username)
    yp = admin.young_person_id(young_person_id)
    if before == username.strip():
        typer.echo(f"{yp} was already allocated to {before}.")
    elif before:
        typer.echo(f"Allocated {yp} to {username.strip()} (was {before}).")
    else:
        typer.echo(f"Allocated {yp} to {username.strip()}.")


@app.command("enrol-code")
@fail_cleanly
def enrol_code(username: str, database: DatabaseOption = None) -> None:
    """Print a one-time enrolment code for the user's next laptop (alone on the last line)."""
    settings = _settings(database)
    with _session(database) as s:
        code, expires = admin.issue_enrol_code(s, username, hours=settings.enrol_code_hours)
    typer.echo(f"One-time code for {username.strip()}, valid until {_when(expires)}:")
    typer.echo(code)


# --- devices ---------------------------------------------------------------------------------


@device_app.command("list")
@fail_cleanly
def device_list(database: DatabaseOption = None) -> None:
    """List devices, one a line: id, user, enrolled, last seen, and revoked or active."""
    with _session(database) as s:
        for d in admin.list_devices(s):
            state = f"revoked {_when(d.revoked_at)}" if d.revoked_at else "active"
            typer.echo(f"{d.id}\t{d.username}\tenrolled {_when(d.enrolled_at)}\t"
                       f"last seen {_when(d.last_seen_at)}\t{state}")


@device_app.command("revoke")
@fail_cleanly
def device_revoke(device_id: str, database: DatabaseOption = None) -> None:
    """Revoke a lost or retired laptop: it is refused from now on and told to wipe its store."""
    with _session(database) as s:
        changed = admin.revoke_device(s, device_id)
    typer.echo(f"Revoked device {device_id.strip()}." if changed
               else f"Device {device_id.strip()} was already revoked.")


# --- audit -----------------------------------------------------------------------------------


@app.command("audit")
@fail_cleanly
def audit(
    user: Annotated[str | None, typer.Option("--user", help="Only this user.")] = None,
    young_person: Annotated[
        str | None, typer.Option("--young-person", help="Only this young person.")
    ] = None,
    device: Annotated[str | None, typer.Option("--device", help="Only this device.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only from this date or time (ISO 8601, UTC).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 1000,
    database: DatabaseOption = None,
) -> None:
    """Who read or wrote which young person's data, from which device, newest first."""
    start = _parse_since(since) if since else None
    with _session(database) as s:
        rows = admin.audit_events(s, username=user, young_person=young_person, device_id=device,
                                  since=start, limit=limit)
    for r in rows:
        typer.echo(f"{_when(r.at)}\t{r.username}\t{r.device_id or '-'}\t{r.young_person_id}\t"
                   f"{r.action}\t{r.outcome}")


def _parse_since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadValue(f"{value!r} is not a date or time (try 2026-11-28 or "
                       "2026-11-28T09:00).") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- serve -----------------------------------------------------------------------------------


@app.command("serve")
@fail_cleanly
def serve(
    database: DatabaseOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8443,
    cert: Annotated[Path | None, typer.Option("--cert", help="Certificate (PEM).")] = None,
    key: Annotated[Path | None, typer.Option("--key", help="Its private key (PEM).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the hub over HTTPS (migrating the database first)."""
    from sync.hub.serve import run  # uvicorn is only needed here

    if (cert is None) != (key is None):
        raise BadValue("Give both --cert and --key, or neither (the hub then makes its own).")
    settings = _settings(database).model_copy(
        update={"host": host, "port": port, "cert": cert, "key": key}
    )
    run(settings, workers=workers, say=lambda line: typer.echo(line))


def main() -> None:
    # Worker processes started by uvicorn inherit the settings through PATHWAY_HUB_* variables.
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app(prog_name="pathway-hub")
    sys.exit(0)
