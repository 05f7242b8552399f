"""Fixtures for the GUI tests: settings in tmp_path, a task runner, and a main window that the
test unlocks through the real unlock screen (the store uses the cheap test KDF)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.main_window import MainWindow
from desktop.settings import Settings
from desktop.tasks import TaskRunner
from desktop.workspace.workspace_view import PANELS, PanelSpec
from models.crypto.keyfile import KdfParams
from tests.factories import PASSPHRASE, add_young_person, make_store

STUB_PANELS: tuple[PanelSpec, ...] = (
    PANELS[0],  # the real Overview
    PanelSpec("notes", "&Notes", "tests.desktop.stub_panel.StubPanel"),
    PanelSpec("documents", "&Documents", "desktop.not_written_yet.documents_panel.Panel"),
    PanelSpec("custody", "C&ustody", "tests.desktop.stub_panel.StubPanel", custody_only=True),
)


@pytest.fixture(autouse=True)
def desktop_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Logs and settings of the code under test go to tmp_path, never the real user folders."""
    home = tmp_path / "home"
    monkeypatch.setenv("PATHWAY_DESK_HOME", str(home))
    return home


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def tasks(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_idle()


@pytest.fixture
def caseload_folder(tmp_path: Path) -> Path:
    """A locked store holding three young people (one in custody)."""
    folder = tmp_path / "store"
    store = make_store(folder)
    add_young_person(store, legal_name="Amira Haddad", preferred_name="Amira")
    add_young_person(
        store, legal_name="Nguyễn Thị Lan", preferred_name="Lan", date_of_birth=date(2005, 1, 9)
    )
    add_young_person(
        store,
        legal_name="Tesfay Gebremariam",
        preferred_name="Tesfay",
        in_custody=True,
        prison="HMYOI Example",
        prison_number="A1234BC",
    )
    store.close()
    return folder


def unlock(qtbot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase, press Unlock, wait until the caseload (read off-thread) is shown."""
    window.unlock_view.passphrase_edit.setText(passphrase)
    with qtbot.waitSignal(window.caseload_loaded, timeout=10_000):
        window.unlock_view.unlock_button.click()
    assert not window.is_locked


@pytest.fixture
def make_window(
    qtbot, settings: Settings, tasks: TaskRunner
) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def _make(folder: Path, *, unlocked: bool = True, panels=STUB_PANELS) -> MainWindow:
        window = MainWindow(folder, settings, tasks, kdf=KdfParams.fast_for_tests(), panels=panels)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        if unlocked:
            unlock(qtbot, window)
        return window

    yield _make
    for window in windows:
        window.idle_lock.stop()
        if window.store is not None:
            window.store.close()


def row_names(window: MainWindow) -> list[str]:
    model = window.caseload_view.model
    return [r.preferred_name for r in model.rows()]
