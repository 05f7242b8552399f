"""Item 10: a process started the app's way leaves no core dump (Linux checks)."""

from __future__ import annotations

import sys

import pytest

from tests.factories import PASSPHRASE, make_store
from tests.robust.children import start

# Runs the app exactly as ``python -m desktop`` does, and reports from inside the process, at
# exit, what the kernel would do with a crash.
AS_THE_APP = """
import atexit, ctypes, resource, runpy, sys

def report():
    dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    with open("/proc/self/limits") as fh:
        core = [line for line in fh if line.startswith("Max core file size")][0].split()[4:6]
    print(f"dumpable={dumpable} core={'/'.join(core)}", file=sys.__stdout__, flush=True)

atexit.register(report)
sys.argv = ["pathway-desk", *sys.argv[1:]]
runpy.run_module("desktop", run_name="__main__")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only checks")
@pytest.mark.parametrize("args", [["list"], ["--help"]], ids=["list", "help"])
def test_the_cli_is_not_dumpable_and_has_no_core_limit(store_folder, args):
    make_store(store_folder).close()
    child = start(AS_THE_APP, *args, "--store", str(store_folder),
                  PATHWAY_DESK_PASSPHRASE=PASSPHRASE)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "dumpable=0 core=0/0" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux-only checks")
def test_the_gui_entry_turns_dumps_off_too(tmp_path):
    # run_app itself (not only the CLI) calls it: check in a child so this test process is
    # left as it was.
    code = """
import ctypes, resource, sys
import desktop.app as app
app.MainWindow = None  # stop right after the hardening and logging set-up
try:
    app.run_app(__import__("pathlib").Path(sys.argv[1]))
except TypeError:
    pass
print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0), resource.getrlimit(resource.RLIMIT_CORE))
"""
    child = start(code, str(tmp_path / "store"), QT_QPA_PLATFORM="offscreen",
                  PATHWAY_DESK_HOME=str(tmp_path))
    out, err = child.communicate(timeout=120)
    assert "0 (0, 0)" in out, err
