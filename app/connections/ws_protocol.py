"""The websockets client connection Sluice drives: a bounded close, the pings the library answers itself
shown, and whole messages handed over as they are parsed.

websockets' asyncio connection puts every data frame in its `Assembler`, from which `recv()` takes one
message at a time: a future and a task wake-up per message, most of a flood's cost once the frames are
parsed. A listener here gets each message whole from the parser instead, in the same order, when it can
be taken as it stands: one frame (not fragmented), binary or valid UTF-8 text, with nothing waiting in
the Assembler before it; the text messages of one read of the socket are handed over together, once
its frames are parsed. Everything else (fragments, invalid UTF-8) goes to the Assembler and `recv()` as
before, so websockets still reassembles, validates and fails the connection (1007, 1009) exactly as it
does for any client; the frames themselves are always parsed by websockets (RFC 6455 conformance
unchanged).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.frames import DATA_OPCODES, Frame, Opcode
from websockets.protocol import Event

_TEXT = Opcode.TEXT
_BINARY = Opcode.BINARY
_CONT = Opcode.CONT
_PING = Opcode.PING


class BoundedCloseConnection(ClientConnection):
    """A client connection that never waits past its close deadline for the server to drop TCP.

    websockets enforces `close_timeout` when the client closes on purpose, but when it fails the
    connection itself (a message over `max_size`: 1009, a protocol error: 1002, invalid UTF-8: 1007) it
    waits for the server to close TCP, which a misbehaving server never does: measured against a raw
    loopback server, the run then hung 20 s, until the keepalive ping noticed. This drops the
    connection at the deadline instead."""

    _abort_at_deadline: asyncio.TimerHandle | None = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.close_deadline is not None and self._abort_at_deadline is None:
            self._abort_at_deadline = self.loop.call_at(self.close_deadline, self.transport.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._abort_at_deadline is not None:
            self._abort_at_deadline.cancel()
        super().connection_lost(exc)


class ObservedConnection(BoundedCloseConnection):
    """A client connection that reports the pings the library answers by itself, and hands whole messages
    to a listener (see the module docstring).

    The listener is set as the connection is made (`listen`), before any frame arrives.
    `on_ping(data, messages_before, at)` runs when a ping frame is parsed (its pong has already been queued
    by the protocol); `messages_before` counts the data messages completed before it, so the receiver can
    place the ping in order among the messages it reads. `on_texts(texts, at)` gets consecutive text
    messages taken whole from one read of the socket, in order: when the read's frames are parsed, or
    before anything else of the read is handed over. `on_message(data, at)` gets a binary message taken
    whole. `at` is when the read began (`time.perf_counter()`): as for an HTTP chunk, what one read
    brought arrived at once. The receiver calls `took_from_recv()` for each message `recv()` returns,
    which tells when the Assembler is empty again."""

    _on_ping: Callable[[bytes, int, float], None] | None = None
    _on_texts: Callable[[list[str], float], None] | None = None
    _on_message: Callable[[str | bytes, float], None] | None = None
    _read_at = 0.0
    messages_parsed = 0
    """Data messages completed, counted as they are handed over (and at their last frame for the Assembler)."""
    _assembled = 0
    """Messages handed to the Assembler (counted at their first frame)."""
    _taken = 0
    """Messages `recv()` returned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts: list[str] = []
        """Text messages of the current read not yet handed over (a fresh list once they are)."""

    def listen(
        self,
        on_ping: Callable[[bytes, int, float], None],
        on_texts: Callable[[list[str], float], None],
        on_message: Callable[[str | bytes, float], None],
    ) -> None:
        self._on_ping = on_ping
        self._on_texts = on_texts
        self._on_message = on_message

    def took_from_recv(self) -> None:
        self._taken += 1

    def data_received(self, data: bytes) -> None:
        self._read_at = time.perf_counter()
        super().data_received(data)
        if self._texts:
            self._hand_texts()

    def _hand_texts(self) -> None:
        texts = self._texts
        self._texts = []
        self.messages_parsed += len(texts)
        on_texts = self._on_texts
        assert on_texts is not None  # texts are only collected for a listener
        on_texts(texts, self._read_at)

    def process_event(self, event: Event) -> None:
        # Once per frame of a flood: the commonest case (a whole text frame with nothing waiting in the
        # Assembler) is one test, a decode and an append; its message is handed over with the read's others.
        if type(event) is Frame:
            opcode = event.opcode
            if opcode is _TEXT and event.fin and self._on_texts is not None and self._assembled == self._taken:
                try:
                    self._texts.append(str(event.data, "utf-8"))
                    return
                except UnicodeDecodeError:
                    pass  # the Assembler's `recv()` fails the connection with 1007, as websockets does
            if self._texts:
                self._hand_texts()  # whatever follows them in the read comes after them
            if opcode in DATA_OPCODES:
                if event.fin:
                    self.messages_parsed += 1
                    on_message = self._on_message
                    if on_message is not None and opcode is _BINARY and self._assembled == self._taken:
                        on_message(bytes(event.data), self._read_at)
                        return
                if opcode is _TEXT or opcode is _BINARY:
                    self._assembled += 1
            elif opcode is _PING and self._on_ping is not None:
                self._on_ping(bytes(event.data), self.messages_parsed, self._read_at)
        super().process_event(event)
