"""A redirect to another origin carries no credential, whatever its header is called.

httpx drops `Authorization` (and a typed `Cookie`) when a redirect leaves the origin; every other header
went along, so a server that answers `302 Location: http://elsewhere/` received `X-Api-Key`,
`X-Auth-Token`, a `Bearer` token in a custom header, or a secret variable's value in any header. As
curl and fetch do for `Authorization`, Sluice now drops each header its masking calls a credential (by
name, by value shape, or holding a secret variable's value) from a request to another origin; the rest
(`Accept`, `X-Trace`) still go, and a redirect within the origin keeps them all.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from raw_loopback_server import RawServer, http_response, read_request_head


class RecordingServer:
    """Answers every request with 200 and keeps the header lines it received (127.0.0.1 only)."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/landed"
        self.heads: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with connection:
                head = read_request_head(connection)
                self.heads.append(head.decode("latin-1").lower())
                if head.startswith(b"GET /start "):
                    connection.sendall(http_response("302 Found", [("Location", "/landed")], b""))
                else:
                    connection.sendall(http_response("200 OK", [("Content-Type", "text/plain")], b"landed"))

    def close(self) -> None:
        self._socket.close()


@pytest.fixture
def elsewhere() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


_HEADERS = ["-H", "X-Api-Key: k-secret-1", "-H", "X-Auth-Token: t-secret-2", "-H", "X-Upstream: Bearer b-secret-3",
            "-H", "X-Note: sk-proj-0123456789abcdefghijklmn", "-H", "X-Trace: trace-4", "-H", "Accept: text/plain"]


def test_a_cross_origin_redirect_drops_every_credential_header(raw_server: RawServer, elsewhere: RecordingServer,
                                                               sluice) -> None:
    raw_server.routes["/away"] = http_response("302 Found", [("Location", elsewhere.url)], b"")
    result = sluice("run", f"{raw_server.base_url}/away", *_HEADERS)
    assert result.code == 0, result.stderr
    (head,) = elsewhere.heads
    for secret in ("k-secret-1", "t-secret-2", "b-secret-3", "sk-proj-"):
        assert secret not in head
    assert "x-trace: trace-4" in head and "accept: text/plain" in head


def test_a_redirect_within_the_origin_keeps_them(elsewhere: RecordingServer, sluice) -> None:
    result = sluice("run", elsewhere.url.replace("/landed", "/start"), *_HEADERS)
    assert result.code == 0, result.stderr
    first, redirected = elsewhere.heads
    assert "get /landed " in redirected
    for secret in ("k-secret-1", "t-secret-2", "b-secret-3", "sk-proj-"):
        assert secret in first and secret in redirected


class RedirectingHandshake:
    """Answers a WebSocket handshake with `302 Location: <to>` (127.0.0.1 only)."""

    def __init__(self, to: str) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._socket.getsockname()[1]}/ws"
        self.to = to
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            connection, _ = self._socket.accept()
        except OSError:
            return
        with connection:
            if b"\r\n\r\n" not in read_request_head(connection):
                return
            connection.sendall(http_response("302 Found", [("Location", self.to), ("Content-Length", "0")], b""))

    def close(self) -> None:
        self._socket.close()


def test_a_websocket_handshake_redirected_across_origins_drops_them_too(elsewhere: RecordingServer, sluice) -> None:
    redirecting = RedirectingHandshake(elsewhere.url.replace("http://", "ws://"))
    try:
        sluice("run", redirecting.url, *_HEADERS, "--jsonl", timeout=30)
    finally:
        redirecting.close()
    (head,) = elsewhere.heads
    assert "upgrade: websocket" in head
    for secret in ("k-secret-1", "t-secret-2", "b-secret-3", "sk-proj-"):
        assert secret not in head
    assert "x-trace: trace-4" in head
