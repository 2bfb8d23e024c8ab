"""One-line descriptions of events, computed on demand for the rows a view actually shows.

Nothing here is stored per event: a Timeline row is rebuilt from the payload whenever it scrolls into
view, so a million events cost their payloads and a few numbers, not a million rendered strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.events import (
    BodyReceived,
    ConnectionFailed,
    EventPayload,
    JsonArrayError,
    JsonArrayItem,
    NdjsonError,
    NdjsonValue,
    Reconnecting,
    RequestSent,
    ResponseOpened,
    SseComment,
    SseIgnoredField,
    SseMessage,
    SseUnknownField,
    StreamClosed,
    StreamDiagnostic,
)
from app.figures import count_of, format_size
from app.model.secrets import mask_url
from app.streams.json_payload import parse_json
from app.ws_events import WsClosed, WsConnecting, WsControl, WsMessage, WsOpened

PREVIEW_CHARS = 240
"""Enough for the widest terminal row; longer payloads are cut (the detail view shows them whole)."""

_BINARY_PREVIEW_BYTES = 48


@dataclass(frozen=True, slots=True)
class EventSummary:
    """What one Timeline row shows about an event."""

    index: int
    t: float
    gap: float | None
    direction: str
    """`→` for a WebSocket frame sent, `←` for one received, empty otherwise."""
    label: str
    """The SSE event name, or the kind (`ndjson`, `open`, `ws_ping`, …)."""
    size: int
    preview: str
    is_error: bool
    event_id: str | None = None
    """The SSE event id in force (the stream's last event id), if any."""
    retry: int | None = None
    """The reconnection time an SSE event set, in milliseconds."""


def event_kind(payload: EventPayload) -> str:
    """The public kind name, as `TimelineEvent.kind` gives it, from the payload alone."""
    return payload.kind


def event_label(payload: EventPayload) -> str:
    """The SSE event name for messages, the kind for everything else."""
    if isinstance(payload, SseMessage):
        return payload.event
    return event_kind(payload)


def event_direction(payload: EventPayload) -> str:
    if isinstance(payload, WsMessage):
        return "→" if payload.direction == "send" else "←"
    if isinstance(payload, WsControl):
        return "→" if payload.by == "client" else "←"
    return ""


def _one_line(text: str) -> str:
    head = text[: PREVIEW_CHARS * 2]
    if "\n" in head or "\r" in head or "\t" in head:
        head = head.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    return head[:PREVIEW_CHARS]


def _compact_json(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))[: PREVIEW_CHARS * 2]
    except (TypeError, ValueError):
        return repr(value)


def _bytes_preview(data: bytes) -> str:
    head = data[: PREVIEW_CHARS * 2]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start > 0 and len(head) == PREVIEW_CHARS * 2:
            return head[: error.start].decode("utf-8")
    return "0x " + data[:_BINARY_PREVIEW_BYTES].hex(" ")


def _headers_line(headers: tuple[tuple[str, str], ...]) -> str:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return f"{len(headers)} headers"


def event_text(payload: EventPayload) -> str:
    """The payload's main text, whole (what a filter searches and the detail view shows as raw)."""
    if isinstance(payload, SseMessage):
        return payload.data
    if isinstance(payload, SseComment):
        return payload.text
    if isinstance(payload, SseUnknownField):
        return f"{payload.name}: {payload.value}"
    if isinstance(payload, SseIgnoredField):
        return f"{payload.name}: {payload.value}\n{payload.reason}"
    if isinstance(payload, (NdjsonValue, JsonArrayItem)):
        return json.dumps(payload.value, ensure_ascii=False)
    if isinstance(payload, NdjsonError):
        return f"{payload.error}: {payload.line}"
    if isinstance(payload, JsonArrayError):
        return f"{payload.error}: {payload.text}"
    if isinstance(payload, BodyReceived):
        return payload.data.decode("utf-8", errors="replace")
    if isinstance(payload, WsMessage):
        data = payload.data
        return data if isinstance(data, str) else data.decode("utf-8", errors="replace")
    if isinstance(payload, StreamDiagnostic):
        return f"{payload.message}\n{payload.sample}" if payload.sample else payload.message
    if isinstance(payload, ConnectionFailed):
        return f"{payload.type}: {payload.message}"
    return json.dumps(payload.to_json(), ensure_ascii=False)


GIST_KEYS = (
    "content", "text", "token", "delta", "response", "thinking", "reasoning_content", "reasoning",
    "partial_json", "arguments", "message", "error",
)
"""Keys whose string value is what a stream fragment says (OpenAI, Anthropic, Gemini, Ollama, the seeds)."""
_GIST_SCAN_LIMIT = 200


def json_gist(value: object) -> str | None:
    """The first text fragment in a JSON payload (`" evening."` of an OpenAI chunk), if there is one.

    A row of raw chunk JSON starts with ids that are the same on every line; the fragment is what tells
    the rows apart. Breadth-first, so `choices[0].delta.content` wins over text nested deeper.
    """
    queue: list[object] = [value]
    scanned = 0
    while queue and scanned < _GIST_SCAN_LIMIT:
        item = queue.pop(0)
        scanned += 1
        if isinstance(item, dict):
            for key in GIST_KEYS:
                found = item.get(key)
                if isinstance(found, str) and found:
                    return found
            queue.extend(child for child in item.values() if isinstance(child, (dict, list)))
        elif isinstance(item, list):
            queue.extend(child for child in item if isinstance(child, (dict, list)))
    return None


def _with_gist(text: str, value: object) -> str:
    gist = json_gist(value)
    return text if gist is None else f"{json.dumps(gist, ensure_ascii=False)} · {text}"


def _json_text_preview(data: str) -> str:
    if data[:1] in ("{", "["):
        try:
            return _with_gist(data, parse_json(data))
        except ValueError:
            pass
    return data


def event_preview(payload: EventPayload) -> str:
    """A single line (no newlines, at most `PREVIEW_CHARS`) describing the payload."""
    if isinstance(payload, SseMessage):
        return _one_line(_json_text_preview(payload.data))
    if isinstance(payload, SseComment):
        return _one_line(": " + payload.text)
    if isinstance(payload, (NdjsonValue, JsonArrayItem)):
        return _one_line(_with_gist(_compact_json(payload.value), payload.value))
    if isinstance(payload, BodyReceived):
        return _one_line(_bytes_preview(payload.data))
    if isinstance(payload, WsMessage):
        data = payload.data
        return _one_line(_json_text_preview(data) if isinstance(data, str) else _bytes_preview(data))
    if isinstance(payload, WsControl):
        return payload.data.hex(" ")
    if isinstance(payload, RequestSent):
        # Rows are never revealed (the detail view's `v` is): a token in a query string is masked here.
        return _one_line(f"{payload.method} {mask_url(payload.url)}")
    if isinstance(payload, ResponseOpened):
        reason = f" {payload.reason}" if payload.reason else ""
        return _one_line(
            f"{payload.http_version} {payload.status}{reason} · {_headers_line(payload.headers)}"
        )
    if isinstance(payload, WsConnecting):
        return _one_line(mask_url(payload.url))
    if isinstance(payload, WsOpened):
        protocol = f" · {payload.subprotocol}" if payload.subprotocol else ""
        return f"{payload.status}{protocol}"
    if isinstance(payload, WsClosed):
        return _one_line(f"{payload.code} {payload.reason} (by {payload.by})")
    if isinstance(payload, StreamClosed):
        return (
            f"{payload.reason} · {count_of(payload.events, 'event')} · {format_size(payload.bytes)}"
            f" in {payload.duration:.2f} s"
        )
    if isinstance(payload, StreamDiagnostic):
        return _one_line(payload.message)
    if isinstance(payload, SseIgnoredField):
        # The line as the server sent it, then why EventSource ignores it (`id: abc\x00def · …`).
        return _one_line(f"{payload.name}: {payload.value} · ignored: {payload.reason}")
    if isinstance(payload, Reconnecting):
        resume = f" with Last-Event-ID {payload.last_event_id}" if payload.last_event_id else ""
        return _one_line(f"reconnect #{payload.attempt} after {payload.delay:g} s{resume}")
    return _one_line(event_text(payload))
