"""The demo server in a child process, serving a port the parent listens on first (`sluice --demo`).

The TUI binds and listens (cheap: no uvicorn) before its first frame, so `base_url` is known and a
request sent early waits in the socket's backlog; once the first screen is drawn, a child process
inherits the socket and serves it. In a thread of the TUI's own process, uvicorn's imports and requests
would hold the GIL the UI needs: on a loaded 2-core machine the first frames reached the terminal
0.4-0.7 s late. The child exits when its stdin closes, so it never outlives the TUI, even one killed.

    python -m app.demo.process FD    # serve the listening socket FD until stdin closes
"""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import tempfile
import threading

from app.demo.server import (
    LOOPBACK_HOST,
    START_TIMEOUT_SECONDS,
    STOP_TIMEOUT_SECONDS,
    LoopbackAddress,
    listening_socket,
)

READY_LINE = "ready"
_STDERR_TAIL = 2000


class DemoServerProcess(LoopbackAddress):
    """`listen()` takes a free loopback port; `start()` (blocking: call it from a worker thread) starts the
    child that serves it and returns once it accepts; `stop()` ends it. `base_url` / `ws_url` are valid
    from `listen()` on."""

    def __init__(self, host: str = LOOPBACK_HOST) -> None:
        self._host = host
        self._socket: socket.socket | None = None
        self._port: int | None = None
        self._process: subprocess.Popen[str] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def listen(self) -> DemoServerProcess:
        """Bind and listen; connections wait in the backlog until `start()`. Raises OSError."""
        if self._socket is None:
            self._socket = listening_socket(self._host, 0)
            self._port = self._socket.getsockname()[1]
        return self

    def start(self) -> DemoServerProcess:
        """Start the child on the listening socket; return once it serves. Raises RuntimeError (with what
        the child wrote to stderr) if it exits or stays silent instead; the port is closed then, so a
        waiting request ends with a refused connection instead of hanging."""
        if self._process is not None:
            raise RuntimeError("the demo server was already started")
        sock = self.listen()._socket
        assert sock is not None
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
            try:
                # Its own session: keys the terminal turns into signals (Ctrl+C, Ctrl+Z) are the TUI's.
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "app.demo.process", str(sock.fileno())],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
                    pass_fds=(sock.fileno(),), start_new_session=True,
                )
            finally:
                sock.close()  # the child holds the port now; if it dies, the port closes with it
            ready = _first_line(self._process, START_TIMEOUT_SECONDS)
            if ready != READY_LINE:
                self.stop()
                errors.seek(0)
                said = errors.read()[-_STDERR_TAIL:].strip()
                raise RuntimeError(f"the demo server did not start on {self._host}:{self._port}"
                                   + (f": {said.splitlines()[-1]}" if said else ""))
        return self

    def stop(self) -> None:
        """End the child (closing its stdin asks it to exit; it is killed if it does not), or close a
        port that was only listening."""
        process = self._process
        if process is None:
            if self._socket is not None:
                self._socket.close()
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The child's first line of stdout ('' if it exits or says nothing within `timeout`)."""
    stdout = process.stdout
    if stdout is None or not select.select([stdout], [], [], timeout)[0]:
        return ""
    return stdout.readline().strip()  # the child writes the whole line at once, or exits (EOF: '')


def _serve_inherited(fd: int) -> None:
    """The child: serve the demo app on the inherited listening socket `fd` until stdin closes."""
    from app.demo.uvicorn_server import NotifyingServer, server_config

    sock = socket.socket(fileno=fd)
    host, port = sock.getsockname()[:2]
    server = NotifyingServer(server_config(host, port), lambda: print(READY_LINE, flush=True))

    def exit_when_the_parent_goes() -> None:
        sys.stdin.read()  # EOF: the TUI stopped us, or died
        server.should_exit = True

    threading.Thread(target=exit_when_the_parent_goes, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)


if __name__ == "__main__":
    _serve_inherited(int(sys.argv[1]))
