"""A small real HTTP server on 127.0.0.1 whose streams never end: what `--until-count`, `--until-jsonpath`
and `--duration` are for (a heartbeat, a progress feed, a gateway that never closes).

- `/sse/endless`: SSE as fast as the socket takes it, every event between a heartbeat comment and a
  `retry`-only block (neither is a message), every fifth one a named `tick` event, every seventh one
  data that is not JSON; `{"i": n}` counts the messages from 0.
- `/ndjson/endless`: `{"i": n}` lines as fast as the socket takes them.
- `/sse/silent`: one event, then the connection stays open and nothing more comes.
- `/ndjson/unterminated`: `{"i": 0}` to `{"i": 2}`, the last without its line end, then the end of the
  body (not endless: the last line is completed by the end of the stream).

Each response is HTTP/1.1 without a length, ended only by the client going away. The server runs on its
own thread and event loop (`helpers_run.ThreadedServer`), like a separate process would.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest
from helpers_run import ThreadedServer

PER_WRITE = 64
"""Events per write: a chunk the client reads holds many, so a condition is met inside a batch."""


def sse_blocks() -> Iterator[bytes]:
    for index in itertools.count():
        data = f"not json {index}" if index % 7 == 6 else f'{{"i": {index}}}'
        event = "event: tick\n" if index % 5 == 4 else ""
        yield f": heartbeat\n\nretry: 10\n\n{event}data: {data}\n\n".encode()


def ndjson_lines() -> Iterator[bytes]:
    for index in itertools.count():
        yield f'{{"i": {index}}}\n'.encode()


_CONTENT_TYPES = {
    "/sse/endless": "text/event-stream", "/ndjson/endless": "application/x-ndjson", "/sse/silent": "text/event-stream",
    "/ndjson/unterminated": "application/x-ndjson",
}


async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer one request with the stream its path names (404 for any other path)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ", 2)[1].decode("latin-1").split("?")[0]
        content_type = _CONTENT_TYPES.get(path)
        if content_type is None:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n".encode())
        if path == "/ndjson/unterminated":
            writer.write(b'{"i": 0}\n{"i": 1}\n{"i": 2}')
            await writer.drain()
            return
        if path == "/sse/silent":
            writer.write(b'data: {"i": 0}\n\n')
            await writer.drain()
            await reader.read()  # until the client goes away
            return
        blocks = sse_blocks() if path.startswith("/sse/") else ndjson_lines()
        while True:
            writer.write(b"".join(itertools.islice(blocks, PER_WRITE)))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        return  # the client went away: what an endless stream waits for
    finally:
        writer.close()


class EndlessServer(ThreadedServer):
    """`http_url(path)`: the endless streams of the module docstring."""

    def __init__(self) -> None:
        super().__init__(lambda: asyncio.start_server(endless, "127.0.0.1", 0))

    def http_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def endless_server() -> Iterator[EndlessServer]:
    """The fixture (imported by the conftests of tests/run and tests/cli): one server per module."""
    with EndlessServer() as server:
        yield server
