"""Recordings on disk: one JSONL file per response, written from a `Capture`, read back by `sluice mock`.

```
{"kind": "recording", "version": 1, "protocol": "http", "started_at": "2026-12-01T11:20:00.123Z"}
{"kind": "request", "t": 0.0, "method": "POST", "url": "…", "headers": [["Accept", "text/event-stream"]], "body_b64": "…"}
{"kind": "response", "t": 0.051, "status": 200, "reason": "OK", "http_version": "HTTP/1.1", "headers": [[…]]}
{"kind": "chunk", "t": 0.052, "b64": "ZGF0YTogey…"}                      one line per chunk read, in order
{"kind": "message", "t": 0.3, "direction": "recv", "opcode": "text", "text": "…"}   WebSocket (binary: "b64")
{"kind": "end", "t": 1.2, "reason": "complete"}        complete | cancelled | error (+ "error") | close (+ code…)
```
`t` is seconds since the request started, on the Timeline's clock. Request credentials are masked
(`app.model.secrets`) unless the writer is asked to reveal them: a mock never needs them, and
recordings get committed next to frontend tests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from app.events import StreamClosed, WsClosed
from app.model.secrets import mask_headers, mask_url
from app.recording.capture import Capture, TimedMessage
from app.streams.json_payload import parse_json

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
    status: int
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
    if not reveal:
        url, headers = mask_url(url), mask_headers(headers)
    line: dict[str, Any] = {"kind": "request", "t": 0.0, "method": method, "url": url, "headers": [list(pair) for pair in headers]}
    if capture.body:
        line["body_b64"] = base64.b64encode(capture.body).decode("ascii")
    yield line
    t = capture.opened_t or 0.0
    if capture.opened is not None:
        opened = capture.opened
        yield {"kind": "response", "t": t, "status": opened.status, "reason": opened.reason,
               "http_version": opened.http_version, "headers": [list(pair) for pair in opened.headers]}
    elif capture.ws_opened is not None:
        ws_opened = capture.ws_opened
        yield {"kind": "response", "t": t, "status": ws_opened.status, "headers": [list(pair) for pair in ws_opened.headers],
               "subprotocol": ws_opened.subprotocol}
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


def write_recording(capture: Capture, stream: BinaryIO, reveal: bool = False) -> None:
    """Write `capture` as a recording (one JSON object per line, UTF-8)."""
    for line in recording_lines(capture, reveal):
        stream.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")


def save_recording(capture: Capture, path: Path, reveal: bool = False) -> None:
    with path.open("wb") as stream:
        write_recording(capture, stream, reveal)


def load_recording(path: Path) -> Recording:
    """Read a recording; raises `BadRecording` naming the file and line."""
    header: dict[str, Any] | None = None
    request: dict[str, Any] = {}
    response: dict[str, Any] = {}
    chunks: list[tuple[float, bytes]] = []
    messages: list[TimedMessage] = []
    end: dict[str, Any] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BadRecording(f"{path}: {error}") from None
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            line = parse_json(text)
            kind = line["kind"]
            if header is None:
                if kind != "recording" or line.get("version") != FORMAT_VERSION:
                    raise ValueError(f"not a Sluice recording (version {FORMAT_VERSION})")
                header = line
            elif kind == "request":
                request = line
            elif kind == "response":
                response = line
            elif kind == "chunk":
                chunks.append((float(line["t"]), base64.b64decode(line["b64"], validate=True)))
            elif kind == "message":
                data = line["text"] if line["opcode"] == "text" else base64.b64decode(line["b64"], validate=True)
                messages.append(TimedMessage(float(line["t"]), line["direction"], data))
            elif kind == "end":
                end = line
        except (ValueError, KeyError, TypeError) as error:
            raise BadRecording(f"{path}:{number}: {error}") from None
    if header is None or not request:
        raise BadRecording(f"{path}: no recording header and request")
    return Recording(
        source=path,
        protocol=header.get("protocol", "http"),
        method=str(request.get("method", "GET")).upper(),
        url=str(request.get("url", "/")),
        status=int(response.get("status", 502)),
        reason=str(response.get("reason", "")),
        headers=tuple((str(name), str(value)) for name, value in response.get("headers", [])),
        subprotocol=response.get("subprotocol"),
        chunks=tuple(chunks),
        messages=tuple(messages),
        end=end,
        opened_t=float(response.get("t", 0.0)),
    )
