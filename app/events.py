"""The one currency between connection workers and consumers.

Workers wrap each payload in a `TimelineEvent` (sequence number, time offset, raw size) and publish it
on the bus; the Timeline, the merge engine, the headless printers and the recorder all read the same
events. Each payload type names its `kind` and knows its public `--jsonl` form (`to_json`), which is a
documented contract: change it only together with the README.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Union

from app.strict_json import parse_checked_json
from app.ws_events import WsClosed, WsConnecting, WsControl, WsMessage, WsOpened


@dataclass(frozen=True, slots=True)
class RequestSent:
    """The request as it went on the wire (secrets included: printers mask them)."""

    kind: ClassVar[str] = "request"
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body_size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": [list(pair) for pair in self.headers],
            "body_size": self.body_size,
        }


@dataclass(frozen=True, slots=True)
class ResponseOpened:
    """Status line and headers arrived; the body may now stream."""

    kind: ClassVar[str] = "open"
    status: int
    http_version: str
    headers: tuple[tuple[str, str], ...]
    reason: str = ""
    parse_mode: str = "raw"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "http_version": self.http_version,
            "headers": [list(pair) for pair in self.headers],
        }

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


@dataclass(frozen=True, slots=True)
class SseMessage:
    """A dispatched Server-Sent Event, exactly as EventSource would deliver it."""

    kind: ClassVar[str] = "sse"
    event: str
    data: str
    id: str | None = None
    retry: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"event": self.event, "data": self.data, "id": self.id, "retry": self.retry}


@dataclass(frozen=True, slots=True)
class SseRetry:
    """A block that set only `retry`: no event is dispatched, but EventSource's reconnection time changes."""

    kind: ClassVar[str] = "sse_retry"
    retry: int

    def to_json(self) -> dict[str, Any]:
        return {"retry": self.retry}


@dataclass(frozen=True, slots=True)
class SseId:
    """A block that set only `id`: no event is dispatched, but the last event ID (sent on reconnect) changes."""

    kind: ClassVar[str] = "sse_id"
    id: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id}


@dataclass(frozen=True, slots=True)
class SseComment:
    """A `:` comment line, usually a heartbeat: it tells the user the stream is alive."""

    kind: ClassVar[str] = "sse_comment"
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text}


@dataclass(frozen=True, slots=True)
class SseUnknownField:
    """A field the SSE spec ignores (e.g. llama.cpp's `error:`); shown, never dispatched as an event."""

    kind: ClassVar[str] = "sse_field"
    name: str
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value}


@dataclass(frozen=True, slots=True)
class SseIgnoredField:
    """An `id` or `retry` line whose value the SSE spec says to ignore (an id containing NUL, a retry that
    is not ASCII digits): EventSource drops the line silently and nothing changes; shown, never dispatched.
    `reason` says why in plain words."""

    kind: ClassVar[str] = "sse_ignored_field"
    name: str
    value: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class NdjsonValue:
    """One line of an NDJSON / JSON Lines stream: its JSON text, which the decoder has checked is one
    strict RFC 8259 value, kept as the server sent it (without the line end and the whitespace around the
    value; tabs and carriage returns between tokens, which JSON allows nowhere else, as spaces). `value`
    parses it when read.

    The text, not the value, is the event: the `--jsonl` writer copies it and the merge engine reads the
    fields it needs from it, so the usual line is never built into Python objects at all."""

    kind: ClassVar[str] = "ndjson"
    text: str

    @property
    def value(self) -> Any:
        return parse_checked_json(self.text)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value}


@dataclass(frozen=True, slots=True)
class NdjsonError:
    """A line that is not strict RFC 8259 JSON; the stream goes on."""

    kind: ClassVar[str] = "ndjson_error"
    line: str
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "error": self.error}


@dataclass(frozen=True, slots=True)
class JsonArrayItem:
    """One complete element of a body that is a single JSON array streamed piece by piece."""

    kind: ClassVar[str] = "json_item"
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value}


@dataclass(frozen=True, slots=True)
class JsonArrayError:
    """A JSON-array stream that broke its framing; what could not be parsed is kept."""

    kind: ClassVar[str] = "json_error"
    text: str
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "error": self.error}


@dataclass(frozen=True, slots=True)
class BodyReceived:
    """A non-stream response body (or a chunk of one, for raw mode)."""

    kind: ClassVar[str] = "body"
    data: bytes

    def to_json(self) -> dict[str, Any]:
        try:
            return {"text": self.data.decode("utf-8"), "size": len(self.data)}
        except UnicodeDecodeError:
            return {"b64": base64.b64encode(self.data).decode("ascii"), "size": len(self.data)}


@dataclass(frozen=True, slots=True)
class StreamDiagnostic:
    """A plain-words explanation of why a stream is not producing events, with what was seen."""

    kind: ClassVar[str] = "diagnostic"
    message: str
    sample: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "sample": self.sample}


@dataclass(frozen=True, slots=True)
class EventTooLarge:
    """One event (an SSE event's data, an NDJSON line, a JSON-array element) grew past the maximum event
    size: it was dropped, and parsing went on at the next event. `size` is how many bytes of it arrived."""

    kind: ClassVar[str] = "event_too_large"
    limit: int
    size: int

    @property
    def message(self) -> str:
        return (
            f"an event of {self.size:,} bytes is over the maximum event size of {self.limit:,} bytes, so it was "
            "dropped and the stream read on (raise it with --max-event-size or [options] max_event_size)"
        )

    def to_json(self) -> dict[str, Any]:
        return {"limit": self.limit, "size": self.size, "message": self.message}


@dataclass(frozen=True, slots=True)
class StreamClosed:
    """The end of a response: totals and timing. `reason` is `complete` or `cancelled`."""

    kind: ClassVar[str] = "close"
    bytes: int
    events: int
    duration: float
    ttfb: float | None
    ttfe: float | None
    max_gap: float | None
    reason: str = "complete"

    def to_json(self) -> dict[str, Any]:
        return {
            "bytes": self.bytes,
            "events": self.events,
            "duration": self.duration,
            "ttfb": self.ttfb,
            "ttfe": self.ttfe,
            "max_gap": self.max_gap,
            "reason": self.reason,
        }


class ErrorType(StrEnum):
    """What an `error` event's `type` can be: one vocabulary for HTTP and WebSocket (README, `error` kind).

    A member is its slug, so it compares equal to the string and prints as it in `--jsonl`."""

    CONNECTION_REFUSED = "connection_refused"
    DNS_FAILURE = "dns_failure"
    TLS_FAILURE = "tls_failure"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    WRITE_TIMEOUT = "write_timeout"
    INVALID_URL = "invalid_url"
    INVALID_OPTION = "invalid_option"
    INVALID_REDIRECT = "invalid_redirect"
    CONNECTION_FAILED = "connection_failed"
    HTTP2_UNAVAILABLE = "http2_unavailable"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    PROTOCOL_ERROR = "protocol_error"
    SERVER_CLOSED_MID_STREAM = "server_closed_mid_stream"
    DECODING_ERROR = "decoding_error"
    STREAM_FAILED = "stream_failed"
    HANDSHAKE_REJECTED = "handshake_rejected"
    HANDSHAKE_FAILED = "handshake_failed"


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """A resumable SSE stream (opt-in) ended or dropped: the request is sent again after `delay` seconds,
    with `Last-Event-ID: last_event_id` when there is one; the same timeline goes on."""

    kind: ClassVar[str] = "reconnect"
    attempt: int
    delay: float
    last_event_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {"attempt": self.attempt, "delay": self.delay, "last_event_id": self.last_event_id}


@dataclass(frozen=True, slots=True)
class ConnectionFailed:
    """A transport failure, named plainly (`type` says which, from the one `ErrorType` vocabulary)."""

    kind: ClassVar[str] = "error"
    type: ErrorType
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "message": self.message}


EventPayload = Union[
    RequestSent,
    ResponseOpened,
    SseMessage,
    SseRetry,
    SseId,
    SseComment,
    SseUnknownField,
    SseIgnoredField,
    NdjsonValue,
    NdjsonError,
    JsonArrayItem,
    JsonArrayError,
    BodyReceived,
    StreamDiagnostic,
    EventTooLarge,
    StreamClosed,
    Reconnecting,
    ConnectionFailed,
    WsConnecting,
    WsOpened,
    WsMessage,
    WsControl,
    WsClosed,
]

# A parser hands back each payload with the number of raw bytes it was made from.
Parsed = tuple[EventPayload, int]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One entry of the Timeline: sequence number, seconds since the request started, payload, raw size."""

    seq: int
    t: float
    payload: EventPayload
    size: int = 0

    @property
    def kind(self) -> str:
        """The public kind name (`sse`, `ndjson`, `ws_send`, …) as used in `--jsonl`."""
        return self.payload.kind

    @property
    def is_error(self) -> bool:
        return self.payload.kind in ERROR_KINDS

    def to_json(self) -> dict[str, Any]:
        """The `--jsonl` line for this event."""
        line: dict[str, Any] = {"seq": self.seq, "t": round(self.t, 6), "kind": self.kind}
        line.update(self.payload.to_json())
        return line


ERROR_KINDS = frozenset({"error", "ndjson_error", "json_error", "diagnostic", "event_too_large"})
DATA_KINDS = frozenset({"sse", "ndjson", "json_item", "body", "ws_recv"})
"""Kinds that carry the stream's content (they count as events for ttfe, gaps and rates). The client's
own WebSocket sends are not among them: the server's reply to a send is not a stall."""

