"""Is the hub reachable? A TCP connection to its address, made asynchronously by Qt's network
stack (no thread, no store, no request the hub has to answer): cheap enough to ask every minute.
GUI thread only; the answer comes back through ``probed``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QTcpSocket

PROBE_TIMEOUT_MS = 5_000


class HubProbe(QObject):
    """``probe(url)`` tries to connect to the hub; ``probed(reachable)`` follows, once."""

    probed = Signal(bool)

    def __init__(self, parent: QObject | None = None, timeout_ms: int = PROBE_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._socket: QTcpSocket | None = None

    @property
    def busy(self) -> bool:
        return self._socket is not None

    def probe(self, url: str) -> None:
        """Start a probe of ``url`` (``https://host[:port]``) unless one is under way."""
        if self._socket is not None:
            return
        parts = urlsplit(url)
        if not parts.hostname:
            QTimer.singleShot(0, self, lambda: self.probed.emit(False))
            return
        sock = QTcpSocket(self)
        self._socket = sock
        sock.connected.connect(lambda: self._finish(sock, True))
        sock.errorOccurred.connect(lambda _e: self._finish(sock, False))
        QTimer.singleShot(self._timeout_ms, sock, lambda: self._finish(sock, False))
        sock.connectToHost(parts.hostname, parts.port or 443)

    def stop(self) -> None:
        """Forget a probe under way (the app locked): no answer comes."""
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.abort()
            sock.deleteLater()

    def _finish(self, sock: QTcpSocket, reachable: bool) -> None:
        if sock is not self._socket:
            return  # an earlier probe's late answer, or stopped
        self._socket = None
        if sock.state() != QAbstractSocket.SocketState.UnconnectedState:
            sock.abort()
        sock.deleteLater()
        self.probed.emit(reachable)
