"""What a WebSocket receive loop has read and not yet published: messages and server pings, in order.

The inbox makes the connection (`new_connection`, websockets' `create_connection`), so it listens from
the first frame on, frames read with the handshake answer included. Whole messages arrive straight from
the frame parser (`ObservedConnection`), a read's text messages together as one list; the rest
(fragmented or invalid) through websockets' `recv()`, read by `read()`. A server ping is shown where it
came among the messages: one parsed ahead of messages not yet taken is parked until they are. Past
`INBOX_LIMIT` messages the socket stops being read until the publisher takes them, so memory stays flat
under a flood.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from websockets.exceptions import ConnectionClosed

from app.connections.websocket_errors import describe_closed_exception
from app.connections.ws_protocol import ObservedConnection
from app.ws_events import WsClosed, WsControl

INBOX_LIMIT = 4096
"""Received messages held before the reader waits for the publisher (keeps memory flat under a flood)."""

Received = tuple[float, str | bytes | WsControl | list[str]]
"""When a message or control frame was read (`time.perf_counter()`), and what it was: a list is text
messages one read brought, in order."""


class WsInbox:
    """The received messages and server pings of one connection, in order, until `take()` takes them."""

    def __init__(self) -> None:
        self.waiting: list[Received] = []
        self.ready = asyncio.Event()
        """Set whenever something arrived or `read()` ended."""
        self.closed: WsClosed | None = None
        """How the connection closed, once `read()` saw it close."""
        self._connection: ObservedConnection | None = None
        self._space = asyncio.Event()
        self._space.set()
        self._paused = False
        # Server pings parsed ahead of messages not taken yet: (messages before them, time, data).
        self._parked: list[tuple[int, float, bytes]] = []
        self._messages_read = 0
        self._held = 0
        """Messages waiting (what `INBOX_LIMIT` counts)."""

    def new_connection(self, *args: Any, **kwargs: Any) -> ObservedConnection:
        """websockets' `create_connection` (called as it calls the class): the connection, listened to
        from its first frame. A redirected handshake makes a new one, which replaces the first."""
        connection = self._connection = ObservedConnection(*args, **kwargs)
        connection.listen(self._on_ping, self._on_texts, self._on_message)
        return connection

    def take(self) -> list[Received]:
        """Everything waiting, oldest first; reading resumes if the inbox was full."""
        if not self.waiting:
            return []
        batch = self.waiting[:]
        self.waiting.clear()
        self._held = 0
        self._space.set()
        if self._paused and self._connection is not None:
            self._paused = False
            self._connection.transport.resume_reading()
        return batch

    async def read(self) -> None:
        """Take what `recv()` returns until the connection closes (then `closed` says how)."""
        connection = self._connection
        assert connection is not None, "read() once the connection is open"
        recv = connection.recv
        try:
            while True:
                data = await recv()
                connection.took_from_recv()
                self._add(time.perf_counter(), data, 1)
                if self._held >= INBOX_LIMIT:
                    self._space.clear()
                    await self._space.wait()
        except ConnectionClosed as closed:
            self.closed = describe_closed_exception(closed)
        finally:
            self.ready.set()

    def _on_texts(self, texts: list[str], at: float) -> None:
        # A read's text messages straight from the parser (see app.connections.ws_protocol), in order.
        self._add(at, texts, len(texts))
        self._pause_when_full()

    def _on_message(self, data: str | bytes, at: float) -> None:
        # A whole message straight from the parser, in order.
        self._add(at, data, 1)
        self._pause_when_full()

    def _pause_when_full(self) -> None:
        if self._held >= INBOX_LIMIT and not self._paused and self._connection is not None:
            self._paused = True
            self._connection.transport.pause_reading()

    def _add(self, at: float, data: str | bytes | list[str], count: int) -> None:
        """`count` messages (`data`, or the list of texts `data` is) read at `at`."""
        self.waiting.append((at, data))
        self._messages_read += count
        self._held += count
        parked = self._parked
        while parked and parked[0][0] <= self._messages_read:
            _, t, ping = parked.pop(0)
            self._add_ping(t, ping)
        self.ready.set()

    def _on_ping(self, data: bytes, messages_before: int, at: float) -> None:
        if messages_before <= self._messages_read:
            self._add_ping(at, data)
        else:
            self._parked.append((messages_before, at, data))

    def _add_ping(self, t: float, data: bytes) -> None:
        self.waiting.append((t, WsControl("ws_ping", data, "server")))
        self.waiting.append((t, WsControl("ws_pong", data, "client")))
        self.ready.set()
