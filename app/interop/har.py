"""HAR 1.2 export of captured responses (`sluice run --har`, the TUI's History export).

Each `Capture` becomes one entry: request (method, URL, headers, query string, body), response (status,
headers, `content.text`: the whole body as received, SSE and NDJSON included; Base64 when it is not
UTF-8), and timings (`wait` is the time to the response head, `receive` the rest of the stream).
WebSocket entries carry `_resourceType: "websocket"` and `_webSocketMessages` the way Chrome's DevTools
writes them (`type` send/receive, `time` in epoch seconds, `opcode` 1 text / 2 binary, `data`), so
DevTools and HAR viewers open them. Credentials are masked with the one definition in
`app.model.secrets` unless `reveal` is given.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from app import __version__
from app.model.secrets import mask_body, mask_headers, mask_url
from app.model.storage import atomic_write
from app.recording.capture import Capture
from app.terminal_text import json_line_safe

Headers = tuple[tuple[str, str], ...]


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _name_values(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _header(headers: Headers, name: str) -> str:
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), "")


def _milliseconds(seconds: float | None) -> float:
    return -1 if seconds is None else round(seconds * 1000, 3)


def _request(capture: Capture, reveal: bool, http_version: str) -> dict[str, Any]:
    request = capture.request
    if capture.is_websocket:
        method, url, headers = "GET", capture.ws_url or "", capture.ws_headers
    else:
        method, url, headers = (request.method, request.url, request.headers) if request else ("GET", "", ())
    if not reveal:
        url, headers = mask_url(url), mask_headers(headers)
    # From the URL as shown: a masked value is `****` here too, and one decoding would not find again
    # (`a+b` read as `a b`) never comes back in clear.
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    entry: dict[str, Any] = {
        "method": method,
        "url": url,
        "httpVersion": http_version,
        "cookies": [],
        "headers": _name_values(headers),
        "queryString": _name_values(query),
        "headersSize": -1,
        "bodySize": len(capture.body),
    }
    if capture.body:
        content_type = _header(headers, "content-type")
        body = capture.body if reveal else mask_body(capture.body, content_type)
        entry["postData"] = {"mimeType": content_type, **_text_or_base64(body)}
    return entry


def _text_or_base64(data: bytes) -> dict[str, str]:
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(data).decode("ascii"), "encoding": "base64"}


def _response(capture: Capture, reveal: bool) -> dict[str, Any]:
    status, reason, version = 0, "", "HTTP/1.1"
    headers: Headers = ()
    if capture.opened is not None:
        opened = capture.opened
        status, reason, version, headers = opened.status, opened.reason, opened.http_version, opened.headers
    elif capture.ws_opened is not None:
        status, reason, headers = capture.ws_opened.status, "Switching Protocols", capture.ws_opened.headers
    if not reveal:
        headers = mask_headers(headers)
    body = capture.body_bytes()
    content: dict[str, Any] = {"size": len(body), "mimeType": _header(headers, "content-type")}
    if body:
        content.update(_text_or_base64(body))
    if capture.truncated:
        content["comment"] = "truncated: the body was larger than Sluice keeps for export"
    response: dict[str, Any] = {
        "status": status,
        "statusText": reason,
        "httpVersion": version,
        "cookies": [],
        "headers": _name_values(headers),
        "content": content,
        "redirectURL": _header(headers, "location"),
        "headersSize": -1,
        "bodySize": len(body) if capture.opened is not None else 0,
    }
    if capture.failure is not None:
        response["_error"] = f"{capture.failure.type}: {capture.failure.message}"
    return response


def har_entry(capture: Capture, reveal: bool = False) -> dict[str, Any]:
    """One HAR entry for a captured HTTP response or WebSocket session."""
    response = _response(capture, reveal)
    wait = capture.opened_t
    end = capture.end_t if capture.end_t is not None else wait
    receive = (end - wait) if end is not None and wait is not None else None
    entry: dict[str, Any] = {
        "startedDateTime": _iso(capture.started_at),
        "time": _milliseconds(end) if end is not None else 0,
        "request": _request(capture, reveal, response["httpVersion"]),
        "response": response,
        "cache": {},
        "timings": {
            "blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0,
            "wait": max(_milliseconds(wait), 0), "receive": max(_milliseconds(receive), 0),
        },
    }
    if capture.is_websocket:
        entry["_resourceType"] = "websocket"
        entry["_webSocketMessages"] = [
            {
                "type": "send" if message.direction == "send" else "receive",
                "time": capture.started_at + message.t,
                "opcode": 1 if isinstance(message.data, str) else 2,
                "data": message.data if isinstance(message.data, str) else base64.b64encode(message.data).decode("ascii"),
            }
            for message in capture.messages
        ]
    return entry


def har_document(captures: Iterable[Capture], reveal: bool = False) -> dict[str, Any]:
    """The whole HAR log of `captures`, in order."""
    return {"log": {"version": "1.2", "creator": {"name": "Sluice", "version": __version__},
                    "entries": [har_entry(capture, reveal) for capture in captures]}}


def har_bytes(captures: Iterable[Capture], reveal: bool = False) -> bytes:
    """The HAR file's bytes: UTF-8 JSON in which DEL and the C1 controls are `\\u` escapes like the C0 ones
    (a viewer or `cat` shows text, never a control), and which is all `\\u` escapes should some text
    hold a lone surrogate (a URL given as bytes that are not UTF-8), which UTF-8 cannot."""
    document = har_document(captures, reveal)
    try:
        return (json_line_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(document, indent=2) + "\n").encode("ascii")


def save_har(captures: Iterable[Capture], path: Path, reveal: bool = False) -> None:
    """Write the HAR file atomically: an interrupted export leaves the old file or none."""
    atomic_write(path, har_bytes(captures, reveal))
