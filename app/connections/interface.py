"""What callers of the connection workers share with them, importable without httpx or websockets.

The run layer (`app.run`) names these at import time; the workers themselves, and with them httpx or
websockets (about 0.1 s of CPU each), are imported only when a request of that transport runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ChunkHook = Callable[[float, bytes], None]
"""Called with (time offset, bytes) for each chunk read, before its events are published (recordings, HAR)."""

StopCondition = Callable[[Sequence[str | bytes]], int | None]
"""When a WebSocket run ends by itself: given the next received messages' data, in order, the index of
the first that ends the run, or None. Called with a read's messages at once, so a flood costs one call
per read, not per message."""


class WsNotOpen(RuntimeError):
    """`send`, `ping` or `close` was called while no WebSocket is open."""
