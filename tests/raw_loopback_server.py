"""A raw loopback server for tests of hostile bytes: each test registers the exact bytes it wants sent
(the hostile sweep's `raw_server` fixture; `tests/security`'s `HostileServer` with its fixed routes).

Raw sockets, not an ASGI app: the point is bytes a framework would refuse to send. A response is
written whole and the connection closed (the body ends at close). Only 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import Self

import websockets.sync.server as ws_server


def http_response(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """A whole HTTP/1.1 response, header values written as UTF-8 (what a hostile server may do)."""
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode("utf-8") + b"Connection: close\r\n\r\n" + body


@dataclass
class RawServer:
    """Serves `routes` (path → the whole raw response) over HTTP, and sends `ws_messages` then closes with
    `ws_close` to any WebSocket client, on two free loopback ports."""

    routes: dict[str, bytes] = field(default_factory=dict)
    ws_messages: list[str | bytes] = field(default_factory=list)
    ws_close: tuple[int, str] = (1000, "")
    port: int = 0
    ws_port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/ws"

    def start(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        self._ws = ws_server.serve(self._ws_handler, "127.0.0.1", 0, max_size=None)
        self.ws_port = self._ws.socket.getsockname()[1]
        threading.Thread(target=self._ws.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._socket.close()
        self._ws.shutdown()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            head = read_request_head(connection)
            if b"\r\n\r\n" not in head:
                return
            _read_body(connection, head)
            path = head.split(b" ", 2)[1].decode().split("?")[0]
            try:
                connection.sendall(self.routes.get(path) or http_response("404 Not Found", [], b""))
            except OSError:
                return

    def _ws_handler(self, connection: ws_server.ServerConnection) -> None:
        for message in self.ws_messages:
            connection.send(message)
        connection.close(*self.ws_close)


def read_request_head(connection: socket.socket) -> bytes:
    """What the client sent up to the blank line that ends its request head (and any body bytes read with
    it), or less if it closed the connection first."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def _read_body(connection: socket.socket, received: bytes) -> None:
    """Read the request's body before answering: a socket closed with unread bytes sends a reset, which
    can reach the client before the response does (a POST then failed now and then)."""
    head, _, body = received.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            return
        body += chunk
