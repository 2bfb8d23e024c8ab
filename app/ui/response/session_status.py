"""What a response's non-data events say about it: its state, the request sent, the response or handshake
that opened it, how it ended or failed, its reconnects and its clock.

`ResponseSession` is this status plus the events themselves (store, merge, checks); the status line, the
History and the exports read these fields. Plain attributes, each written whole by the one thread that
stores events, read by the UI thread.
"""

from __future__ import annotations

import time
from enum import StrEnum

from app.events import (
    ConnectionFailed,
    EventPayload,
    Reconnecting,
    RequestSent,
    ResponseOpened,
    SseComment,
    StreamClosed,
)
from app.ws_events import WsClosed, WsConnecting, WsControl, WsOpened


class SessionState(StrEnum):
    """Where a response is in its life (the status line's first word)."""

    CONNECTING = "connecting"
    RECONNECTING = "reconnecting"
    """Waiting to connect again (a resumable SSE stream's `retry`, a WebSocket's backoff), then connecting."""
    OPEN = "open"
    CLOSED = "closed"
    ERROR = "error"
    CANCELLED = "cancelled"


LIVE_STATES = frozenset({SessionState.CONNECTING, SessionState.RECONNECTING, SessionState.OPEN})
"""A response still under way: cancelling it, or its feed ending, settles it."""


class ResponseStatus:
    """The status of one response, moved on by each non-data event it stores (`note`)."""

    def __init__(self) -> None:
        self.state = SessionState.CONNECTING
        self.request: RequestSent | None = None
        self.response: ResponseOpened | None = None
        self.ws_opened: WsOpened | None = None
        self.closed: StreamClosed | None = None
        self.failure: ConnectionFailed | None = None
        self.ws_closed: WsClosed | None = None
        """How the WebSocket closed (None while it is open, and again once it reconnects)."""
        self.reconnects = 0
        """How many times the stream connected again (a WebSocket auto-reconnect, a resumable SSE stream)."""
        self._started = time.monotonic()
        self._finished_elapsed: float | None = None
        self._heard_at: float | None = None
        """Time of the last keepalive from the server (an SSE comment, a server's ping or pong)."""

    @property
    def http_status(self) -> int | None:
        if self.response is not None:
            return self.response.status
        return self.ws_opened.status if self.ws_opened is not None else None

    @property
    def elapsed(self) -> float:
        """Seconds since the request was sent, frozen once the stream ended."""
        if self._finished_elapsed is not None:
            return self._finished_elapsed
        return time.monotonic() - self._started

    def note(self, payload: EventPayload, t: float) -> float | None:
        """Update the status from a non-data event; return the stream's duration if it just ended."""
        if isinstance(payload, RequestSent):
            self.request = payload
        elif isinstance(payload, Reconnecting) or (
            isinstance(payload, WsConnecting) and self.state in (SessionState.CLOSED, SessionState.ERROR)
        ):
            # A reconnect (resumable SSE, or a WebSocket's auto-reconnect): a dropped or finished
            # connection being resumed is not the end of the response, so its clock goes on.
            self.reconnects += 1
            # Not `connecting`: that read `● connecting  200` through the whole wait before the next try.
            self.state = SessionState.RECONNECTING
            self.failure = None
            self.ws_closed = None
            self._finished_elapsed = None
        elif isinstance(payload, ResponseOpened):
            self.response = payload
            self.state = SessionState.OPEN
        elif isinstance(payload, WsOpened):
            self.ws_opened = payload
            self.state = SessionState.OPEN
        elif isinstance(payload, StreamClosed):
            self.closed = payload
            self.state = (
                SessionState.CANCELLED if payload.reason == "cancelled" else SessionState.CLOSED
            )
            # After a reconnect the close event's duration is its connection's; the timeline's clock is `t`.
            return t if self.reconnects else payload.duration
        elif isinstance(payload, ConnectionFailed):
            self.failure = payload
            self.state = SessionState.ERROR
            return t
        elif isinstance(payload, WsClosed):
            self.ws_closed = payload
            self.state = SessionState.CLOSED
            return t
        elif isinstance(payload, SseComment) or (isinstance(payload, WsControl) and payload.by == "server"):
            self._heard_at = t  # a keepalive: see `silence`
        return None

    def end(self, duration: float) -> None:
        """The stream ended after `duration` seconds (the first end counts: the clock stops there)."""
        if self._finished_elapsed is None:
            self._finished_elapsed = duration
