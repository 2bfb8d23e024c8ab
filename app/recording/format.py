"""Recordings on disk: one JSONL file per response, written from a `Capture`, read back by `sluice mock`.

```
{"kind": "recording", "version": 1, "protocol": "http", "started_at": "2026-12-01T11:20:00.123Z"}
{"kind": "request", "t": 0.0, "method": "POST", "url": "…", "headers": [["Accept", "text/event-stream"]], "body_b64": "…"}
{"kind": "response", "t": 0.051, "status": 200, "reason": "OK", "http_version": "HTTP/1.1", "headers": [[…]]}
{"kind": "chunk", "t": 0.052, "b64": "ZGF0YTogey…"}                      one line per chunk read, in order
{"kind": "message", "t": 0.3, "direction": "recv", "opcode": "text", "text": "…"}   WebSocket (binary: "b64")
{"kind": "end", "t": 1.2, "reason": "complete"}        complete | cancelled | error (+ "error") | close (+ code…)
```
`t` is seconds since the request started, on the Timeline's clock. Credentials in the request and the
response head are masked (`app.model.secrets`) unless the writer is asked to reveal them: a mock never needs them, and
recordings get committed next to frontend tests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.events import StreamClosed
from app.model.header_syntax import HEADER_NAME, header_problem
from app.model.secrets import mask_headers, mask_url
from app.model.storage import atomic_write, read_regular
from app.recording.capture import Capture, TimedMessage
from app.streams.json_payload import parse_json
from app.terminal_text import json_line_safe
from app.ws_events import WsClosed

FORMAT_VERSION = 1


class BadRecording(Exception):
    """A file that is not a Sluice recording; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording read back: enough to serve the same response again."""

    source: Path
    protocol: str
    """`http` or `websocket`."""
    method: str
    url: str
    status: int = 502
    """The recorded status; 502 when the request got no response."""
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    subprotocol: str | None = None
    chunks: tuple[tuple[float, bytes], ...] = ()
    messages: tuple[TimedMessage, ...] = ()
    end: dict[str, Any] = field(default_factory=dict)
    opened_t: float = 0.0

    @property
    def path(self) -> str:
        """The URL's path, where the mock serves it (the query string is not part of the route)."""
        return urlsplit(self.url).path or "/"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(seconds * 1000) % 1000:03d}Z"


def _data_fields(data: str | bytes) -> dict[str, Any]:
    if isinstance(data, str):
        return {"opcode": "text", "text": data}
    return {"opcode": "binary", "b64": base64.b64encode(data).decode("ascii")}


def _pairs(headers: tuple[tuple[str, str], ...], reveal: bool) -> list[list[str]]:
    return [list(pair) for pair in (headers if reveal else mask_headers(headers))]


def recording_lines(capture: Capture, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """The recording of `capture`, line by line."""
    websocket = capture.is_websocket
    yield {"kind": "recording", "version": FORMAT_VERSION, "protocol": "websocket" if websocket else "http",
           "started_at": _iso(capture.started_at)}
    request = capture.request
    if websocket:
        url, method, headers = capture.ws_url or "", "GET", capture.ws_headers
    elif request is not None:
        url, method, headers = request.url, request.method, request.headers
    else:
        return
    line: dict[str, Any] = {"kind": "request", "t": 0.0, "method": method, "url": url if reveal else mask_url(url),
                            "headers": _pairs(headers, reveal)}
    if capture.body:
        line["body_b64"] = base64.b64encode(capture.body).decode("ascii")
    yield line
    t = capture.opened_t or 0.0
    # The server's credentials too (`Set-Cookie`, a token header), as in the HAR export: a mock never
    # needs a live session cookie, and recordings get committed.
    if capture.opened is not None:
        opened = capture.opened
        yield {"kind": "response", "t": t, "status": opened.status, "reason": opened.reason,
               "http_version": opened.http_version, "headers": _pairs(opened.headers, reveal)}
    elif capture.ws_opened is not None:
        ws_opened = capture.ws_opened
        yield {"kind": "response", "t": t, "status": ws_opened.status,
               "headers": _pairs(ws_opened.headers, reveal), "subprotocol": ws_opened.subprotocol}
    for chunk_t, data in capture.chunks:
        yield {"kind": "chunk", "t": chunk_t, "b64": base64.b64encode(data).decode("ascii")}
    for message in capture.messages:
        yield {"kind": "message", "t": message.t, "direction": message.direction, **_data_fields(message.data)}
    yield _end_line(capture)


def _end_line(capture: Capture) -> dict[str, Any]:
    end: dict[str, Any] = {"kind": "end", "t": capture.end_t or 0.0}
    closed = capture.closed
    if capture.failure is not None:
        end.update(reason="error", error={"type": str(capture.failure.type), "message": capture.failure.message})
    elif isinstance(closed, StreamClosed):
        end["reason"] = closed.reason
    elif isinstance(closed, WsClosed):
        end.update(reason="close", code=closed.code, close_reason=closed.reason, by=closed.by)
    else:
        end["reason"] = "cancelled"
    if capture.truncated:
        end["truncated"] = True
    return end


def _encoded_lines(capture: Capture, reveal: bool) -> Iterator[bytes]:
    for line in recording_lines(capture, reveal):
        # DEL and C1 controls as `\\u` escapes like the C0 ones; a lone surrogate (UTF-8 has none) as one too.
        yield json_line_safe(json.dumps(line, ensure_ascii=False)).encode("utf-8", "backslashreplace") + b"\n"


def save_recording(capture: Capture, path: Path, reveal: bool = False) -> None:
    """Write `capture` as a recording (one JSON object per line, UTF-8), atomically: an interrupted
    save leaves the old file or none, never half a recording."""
    atomic_write(path, _encoded_lines(capture, reveal))


def load_recording(path: Path) -> Recording:
    """Read a recording; raises `BadRecording` naming the file and line.

    A recording is outside input (committed next to tests, sent around): every field the mock serves is
    checked here, so that a value no server can send (a status of 5000, a header with a line break, a
    close code reserved for drops, a time of 1e308 seconds) is a named error, not a mock that fails later."""
    header: dict[str, Any] | None = None
    fields: dict[str, Any] = {}
    chunks: list[tuple[float, bytes]] = []
    messages: list[TimedMessage] = []
    try:
        # JSON Lines end at LF only: `splitlines` would also break inside a string holding a raw U+2028 or
        # U+0085, as `jq -c` writes them (a CR before the LF is JSON whitespace).
        lines = read_regular(path, MAX_RECORDING_BYTES).decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise BadRecording(f"{path}: {error}") from None
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            line = parse_json(text)
            if not isinstance(line, dict):
                raise TypeError("a line should be a JSON object")
            kind = line["kind"]
            if header is None:
                if kind != "recording" or line.get("version") != FORMAT_VERSION:
                    raise ValueError(f"not a Sluice recording (version {FORMAT_VERSION})")
                header = line
                fields["protocol"] = _one_of(line.get("protocol", "http"), ("http", "websocket"), "protocol")
            elif kind == "request":
                fields.update(_request(line))
            elif kind == "response":
                fields.update(_response(line))
            elif kind == "chunk":
                chunks.append((_seconds(line["t"]), base64.b64decode(line["b64"], validate=True)))
            elif kind == "message":
                messages.append(_message(line))
            elif kind == "end":
                fields["end"] = _end(line)
        except (ValueError, KeyError, TypeError, OverflowError) as error:
            raise BadRecording(f"{path}:{number}: {error}") from None
    if header is None or "url" not in fields:
        raise BadRecording(f"{path}: no recording header and request")
    return Recording(source=path, chunks=tuple(chunks), messages=tuple(messages), **fields)


MAX_RECORDING_BYTES = 256 * 1024 * 1024
"""A recording is read whole: a capture keeps at most 64 MiB of body, which Base64 and JSON make ~90 MB."""

_LONGEST_WAIT = 24 * 3600.0
"""No recorded gap is longer than a day; a bigger `t` would leave the mock asleep."""


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"a time should be a number of seconds, not {value!r:.40}")
    seconds = float(value)
    if not 0 <= seconds <= _LONGEST_WAIT:
        raise ValueError(f"a time of {seconds} s cannot be replayed (0 to {_LONGEST_WAIT:.0f} s)")
    return seconds


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} should be a string, not {value!r:.40}")
    return value


def _optional_text(value: Any, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _request(line: dict[str, Any]) -> dict[str, Any]:
    method, url = _text(line.get("method", "GET"), "method").upper(), _text(line.get("url", "/"), "url")
    path = urlsplit(url).path or "/"
    # A route's `{name}` is a Starlette path parameter; a path as sent has its braces percent-encoded.
    if not HEADER_NAME.fullmatch(method) or not path.startswith("/") or "{" in path or "}" in path:
        raise ValueError(f"cannot serve {method!r:.40} {url!r:.80}: not a method and a URL with an absolute path")
    return {"method": method, "url": url}


def _response(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": _status(line.get("status", 502)),
        "reason": _text(line.get("reason", ""), "reason"),
        "headers": _headers(line.get("headers", [])),
        "subprotocol": _optional_text(line.get("subprotocol"), "subprotocol"),
        "opened_t": _seconds(line.get("t", 0.0)),
    }


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} {value!r:.40} is not one of {', '.join(allowed)}")
    return str(value)


def _status(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 999:
        raise ValueError(f"response status {value!r:.40} is not an HTTP status (100-999)")
    return value


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise TypeError("response headers should be a list of [name, value] pairs")
    headers = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):
            raise TypeError(f"response header {pair!r:.60} is not a [name, value] pair of strings")
        name, text = pair
        # The one header check, and Latin-1: the mock writes response headers as Latin-1 bytes.
        if header_problem(name, text, what="response header") or not all(char <= "\xff" for char in text):
            raise ValueError(f"response header {name!r:.40}: {text!r:.40} cannot be sent (a line break, a NUL, "
                             "or a character outside Latin-1)")
        headers.append((name, text))
    return tuple(headers)


def _message(line: dict[str, Any]) -> TimedMessage:
    direction = _one_of(line["direction"], ("send", "recv"), "direction")
    opcode = _one_of(line["opcode"], ("text", "binary"), "opcode")
    data = _text(line["text"], "text") if opcode == "text" else base64.b64decode(line["b64"], validate=True)
    return TimedMessage(_seconds(line["t"]), direction, data)


def _end(end: dict[str, Any]) -> dict[str, Any]:
    """The `end` line, its close checked when the mock is to close the same way (RFC 6455: a code it may
    send, 1000-4999 but not the ones reserved for drops, and a reason of at most 123 bytes)."""
    if end.get("reason") == "close" and end.get("by") == "server":
        code, reason = end.get("code") or 1000, end.get("close_reason") or ""
        if isinstance(code, bool) or not isinstance(code, int) or not 1000 <= code <= 4999 or code in (1004, 1005, 1006, 1015):
            raise ValueError(f"end: close code {code!r:.40} cannot be sent in a close frame")
        if len(_text(reason, "end: close_reason").encode("utf-8")) > 123:
            raise ValueError("end: a close reason is at most 123 bytes")
        _seconds(end.get("t", 0.0))
    return end
