"""What callers of the connection workers share with them, importable without httpx or websockets.

The run layer (`app.run`) names these at import time; the workers themselves, and with them httpx or
websockets (about 0.1 s of CPU each), are imported only when a request of that transport runs.
"""

from __future__ import annotations

from collections.abc import Callable

ChunkHook = Callable[[float, bytes], None]
"""Called with (time offset, bytes) for each chunk read, before its events are published (recordings, HAR)."""


class WsNotOpen(RuntimeError):
    """`send`, `ping` or `close` was called while no WebSocket is open."""
