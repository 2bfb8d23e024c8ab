"""Serve the demo app with uvicorn on 127.0.0.1, in a background thread or in the foreground.

`DemoServer` is what `sluice --demo` and the test suites use: it binds a free loopback port itself (so
there is no race between choosing a port and binding it) and `start()` returns once uvicorn accepts
connections. `serve()` is the blocking form behind `sluice demo-server`.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Callable
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp

from app.demo.framing import DeliberateDrop

LOOPBACK_HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0
GRACEFUL_SHUTDOWN_SECONDS = 1
_MAX_EXCEPTION_CHAIN = 8
_DENIAL_NOISE = "ASGI callable returned without completing handshake."


class _DropsAreNotErrors(logging.Filter):
    """Keep deliberate drops and refusals out of uvicorn's error log (they would scribble over the TUI)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage() == _DENIAL_NOISE:
            # uvicorn's word for a handshake refused on purpose (`/ws/auth` without its token).
            return False
        exc = record.exc_info[1] if record.exc_info else None
        for _ in range(_MAX_EXCEPTION_CHAIN):
            if exc is None:
                return True
            if isinstance(exc, DeliberateDrop):
                return False
            exceptions = getattr(exc, "exceptions", None)  # an ExceptionGroup from a task group
            exc = exceptions[0] if exceptions else exc.__cause__ or exc.__context__
        return True


_drop_filter = _DropsAreNotErrors()


class _NotifyingServer(uvicorn.Server):
    """A uvicorn server that calls back once it is listening."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()


def _require_loopback(host: str) -> None:
    try:
        is_loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError(f"the demo server only binds a loopback address such as 127.0.0.1, not {host!r}")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _config(host: str, port: int, app: ASGIApp | None = None) -> uvicorn.Config:
    own_app = app is None
    if app is None:
        from app.demo.app import create_demo_app

        app = create_demo_app()
    logging.getLogger("uvicorn.error").addFilter(_drop_filter)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="websockets-sansio",
        # Another app (a mock) sends the `date` and `server` headers it recorded, not uvicorn's.
        server_header=own_app,
        date_header=own_app,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class DemoServer:
    """The demo server running in a background thread on a free 127.0.0.1 port.

    Use as a context manager, or call `start()` and `stop()`. `base_url` and `ws_url` are valid after
    `start()`. `app` serves another ASGI app the same way (`sluice mock` serves recordings with it).
    """

    def __init__(self, port: int = 0, host: str = LOOPBACK_HOST, app: ASGIApp | None = None) -> None:
        _require_loopback(host)
        self._app = app
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._server: _NotifyingServer | None = None
        self._thread: threading.Thread | None = None
        self._startup_finished = threading.Event()
        self._failure: BaseException | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the demo server is not running; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{_url_host(self._host)}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{_url_host(self._host)}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> DemoServer:
        """Start serving; return once the server accepts connections. Raises if it cannot start."""
        if self._thread is not None:
            raise RuntimeError("the demo server was already started")
        sock = _bind(self._host, self._requested_port)
        self._port = sock.getsockname()[1]
        self._server = _NotifyingServer(_config(self._host, self._port, self._app), self._startup_finished.set)
        self._thread = threading.Thread(
            target=self._run, args=(self._server, sock), name="sluice-demo-server", daemon=True
        )
        self._thread.start()
        self._startup_finished.wait(START_TIMEOUT_SECONDS)
        if not self._server.started:
            self.stop()
            raise RuntimeError(f"the demo server did not start on {self._host}:{self._port}") from self._failure
        return self

    def _run(self, server: _NotifyingServer, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as failure:
            self._failure = failure
        finally:
            sock.close()
            # Wake start() even when startup failed before uvicorn could report it.
            self._startup_finished.set()

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread (open streams get a short grace period)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)

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
    sock = _bind(host, port or 0)
    actual_port = sock.getsockname()[1]

    def announce() -> None:
        print(announce_line(f"http://{_url_host(host)}:{actual_port}"), flush=True)

    server = _NotifyingServer(_config(host, actual_port, app), announce)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)
