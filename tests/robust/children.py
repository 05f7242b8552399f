"""Real child processes for the tests about processes: started with this interpreter, from the
repository root, and driven over stdin/stdout lines (never by sleeping)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PATHWAY_DESK_PASSPHRASE"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def start(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    """Run ``code`` (a Python program) in a new process with ``args`` in ``sys.argv[1:]``."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=child_env(**env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def cli(*args: str, passphrase: str | None = None, home: Path | None = None,
        extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``pathway-desk`` (``python -m desktop.cli``) to the end."""
    env = child_env(**(extra_env or {}))
    if passphrase is not None:
        env["PATHWAY_DESK_PASSPHRASE"] = passphrase
    if home is not None:
        env["PATHWAY_DESK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )


def wait_for_line(proc: subprocess.Popen[str], expected: str) -> None:
    """Read the child's stdout up to a line equal to ``expected`` (fails if it exits first)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == expected:
            return
    _, err = proc.communicate()
    raise AssertionError(f"child exited ({proc.returncode}) before {expected!r}: {err[-2000:]}")


def say(proc: subprocess.Popen[str], line: str = "go") -> None:
    assert proc.stdin is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
