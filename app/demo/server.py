"""Serve the demo app with uvicorn on 127.0.0.1, in a background thread or in the foreground.

`DemoServer` is what `sluice --demo` and the test suites use: it binds a free loopback port itself (so
there is no race between choosing a port and binding it) and `start()` returns once uvicorn accepts
connections. `listen()` alone binds and listens without importing uvicorn, so the TUI knows its URLs
before its first frame and serves once the screen is drawn: a connection made in between waits in the
socket's backlog until uvicorn accepts it. `serve()` is the blocking form behind `sluice demo-server`.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from app.demo.uvicorn_server import NotifyingServer

LOOPBACK_HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0
BACKLOG = 128
"""Connections the kernel keeps waiting before uvicorn accepts (uvicorn listens again with its own)."""


def _require_loopback(host: str) -> None:
    try:
        is_loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError(f"the demo server only binds a loopback address such as 127.0.0.1, not {host!r}")


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` (0: a free port) and listening, inheritable by a child process."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class LoopbackAddress:
    """The address a demo server listens on, in process or in a child: `port`, `base_url`, `ws_url`."""

    _host: str
    _port: int | None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the demo server is not listening; call listen() or start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{url_host(self._host)}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{url_host(self._host)}:{self.port}"


class DemoServer(LoopbackAddress):
    """The demo server running in a background thread on a free 127.0.0.1 port.

    Use as a context manager, or call `start()` and `stop()`; `listen()` before `start()` takes the port
    early. `base_url` and `ws_url` are valid once listening. `app` serves another ASGI app the same way
    (`sluice mock` serves recordings with it).
    """

    def __init__(self, port: int = 0, host: str = LOOPBACK_HOST, app: ASGIApp | None = None) -> None:
        _require_loopback(host)
        self._app = app
        self._host = host
        self._requested_port = port
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._server: NotifyingServer | None = None
        self._thread: threading.Thread | None = None
        self._startup_finished = threading.Event()
        self._failure: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def listen(self) -> DemoServer:
        """Bind the port and listen, without serving yet: connections wait until `start()`. Raises
        OSError if the port cannot be bound."""
        if self._socket is None:
            self._socket = listening_socket(self._host, self._requested_port)
            self._port = self._socket.getsockname()[1]
        return self

    def start(self) -> DemoServer:
        """Start serving (listening first if `listen()` was not called); return once the server accepts
        connections. Raises if it cannot start, and then closes the port: a waiting connection is refused."""
        if self._thread is not None:
            raise RuntimeError("the demo server was already started")
        sock = self.listen()._socket
        assert sock is not None
        try:
            from app.demo.uvicorn_server import NotifyingServer, server_config

            self._server = NotifyingServer(server_config(self._host, self.port, self._app), self._startup_finished.set)
        except BaseException:
            sock.close()
            raise
        self._thread = threading.Thread(
            target=self._run, args=(self._server, sock), name="sluice-demo-server", daemon=True
        )
        self._thread.start()
        self._startup_finished.wait(START_TIMEOUT_SECONDS)
        if not self._server.started:
            self.stop()
            raise RuntimeError(f"the demo server did not start on {self._host}:{self.port}") from self._failure
        return self

    def _run(self, server: NotifyingServer, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as failure:
            self._failure = failure
        finally:
            sock.close()
            # Wake start() even when startup failed before uvicorn could report it.
            self._startup_finished.set()

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread (open streams get a short grace period); a port
        that was only listening is closed."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
        elif self._socket is not None:
            self._socket.close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    port: int | None,
    host: str = LOOPBACK_HOST,
    app: ASGIApp | None = None,
    announce_line: Callable[[str], str] = lambda url: f"Sluice demo server listening on {url}",
) -> None:
    """Serve the demo app (or `app`) in the foreground until interrupted (Ctrl-C), printing
    `announce_line(base_url)` once listening."""
    _require_loopback(host)
    sock = listening_socket(host, port or 0)
    actual_port = sock.getsockname()[1]

    def announce() -> None:
        print(announce_line(f"http://{url_host(host)}:{actual_port}"), flush=True)

    from app.demo.uvicorn_server import NotifyingServer, server_config

    server = NotifyingServer(server_config(host, actual_port, app), announce)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)
