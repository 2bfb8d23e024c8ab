"""`sluice --demo`'s server as the workbench runs it: the port at once, the process once the screen is up.

The port is taken before the first frame (binding costs nothing, and `base_url` / `ws_url` are known from
then on); the child process that serves it (`app/demo/process.py`) starts `DEMO_SERVER_DELAY_SECONDS`
after the collection is on screen, or at the first send if that comes sooner. A request sent before waits
for it in the socket's backlog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer

if TYPE_CHECKING:
    from app.demo.process import DemoServerProcess

DEMO_ENVIRONMENT = "demo"
"""The sample collection's environment that the demo server's address is given to."""
DEMO_SERVER_GROUP = "demo-server"
"""The worker group of the demo server's start (the app reports its failure)."""
DEMO_SERVER_DELAY_SECONDS = 1.0
"""How long after the collection is on screen the demo server's process starts. Its start-up takes a
core for about half a second: started at once, it delayed the first screen's last layout (the tree's
scroll bar) by as much on a loaded 2-core machine. A request sent before starts it at once (and waits
for it in the backlog)."""


class DemoServerLauncher:
    """Takes the demo server's port (`listen`), then starts its process once (`serve_later`, `serve`) in a
    thread worker of `app` (group `DEMO_SERVER_GROUP`), and stops it with the app (`stop`)."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self.server: DemoServerProcess | None = None
        """The server, from the moment its port listens."""
        self._to_start: DemoServerProcess | None = None
        """The server, until its process is asked to start."""
        self._timer: Timer | None = None

    def listen(self) -> DemoServerProcess:
        """Take a free loopback port (raises OSError)."""
        from app.demo.process import DemoServerProcess

        server = DemoServerProcess()
        server.listen()
        self.server = self._to_start = server
        return server

    def serve_later(self) -> None:
        """Start the process after the delay (the collection is on screen)."""
        if self._to_start is not None and self._timer is None:
            self._timer = self._app.set_timer(DEMO_SERVER_DELAY_SECONDS, self.serve, name="demo server")

    def serve(self) -> None:
        """Start the process now, once: when the delay is over, or at the first send if that comes sooner
        (the delay costs the first screen nothing, and a user nothing)."""
        server, self._to_start = self._to_start, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if server is not None:
            self._app.run_worker(lambda: self.start(server), thread=True, exclusive=True, exit_on_error=False,
                                 group=DEMO_SERVER_GROUP, description="demo server")

    def start(self, server: DemoServerProcess) -> None:
        """Start `server`'s process (blocking: runs in the worker thread)."""
        server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
