"""A real hub: ``pathway-hub serve`` in its own process, over HTTPS on loopback."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx


@dataclass(frozen=True)
class RunningHub:
    url: str
    fingerprint: str
    cert: Path
    output: list[str]
    pid: int = 0  # the serving process (tests that kill it)

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts exactly this hub's certificate (what pinning its fingerprint amounts to)."""
        return ssl.create_default_context(cadata=self.cert.read_text())

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=self.ssl_context(), timeout=30,
                            **kwargs)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(home: Path, *extra: str, env: dict[str, str] | None = None,
            port: int | None = None) -> Iterator[RunningHub]:
    """Start ``pathway-hub serve`` with ``extra`` options (and ``env`` added to its environment)
    on ``port`` (a free one by default) and wait until /health answers."""
    port = port or free_port()
    env = {**os.environ, "PATHWAY_HUB_HOME": str(home), "PYTHONUNBUFFERED": "1", **(env or {})}
    cmd = [sys.executable, "-m", "sync.hub", "serve", "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    try:
        assert proc.stdout is not None
        output: list[str] = []
        fingerprint = cert_path = None
        while fingerprint is None:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError("serve stopped before it started:\n" + "".join(output))
            output.append(line)
            if line.startswith("Certificate: "):
                cert_path = Path(line.split(": ", 1)[1].strip())
            if line.startswith("Certificate SHA-256 fingerprint: "):
                fingerprint = line.split(": ", 1)[1].strip()
        assert cert_path is not None
        hub = RunningHub(f"https://127.0.0.1:{port}", fingerprint, cert_path, output, proc.pid)
        with hub.client() as client:
            while True:  # until the server answers, or has died
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                try:
                    proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    continue
                raise AssertionError("serve exited:\n" + "".join(output) + proc.stdout.read())
        # Keep reading what the hub prints: a full pipe would block it mid-request.
        threading.Thread(target=_drain, args=(proc.stdout, output), daemon=True).start()
        yield hub
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _drain(stream: IO[str], output: list[str]) -> None:
    for line in stream:
        output.append(line)
