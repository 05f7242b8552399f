"""The ``pathway-desk`` command line (contract: ../shared/DESIGN.md, "The command-line contract").

Passphrases come from ``PATHWAY_DESK_PASSPHRASE`` or a hidden prompt, never from argv.
Exit status 0 on success; otherwise one line on stderr saying what to do, never a traceback
(the traceback of an unexpected error goes to the log file, which holds no record contents).
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from desktop.crash_dumps import disable_crash_dumps
from desktop.crash_log import where
from desktop.paths import default_store_dir, log_dir
from models.errors import PathwayDeskError

PASSPHRASE_ENV = "PATHWAY_DESK_PASSPHRASE"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    help="Pathway Desk: caseload, pathway plans, notes and memory boxes for Leaving Care advisers.",
)

StoreOption = Annotated[
    Path | None, typer.Option("--store", help="The store folder (default: your user data folder).")
]


class CliFailure(Exception):
    """A one-line reason to stop, for problems found by the CLI itself."""


def fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error into one stderr line and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except (PathwayDeskError, CliFailure) as exc:
            _die(str(exc))
        except UnicodeDecodeError:
            # Typed at a prompt in a terminal that is not set to UTF-8.
            _die("What was typed is not valid text (not UTF-8); set the terminal to UTF-8 and "
                 "try again.")
        except KeyboardInterrupt:
            _die("Interrupted; nothing half-written was kept.", code=130)
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:
            _die(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ") + ".")
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            where = _log_crash(exc)
            _die(f"Unexpected error ({type(exc).__name__}); details were written to {where}.")

    return wrapper


def _die(message: str, code: int = 1) -> None:
    print(f"pathway-desk: {message}", file=sys.stderr)
    raise typer.Exit(code)


def _log_crash(exc: BaseException) -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pathway-desk.log"
    logging.basicConfig(filename=path, level=logging.INFO)
    # The exception types and the traceback's code locations, never messages or record text.
    logging.error("Unexpected error\n%s", where(exc))
    return path


def _notes(notices: list[str]) -> None:
    """Things the adviser should know that are not failures (one line each, on stderr)."""
    for notice in notices:
        print(f"pathway-desk: note: {notice}", file=sys.stderr)


def read_passphrase(*, new: bool = False) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliFailure(f"No passphrase: set {PASSPHRASE_ENV} or run this in a terminal.")
    try:
        first = getpass.getpass("New passphrase for the store: " if new else "Passphrase: ")
        if new and getpass.getpass("Type it again: ") != first:
            raise CliFailure("The two passphrases differ; nothing was created.")
    except EOFError:  # Ctrl+D at the prompt
        print(file=sys.stderr)  # end the prompt's line
        raise CliFailure("Cancelled: no passphrase was given; nothing was changed.") from None
    return first


def open_store(store_dir: Path | None):  # -> models.store.Store
    from desktop.audit_gaps import flush_gaps
    from desktop.printing.outputs import sweep_leftovers
    from models.errors import WrongPassphrase
    from models.store import Store

    from_env = bool(os.environ.get(PASSPHRASE_ENV))
    try:
        st = Store.open(store_dir or default_store_dir(), read_passphrase())
    except WrongPassphrase:
        if not from_env:
            raise
        raise CliFailure(
            f"The passphrase in {PASSPHRASE_ENV} does not unlock this store: "
            "check the variable's value (or unset it to be asked)."
        ) from None
    # Readable leftovers of a print or export that was cut short; a store that cannot be used
    # is reported by the command itself.
    with contextlib.suppress(PathwayDeskError):
        _notes(sweep_leftovers(st))
    flush_gaps(st)  # audit events a full disk kept out of the trail
    return st


ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the output file if it already exists.")
]


def check_output(out: Path, force: bool, example: str) -> None:
    """Refuse a folder, a missing folder, or (without --force) an existing file as --out."""
    if out.is_dir():
        raise CliFailure(f"{out} is a folder: give a file name, e.g. --out {out / example}.")
    if out.exists() and not force:
        raise CliFailure(
            f"{out} already exists: choose another name, or add --force to replace it."
        )
    folder = out.absolute().parent
    if not folder.is_dir():
        raise CliFailure(f"The folder {folder} does not exist: create it or choose another place.")


@contextmanager
def writing_to(out: Path) -> Iterator[None]:
    """Say what went wrong writing ``out`` in terms of ``out``, never of the hidden temporary
    file beside it that the writers use."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None or Path(exc.filename).absolute().parent != out.absolute().parent:
            raise
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            advice = "free some space or choose another place"
        else:
            advice = "choose a folder you can write to"
        reason = (exc.strerror or type(exc).__name__).rstrip(".")
        raise CliFailure(f"Could not write {out} ({reason}): {advice}.") from None


@app.callback()
@fail_cleanly
def main_callback(ctx: typer.Context, store: StoreOption = None) -> None:
    """Open the app on a store (or run one of the commands below)."""
    if ctx.invoked_subcommand is None:
        from desktop.app import run_app

        raise typer.Exit(run_app((store or default_store_dir()).expanduser().absolute()))


@app.command()
@fail_cleanly
def demo(
    store: Annotated[Path, typer.Option("--store", help="An empty folder for the new store.")],
    young_people: Annotated[int, typer.Option("--young-people", min=1, max=20000)] = 60,
    seed: Annotated[int, typer.Option("--seed")] = 1,
) -> None:
    """Create an encrypted store holding a fictional caseload, for trying the app."""
    from models.demo.generate import generate_demo
    from models.store import Store

    with Store.create(store, read_passphrase(new=True), owner_name="Demo Adviser") as st:
        _demo_progress(0, young_people)  # the photos and documents come first
        total = generate_demo(st, young_people=young_people, seed=seed, progress=_demo_progress)
    print(f"Created a demo store in {store} with {total} fictional young people.")


def _demo_progress(done: int, total: int) -> None:
    """Progress on stderr (a big demo takes a while): one line redrawn in a terminal, a line
    per step otherwise (a log, a test)."""
    line = f"Building the demo: {done}/{total} young people"
    if sys.stderr.isatty():
        end = "\n" if done >= total else ""
        print(f"\r{line}", end=end, file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


@app.command("list")
@fail_cleanly
def list_caseload(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the caseload."""
    from desktop.audit_gaps import note_gap
    from models.collation import name_sort_key
    from models.errors import DiskFull
    from models.repo.audit import record_event
    from models.repo.young_people import caseload

    with open_store(store) as st:
        with st.reader() as s:
            rows = caseload(s, date.today())
        try:
            with st.session() as s:
                record_event(s, "list", detail=f"{len(rows)} young people")
        except DiskFull:  # reading still works on a full disk; the gap is noted
            _notes([note_gap(st.store_id, "list")])
    rows = sorted(
        rows, key=lambda r: (name_sort_key(r.preferred_name), name_sort_key(r.legal_name))
    )
    if as_json:
        print(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    words = [_circumstance_words(r.circumstances) for r in rows]
    width = max([len("Circumstances"), *map(len, words)])
    print(f"{'Name':<24} {'Age':>3}  {'Circumstances':<{width}} {'Next review':<11}  Id")
    for r, badges in zip(rows, words, strict=True):
        review = r.next_review.isoformat() if r.next_review else "-"
        overdue = [
            w for w, late in (("REVIEW", r.review_overdue), ("VISIT", r.visit_overdue)) if late
        ]
        flag = f"  {' AND '.join(overdue)} OVERDUE" if overdue else ""
        name = r.preferred_name[:24]
        print(f"{name:<24} {r.age:>3}  {badges:<{width}} {review:<11}  {r.id}{flag}")
    print(f"{len(rows)} young people.")


def _circumstance_words(codes: tuple[str, ...]) -> str:
    from models.domain import CIRCUMSTANCE_WORDS

    return ", ".join(CIRCUMSTANCE_WORDS.get(c, c) for c in codes) or "-"


def _row_json(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "preferred_name": r.preferred_name,
        "legal_name": r.legal_name,
        "date_of_birth": r.date_of_birth.isoformat(),
        "age": r.age,
        "circumstances": list(r.circumstances),
        "allocated_pa": r.allocated_pa,
        "next_review": r.next_review.isoformat() if r.next_review else None,
        "last_contact": r.last_contact.isoformat() if r.last_contact else None,
        "visit_due": r.visit_due.isoformat(),
        "visit_overdue": r.visit_overdue,
    }


# -- printing and export (desktop/printing) ---------------------------------------------------

YoungPersonOption = Annotated[
    str, typer.Option("--young-person", help="The young person's id (see `list`).")
]


@app.command("print-plan")
@fail_cleanly
def print_plan(
    young_person: YoungPersonOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    store: StoreOption = None,
    variant: Annotated[
        str, typer.Option("--variant", help="standard, large, easy or professional.")
    ] = "standard",
    force: ForceOption = False,
) -> None:
    """Print a young person's pathway plan to a PDF."""
    from desktop.printing.jobs import plan_pdf_bytes, save_pdf
    from desktop.printing.theme import Variant

    try:
        chosen = Variant(variant)
    except ValueError:
        raise CliFailure(
            f"Unknown variant {variant!r}: use standard, large, easy or professional."
        ) from None
    check_output(out, force, "plan.pdf")
    with open_store(store) as st:
        pdf = plan_pdf_bytes(st, young_person, chosen)
        with writing_to(out):
            _notes(save_pdf(st, out, pdf, [young_person], f"pathway plan, {chosen.value}"))
    print(f"Wrote {chosen.label.lower()} to {out}.")


@app.command("print-keepsake")
@fail_cleanly
def print_keepsake(
    young_person: YoungPersonOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    store: StoreOption = None,
    force: ForceOption = False,
) -> None:
    """Print a young person's memory-box keepsake book to a PDF."""
    from desktop.printing.jobs import keepsake_pdf_bytes, save_pdf

    check_output(out, force, "keepsake.pdf")
    with open_store(store) as st:
        pdf = keepsake_pdf_bytes(st, young_person)
        with writing_to(out):
            _notes(save_pdf(st, out, pdf, [young_person], "memory box keepsake book"))
    print(f"Wrote the keepsake book to {out}.")


@app.command("export")
@fail_cleanly
def export(
    young_person: YoungPersonOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write the zip file.")],
    store: StoreOption = None,
    force: ForceOption = False,
) -> None:
    """Export every record and file of one young person (a subject access request)."""
    from desktop.printing.export import export_young_person

    check_output(out, force, "export.zip")
    with open_store(store) as st, writing_to(out):
        summary = export_young_person(st, young_person, out)
    _notes(summary.notices)
    print(
        f"Exported {summary.records} kinds of record and {summary.files} files to {out} "
        "(start with index.pdf)."
    )


@app.command("enrol")
@fail_cleanly
def enrol_command(
    store: Annotated[Path, typer.Option("--store", help="The store folder (made if empty).")],
    hub: Annotated[str, typer.Option("--hub", help="The hub's address, e.g. https://hub:8443.")],
    code: Annotated[str, typer.Option("--code", help="The one-time enrolment code.")],
    fingerprint: Annotated[str | None, typer.Option(
        "--fingerprint", help="The hub certificate's SHA-256 fingerprint, from its administrator."
    )] = None,
) -> None:
    """Enrol this laptop with the council's hub (creating the store first if there is none)."""
    from models.store import Store, store_exists
    from models.store_files import wipe_store
    from sync.client import enrol

    made = not store_exists(store)
    st = (Store.create(store, read_passphrase(new=True), owner_name="") if made
          else open_store(store))
    try:
        with st:
            result = enrol(st, hub, code, fingerprint)
            if not st.owner_name:
                st.set_meta("owner_name", result.username)
                st.owner_name = result.username
    except BaseException:
        if made:
            wipe_store(store)  # all or nothing: no half-enrolled new store is left behind
        raise
    if fingerprint is None:
        _notes([f"the hub's certificate fingerprint is {result.fingerprint}: check it with "
                "your administrator before you sync"])
    print(f"Enrolled as {result.username} ({result.role}, team {result.team}); "
          f"device {result.device_id}. Run `pathway-desk sync --store {store}` to sync.")


@app.command("sync")
@fail_cleanly
def sync_command(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not a summary.")] = False,
) -> None:
    """Sync with the hub: send this laptop's changes, receive everyone else's."""
    from models.store_files import wipe_store
    from sync.client import DeviceRevoked, SyncClient

    folder = store or default_store_dir()
    try:
        with open_store(folder) as st:
            report = SyncClient(st).run(progress=_sync_progress)
    except DeviceRevoked as exc:
        _end_progress_line()
        wipe_store(folder)
        raise CliFailure(f"{exc} This laptop's store has been wiped.") from None
    _end_progress_line()
    if as_json:
        print(json.dumps(report.to_json(), indent=2))
        return
    print(f"Sent {report.pushed} changes, received {report.pulled}; "
          f"{report.open_conflicts} conflicts to resolve; "
          f"files: {report.files_uploaded} sent, {report.files_downloaded} received.")
    notes = [f"the hub refused a change ({r['reason']}); it is kept on this laptop"
             for r in report.refused[:5]]
    if report.purged:
        notes.append(f"{len(report.purged)} young people are no longer allocated to you and "
                     "were removed from this laptop")
    if report.kept_out_of_scope:
        notes.append(f"{len(report.kept_out_of_scope)} young people are no longer allocated "
                     "to you but keep changes the hub has not taken; ask your manager")
    _notes(notes)


def _end_progress_line() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _sync_progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)


def main() -> None:
    disable_crash_dumps()  # before any record or key is in memory
    app(prog_name="pathway-desk")


if __name__ == "__main__":
    main()
