"""Small real WebSocket servers on 127.0.0.1 for what the demo server does not do: an endless flood that
stops when the client closes, frames Sluice must refuse (too big, bad UTF-8, protocol errors), and a
server that never answers the handshake.

Each runs on its own thread and event loop, like a separate process would, so a flood never starves
the client under test.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from collections.abc import Awaitable, Callable

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.utils import accept_key

RAW_BEHAVIOURS: dict[str, bytes | None] = {
    # A header announcing a 32 MiB text frame: over the 16 MiB limit, refused before any payload arrives.
    "too-big": b"\x81\x7f" + struct.pack("!Q", 32 * 1024 * 1024),
    # A text frame whose payload is not UTF-8.
    "bad-utf8": b"\x81\x02\xff\xfe",
    # RSV1 set without a negotiated extension: a protocol error.
    "bad-frame": b"\xc1\x02hi",
    # Never answer the handshake.
    "silent": None,
    # Whole messages, a fragmented one, a ping among them, binary, then a clean close (1000).
    "mixed": (
        b"\x81\x01a" + b"\x01\x01b" + b"\x89\x02p1" + b"\x80\x01c" + b"\x82\x01d" + b"\x89\x02p2" + b"\x81\x02\xc3\xa9"
        + b"\x88\x02\x03\xe8"
    ),
    # A whole message, then a text frame whose payload is not UTF-8.
    "ok-then-bad-utf8": b"\x81\x02ok\x81\x02\xff\xfe",
}
"""`url/<name>` writes these frames in the same packet as the handshake answer; `url/after-send/<name>`
writes them once the client has sent its first frame, so they are parsed while the client listens."""


class ThreadedServer:
    """An asyncio server started on a private thread; `url` is valid once the fixture yields."""

    def __init__(self, start: Callable[[], Awaitable[asyncio.AbstractServer | object]]) -> None:
        self._start = start
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = await self._start()
        sockets = server.sockets  # type: ignore[attr-defined]
        self.port = sockets[0].getsockname()[1]
        self._ready.set()
        async with server:  # type: ignore[attr-defined]
            await self._stop.wait()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


async def flood(connection: ServerConnection) -> None:
    """Send `{"i":n}` as fast as flow control allows until the client closes."""
    index = 0
    try:
        while True:
            await connection.send(f'{{"i":{index}}}')
            index += 1
            if index % 64 == 0:
                # `send` only yields when the socket is full: let the loop read the client's close frame.
                await asyncio.sleep(0)
    except ConnectionClosed:
        return


async def raw_handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Complete the opening handshake by hand, then write the frame the request path names."""
    request = await reader.readuntil(b"\r\n\r\n")
    lines = request.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1].strip("/")
    after_send = path.startswith("after-send/")
    behaviour = RAW_BEHAVIOURS[path.removeprefix("after-send/")]
    if behaviour is None:
        await reader.read()  # hold the connection open, silent, until the client gives up
        writer.close()
        return
    key = next(line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sec-websocket-key:"))
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n".encode()
        + (b"" if after_send else behaviour)
    )
    await writer.drain()
    if after_send:
        await reader.read(2)  # the start of the client's first frame
        writer.write(behaviour)
        await writer.drain()
    await reader.read()  # the client's close frame, then its end of the TCP connection
    writer.close()
