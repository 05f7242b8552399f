"""Item 1 of "the store under real conditions", through the unlock screen: a second window on a
store that another (real) process has open is told so plainly; once that one is gone, it opens."""

from __future__ import annotations

from desktop.unlock.unlock_view import UnlockView
from models.crypto.keyfile import KdfParams
from tests.factories import PASSPHRASE, make_store
from tests.robust.children import start, wait_for_line

OTHER_WINDOW = """
import sys
from pathlib import Path
from models.store import Store
from tests.factories import PASSPHRASE
st = Store.open(Path(sys.argv[1]), PASSPHRASE, exclusive=True)
print("open", flush=True)
sys.stdin.readline()
"""


def test_a_second_window_says_the_store_is_open_elsewhere(qtbot, tmp_path, tasks):
    folder = tmp_path / "store"
    make_store(folder).close()
    other = start(OTHER_WINDOW, str(folder))
    try:
        wait_for_line(other, "open")
        view = UnlockView(folder, tasks, kdf=KdfParams.fast_for_tests())
        qtbot.addWidget(view)
        view.show()
        view.passphrase_edit.setText(PASSPHRASE)
        with qtbot.assertNotEmitted(view.unlocked):
            view.unlock_button.click()
            qtbot.waitUntil(lambda: view.open_error.isVisible())
        assert "already open in another Pathway Desk window" in view.open_error.text()
        other.kill()  # the other window's process ends (here: killed outright)
        other.wait(timeout=60)
    finally:
        if other.poll() is None:
            other.kill()
    with qtbot.waitSignal(view.unlocked, timeout=30000) as opened:
        view.unlock_button.click()
    opened.args[0].close()
