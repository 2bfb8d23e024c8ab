"""What a response needs to be recorded or exported: the request, the head, every chunk or message, timed.

A `Capture` is a bus consumer (request, head, WebSocket messages and the end come from the events) and
the HTTP worker's chunk hook (the body bytes exactly as read, which the events do not carry). Both the
JSONL recording (`app.recording.format`) and the HAR export (`app.interop.har`) are written from one.
The body is kept in memory up to `MAX_CAPTURED_BYTES`; past that the capture says it is truncated.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from app.event_runs import BusItem, EventRun
from app.events import ConnectionFailed, RequestSent, ResponseOpened, StreamClosed, TimelineEvent
from app.ws_events import WsClosed, WsConnecting, WsMessage, WsOpened

MAX_CAPTURED_BYTES = 64 * 1024 * 1024
"""Body bytes kept per response for recording and HAR; a flood past this is not worth replaying whole."""


@dataclass(frozen=True, slots=True)
class TimedMessage:
    """A WebSocket data frame with its time offset; `direction` is `send` or `recv`."""

    t: float
    direction: str
    data: str | bytes


class Capture:
    """Collects one response for a recording or a HAR entry. Feed it the bus; give `on_chunk` to the worker.

    `body` is the request body as sent (the `request` event only carries its size); `headers` a WebSocket
    handshake's request headers (its `ws_connecting` event only carries the URL). The chunk hook may
    be called from the worker's thread while another thread reads: lists are only appended to, under a lock.
    """

    def __init__(self, body: bytes | None = None, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.body = body or b""
        self.ws_headers = headers
        self.started_at = time.time()
        """Wall-clock time the request started (HAR's `startedDateTime`)."""
        self.request: RequestSent | None = None
        self.ws_url: str | None = None
        self.opened: ResponseOpened | None = None
        self.opened_t: float | None = None
        self.ws_opened: WsOpened | None = None
        self.chunks: list[tuple[float, bytes]] = []
        self.messages: list[TimedMessage] = []
        self.closed: StreamClosed | WsClosed | None = None
        self.failure: ConnectionFailed | None = None
        self.end_t: float | None = None
        self.truncated = False
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def is_websocket(self) -> bool:
        return self.ws_url is not None

    def on_chunk(self, t: float, data: bytes) -> None:
        """The HTTP worker's chunk hook."""
        with self._lock:
            if self._bytes + len(data) > MAX_CAPTURED_BYTES:
                self.truncated = True
                return
            self._bytes += len(data)
            self.chunks.append((t, data))

    def body_bytes(self) -> bytes:
        with self._lock:
            return b"".join(data for _, data in self.chunks)

    def feed_items(self, items: list[BusItem]) -> None:
        """`feed` for a batch as the bus carries it: of a run of a chunk's events (`EventRun`) only the
        events a capture keeps are built (the bulk of a flood is skipped on the same one lookup)."""
        wanted = _WANTED
        events: list[TimelineEvent] = []
        for item in items:
            if type(item) is EventRun:
                if item.kind is not None and item.kind not in wanted:
                    continue  # the usual run: all of one kind, known without looking at each
                payloads = item.payloads
                events.extend(TimelineEvent(item.first_seq + offset, item.t, payloads[offset], item.sizes[offset])
                              for offset in range(len(payloads)) if type(payloads[offset]) in wanted)
            else:
                events.append(item)  # type: ignore[arg-type]
        if events:
            self.feed(events)

    def feed(self, events: list[TimelineEvent]) -> None:
        # Called for every batch in the TUI: the bulk of a stream (SSE, NDJSON, body) is skipped on one
        # dictionary miss per event.
        wanted = _WANTED
        for event in events:
            payload = event.payload
            if type(payload) not in wanted:
                continue
            if isinstance(payload, WsMessage):
                self.messages.append(TimedMessage(event.t, payload.direction, payload.data))
            elif isinstance(payload, RequestSent):
                self.request = payload
            elif isinstance(payload, ResponseOpened):
                self.opened, self.opened_t = payload, event.t
            elif isinstance(payload, WsConnecting):
                self.ws_url = payload.url
            elif isinstance(payload, WsOpened):
                self.ws_opened, self.opened_t = payload, event.t
            elif isinstance(payload, (StreamClosed, WsClosed)):
                self.closed, self.end_t = payload, event.t
            elif isinstance(payload, ConnectionFailed):
                self.failure, self.end_t = payload, event.t


_WANTED = frozenset({WsMessage, RequestSent, ResponseOpened, WsConnecting, WsOpened, StreamClosed, WsClosed, ConnectionFailed})
