"""Fixtures for the GUI tests: settings in tmp_path, a task runner, the operation layer, and a
main window that the test unlocks through the real unlock screen (the store uses the cheap test
KDF). An autouse guard fails any test in which desktop code opens a store session on the GUI
thread (the threading rule in ARCHITECTURE.md)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.main_window import MainWindow
from desktop.operations import ChangeAnnouncer, Operations
from desktop.settings import Settings
from desktop.tasks import TaskRunner
from desktop.workspace.workspace_view import PANELS, PanelSpec
from models.crypto.keyfile import KdfParams
from models.store import Store
from tests.desktop.stub_panel import StubPanel
from tests.factories import PASSPHRASE, add_young_person, make_store

STUB_PANELS: tuple[PanelSpec, ...] = (
    PANELS[0],  # the real Overview
    PanelSpec("notes", "&Notes", StubPanel),
    PanelSpec("documents", "&Documents", None),  # not in this build: a placeholder
    PanelSpec("custody", "C&ustody", StubPanel, custody_only=True),
)

# Desktop modules allowed to open a session on the main thread: the CLI has no GUI.
_GUI_FREE = ("desktop.cli",)


def _desktop_caller() -> str | None:
    """The first desktop module (outside the GUI-free ones) on the calling stack, if any."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("desktop.") and not name.startswith(_GUI_FREE):
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def no_store_sessions_on_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Desktop code never opens ``Store.session()``/``reader()`` on the GUI thread; the test's
    own set-up and checks (factories, direct reads) may."""
    offences: list[str] = []

    def guarded(original):
        def wrapper(self, *args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                caller = _desktop_caller()
                if caller is not None:
                    offences.append(f"{original.__name__}() on the GUI thread from {caller}")
                    raise AssertionError(offences[-1])
            return original(self, *args, **kwargs)

        wrapper.__name__ = original.__name__
        return wrapper

    monkeypatch.setattr(Store, "session", guarded(Store.session))
    monkeypatch.setattr(Store, "reader", guarded(Store.reader))
    yield offences
    assert not offences, offences


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
def announcer(qapp) -> ChangeAnnouncer:
    return ChangeAnnouncer()


@pytest.fixture
def ops(store: Store, tasks: TaskRunner, announcer: ChangeAnnouncer) -> Operations:
    """The operation layer over the test's store (its jobs drained after the test)."""
    return Operations(store, tasks, announcer)


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
