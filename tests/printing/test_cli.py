"""The print-plan, print-keepsake and export commands."""

from __future__ import annotations

import zipfile

import pytest
from typer.testing import CliRunner

from desktop.cli import PASSPHRASE_ENV, app
from tests.factories import PASSPHRASE
from tests.printing.conftest import add_photos, make_person
from tests.printing.pdftext import all_text


@pytest.fixture
def cli_person(store):
    person = make_person(store)
    add_photos(person, 1)
    store.close()  # the command opens the store itself
    return person


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={PASSPHRASE_ENV: PASSPHRASE})


@pytest.mark.parametrize("variant", ["standard", "large", "easy", "professional"])
def test_print_plan(cli_person, tmp_path, variant):
    out = tmp_path / "plan.pdf"
    result = run("print-plan", "--store", str(cli_person.store.folder), "--young-person",
                 cli_person.id, "--out", str(out), "--variant", variant)
    assert result.exit_code == 0, result.output
    assert "Maryam" in all_text(out.read_bytes()) or "مريم" in all_text(out.read_bytes())
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_print_keepsake_and_export(cli_person, tmp_path):
    folder = str(cli_person.store.folder)
    book = tmp_path / "book.pdf"
    assert run("print-keepsake", "--store", folder, "--young-person", cli_person.id,
               "--out", str(book)).exit_code == 0
    assert "My memory box" in all_text(book.read_bytes())
    archive = tmp_path / "sar.zip"
    result = run("export", "--store", folder, "--young-person", cli_person.id, "--out",
                 str(archive))
    assert result.exit_code == 0, result.output
    assert "index.pdf" in zipfile.ZipFile(archive).namelist()


@pytest.mark.parametrize("command", ["print-plan", "print-keepsake", "export"])
def test_unknown_young_person_is_one_line_and_fails(cli_person, tmp_path, command):
    out = tmp_path / "out.file"
    result = run(command, "--store", str(cli_person.store.folder), "--young-person", "nobody",
                 "--out", str(out))
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nobody" in lines[0]
    assert list(tmp_path.iterdir()) == [cli_person.store.folder]


def test_unknown_variant_is_refused(cli_person, tmp_path):
    result = run("print-plan", "--store", str(cli_person.store.folder), "--young-person",
                 cli_person.id, "--out", str(tmp_path / "p.pdf"), "--variant", "tiny")
    assert result.exit_code != 0 and "variant" in result.stderr
