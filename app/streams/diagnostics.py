"""Plain-words explanations for streams that deliver bytes but no events, and for lines a decoder drops.

The decoders call these when they notice a stream going nowhere; the wording answers the question a user
actually has ("why is my timeline empty?") and every diagnostic carries an escaped sample of what arrived.
"""

from __future__ import annotations

from app.events import SseIgnoredField, SseUnknownField, StreamDiagnostic

STALL_LIMIT = 64 * 1024
"""Bytes a stream may deliver without framing progress before a mid-stream diagnostic is raised."""

SAMPLE_CHARS = 200
SAMPLE_BYTES = SAMPLE_CHARS * 4
"""Enough bytes for SAMPLE_CHARS characters even if every one takes four UTF-8 bytes."""

_ESCAPES = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\"}


def escape_sample(raw: bytes, limit: int = SAMPLE_CHARS) -> str:
    """The first `limit` characters of `raw`, decoded leniently, with control characters made visible."""
    text = raw[: limit * 4].decode("utf-8", "replace")[:limit]
    parts: list[str] = []
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            parts.append(escaped)
        elif char < " " or char == "\x7f":
            parts.append(f"\\x{ord(char):02x}")
        else:
            parts.append(char)
    return "".join(parts)


def looks_like_json(head: bytes) -> bool:
    """True when a body starts like a JSON document or JSON line rather than an event stream."""
    return head.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] in (b"{", b"[")


def sse_stalled(sample: bytes) -> StreamDiagnostic:
    return StreamDiagnostic(
        f"more than {STALL_LIMIT // 1024} KiB arrived without a blank line: no event can be dispatched "
        "until the server ends the event with an empty line",
        escape_sample(sample),
    )


def sse_no_events(
    head: bytes, *, saw_data: bool, saw_fields: bool, saw_comments: bool
) -> StreamDiagnostic:
    """Why an SSE stream that delivered bytes dispatched no message, judged from what it contained."""
    if looks_like_json(head):
        message = "the body looks like JSON/NDJSON, not SSE: try --parse ndjson or --parse json-array"
    elif saw_data:
        message = (
            "data lines but no blank line between messages: the server never ends an event, "
            "so EventSource would dispatch nothing"
        )
    elif saw_comments and not saw_fields:
        message = "nothing but comments (heartbeats): the server sent no data: field"
    else:
        message = "lines arrived but none is a data: field, so no event is dispatched"
    return StreamDiagnostic(message, escape_sample(head))


def sse_truncated_event(sample: bytes) -> StreamDiagnostic:
    return StreamDiagnostic(
        "the stream ended before the blank line that ends the last event: it was discarded, "
        "as EventSource would",
        escape_sample(sample),
    )


def ndjson_no_newline(head: bytes) -> StreamDiagnostic:
    return StreamDiagnostic(
        "no newline: the server may be sending one JSON document, not NDJSON", escape_sample(head)
    )


def sse_ignored_line(name: bytes, value: bytes) -> SseUnknownField | SseIgnoredField:
    """A field line that changes nothing for EventSource: an unknown field, or an `id`/`retry` whose value
    the spec ignores (an id containing NUL; a retry that is not ASCII digits, or too long to be a time)."""
    text = value.decode("utf-8", "replace")
    if name == b"id":
        return SseIgnoredField("id", text, "an id containing NUL (U+0000) is ignored: the last event ID stays as it was")
    if name == b"retry":
        what = "a retry of that many digits is no usable time" if value.isdigit() else "retry takes ASCII digits only (milliseconds)"
        return SseIgnoredField("retry", text, f"{what}: it is ignored and the reconnection time stays as it was")
    return SseUnknownField(name.decode("utf-8", "replace"), text)
