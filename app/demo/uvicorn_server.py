"""uvicorn behind `DemoServer` and `serve()` (app/demo/server.py): imported only when serving starts.

uvicorn, Starlette and the demo routes take a few hundred milliseconds to import; `sluice --demo` binds
its port first (cheap) and imports this module once its first screen is drawn.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp

from app.demo.framing import DeliberateDrop

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


class NotifyingServer(uvicorn.Server):
    """A uvicorn server that calls back once it is listening."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()


def server_config(host: str, port: int, app: ASGIApp | None = None) -> uvicorn.Config:
    """uvicorn's settings for the demo app (or another `app`, such as `sluice mock`'s) on `host:port`."""
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
