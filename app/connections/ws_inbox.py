"""What a WebSocket receive loop has read and not yet published: messages and server pings, in order.

Whole messages arrive straight from the frame parser (`ObservedConnection`), the rest (fragmented,
invalid, or parsed before anyone listened) through websockets' `recv()`, read by `read()`. A server
ping is shown where it came among the messages: one parsed ahead of messages not yet taken is parked
until they are. Past `INBOX_LIMIT` entries the socket stops being read until the publisher takes them,
so memory stays flat under a flood.
"""

from __future__ import annotations

import asyncio
import time

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from app.connections.websocket_errors import describe_closed_exception
from app.connections.ws_protocol import ObservedConnection
from app.events import WsClosed, WsControl

INBOX_LIMIT = 4096
"""Received frames held before the reader waits for the publisher (keeps memory flat under a flood)."""

Received = tuple[float, str | bytes | WsControl]
"""When a message or control frame was read (`time.perf_counter()`), and what it was."""


class WsInbox:
    """The received messages and server pings of one connection, in order, until `take()` takes them."""

    def __init__(self, connection: ClientConnection) -> None:
        self.waiting: list[Received] = []
        self.ready = asyncio.Event()
        """Set whenever something arrived or `read()` ended."""
        self.closed: WsClosed | None = None
        """How the connection closed, once `read()` saw it close."""
        self._connection = connection
        self._transport = connection.transport
        self._space = asyncio.Event()
        self._space.set()
        self._paused = False
        # Server pings parsed ahead of messages not taken yet: (messages before them, time, data).
        self._parked: list[tuple[int, float, bytes]] = []
        self._messages_read = 0
        self._observed = connection if isinstance(connection, ObservedConnection) else None
        if self._observed is not None:
            self._observed.listen(self._on_ping, self._on_message)

    def take(self) -> list[Received]:
        """Everything waiting, oldest first; reading resumes if the inbox was full."""
        if not self.waiting:
            return []
        batch = self.waiting[:]
        self.waiting.clear()
        self._space.set()
        if self._paused:
            self._paused = False
            self._transport.resume_reading()
        return batch

    async def read(self) -> None:
        """Take what `recv()` returns until the connection closes (then `closed` says how)."""
        recv = self._connection.recv
        observed = self._observed
        waiting = self.waiting
        try:
            while True:
                data = await recv()
                if observed is not None:
                    observed.took_from_recv()
                self._add_message(time.perf_counter(), data)
                if len(waiting) >= INBOX_LIMIT:
                    self._space.clear()
                    await self._space.wait()
        except ConnectionClosed as closed:
            self.closed = describe_closed_exception(closed)
        finally:
            self.ready.set()

    def _on_message(self, data: str | bytes, at: float) -> None:
        # A whole message straight from the parser (see app.connections.ws_protocol), in order.
        self._add_message(at, data)
        if len(self.waiting) >= INBOX_LIMIT and not self._paused:
            self._paused = True
            self._transport.pause_reading()

    def _add_message(self, at: float, data: str | bytes) -> None:
        self.waiting.append((at, data))
        self._messages_read += 1
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
