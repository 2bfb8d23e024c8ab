"""Ctrl+C and SIGTERM during `sluice run`: the first ends the stream, the second stops at once.

An endless stream (a heartbeat, a progress feed, a WebSocket) is ended by hand or by `timeout`. Killed
outright, a run lost what a user stopped it for: the `close`, `merged` and `metrics` lines, the
recording and the HAR file. So the first signal cancels the run in progress the way the TUI's cancel
does: the response ends `cancelled`, every consumer finishes, captures are written and the exit status
is 130. A second signal is Python's default again (KeyboardInterrupt, or termination).
"""

from __future__ import annotations

import asyncio
import signal
from types import TracebackType

from app.run import RequestRun

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptCancelsRun:
    """While entered (on the run's event loop), SIGINT and SIGTERM cancel the run given to `watch`."""

    def __init__(self) -> None:
        self._run: RequestRun | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.interrupted = False
        """Whether a signal came: a run watched after it is cancelled at once."""

    def watch(self, run: RequestRun) -> RequestRun:
        """Make `run` the one a signal cancels (at once if one came before it); returns it."""
        self._run = run
        if self.interrupted:
            run.cancel()
        return run

    def __enter__(self) -> InterruptCancelsRun:
        loop = self._loop = asyncio.get_running_loop()
        try:
            for number in _SIGNALS:
                loop.add_signal_handler(number, self._on_signal)
        except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
            self._restore()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._restore()

    def _on_signal(self) -> None:
        self.interrupted = True
        self._restore()  # the next signal acts at once
        if self._run is not None:
            self._run.cancel()

    def _restore(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None:
            for number in _SIGNALS:
                loop.remove_signal_handler(number)  # False, harmlessly, for one never added
