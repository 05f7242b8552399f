"""A loopback TCP proxy that cuts the link at chosen points: a laptop on a flaky connection.

Bytes are forwarded untouched (TLS passes through), so the hub and the client see real dropped
connections. ``cuts`` are byte counts of client-to-hub traffic (or, with ``replies=True``, of
hub-to-client traffic) over all connections, at which the proxy closes the connection carrying
them, both ways, as a dropped mobile link does.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterable


class CuttingProxy:
    def __init__(self, upstream_port: int, cuts: Iterable[int] = (), *,
                 replies: bool = False) -> None:
        self.upstream_port = upstream_port
        self.replies = replies
        self.cuts = sorted(cuts)
        self.forwarded = 0  # bytes in the counted direction, over every connection
        self.drops = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def __enter__(self) -> CuttingProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()
                continue
            pair = (client, upstream)
            threading.Thread(target=self._pump, args=(client, upstream, pair, not self.replies),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair, self.replies),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: tuple[socket.socket, ...],
              counted: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if counted:
                    with self._lock:
                        cut_at = self.cuts[0] if self.cuts else None
                        if cut_at is not None and self.forwarded + len(data) >= cut_at:
                            keep = cut_at - self.forwarded
                            self.cuts.pop(0)
                            self.forwarded += keep
                            self.drops += 1
                            dst.sendall(data[:keep])
                            break
                        self.forwarded += len(data)
                dst.sendall(data)
        except OSError:
            pass
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
