"""Suggested file names (pure), where Save as PDF starts, and batch print: young people told
apart, a Close button when done, and each plan starting on a front page when printed duplex."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.paths import documents_dir
from desktop.print_ui.batch_print_dialog import BatchPrintDialog
from desktop.print_ui.print_preview_dialog import PrintPreviewDialog
from desktop.printing.file_names import (
    MAX_NAME_BYTES,
    batch_file_name,
    keepsake_file_name,
    plan_file_name,
)
from desktop.tasks import TaskRunner
from models.repo import plans
from tests.factories import add_young_person
from tests.printing.conftest import ARABIC_NAME
from tests.printing.pdftext import flat, page_texts

ON = date(2026, 11, 20)
WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


@pytest.fixture
def tasks(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_idle()


def _valid_everywhere(name: str) -> None:
    assert not set(name) & WINDOWS_FORBIDDEN
    assert name == name.strip() and not name[:-4].endswith((".", " "))
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".pdf")


@pytest.mark.parametrize("name", [ARABIC_NAME, "ሰላም ተስፋይ", "Nguyễn Thị Hương", "Áine"])
def test_a_plan_file_name_keeps_the_name_in_its_own_script(name) -> None:
    file_name = plan_file_name(name, "easy", ON)
    assert file_name == f"{name} – my plan (easy read) – 2026-11-20.pdf"
    _valid_everywhere(file_name)


def test_file_names_are_safe_whatever_the_name_holds() -> None:
    for name in ['Jo "JJ" O/Neil', "a:b*c?", "Kai...", "  ", "\u202egpj.exe", "ሰ" * 400]:
        for file_name in (
            plan_file_name(name, "standard", ON),
            plan_file_name(name, "professional", ON),
            keepsake_file_name(name, ON),
        ):
            _valid_everywhere(file_name)
            assert "2026-11-20" in file_name  # a long name is cut, never the date
            assert "\u202e" not in file_name
    assert plan_file_name("  ", "large", ON).startswith("Young person – my plan (large print)")
    assert keepsake_file_name("Kai", ON) == "Kai – my memory box – 2026-11-20.pdf"


def test_a_batch_file_name_says_which_month_and_when() -> None:
    name = batch_file_name(date(2026, 11, 1), "large", ON)
    assert name == "Plans due for review, November 2026 (large print) – 2026-11-20.pdf"
    _valid_everywhere(name)


def test_save_as_pdf_starts_in_documents_with_a_name(qtbot, person, tasks) -> None:
    dialog = PrintPreviewDialog(person.store, tasks, person.id, today=ON)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        pass
    assert dialog.suggested_path() == documents_dir() / plan_file_name(ARABIC_NAME, "standard", ON)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        dialog.choice.setCurrentIndex(dialog.choice.findData("professional"))
    assert dialog.suggested_path().name == plan_file_name("Maryam Hassan", "professional", ON)
    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        dialog.choice.setCurrentIndex(dialog.choice.findData("keepsake"))
    assert dialog.suggested_path().name == keepsake_file_name(ARABIC_NAME, ON)


def test_documents_folder_follows_the_app_home(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATHWAY_DESK_HOME", str(tmp_path))
    assert documents_dir() == tmp_path / "Documents"


# -- batch print ------------------------------------------------------------------------------

YASIRS = [
    ("Yasir Ahmed", date(2005, 2, 1), 0),
    ("Yasir Mohamed Ali", date(2006, 7, 9), 2),
    ("Yasir Osman", date(2007, 12, 30), 5),
]


@pytest.fixture
def three_yasirs(store) -> list[str]:
    ids = []
    for n, (legal, born, actions) in enumerate(YASIRS):
        yp_id = add_young_person(
            store, preferred_name="Yasir", legal_name=legal, date_of_birth=born
        )
        with store.session() as s:
            plans.update_plan(s, yp_id, review_date=date(2026, 11, 10 + n))
            for k in range(actions * 6):  # plans of different lengths
                plans.add_action(
                    s, yp_id, "health", who="Priya", what=f"Step {k} " + "and more words " * 30
                )
        ids.append(yp_id)
    return ids


def test_batch_print_tells_three_yasirs_apart(qtbot, store, tasks, three_yasirs) -> None:
    dialog = BatchPrintDialog(store, tasks, today=ON)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()  # read on a worker
    rows = [dialog.model.item(r).text() for r in range(dialog.model.rowCount())]
    assert len(rows) == 3 and len(set(rows)) == 3
    assert rows[1] == (
        "Yasir (Yasir Mohamed Ali), born 9 July 2006: review 11 November 2026 (overdue)"
    )
    suggested = dialog.suggested_path()
    assert suggested.parent == documents_dir()
    assert suggested.name.startswith("Plans due for review, November 2026 (standard print)")
    assert "2026-11-20" in suggested.name


def test_batch_print_starts_each_plan_on_a_front_page_and_then_offers_close(
    qtbot, store, tasks, three_yasirs, tmp_path: Path
) -> None:
    dialog = BatchPrintDialog(store, tasks, today=ON)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()  # read on a worker
    buttons = dialog.buttons
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel) is not None
    target = tmp_path / "batch.pdf"
    with qtbot.waitSignal(dialog.batch_saved, timeout=60000):
        dialog.print_to(str(target))
    pages = [flat(t) for t in page_texts(target.read_bytes())]
    starts = [i for i, text in enumerate(pages) if "Page1of" in text]
    assert len(starts) == 3
    assert all(i % 2 == 0 for i in starts), starts  # page 1, 3, 5...: always a front page
    lengths = [b - a for a, b in zip(starts, [*starts[1:], len(pages)], strict=True)]
    assert any(text == "" for text in pages), "no plan here ended on an odd page"
    for start, length in zip(starts, lengths, strict=True):
        own = int(re.search(r"Page1of(\d+)", pages[start]).group(1))
        assert length in (own, own + 1)
        assert all(not t for t in pages[start + own : start + length])  # padding is blank
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel) is None
    assert buttons.button(QDialogButtonBox.StandardButton.Close) is not None
