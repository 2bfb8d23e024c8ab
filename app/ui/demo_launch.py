"""`sluice --demo` as the workbench runs it: the user's copy of the sample collection, and the demo server
(the port at once, the process once the screen is up).

The copy is made in the config directory at the first demo start and kept (`app/demo/user_copy.py`).

The port is taken before the first frame (binding costs nothing, and `base_url` / `ws_url` are known from
then on); the child process that serves it (`app/demo/process.py`) starts `DEMO_SERVER_DELAY_SECONDS`
after the collection is on screen, or at the first send if that comes sooner. A request sent before waits
for it in the socket's backlog.
"""

from __future__ import annotations

from pathlib import Path
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


def demo_copy_root(settings_dir: Path | None) -> Path:
    """Where the demo's copy of the sample collection is kept: beside the settings."""
    from app.demo.user_copy import DEMO_COLLECTION_FOLDER
    from app.ui.settings import config_dir

    return (settings_dir or config_dir()) / DEMO_COLLECTION_FOLDER


def demo_environment_root(copy: Path, fresh: bool) -> Path:
    """The collection whose environments `--env` is checked against before the start: the copy is made
    only once the app runs, from the bundled collection, which stands for it until then."""
    if fresh or not copy.is_dir():
        from app.ui.resources import sample_collections_path

        return sample_collections_path()
    return copy


def make_demo_copy(copy: Path, fresh: bool) -> None:
    """Copy the bundled sample collection to `copy` unless it is there already (always when `fresh`);
    raises `app.demo.user_copy.DemoCopyFailed`."""
    from app.demo.user_copy import demo_collection
    from app.ui.resources import sample_collections_path

    demo_collection(sample_collections_path(), copy, fresh=fresh)


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
